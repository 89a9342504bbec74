"""Early warning (cảnh báo sớm): points at risk now, per officer and per unit, and their digest.

``queries.warnings_for`` lists them; ``digest.send_digests`` notifies; ``docs/early-warning.md``.
"""
