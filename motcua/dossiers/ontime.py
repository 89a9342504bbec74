"""Whether a received dossier counts as processed early or on time for QĐ 766 indicator 2.1. Pure.

The rule (VPCP "Mô tả công thức tính chỉ số 766", domain-research §2.2, row 2.1):

- start = reception (``NgayTiepNhan``); end = the first terminal status in this order: processed
  (Đã xử lý xong) > returned (Đã trả kết quả) > stopped / refused > withdrawn after reception;
- no terminal status by the moment the period is looked at ⇒ end = that moment (period end or now);
- more than one supplementation request after reception ⇒ late, whatever the dates;
- one request, applicant back: the applicant's time (completed − requested) is subtracted from end;
  one request, applicant not back yet: end = the time of the request;
- on time iff end ≤ appointment (``NgayHenTra``). A dossier without an appointment (a procedure without
  a time limit) is on time.

The live counters (``dossiers.counters``) call the same function when a dossier ends, and the 2.1
formula (``indicators.formulas.dossiers``) calls it on every received dossier, so counters and the
recomputation oracle agree by construction. Kept in ``dossiers`` (the lower layer) for that reason;
``indicators.ontime`` re-exports it.
"""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Timeline:
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    ended_at: dt.datetime | None
    # supplementation requests after reception, up to the moment looked at
    supplement_requests: int = 0
    supplement_requested_at: dt.datetime | None = None
    supplement_completed_at: dt.datetime | None = None


def end_of(timeline: Timeline, as_of: dt.datetime) -> dt.datetime:
    """The end instant the appointment is compared with, supplementation time subtracted."""
    ended = timeline.ended_at
    end = ended if ended is not None and ended <= as_of else as_of
    requested = timeline.supplement_requested_at
    if timeline.supplement_requests == 1 and requested is not None and requested <= end:
        completed = timeline.supplement_completed_at
        if completed is None or completed > as_of or completed < requested:
            return requested
        return end - (completed - requested)
    return end


def is_on_time(timeline: Timeline, as_of: dt.datetime) -> bool:
    if timeline.supplement_requests > 1:
        return False
    if timeline.due_at is None:
        return True
    return end_of(timeline, as_of) <= timeline.due_at
