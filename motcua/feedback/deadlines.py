"""PAKN deadlines in working days of the receiving unit (``core.worktime`` through the unit's calendar).

QĐ 766/QĐ-TTg indicator 5.2 (domain research §2.2, §3.13): a PAKN is handled (answered, "chờ công
khai") within 15 working days and published within 2 working days after that; both are settings
(``PAKN_HANDLING_DAYS``, ``PAKN_PUBLISH_DAYS``) because provinces set their own. A PAKN sent outside
office hours starts its clock at the unit's next working instant.
"""

import datetime as dt

from django.conf import settings

from motcua.core.worktime import to_local
from motcua.dossiers.workflow import Verdict
from motcua.organizations.calendars import calendar_for_unit
from motcua.organizations.models import Unit


def handling_due(unit: Unit, received_at: dt.datetime) -> dt.datetime:
    """When the written answer is due: ``PAKN_HANDLING_DAYS`` working days after reception."""
    calendar = calendar_for_unit(unit, to_local(received_at).date())
    start = calendar.next_working_instant(received_at)
    return calendar.add_working_days(start, int(settings.PAKN_HANDLING_DAYS))


def publish_due(unit: Unit, answered_at: dt.datetime) -> dt.datetime:
    """When the answer must be published: ``PAKN_PUBLISH_DAYS`` working days after it was given."""
    calendar = calendar_for_unit(unit, to_local(answered_at).date())
    start = calendar.next_working_instant(answered_at)
    return calendar.add_working_days(start, int(settings.PAKN_PUBLISH_DAYS))


def verdict(done_at: dt.datetime, due_at: dt.datetime) -> Verdict:
    """On time when the answer is given no later than the due instant, late otherwise."""
    return Verdict.ON_TIME if done_at <= due_at else Verdict.LATE
