"""The province-scale reads (issue 3): visibility as a UNION of index-backed branches, the worklist as
a UNION of two partial-index walks, index-friendly search, and the indexes of migration 0003. The
answers must be exactly those of the plain rules, on SQLite and on PostgreSQL."""

import datetime as dt
import random

import pytest
from django.db import connection, transaction
from django.utils import timezone

from motcua.dossiers.models import Dossier, StepKind
from motcua.dossiers.queries import officer_unit_ids, search, worklist
from motcua.dossiers.workflow import OPEN, Status
from motcua.organizations.models import Membership, Role

from .conftest import local, officer
from .factories import DossierFactory, DossierStepFactory


def expected_visible(user, dossiers, steps):  # type: ignore[no-untyped-def]
    """The rule, written out in Python: a unit where the user holds a current role (active unit) is
    the receiving or responsible unit or the unit of one of the dossier's steps; or their own account."""
    today = timezone.localdate()
    units = {
        m.unit_id
        for m in Membership.objects.filter(user=user, is_active=True, unit__is_active=True)
        if m.valid_from <= today and (m.valid_to is None or m.valid_to >= today)
    }
    step_units: dict[int, set[int]] = {}
    for s in steps:
        step_units.setdefault(s.dossier_id, set()).add(s.unit_id)
    return {
        d.pk
        for d in dossiers
        if d.receiving_unit_id in units
        or d.responsible_unit_id in units
        or step_units.get(d.pk, set()) & units
        or d.applicant_user_id == user.pk
    }


@pytest.mark.django_db
def test_visibility_is_exactly_the_rule_without_duplicates(units, applicant):
    rng = random.Random(7)
    places = [units.province, units.district, units.justice_office, units.commune, units.other_commune]
    owners = [None, None, None, applicant]
    dossiers = []
    for _n in range(40):
        receiving = rng.choice(places)
        dossiers.append(
            DossierFactory(
                receiving_unit=receiving,
                responsible_unit=rng.choice([receiving, rng.choice(places)]),
                applicant_user=rng.choice(owners),
            )
        )
    steps = [
        DossierStepFactory(
            dossier=rng.choice(dossiers),
            unit=rng.choice(places),
            kind=rng.choice([StepKind.PROCESS, StepKind.CONSULTATION, StepKind.INTER_UNIT]),
        )
        for _n in range(60)
    ]
    commune_receiver = officer(units.commune, Role.RECEIVER, "Tiếp nhận xã")
    justice = officer(units.justice_office, Role.SPECIALIST, "Chuyên viên phòng Tư pháp")
    two_units = officer(units.district, Role.LEADER, "Lãnh đạo huyện")
    Membership.objects.create(user=two_units, unit=units.other_commune, role=Role.LEADER)
    ended = officer(units.province, Role.LEADER, "Đã chuyển công tác")
    Membership.objects.filter(user=ended).update(valid_to=dt.date(2020, 1, 1))
    for user in (commune_receiver, justice, two_units, ended, applicant):
        visible = list(Dossier.objects.visible_to(user).values_list("pk", flat=True))
        assert len(visible) == len(set(visible)), "a dossier visible for two reasons appears twice"
        assert set(visible) == expected_visible(user, dossiers, steps)
        assert Dossier.objects.visible_to(user).count() == len(set(visible))
    assert officer_unit_ids(two_units) == sorted([units.district.pk, units.other_commune.pk])
    assert officer_unit_ids(ended) == []
    # Combined with other filters and ordering, as the office list and the API use it.
    newest = list(
        Dossier.objects.visible_to(two_units).filter(status=Status.RECEIVED).order_by("-submitted_at", "-id")
    )
    assert [d.pk for d in newest] == sorted(expected_visible(two_units, dossiers, steps), reverse=True)


@pytest.mark.django_db
def test_an_inactive_unit_gives_no_visibility(units):
    receiver = officer(units.commune, Role.RECEIVER, "Tiếp nhận xã")
    DossierFactory(receiving_unit=units.commune)
    units.commune.is_active = False
    units.commune.save(update_fields=["is_active"])
    assert list(Dossier.objects.visible_to(receiver)) == []


@pytest.mark.django_db
def test_search_by_code_prefix_and_fragments_finds_what_the_substring_rule_finds(units):
    receiver = officer(units.commune, Role.RECEIVER, "Tiếp nhận xã")
    first = DossierFactory(receiving_unit=units.commune, code="000.21.10.H56-240304-0001")
    second = DossierFactory(receiving_unit=units.commune, code="000.21.10.H56-240305-0002")
    other_agency = DossierFactory(receiving_unit=units.commune, code="000.22.10.H56-240304-0003")
    everyone = {first, second, other_agency}
    assert set(search(receiver, text="000.21.10.h56")) == {first, second}  # a code prefix, any case
    assert set(search(receiver, text="000.2")) == everyone
    assert list(search(receiver, text=f"  {first.code.lower()} ")) == [first]
    assert set(search(receiver, text="240304")) == {first, other_agency}  # the day, inside the code
    assert set(search(receiver, text="10.h56-240305")) == {second}  # a fragment from the middle
    assert list(search(receiver, text="000.21.10.H56-240304-0001 binh")) == [first]  # code and a name word
    assert list(search(receiver, text="001.21")) == []


@pytest.mark.django_db
def test_search_keeps_newest_first_with_ties_broken_by_id(units):
    receiver = officer(units.commune, Role.RECEIVER, "Tiếp nhận xã")
    same_time = [DossierFactory(receiving_unit=units.commune, applicant_name="Lê Văn An") for _n in range(3)]
    newer = DossierFactory(
        receiving_unit=units.commune, applicant_name="Lê Văn An", submitted_at=local(2024, 3, 5, 9)
    )
    assert list(search(receiver, text="an")) == [newer, *sorted(same_time, key=lambda d: -d.pk)]


@pytest.mark.django_db
def test_worklist_is_own_open_steps_and_unassigned_ones_of_a_held_role_once_each(
    units, django_assert_num_queries
):
    specialist = officer(units.commune, Role.SPECIALIST, "Chuyên viên xã")
    Membership.objects.create(user=specialist, unit=units.justice_office, role=Role.SPECIALIST)
    colleague = officer(units.commune, Role.SPECIALIST, "Đồng nghiệp")

    def step(**kwargs):  # type: ignore[no-untyped-def]
        dossier = kwargs.pop("dossier", None) or DossierFactory(receiving_unit=units.commune, processing=True)
        return DossierStepFactory(dossier=dossier, **kwargs)

    own = step(assignee=specialist, due_at=local(2024, 3, 6, 9))
    own_elsewhere = step(assignee=specialist, unit=units.other_commune, due_at=local(2024, 3, 4, 9))
    waiting_here = step(due_at=local(2024, 3, 5, 9))
    waiting_justice = step(unit=units.justice_office, kind=StepKind.INTER_UNIT, due_at=local(2024, 3, 7, 9))
    step(assignee=colleague)  # someone else's
    step(role=Role.LEADER)  # a role not held
    step(unit=units.other_commune)  # a unit where no role is held
    step(assignee=specialist, finished_at=local(2024, 3, 4, 11))  # finished
    step(assignee=specialist, started_at=None)  # not started
    step(assignee=specialist, dossier=DossierFactory(receiving_unit=units.commune, returned=True))  # closed
    with django_assert_num_queries(1):
        rows = list(worklist(specialist, at=local(2024, 3, 4, 10)))
    assert rows == [own_elsewhere, waiting_here, own, waiting_justice]
    assert {r.dossier.status for r in rows} <= {str(s) for s in OPEN}
    assert [r.is_overdue for r in rows] == [True, False, False, False]


def _index_names() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename LIKE 'dossiers_%%'")
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE 'dossiers_%'"
            )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
def test_migration_0003_indexes_exist_and_trigram_only_on_postgresql():
    names = _index_names()
    expected = {
        "dossier_recv_submitted",
        "dossier_resp_submitted",
        "dossier_submitted",
        "step_open_assignee_due",
        "step_open_unit_role_due",
        "step_unit_dossier",
    }
    assert expected <= names
    assert "dossier_unit_submitted" not in names  # replaced by dossier_recv_submitted
    assert ("dossier_search_trgm" in names) == (connection.vendor == "postgresql")


@pytest.mark.django_db
def test_postgresql_can_answer_a_substring_search_from_the_trigram_index(units):
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm is PostgreSQL only; SQLite scans, as before")
    DossierFactory(receiving_unit=units.commune, applicant_name="Nguyễn Thị Hương")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN SELECT id FROM dossiers_dossier WHERE search_folded LIKE %s", ["%huong%"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "dossier_search_trgm" in plan
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"  # settings: -c jit=off for PostgreSQL connections
