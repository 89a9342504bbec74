"""Entering the province's targets (``indicators.target_admin``): who may, the percentage rule, one
target per indicator/year/level (or unit), corrections, copying last year's, and the board picking the
new targets up."""

import datetime as dt
import logging
from decimal import Decimal

import pytest

from motcua.accounts.tests.factories import UserFactory
from motcua.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from motcua.indicators import target_admin
from motcua.indicators.models import Target, TargetKind
from motcua.indicators.scope import scope_for
from motcua.indicators.targets import targets_in_force
from motcua.organizations.models import Level, Membership, Role, Unit
from motcua.organizations.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

ONLINE, DIGITIZED = TargetKind.ONLINE_SHARE_1217, TargetKind.DIGITIZED_SHARE
DECISION = "Quyết định số 85/QĐ-UBND ngày 15/01/2026"


def member(unit: Unit, role: Role, **fields: object):  # type: ignore[no-untyped-def]
    user = UserFactory(officer=True)
    Membership.objects.create(user=user, unit=unit, role=role, **fields)
    return user


@pytest.fixture
def editor(world):  # type: ignore[no-untyped-def]
    return member(world.province, Role.LEADER)


@pytest.fixture
def elsewhere(db):  # type: ignore[no-untyped-def]
    """A unit of another province."""
    other = UnitFactory(code="000.00.00.H26", name="UBND tỉnh Hưng Yên", level=Level.PROVINCE)
    return UnitFactory(code="001.13.00.H26", name="UBND xã Khác", level=Level.COMMUNE, parent=other)


@pytest.mark.parametrize(
    ("typed", "rate"),
    [
        ("55", "0.5500"),
        ("37,5", "0.3750"),
        ("55.25", "0.5525"),
        ("0", "0.0000"),
        ("100", "1.0000"),
        (" 8.05 ", "0.0805"),
    ],
)
def test_a_percentage_becomes_a_rate_with_four_decimals(typed, rate):
    assert target_admin.percent_to_rate(typed) == Decimal(rate)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("100.01", "phải từ 0 đến 100"),
        ("-1", "phải từ 0 đến 100"),
        ("12.345", "tối đa 2 chữ số thập phân"),
        ("năm lăm", "hãy nhập một số"),
        ("NaN", "hãy nhập một số"),
        ("", "hãy nhập một số"),
    ],
)
def test_a_wrong_percentage_is_refused_naming_the_field(typed, says):
    with pytest.raises(DomainError) as refused:
        target_admin.percent_to_rate(typed)
    assert refused.value.message.startswith("Mức chỉ tiêu (%):")
    assert says in refused.value.message


def test_only_a_provinces_leader_or_oversight_office_may_edit(world):
    assert target_admin.can_manage_targets(member(world.province, Role.LEADER))
    assert target_admin.can_manage_targets(member(world.province, Role.OVERSIGHT))
    assert not target_admin.can_manage_targets(member(world.province, Role.SPECIALIST))
    assert not target_admin.can_manage_targets(member(world.district, Role.LEADER))
    assert not target_admin.can_manage_targets(member(world.commune, Role.OVERSIGHT))
    assert not target_admin.can_manage_targets(member(world.district, Role.OVERSIGHT))
    # the Văn phòng UBND tỉnh: an oversight office directly under the province
    office = UnitFactory(
        code="000.00.20.H23", name="Văn phòng UBND tỉnh", level=Level.DEPARTMENT, parent=world.province
    )
    assert target_admin.editor_provinces(member(office, Role.OVERSIGHT)) == [world.province]
    assert not target_admin.can_manage_targets(member(office, Role.SPECIALIST))
    former = member(world.province, Role.LEADER, valid_to=dt.date(2020, 12, 31))
    assert not target_admin.can_manage_targets(former)

    with pytest.raises(PermissionDenied):
        target_admin.add_target(
            by=member(world.district, Role.LEADER),
            kind=ONLINE,
            year=2026,
            percent="55",
            decision=DECISION,
            level="district",
        )
    assert not Target.objects.filter(year=2026).exists()


def test_a_level_target_is_stored_as_a_rate_and_the_board_finds_it(world, editor, caplog):
    spring = scope_for(world.commune, dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert targets_in_force(spring) == []  # "Chưa có chỉ tiêu giao"

    with caplog.at_level(logging.INFO, logger="motcua.indicators.target_admin"):
        target = target_admin.add_target(
            by=editor, kind=ONLINE, year=2026, percent="55,25", decision=f"  {DECISION} ", level=Level.COMMUNE
        )

    stored = Target.objects.get(pk=target.pk)
    assert (stored.value, stored.level, stored.unit_id, stored.year) == (
        Decimal("0.5525"),
        "commune",
        None,
        2026,
    )
    assert stored.decision == DECISION
    assert targets_in_force(spring) == [stored]
    assert f"target added by officer={editor.pk} id={target.pk}" in caplog.text
    assert "value=-->0.5525" in caplog.text


def test_a_unit_target_overrides_its_levels_and_must_be_in_the_editors_province(world, editor, elsewhere):
    target_admin.add_target(
        by=editor, kind=ONLINE, year=2026, percent="50", decision=DECISION, level="commune"
    )
    own = target_admin.add_target(
        by=editor, kind=ONLINE, year=2026, percent="70", decision=DECISION, unit=world.commune
    )

    assert own.level == Level.COMMUNE
    assert targets_in_force(scope_for(world.commune, dt.date(2026, 1, 1), dt.date(2026, 1, 31))) == [own]
    other = targets_in_force(scope_for(world.other_commune, dt.date(2026, 1, 1), dt.date(2026, 1, 31)))
    assert [t.value for t in other] == [Decimal("0.5000")]
    with pytest.raises(NotFound, match="Đơn vị"):
        target_admin.add_target(
            by=editor, kind=ONLINE, year=2026, percent="60", decision=DECISION, unit=elsewhere
        )


def test_a_second_target_for_the_same_indicator_year_and_level_is_refused(world, editor):
    target_admin.add_target(
        by=editor, kind=ONLINE, year=2026, percent="50", decision=DECISION, level="commune"
    )
    target_admin.add_target(
        by=editor, kind=ONLINE, year=2026, percent="70", decision=DECISION, unit=world.commune
    )

    with pytest.raises(Conflict) as level_twice:
        target_admin.add_target(
            by=editor, kind=ONLINE, year=2026, percent="60", decision="QĐ khác", level="commune"
        )
    with pytest.raises(Conflict) as unit_twice:
        target_admin.add_target(
            by=editor, kind=ONLINE, year=2026, percent="60", decision="QĐ khác", unit=world.commune
        )

    assert "Đã có chỉ tiêu" in level_twice.value.message and "50%" in level_twice.value.message
    assert "«Sửa»" in level_twice.value.message
    assert "UBND xã Gia Tân" in unit_twice.value.message and "70%" in unit_twice.value.message
    assert Target.objects.filter(year=2026).count() == 2
    # another indicator, or another year, is a different target
    target_admin.add_target(
        by=editor, kind=DIGITIZED, year=2026, percent="25", decision=DECISION, level="commune"
    )
    target_admin.add_target(
        by=editor, kind=ONLINE, year=2027, percent="60", decision=DECISION, level="commune"
    )


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"level": "commune", "decision": "   "}, "Văn bản giao chỉ tiêu:"),
        ({"level": "commune", "decision": "x" * 256}, "Văn bản giao chỉ tiêu: dài quá 255"),
        ({"level": "", "decision": DECISION}, "Cấp đơn vị:"),
        ({"level": "galaxy", "decision": DECISION}, "Cấp đơn vị:"),
        ({"level": "commune", "decision": DECISION, "kind": "happiness"}, "Chỉ tiêu:"),
        ({"level": "commune", "decision": DECISION, "year": 1999}, "Năm:"),
        ({"level": "commune", "decision": DECISION, "note": "n" * 501}, "Ghi chú:"),
    ],
)
def test_wrong_input_is_refused_with_a_message_naming_the_field(editor, fields, says):
    arguments = {"kind": ONLINE, "year": 2026, "percent": "55", **fields}

    with pytest.raises(DomainError) as refused:
        target_admin.add_target(by=editor, **arguments)  # type: ignore[arg-type]

    assert refused.value.message.startswith(says)
    assert not Target.objects.filter(year=2026).exists()


def test_level_and_unit_together_are_refused(world, editor):
    with pytest.raises(DomainError, match="không chọn cả hai"):
        target_admin.add_target(
            by=editor,
            kind=ONLINE,
            year=2026,
            percent="55",
            decision=DECISION,
            level="commune",
            unit=world.commune,
        )


def test_a_correction_changes_value_decision_and_note_and_is_logged(world, editor, elsewhere, caplog):
    target = target_admin.add_target(
        by=editor, kind=ONLINE, year=2026, percent="50", decision="QĐ cũ", level="commune"
    )

    with caplog.at_level(logging.INFO, logger="motcua.indicators.target_admin"):
        target_admin.correct_target(
            by=editor, target_id=target.pk, percent="52.5", decision=DECISION, note="đính chính"
        )

    target.refresh_from_db()
    assert (target.value, target.decision, target.note) == (Decimal("0.5250"), DECISION, "đính chính")
    assert f"target corrected by officer={editor.pk} id={target.pk}" in caplog.text
    assert "value=0.5000->0.5250" in caplog.text
    foreign = Target.objects.create(
        target_id=ONLINE, year=2026, level="commune", unit=elsewhere, value=Decimal("0.6"), decision="x"
    )
    with pytest.raises(NotFound):
        target_admin.correct_target(by=editor, target_id=foreign.pk, percent="1", decision=DECISION)
    with pytest.raises(NotFound):
        target_admin.correct_target(by=editor, target_id=999_999, percent="1", decision=DECISION)
    with pytest.raises(PermissionDenied):
        target_admin.correct_target(
            by=member(world.commune, Role.LEADER), target_id=target.pk, percent="1", decision=DECISION
        )
    foreign.refresh_from_db()
    assert foreign.value == Decimal("0.6000")


@pytest.fixture
def year_2025(world, editor, elsewhere):  # type: ignore[no-untyped-def]
    rows = [
        (ONLINE, "commune", None, "0.5"),
        (ONLINE, "district", None, "0.55"),
        (DIGITIZED, "commune", None, "0.25"),
        (ONLINE, "commune", world.commune, "0.7"),
        (ONLINE, "commune", elsewhere, "0.9"),  # another province's: never copied by this editor
    ]
    for kind, level, unit, value in rows:
        Target.objects.create(
            target_id=kind, year=2025, level=level, unit=unit, value=Decimal(value), decision="QĐ 2025"
        )
    # 2026 already has the communes' online share, at another value
    Target.objects.create(
        target_id=ONLINE, year=2026, level="commune", value=Decimal("0.6"), decision="QĐ riêng"
    )


def test_copying_last_year_adds_what_is_missing_under_the_new_decision(world, editor, elsewhere, year_2025):
    assert target_admin.copyable_count(editor, 2026) == 4  # not the other province's unit target

    result = target_admin.copy_previous_year(by=editor, year=2026, decision=DECISION)

    assert (len(result.copied), result.skipped) == (3, 1)
    rows = {(t.target_id, t.level, t.unit_id): t for t in Target.objects.filter(year=2026)}
    assert set(rows) == {
        (ONLINE, "commune", None),
        (ONLINE, "district", None),
        (DIGITIZED, "commune", None),
        (ONLINE, "commune", world.commune.pk),
    }
    kept = rows[(ONLINE, "commune", None)]
    assert (kept.value, kept.decision) == (Decimal("0.6000"), "QĐ riêng")
    copied = rows[(ONLINE, "commune", world.commune.pk)]
    assert (copied.value, copied.decision, copied.note) == (
        Decimal("0.7000"),
        DECISION,
        "Sao chép từ năm 2025",
    )
    assert rows[(ONLINE, "district", None)].value == Decimal("0.5500")
    assert not Target.objects.filter(year=2026, unit=elsewhere).exists()

    again = target_admin.copy_previous_year(by=editor, year=2026, decision=DECISION)
    assert (len(again.copied), again.skipped) == (0, 4)


def test_copying_is_all_or_nothing(editor, year_2025, monkeypatch):
    create = Target.objects.create
    calls = []

    def create_then_collide(**fields):  # type: ignore[no-untyped-def]
        calls.append(fields)
        target = create(**fields)
        if len(calls) == 2:
            create(**fields)  # as if another officer had entered the same target meanwhile
        return target

    monkeypatch.setattr(Target.objects, "create", create_then_collide)

    with pytest.raises(Conflict, match="vừa được người khác nhập"):
        target_admin.copy_previous_year(by=editor, year=2026, decision=DECISION)

    assert len(calls) == 2
    assert Target.objects.filter(year=2026).count() == 1  # only the row that was there before


def test_copying_needs_a_previous_year_a_decision_and_an_editor(world, editor):
    with pytest.raises(DomainError, match="Năm 2029 chưa có chỉ tiêu nào"):
        target_admin.copy_previous_year(by=editor, year=2030, decision=DECISION)
    with pytest.raises(DomainError, match="Văn bản giao chỉ tiêu"):
        target_admin.copy_previous_year(by=editor, year=2023, decision=" ")
    with pytest.raises(PermissionDenied):
        target_admin.copy_previous_year(
            by=member(world.district, Role.OVERSIGHT), year=2023, decision=DECISION
        )
    assert not Target.objects.filter(year=2023).exists()


def test_the_shipped_2022_targets_copy_into_2023(editor):
    result = target_admin.copy_previous_year(by=editor, year=2023, decision=DECISION)

    assert len(result.copied) == 6  # migration 0002_targets_2022
    assert Target.objects.get(year=2023, target_id=ONLINE, level="department", unit=None).value == Decimal(
        "0.5500"
    )


def test_the_year_list_shows_level_targets_and_the_provinces_unit_targets(
    world, editor, elsewhere, year_2025
):
    rows = target_admin.targets_of_year(2025, world.commune)

    assert [(t.target_id, t.level, t.unit_id) for t in rows] == [
        (ONLINE, "district", None),
        (ONLINE, "commune", None),
        (ONLINE, "commune", world.commune.pk),
        (DIGITIZED, "commune", None),
    ]
    assert target_admin.rate_to_percent(Decimal("0.5500")) == Decimal(55)
    assert str(target_admin.rate_to_percent(Decimal("0.5525"))) == "55.25"
