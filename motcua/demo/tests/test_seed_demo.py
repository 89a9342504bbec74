"""``motcua seed-demo``: the demo province, its catalog and its people.

The seed takes a few seconds, so it runs once per module inside a transaction that is rolled back at
the end; each test runs in its own savepoint on top of it (pytest-django's ``db`` fixture).
"""

import csv
import re
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.identity import national_id_problem, tax_code_problem
from motcua.accounts.models import User
from motcua.catalog.models import (
    Component,
    FeeItem,
    Field,
    InternalProcess,
    Procedure,
    ProcedureLevel,
    ProcessStep,
    PublicationState,
)
from motcua.demo.catalog import budget_hours
from motcua.demo.datafiles import DATA_DIR, load_json, procedure_rows
from motcua.demo.staff import DEMO_PASSWORD
from motcua.indicators.models import Target
from motcua.organizations.codes import agency_code_problem
from motcua.organizations.models import Level, Membership, OfficeHours, Role, Unit, UnitChange

# Written out, not imported: the test pins the public contract (shared/interchange/README.md).
INTERCHANGE_PROCEDURE_HEADER = [
    "code",
    "name",
    "field",
    "level",
    "online_level",
    "time_limit",
    "time_unit",
    "fee_vnd",
    "result_required",
    "full_online_eligible",
]
SHOWCASE = [
    "tiepnhan.xa",
    "chuyenvien.xa",
    "lanhdao.xa",
    "tuphap.xa",
    "quantri.xa",
    "tiepnhan.huyen",
    "lanhdao.huyen",
    "chuyenvien.so",
    "giamsat.tinh",
    "admin",
]


@pytest.fixture(scope="module")
def seed_output(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    out = StringIO()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(DEMO_MODE=True):
                call_command("seed-demo", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def seeded(seed_output: str, db: None) -> str:
    return seed_output


def test_procedures_csv_has_exactly_the_interchange_header() -> None:
    with (DATA_DIR / "procedures.csv").open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == INTERCHANGE_PROCEDURE_HEADER


def _significant_groups(code: str) -> list[str]:
    """The filled groups from the right: 000.21.07.H23 → [21, 07, H23]; 000.00.00.H23 → [H23]."""
    groups = code.split(".")
    while groups[0].strip("0") == "":
        groups.pop(0)
    return groups


def test_units_form_the_2022_province_with_valid_hierarchical_codes(seeded: str) -> None:
    assert Unit.objects.filter(level=Level.PROVINCE).count() == 1
    assert Unit.objects.get(level=Level.PROVINCE).code == "000.00.00.H23"
    assert Unit.objects.filter(level=Level.DISTRICT).count() == 12
    assert Unit.objects.filter(level=Level.COMMUNE).count() >= 200
    assert Unit.objects.filter(level=Level.DEPARTMENT, parent__level=Level.PROVINCE).count() >= 15
    for unit in Unit.objects.select_related("parent"):
        assert agency_code_problem(unit.code) is None, unit.code
        if unit.parent is not None:
            parent_groups = _significant_groups(unit.parent.code)
            child_groups = _significant_groups(unit.code)
            assert child_groups[-len(parent_groups) :] == parent_groups, (unit.code, unit.parent.code)
            assert len(child_groups) == len(parent_groups) + 1, (unit.code, unit.parent.code)
    assert UnitChange.objects.filter(kind=UnitChange.Kind.CREATED).count() == Unit.objects.count()
    assert OfficeHours.objects.count() == Unit.objects.count()
    assert OfficeHours.objects.filter(saturday_morning=True, unit__level=Level.COMMUNE).exists()
    assert Unit.objects.get(code="000.36.01.H23").name == "UBND phường Trần Hưng Đạo"


def test_catalog_has_published_procedures_with_all_parts_and_processes(seeded: str) -> None:
    procedures = Procedure.objects.all()
    assert procedures.count() >= 150
    assert set(procedures.values_list("level", flat=True)) == set(ProcedureLevel.values)
    assert Field.objects.filter(procedures__isnull=False).distinct().count() >= 10
    assert Procedure.objects.get(code="1.001193").name == "Đăng ký khai sinh"
    assert Procedure.objects.get(code="2.000815").fee_vnd == 2000
    for procedure in procedures:
        assert re.fullmatch(r"\d\.\d{6}", procedure.code)
        assert procedure.publication_state == PublicationState.PUBLISHED
        assert procedure.published_on and procedure.decision_date and procedure.decision_number
        seven_parts = [
            procedure.name,
            procedure.sequence,
            procedure.method,
            procedure.time_limit_note,
            procedure.subjects,
            procedure.implementing_agency,
            procedure.result,
        ]
        assert all(seven_parts), procedure.code
    without_components = procedures.annotate(n=Count("components")).filter(n=0)
    assert not without_components.exists()
    assert Component.objects.filter(store_eligible=True).exists()
    assert FeeItem.objects.filter(procedure__code="2.000815", amount_vnd=2000).exists()


def test_every_procedure_has_a_process_whose_hours_match_its_time_limit(seeded: str) -> None:
    budgets = {row.code: budget_hours(row) for row in procedure_rows()}
    generic = InternalProcess.objects.filter(unit__isnull=True).select_related("procedure")
    assert generic.count() == Procedure.objects.count()
    for process in generic.prefetch_related("steps"):
        assert process.steps.count() >= 4
        assert process.total_hours == budgets[process.procedure.code], process.procedure.code
    assert not ProcessStep.objects.filter(hours__lte=0).exists()
    cross_unit = ProcessStep.objects.filter(
        process__unit__level=Level.COMMUNE, performing_unit__parent__level=Level.DISTRICT
    )
    assert cross_unit.exists()


def test_staff_fill_every_role_with_totp_devices(seeded: str) -> None:
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    for level, roles in {
        Level.COMMUNE: {Role.RECEIVER, Role.SPECIALIST, Role.JUSTICE_OFFICER, Role.LEADER},
        Level.DISTRICT: {Role.RECEIVER, Role.LEADER},
    }.items():
        for unit in Unit.objects.filter(level=level).prefetch_related("memberships"):
            assert roles <= {m.role for m in unit.memberships.all()}, unit.code
    officers = User.objects.filter(kind=User.Kind.OFFICER)
    assert officers.count() >= 2000
    assert not officers.filter(totpdevice__isnull=True).exists()
    assert not TOTPDevice.objects.filter(confirmed=False).exists()
    for username in SHOWCASE:
        user = User.objects.get(username=username)
        assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="tuphap.xa").check_password(DEMO_PASSWORD)


def test_applicants_have_valid_identifiers(seeded: str) -> None:
    people = User.objects.filter(kind=User.Kind.APPLICANT, national_id__isnull=False)
    assert people.count() >= 3
    assert all(national_id_problem(nid) is None for nid in people.values_list("national_id", flat=True))
    assert people.filter(national_id__startswith="030").exists()
    business = User.objects.get(kind=User.Kind.APPLICANT, tax_code__isnull=False)
    assert tax_code_problem(business.tax_code or "") is None


def test_output_lists_showcase_accounts_with_totp_secrets(seeded: str) -> None:
    assert "http://127.0.0.1:8000/" in seeded
    for username in SHOWCASE:
        assert f"motcua demo-otp {username}" in seeded
    accounts = load_json("showcase.json")["accounts"]
    assert seeded.count("otpauth://totp/") == len(accounts) + 1  # and admin


def test_running_twice_changes_nothing(seeded: str) -> None:
    models = [Unit, UnitChange, OfficeHours, Membership, User, Field, Procedure, Component, FeeItem]
    models += [InternalProcess, ProcessStep, TOTPDevice, Target]

    def snapshot() -> dict[str, list[tuple[object, ...]]]:
        return {m.__name__: list(m.objects.order_by("pk").values_list()) for m in models}

    before = snapshot()

    with override_settings(DEMO_MODE=True):
        call_command("seed-demo", stdout=StringIO())

    assert snapshot() == before


def test_the_first_run_of_scripts_demo_generates_dossiers_and_the_next_keeps_them(seeded: str) -> None:
    """scripts/demo runs ``seed-demo --dossiers N --if-empty`` every time."""
    from motcua.dossiers.models import DailyCounter, Dossier

    first, again = StringIO(), StringIO()
    with override_settings(DEMO_MODE=True):
        call_command("seed-demo", "--dossiers", "4", "--if-empty", stdout=first)
        codes = sorted(Dossier.objects.values_list("code", flat=True))
        call_command("seed-demo", "--dossiers", "4", "--if-empty", stdout=again)
    assert len(codes) == 4
    assert "Đã tạo 4 hồ sơ" in first.getvalue()
    assert DailyCounter.objects.exists()  # the board has something to show at once
    assert "không tạo thêm hồ sơ mẫu" in again.getvalue()
    assert sorted(Dossier.objects.values_list("code", flat=True)) == codes


def test_the_demo_carries_the_2022_targets_on_to_the_current_year(seeded: str) -> None:
    """The board of the demo's current period shows the 55 % online target of a district (Decision
    1217/QĐ-UBND), marked in its note as carried on for the demo."""
    from django.utils import timezone

    year = timezone.localdate().year
    target = Target.objects.get(target_id="online_share_1217", level=Level.DISTRICT, unit=None, year=year)
    assert target.value == Decimal("0.55")
    assert "1217/QĐ-UBND" in target.decision
    assert "trình diễn" in target.note
    assert Target.objects.filter(year=year, unit=None).count() == 6
    assert Target.objects.filter(year=year - 1, unit=None).count() == 6


def test_seed_demo_is_refused_outside_demo_mode(db: None) -> None:
    users_before = User.objects.count()
    with override_settings(DEMO_MODE=False), pytest.raises(CommandError, match="MOTCUA_DEMO=1"):
        call_command("seed-demo", stdout=StringIO())
    assert User.objects.count() == users_before
