"""The QĐ 766 indicator 2.1 on-time rule: defined in ``dossiers.ontime`` (the live counters, a lower
layer, apply it when a dossier ends) and re-exported here for the formulas."""

from motcua.dossiers.ontime import Timeline, end_of, is_on_time

__all__ = ["Timeline", "end_of", "is_on_time"]
