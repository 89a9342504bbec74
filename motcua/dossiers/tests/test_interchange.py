import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError
from django.db import connections

from motcua.catalog.tests.factories import ComponentFactory, ProcedureFactory
from motcua.core.errors import NotFound
from motcua.dossiers.interchange import (
    DOSSIER_COLUMNS,
    EVENT_COLUMNS,
    STATUS_FROM_NATIONAL,
    InvalidDossierFiles,
    dossiers_of_unit,
    export_dossiers,
    import_dossier_files,
    import_dossiers,
    internal_status,
    parse_dossier_files,
    step_verdict,
)
from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent, DossierStep
from motcua.dossiers.workflow import NATIONAL_STATUS, EventKind, Status, Verdict
from motcua.organizations.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

DOSSIERS_HEADER = ",".join(DOSSIER_COLUMNS) + "\r\n"
EVENTS_HEADER = ",".join(EVENT_COLUMNS) + "\r\n"

A = "000.00.12.H23-230814-0001"
B = "000.00.12.H23-230820-0002"
C = "000.00.12.H23-230825-0003"
D = "000.00.12.H23-230826-0004"
E = "001.12.00.H23-230828-0001"

# Written as the export writes them: ordered by code, then time; CRLF; quotes only where needed.
DOSSIERS = DOSSIERS_HEADER + (
    f"{A},1.001193,000.00.12.H23,2,full,001203012345,1,1,2023-08-14T09:05:00+07:00,"
    "2023-08-14T10:00:00+07:00,2023-08-16T17:00:00+07:00,10,0,0,3,2,1,0,1,1,very_satisfied\r\n"
    f"{B},2.000908,000.00.12.H23,1,partial,0100109106,0,0,2023-08-20T08:00:00+07:00,"
    "2023-08-20T08:00:00+07:00,2023-08-25T17:00:00+07:00,5,20000,1,2,0,0,0,0,0,\r\n"
    f"{C},2.000908,000.00.12.H23,3,partial,,0,0,2023-08-25T15:00:00+07:00,"
    "2023-08-25T16:00:00+07:00,2023-09-05T17:00:00+07:00,4,0,0,1,1,1,1,0,0,satisfied\r\n"
    f"{D},1.001193,000.00.12.H23,2,full,001203012345,1,0,2023-08-26T22:30:00+07:00,,,1,0,0,0,0,0,0,0,0,\r\n"
    f"{E},1.001193,001.12.00.H23,1,none,001203012345,0,0,2023-08-28T09:00:00+07:00,"
    "2023-08-28T09:00:00+07:00,2023-08-30T17:00:00+07:00,8,0,0,1,0,0,0,0,0,dissatisfied\r\n"
)
EVENTS = EVENTS_HEADER + (
    f"{A},2023-08-14T10:00:00+07:00,received,,Nguyễn Văn An,2023-08-16T17:00:00+07:00\r\n"
    f"{A},2023-08-14T10:05:00+07:00,step_started,Thẩm định,Trần Thị Bình,2023-08-15T17:00:00+07:00\r\n"
    f"{A},2023-08-14T16:00:00+07:00,step_finished,Thẩm định,Trần Thị Bình,\r\n"
    f'{A},2023-08-14T16:00:00+07:00,step_started,Phê duyệt,"Lê Văn Cường, Phó Chủ tịch",'
    "2023-08-15T11:00:00+07:00\r\n"
    f'{A},2023-08-15T14:00:00+07:00,step_finished,Phê duyệt,"Lê Văn Cường, Phó Chủ tịch",\r\n'
    f"{A},2023-08-15T14:00:00+07:00,processed,,Trần Thị Bình,\r\n"
    f"{A},2023-08-16T09:00:00+07:00,returned,,Nguyễn Văn An,\r\n"
    f"{B},2023-08-20T08:00:00+07:00,received,,Nguyễn Văn An,\r\n"
    f"{B},2023-08-21T09:00:00+07:00,supplement_requested,,Trần Thị Bình,\r\n"
    f"{C},2023-08-25T16:00:00+07:00,received,,Nguyễn Văn An,2023-08-30T17:00:00+07:00\r\n"
    f"{C},2023-08-25T16:10:00+07:00,step_started,Thẩm định,Trần Thị Bình,2023-08-28T17:00:00+07:00\r\n"
    f"{C},2023-08-29T10:00:00+07:00,rescheduled,,Trần Thị Bình,2023-09-05T17:00:00+07:00\r\n"
    f"{C},2023-08-29T11:00:00+07:00,suspended,,Trần Thị Bình,\r\n"
    f"{E},2023-08-28T09:00:00+07:00,received,,Phạm Thị Dung,\r\n"
    f"{E},2023-08-29T09:00:00+07:00,refused,,Phạm Thị Dung,\r\n"
)


@pytest.fixture
def tree():  # type: ignore[no-untyped-def]
    province = UnitFactory(code="000.00.00.H23", province=True)
    district = UnitFactory(code="000.00.12.H23", district=True, parent=province)
    commune = UnitFactory(code="001.12.00.H23", parent=district)
    other = UnitFactory(code="000.00.13.H23", district=True, parent=province)
    return {"province": province, "district": district, "commune": commune, "other": other}


@pytest.fixture
def procedures():  # type: ignore[no-untyped-def]
    return [
        ProcedureFactory(code="1.001193", online=True),
        ProcedureFactory(code="2.000908", online_level="partial"),
    ]


@pytest.fixture
def catalog(tree, procedures):  # type: ignore[no-untyped-def]
    """Units and procedures the files refer to; returns the units by role."""
    return tree


def load(dossiers: str, events: str = EVENTS_HEADER):  # type: ignore[no-untyped-def]
    return import_dossier_files(io.BytesIO(dossiers.encode()), io.BytesIO(events.encode()))


def problems_of(dossiers: str, events: str = EVENTS_HEADER) -> tuple[list, list]:  # type: ignore[type-arg]
    with pytest.raises(InvalidDossierFiles) as caught:
        parse_dossier_files(io.BytesIO(dossiers.encode()), io.BytesIO(events.encode()))
    return (
        [(p.row, p.field) for p in caught.value.dossier_problems],
        [(p.row, p.field) for p in caught.value.event_problems],
    )


def messages_of(dossiers: str, events: str = EVENTS_HEADER) -> list[str]:
    with pytest.raises(InvalidDossierFiles) as caught:
        parse_dossier_files(io.BytesIO(dossiers.encode()), io.BytesIO(events.encode()))
    return [p.message for p in caught.value.problems]


def export_texts(queryset=None) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    dossiers, events = io.StringIO(), io.StringIO()
    export_dossiers(dossiers, events, queryset)
    return dossiers.getvalue(), events.getvalue()


def counts() -> tuple[int, int, int, int]:
    return (
        Dossier.objects.count(),
        DossierEvent.objects.count(),
        DossierStep.objects.count(),
        DossierComponent.objects.count(),
    )


def wipe_dossiers() -> None:
    DossierEvent.objects.all().delete()  # a queryset delete: the append-only guard is per instance
    DossierStep.objects.all().delete()
    Dossier.objects.all().delete()


def local(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


# --- the status mapping and verdicts ---------------------------------------------------------------


@pytest.mark.parametrize("national", range(1, 11))
def test_each_national_code_maps_to_a_status_that_shows_as_that_code(national):
    assert NATIONAL_STATUS[STATUS_FROM_NATIONAL[national]] == national
    for received in (True, False):
        assert NATIONAL_STATUS[internal_status(national, is_received=received)] == national


def test_events_refine_the_coarse_national_codes():
    assert internal_status(5, is_received=True) == Status.AWAITING_SUPPLEMENT
    assert internal_status(5, is_received=False) == Status.INTAKE_SUPPLEMENT
    assert internal_status(4, is_received=True, kinds=["received", "suspended"]) == Status.SUSPENDED
    assert internal_status(4, is_received=True, kinds=["suspended", "resumed"]) == Status.PROCESSING
    assert internal_status(8, is_received=True, kinds=["received", "refused"]) == Status.REJECTED
    assert internal_status(8, is_received=True, kinds=["refused", "stopped"]) == Status.STOPPED


@pytest.mark.parametrize(
    ("finished", "verdict"),
    [
        ("2023-08-14T16:00:00+07:00", Verdict.EARLY),
        ("2023-08-15T06:59:00+07:00", Verdict.ON_TIME),  # same local day, 23:59 UTC the day before
        ("2023-08-15T17:00:00+07:00", Verdict.ON_TIME),
        ("2023-08-15T17:00:01+07:00", Verdict.LATE),
    ],
)
def test_step_verdict(finished, verdict):
    assert step_verdict(finished_at=local(finished), due_at=local("2023-08-15T17:00:00+07:00")) == verdict


# --- happy path ----------------------------------------------------------------------------------


def test_import_creates_dossiers_events_steps_and_components(catalog):
    # when
    summary = load(DOSSIERS, EVENTS)

    # then
    assert (summary.dossiers.created, summary.dossiers.updated, summary.dossiers.unchanged) == (5, 0, 0)
    assert (summary.events_added, summary.events_unchanged) == (15, 0)
    a = Dossier.objects.get(code=A)
    assert a.status == Status.RETURNED
    assert (a.procedure.code, a.responsible_unit, a.receiving_unit) == (
        "1.001193",
        catalog["district"],
        catalog["district"],
    )
    assert (a.channel, a.online_level, a.applicant_id_number) == (2, "full", "001203012345")
    assert a.is_own_account and a.is_vneid_verified and a.is_result_electronic and a.is_population_data_used
    assert not a.is_paid_online
    assert a.rating == "very_satisfied"
    assert a.submitted_at == local("2023-08-14T09:05:00+07:00")
    assert a.processed_at == local("2023-08-15T14:00:00+07:00")
    assert a.returned_at == a.closed_at == local("2023-08-16T09:00:00+07:00")
    assert a.original_due_at == a.due_at == local("2023-08-16T17:00:00+07:00")
    assert "001203012345" in a.search_folded

    steps = list(a.steps.order_by("position"))
    assert [(s.position, s.name, s.verdict, s.actor_name, s.unit) for s in steps] == [
        (1, "Thẩm định", Verdict.EARLY, "Trần Thị Bình", catalog["district"]),
        (2, "Phê duyệt", Verdict.LATE, "Lê Văn Cường, Phó Chủ tịch", catalog["district"]),
    ]
    assert steps[1].started_at == local("2023-08-14T16:00:00+07:00")
    assert steps[1].due_at == local("2023-08-15T11:00:00+07:00")
    assert steps[1].finished_at == local("2023-08-15T14:00:00+07:00")
    step_events = a.events.filter(kind__in=[EventKind.STEP_STARTED, EventKind.STEP_FINISHED])
    assert all(e.step is not None and e.step.name == e.step_name for e in step_events)
    assert list(a.events.values_list("kind", flat=True)) == [
        "received",
        "step_started",
        "step_finished",
        "step_started",
        "step_finished",
        "processed",
        "returned",
    ]

    components = list(a.components.order_by("position"))
    assert [(c.name, c.is_digitized, c.is_reused, c.is_from_store) for c in components] == [
        ("Thành phần 1", True, True, False),
        ("Thành phần 2", True, False, False),
        ("Thành phần 3", False, False, False),
    ]


def test_import_maps_statuses_and_derives_counters(catalog):
    load(DOSSIERS, EVENTS)
    statuses = dict(Dossier.objects.values_list("code", "status"))
    assert statuses == {
        A: Status.RETURNED,
        B: Status.AWAITING_SUPPLEMENT,
        C: Status.SUSPENDED,
        D: Status.SUBMITTED,
        E: Status.REJECTED,
    }
    b, c, e = (Dossier.objects.get(code=code) for code in (B, C, E))
    assert (b.supplement_request_count, b.fee_vnd, b.is_paid_online, b.rating) == (1, 20000, True, "")
    assert (c.reschedule_count, c.due_at) == (1, local("2023-09-05T17:00:00+07:00"))
    assert c.original_due_at == local("2023-08-30T17:00:00+07:00")  # the appointment on reception
    assert c.steps.get().finished_at is None and c.closed_at is None
    assert e.closed_at == local("2023-08-29T09:00:00+07:00")
    assert e.receiving_unit == e.responsible_unit == catalog["commune"]


def test_parse_then_import_checks_again_inside_the_transaction(catalog, procedures):
    # given: files checked while the procedure existed
    files = parse_dossier_files(io.BytesIO(DOSSIERS.encode()), io.BytesIO(EVENTS.encode()))
    procedures[1].delete()

    # when
    with pytest.raises(InvalidDossierFiles) as caught:
        import_dossiers(files)

    # then
    assert [(p.row, p.field) for p in caught.value.dossier_problems] == [
        (3, "procedure_code"),
        (4, "procedure_code"),
    ]
    assert counts() == (0, 0, 0, 0)
    procedures[1].save()
    assert import_dossiers(files).dossiers.created == 5


def test_a_bom_and_lower_case_codes_are_accepted(catalog):
    dossiers = "\ufeff" + DOSSIERS.replace(A, A.lower())
    load(dossiers, EVENTS)
    assert Dossier.objects.filter(code=A).exists()


def test_header_only_files_import_nothing(catalog):
    summary = load(DOSSIERS_HEADER, EVENTS_HEADER)
    assert (summary.dossiers.created, summary.events_added) == (0, 0)


# --- bad input -----------------------------------------------------------------------------------


def row(**cells: str) -> str:
    """A dossiers.csv row: dossier A with some cells changed."""
    values = dict(
        zip(DOSSIER_COLUMNS, DOSSIERS.splitlines()[1].split(","), strict=True),
    )
    return ",".join(cells.get(c, values[c]) for c in DOSSIER_COLUMNS) + "\r\n"


def event(
    code: str = A,
    at: str = "2023-08-14T10:00:00+07:00",
    kind: str = "received",
    step: str = "",
    actor: str = "",
    due_at: str = "",
) -> str:
    return f"{code},{at},{kind},{step},{actor},{due_at}\r\n"


def test_every_bad_dossier_cell_is_listed_with_row_and_column(catalog):
    dossiers = DOSSIERS_HEADER + (
        row()  # 2: fine
        + row(code="000.00.12.H23-231345-0001")  # 3: not a date
        + row(code=A)  # 4: duplicate of row 2
        + row(code="000.00.12.H23-230814-0005", procedure_code="9.999999", unit_code="000.00.99.H23")  # 5
        + row(code="000.00.12.H23-230814-0006", channel="4", online_level="level4")  # 6
        + row(code="000.00.12.H23-230814-0007", applicant_id="0100109107", own_account="yes")  # 7
        + row(code="000.00.12.H23-230814-0008", submitted_at="2023-08-14T09:05:00")  # 8: naive
        + row(code="000.00.12.H23-230814-0009", status="11", fee_vnd="50.000")  # 9
        + row(code="000.00.12.H23-230814-0010", components_total="x", rating="good")  # 10
        + row(
            code="000.00.12.H23-230814-0011",
            components_total="1",
            components_digitized="1",
            components_reused="2",
        )  # 11
        + row(code="000.00.12.H23-230814-0012", received_at="2023-08-14T09:00:00+07:00")  # 12: before
        + row(code="000.00.12.H23-230814-0013", status="4", received_at="")  # 13
        + row(code="000.00.12.H23-230814-0014", status="1")  # 14: received, yet status 1
        + row(code="000.00.12.H23-230814-0015", submitted_at="", fee_vnd="-5")  # 15
    )
    dossier_problems, event_problems = problems_of(dossiers)
    assert dossier_problems == [
        (3, "code"),
        (4, "code"),
        (5, "procedure_code"),
        (5, "unit_code"),
        (6, "channel"),
        (6, "online_level"),
        (7, "applicant_id"),
        (7, "own_account"),
        (8, "submitted_at"),
        (9, "status"),
        (9, "fee_vnd"),
        (10, "components_total"),
        (10, "rating"),
        (11, "components_reused"),
        (12, "received_at"),
        (13, "received_at"),
        (14, "received_at"),
        (15, "submitted_at"),
        (15, "fee_vnd"),
    ]
    assert event_problems == []


def test_problem_messages_name_the_value(catalog):
    dossiers = DOSSIERS_HEADER + row(procedure_code="9.999999", submitted_at="2023-08-14T09:05:00")
    assert messages_of(dossiers) == [
        "Không tìm thấy thủ tục «9.999999» trong hệ thống.",
        "Thời điểm «2023-08-14T09:05:00» thiếu múi giờ; ghi kèm độ lệch, ví dụ 2023-08-14T09:05:00+07:00.",
    ]


def test_every_bad_event_is_listed_with_row_and_column(catalog):
    events = EVENTS_HEADER + (
        event()  # 2: fine
        + event(code="000.00.12.H23-230814-0099")  # 3: no such dossier
        + event(at="2023-08-14T10:00:00")  # 4: naive
        + event(kind="archived")  # 5
        + event(kind="step_started", at="2023-08-14T10:05:00+07:00")  # 6: no step, no due_at
        + event(kind="processed", step="Thẩm định", at="2023-08-15T10:00:00+07:00")  # 7: step on a status
        + event(kind="rescheduled", at="2023-08-15T10:00:00+07:00")  # 8: no new appointment
        + event(at="2023-08-14T09:00:00+07:00", kind="suspended")  # 9: before submission
        + event()  # 10: the same as row 2
        + event(at="", kind="returned")  # 11
    )
    dossier_problems, event_problems = problems_of(DOSSIERS_HEADER + row(), events)
    assert dossier_problems == []
    assert event_problems == [
        (3, "code"),
        (4, "at"),
        (5, "kind"),
        (6, "step"),
        (6, "due_at"),
        (7, "step"),
        (8, "due_at"),
        (9, "at"),
        (10, ""),
        (11, "at"),
    ]


def test_steps_must_start_before_they_finish_and_rescheduling_happens_once(catalog):
    events = EVENTS_HEADER + (
        event(kind="step_finished", step="Thẩm định", at="2023-08-14T11:00:00+07:00")  # 2: never started
        + event(kind="rescheduled", at="2023-08-15T10:00:00+07:00", due_at="2023-08-20T17:00:00+07:00")
        + event(kind="rescheduled", at="2023-08-16T10:00:00+07:00", due_at="2023-08-22T17:00:00+07:00")  # 4
    )
    assert problems_of(DOSSIERS_HEADER + row(), events) == ([], [(2, "step"), (4, "kind")])


def test_events_may_name_a_dossier_already_in_the_system_but_not_before_its_submission(catalog):
    load(DOSSIERS_HEADER + row())
    events = EVENTS_HEADER + event(at="2023-08-14T08:00:00+07:00")
    assert problems_of(DOSSIERS_HEADER, events) == ([], [(2, "at")])
    summary = load(DOSSIERS_HEADER, EVENTS_HEADER + event())
    assert summary.events_added == 1


def test_wrong_headers_are_reported_per_file(catalog):
    dossiers = DOSSIERS.replace("rating", "ratting")
    events = "code,at,kind,step,actor\r\n"
    assert problems_of(dossiers, events) == ([(1, "ratting")], [(1, "due_at")])
    # the events' dossiers may be in the unreadable file: no follow-up "unknown dossier" problems
    assert problems_of(dossiers, EVENTS) == ([(1, "ratting")], [])


def test_a_bad_file_writes_nothing(catalog):
    # given: everything fine except the last event
    before = counts()
    events = EVENTS + event(code=E, at="2023-08-30T09:00:00+07:00", kind="closed")

    # when
    with pytest.raises(InvalidDossierFiles) as caught:
        load(DOSSIERS, events)

    # then
    assert [(p.row, p.field) for p in caught.value.problems] == [(17, "kind")]
    assert counts() == before == (0, 0, 0, 0)


# --- re-import -------------------------------------------------------------------------------------


def test_reimporting_the_same_files_changes_nothing(catalog):
    load(DOSSIERS, EVENTS)
    before = counts()
    versions = dict(Dossier.objects.values_list("code", "version"))
    exported = export_texts()

    summary = load(DOSSIERS, EVENTS)

    assert (summary.dossiers.created, summary.dossiers.updated, summary.dossiers.unchanged) == (0, 0, 5)
    assert (summary.events_added, summary.events_unchanged) == (0, 15)
    assert counts() == before
    assert dict(Dossier.objects.values_list("code", "version")) == versions
    assert export_texts() == exported


def test_reimport_updates_the_dossier_and_appends_new_events(catalog):
    # given
    load(DOSSIERS, EVENTS)
    c = Dossier.objects.get(code=C)
    dossiers = DOSSIERS.replace(
        f"{C},2.000908,000.00.12.H23,3,partial,,0,0,2023-08-25T15:00:00+07:00,"
        "2023-08-25T16:00:00+07:00,2023-09-05T17:00:00+07:00,4,",
        f"{C},2.000908,000.00.12.H23,3,partial,,0,0,2023-08-25T15:00:00+07:00,"
        "2023-08-25T16:00:00+07:00,2023-09-05T17:00:00+07:00,9,",
    )
    events = (
        EVENTS
        + event(code=C, at="2023-09-01T08:00:00+07:00", kind="resumed")
        + event(
            code=C, at="2023-09-04T10:00:00+07:00", kind="step_finished", step="Thẩm định", actor="Hà Văn E"
        )
        + event(code=C, at="2023-09-04T10:00:00+07:00", kind="processed")
    )

    # when
    summary = load(dossiers, events)

    # then
    assert (summary.dossiers.created, summary.dossiers.updated, summary.dossiers.unchanged) == (0, 1, 4)
    assert (summary.events_added, summary.events_unchanged) == (3, 15)
    c.refresh_from_db()
    assert (c.status, c.version, c.processed_at) == (Status.PROCESSED, 2, local("2023-09-04T10:00:00+07:00"))
    step = c.steps.get()
    assert (step.finished_at, step.verdict, step.actor_name) == (
        local("2023-09-04T10:00:00+07:00"),
        Verdict.LATE,
        "Hà Văn E",
    )
    assert c.events.get(kind="step_finished").step == step


def test_reimport_replaces_placeholder_components_but_not_recorded_ones(catalog):
    load(DOSSIERS, EVENTS)
    more = DOSSIERS_HEADER + row(components_total="4", components_digitized="4")
    load(more)
    assert list(Dossier.objects.get(code=A).components.values_list("name", "is_digitized")) == [
        (f"Thành phần {n}", True) for n in range(1, 5)
    ]

    b = Dossier.objects.get(code=B)
    b.components.all().delete()
    DossierComponent.objects.create(
        dossier=b, name="Tờ khai chứng thực", catalog_component=ComponentFactory()
    )
    dossier_problems, _ = problems_of(DOSSIERS_HEADER + DOSSIERS.splitlines(keepends=True)[2])
    assert dossier_problems == [(2, "components_total")]


# --- export and round trip -----------------------------------------------------------------------


def test_round_trip_gives_identical_bytes(catalog):
    # given
    load(DOSSIERS, EVENTS)
    dossiers, events = export_texts()
    assert (dossiers, events) == (DOSSIERS, EVENTS)
    statuses = dict(Dossier.objects.values_list("code", "status"))

    # when: into an empty system with the same units and procedures
    wipe_dossiers()
    load(dossiers, events)

    # then
    assert export_texts() == (dossiers, events)
    assert dict(Dossier.objects.values_list("code", "status")) == statuses


def test_dossiers_handled_here_survive_the_round_trip(catalog):
    # given: a dossier as the services leave it (suspended, an internal-only event, a real component)
    district = catalog["district"]
    procedure = ProcedureFactory(code="1.000656", online_level="partial")
    dossier = Dossier.objects.create(
        code="000.00.12.H23-230901-0001",
        procedure=procedure,
        receiving_unit=district,
        responsible_unit=district,
        channel=1,
        status=Status.SUSPENDED,
        applicant_name="Nguyễn Thị Hoa",
        submitted_at=local("2023-09-01T08:00:00.123456+07:00"),
        received_at=local("2023-09-01T08:10:00+07:00"),
        due_at=local("2023-09-08T17:00:00+07:00"),
        fee_vnd=100000,
        is_paid_online=True,
    )
    component = ComponentFactory(procedure=procedure)
    DossierComponent.objects.create(
        dossier=dossier, catalog_component=component, name="Đơn", is_digitized=True
    )
    DossierComponent.objects.create(dossier=dossier, name="Bản vẽ", is_provided=False)
    step = DossierStep.objects.create(
        dossier=dossier,
        position=1,
        name="Thẩm định",
        role="specialist",
        unit=district,
        budget_hours=Decimal(8),
        started_at=local("2023-09-01T08:20:00+07:00"),
        due_at=local("2023-09-05T17:00:00+07:00"),
    )
    for kind, at, extra in [
        ("received", "2023-09-01T08:10:00.500000+07:00", {}),
        ("paid", "2023-09-01T08:15:00+07:00", {}),  # internal only
        ("step_started", "2023-09-01T08:20:00+07:00", {"step": step, "due_at": step.due_at}),
        ("suspended", "2023-09-02T09:00:00+07:00", {}),
    ]:
        DossierEvent.objects.create(dossier=dossier, kind=kind, at=local(at), actor_name="Cán bộ A", **extra)
    first = export_texts()
    assert "paid" not in first[1]
    assert "2023-09-01T08:00:00+07:00" in first[0]  # whole seconds, local offset
    before = counts()
    again = load(*first)  # back into the same system: times compare to the second
    assert (again.events_added, again.events_unchanged, counts()) == (0, 3, before)

    # when
    wipe_dossiers()
    load(*first)

    # then
    assert export_texts() == first
    imported = Dossier.objects.get(code="000.00.12.H23-230901-0001")
    assert imported.status == Status.SUSPENDED
    assert imported.online_level == "partial"  # the procedure's level filled in on export


def test_export_selects_the_unit_subtree_and_local_dates(catalog):
    load(DOSSIERS, EVENTS)
    # all of August, local time: D was submitted at 22:30 local on 26/08 (15:30 UTC)
    district = dossiers_of_unit(
        unit_code="000.00.12.H23", date_from=dt.date(2023, 8, 1), date_to=dt.date(2023, 8, 31)
    )
    assert sorted(district.values_list("code", flat=True)) == [A, B, C, D, E]
    commune = dossiers_of_unit(
        unit_code="001.12.00.H23", date_from=dt.date(2023, 8, 1), date_to=dt.date(2023, 8, 31)
    )
    assert list(commune.values_list("code", flat=True)) == [E]
    one_day = dossiers_of_unit(
        unit_code="000.00.00.H23", date_from=dt.date(2023, 8, 26), date_to=dt.date(2023, 8, 26)
    )
    assert list(one_day.values_list("code", flat=True)) == [D]
    other = dossiers_of_unit(
        unit_code="000.00.13.H23", date_from=dt.date(2023, 8, 1), date_to=dt.date(2023, 8, 31)
    )
    assert not other.exists()
    with pytest.raises(NotFound):
        dossiers_of_unit(
            unit_code="000.00.99.H23", date_from=dt.date(2023, 8, 1), date_to=dt.date(2023, 8, 31)
        )

    dossiers, events = export_texts(commune)
    assert dossiers.splitlines()[1:] == [DOSSIERS.splitlines()[5]]
    assert events.splitlines()[1:] == EVENTS.splitlines()[-2:]


# --- commands --------------------------------------------------------------------------------------


def test_commands_with_hyphenated_names_are_found():
    commands = get_commands()
    assert commands["import-dossiers"] == commands["export-dossiers"] == "motcua.dossiers"


def write_files(tmp_path, dossiers: str, events: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    (tmp_path / "dossiers.csv").write_text(dossiers, encoding="utf-8")
    (tmp_path / "events.csv").write_text(events, encoding="utf-8")
    return str(tmp_path / "dossiers.csv"), str(tmp_path / "events.csv")


def test_import_command_prints_a_summary(tmp_path, catalog):
    out = io.StringIO()
    call_command("import-dossiers", *write_files(tmp_path, DOSSIERS, EVENTS), stdout=out)
    assert out.getvalue() == (
        "Đã nhập xong. Hồ sơ: 5 dòng thêm mới, 0 dòng cập nhật, 0 dòng không đổi. "
        "Sự kiện: 15 dòng thêm mới, 0 dòng đã có.\n"
    )


def test_import_command_lists_every_problem_by_file_and_writes_nothing(tmp_path, catalog):
    dossiers_path, events_path = write_files(
        tmp_path, DOSSIERS_HEADER + row(channel="9"), EVENTS_HEADER + event(kind="archived")
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 lỗi"):
        call_command("import-dossiers", dossiers_path, events_path, stderr=err)
    assert err.getvalue().splitlines() == [
        f"{dossiers_path}: dòng 2, cột «channel»: Giá trị «9» không hợp lệ; chọn một trong: 1, 2, 3.",
        f"{events_path}: dòng 2, cột «kind»: Giá trị «archived» không hợp lệ; chọn một trong: received, "
        "supplement_requested, supplement_completed, suspended, resumed, refused, withdrawn, stopped, "
        "step_started, step_finished, rescheduled, processed, returned.",
    ]
    assert counts() == (0, 0, 0, 0)


def run(monkeypatch, *argv: str) -> int:  # type: ignore[no-untyped-def]
    """Run a command as the ``motcua`` program does and return its exit status."""
    monkeypatch.setattr(connections, "close_all", lambda: None)  # keep the test's connection open
    command = load_command_class("motcua.dossiers", argv[0])
    try:
        command.run_from_argv(["motcua", *argv, "--skip-checks"])
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_command_exit_statuses(tmp_path, catalog, monkeypatch, capsys):
    good = write_files(tmp_path, DOSSIERS, EVENTS)
    assert run(monkeypatch, "import-dossiers", *good) == 0
    bad = write_files(tmp_path, DOSSIERS_HEADER + row(status="0"), EVENTS_HEADER)
    assert run(monkeypatch, "import-dossiers", *bad) == 1
    assert run(monkeypatch, "import-dossiers", str(tmp_path / "none.csv"), good[1]) == 1
    assert run(monkeypatch, "import-dossiers", "-", "-") == 2
    assert run(monkeypatch, "import-dossiers", good[0]) == 2  # the events file is missing
    out = str(tmp_path / "out")
    export = ["export-dossiers", "--unit", "000.00.12.H23", "--out", out]
    assert run(monkeypatch, *export, "--from", "2023-08-01", "--to", "2023-08-31") == 0
    assert run(monkeypatch, *export, "--from", "2023-08-31", "--to", "2023-08-01") == 2
    assert run(monkeypatch, *export, "--from", "2023-08-01", "--to", "31/08/2023") == 2
    export[2] = "000.00.99.H23"
    assert run(monkeypatch, *export, "--from", "2023-08-01", "--to", "2023-08-31") == 1
    assert "Không tìm thấy đơn vị «000.00.99.H23»" in capsys.readouterr().err


def test_export_command_writes_both_files(tmp_path, catalog):
    load(DOSSIERS, EVENTS)
    out = io.StringIO()
    call_command(
        "export-dossiers",
        "--unit",
        "000.00.12.H23",
        "--from",
        "2023-08-01",
        "--to",
        "2023-08-31",
        "--out",
        str(tmp_path / "x"),
        stdout=out,
    )
    assert (tmp_path / "x" / "dossiers.csv").read_bytes() == DOSSIERS.encode()
    assert (tmp_path / "x" / "events.csv").read_bytes() == EVENTS.encode()
    assert out.getvalue() == f"Đã xuất 5 hồ sơ và 15 sự kiện vào «{tmp_path / 'x'}».\n"


# --- a big file --------------------------------------------------------------------------------------


def big_files(n: int) -> tuple[str, str]:
    dossiers, events = [DOSSIERS_HEADER], [EVENTS_HEADER]
    start = dt.datetime(2023, 8, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    for i in range(n):
        code = f"000.00.12.H23-230801-{i + 1:04d}"
        at = start + dt.timedelta(minutes=i)
        t = [(at + dt.timedelta(hours=h)).isoformat() for h in range(4)]
        dossiers.append(
            f"{code},1.001193,000.00.12.H23,2,full,001203012345,1,1,{t[0]},{t[1]},{t[3]},10,0,0,2,1,1,0,1,1,satisfied\r\n"
        )
        events.append(f"{code},{t[1]},received,,A,\r\n")
        events.append(f"{code},{t[1]},step_started,Thẩm định,B,{t[2]}\r\n")
        events.append(f"{code},{t[2]},step_finished,Thẩm định,B,\r\n")
        events.append(f"{code},{t[2]},processed,,B,\r\n")
        events.append(f"{code},{t[3]},returned,,A,\r\n")
    return "".join(dossiers), "".join(events)


def test_a_big_file_imports_with_a_bounded_number_of_queries(catalog, django_assert_max_num_queries):
    dossiers, events = big_files(2000)

    # batches, not rows: the counters of 2,000 dossiers are a few upserts per table (day, month, quarter, year)
    with django_assert_max_num_queries(45):
        summary = load(dossiers, events)

    assert (summary.dossiers.created, summary.events_added) == (2000, 10000)
    assert counts() == (2000, 10000, 2000, 4000)
    with django_assert_max_num_queries(30):
        again = load(dossiers, events)
    assert (again.dossiers.unchanged, again.events_unchanged) == (2000, 10000)
