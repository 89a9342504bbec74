"""The TT 01/2018/TT-VPCP evaluation of the handling of administrative procedures (đánh giá việc
giải quyết TTHC, Điều 12–15): nine indices scored 0/1/2 per dossier and per unit, aggregated per
officer (indices 1, 2, 3, 4, 7) and per unit (all nine), and the late steps behind them.

``scales`` holds the point rules and grades (pure); ``dossiers`` scores each dossier of a period;
``units`` scores the per-body indices 5, 6, 8, 9 inputs; ``report`` aggregates; ``accountability``
lists late steps per officer. Data choices: docs/evaluation.md.
"""
