"""``record_register_count``: who may enter, the validation messages (Vietnamese, naming the field),
one current entry per register and period, and corrections that keep the old values."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.core.errors import Conflict, InvalidInput, PermissionDenied
from motcua.indicators.reconciliation.models import RegisterCount, RegisterKind
from motcua.indicators.reconciliation.services import record_register_count
from motcua.indicators.reconciliation.tests.conftest import book, member
from motcua.organizations.models import Role

pytestmark = pytest.mark.django_db


def _messages(exc: pytest.ExceptionInfo[InvalidInput]) -> list[str]:
    return [p.message for p in exc.value.problems]


def test_a_receiver_records_the_reception_book(world, receiver):
    entry = book(receiver, world.commune, 12, finished=9, late=1, note="Sổ tháng 8")

    stored = RegisterCount.objects.get()
    assert stored == entry
    assert (stored.kind, stored.field, stored.received, stored.finished, stored.late) == (
        RegisterKind.RECEPTION,
        None,
        12,
        9,
        1,
    )
    assert (stored.date_from, stored.date_to) == (dt.date(2023, 8, 1), dt.date(2023, 8, 31))
    assert stored.entered_by == receiver and stored.note == "Sổ tháng 8"
    assert stored.entered_at is not None
    assert stored.register_label == "Sổ tiếp nhận và trả kết quả (mọi hồ sơ)"


def test_a_field_book_names_its_field(world, receiver, civil):
    entry = book(receiver, world.commune, 3, field=civil)

    assert entry.kind == RegisterKind.FIELD and entry.field == civil
    assert entry.register_label == "Sổ lĩnh vực Hộ tịch"


@pytest.mark.parametrize("role", [Role.LEADER, Role.OVERSIGHT])
def test_leaders_and_the_oversight_office_may_enter(world, role):
    assert book(member(world.commune, role), world.commune, 1).received == 1


def test_a_specialist_may_not_enter(world):
    with pytest.raises(PermissionDenied, match="Chỉ cán bộ Bộ phận Một cửa, lãnh đạo hoặc Văn phòng UBND"):
        book(member(world.commune, Role.SPECIALIST), world.commune, 1)
    assert not RegisterCount.objects.exists()


def test_an_officer_of_another_unit_may_not_enter(world):
    elsewhere = member(world.other_commune, Role.RECEIVER)
    with pytest.raises(PermissionDenied, match="Bạn không làm việc tại đơn vị này"):
        book(elsewhere, world.commune, 1)


@pytest.mark.parametrize(
    ("numbers", "message"),
    [
        ({"received": -1}, "Số hồ sơ tiếp nhận: không được là số âm."),
        ({"received": 2, "finished": -3}, "Số hồ sơ đã giải quyết: không được là số âm."),
        ({"received": 2, "late": -1}, "Số hồ sơ quá hạn: không được là số âm."),
        ({"received": 2, "finished": 1, "late": 2}, "Số hồ sơ quá hạn: lớn hơn số hồ sơ đã giải quyết."),
        ({"received": None}, "Số hồ sơ tiếp nhận: hãy nhập số theo sổ."),
        ({"received": 1.5}, "Số hồ sơ tiếp nhận: phải là số nguyên."),
    ],
)
def test_numbers_are_non_negative_integers(world, receiver, numbers, message):
    with pytest.raises(InvalidInput) as exc:
        book(receiver, world.commune, **numbers)
    assert _messages(exc) == [message]


def test_the_period_is_ordered_ended_and_at_most_a_year(world, receiver, civil):
    today = timezone.localdate()
    cases = [
        ((dt.date(2023, 8, 31), dt.date(2023, 8, 1)), "Từ ngày: ngày bắt đầu sau ngày kết thúc của kỳ."),
        ((today, today + dt.timedelta(days=1)), "Đến ngày: kỳ chưa kết thúc (ngày ở tương lai)"),
        ((dt.date(2022, 1, 1), dt.date(2023, 1, 2)), "Đến ngày: kỳ đối chiếu dài quá một năm."),
    ]
    for period, message in cases:
        with pytest.raises(InvalidInput) as exc:
            book(receiver, world.commune, 1, period=period)
        assert [m for m in _messages(exc) if m.startswith(message)], (period, _messages(exc))
    # a period ending today is accepted (the book is closed when the officer enters it), a leap
    # year's 366 days too
    assert book(receiver, world.commune, 1, period=(today, today)).date_to == today
    assert book(receiver, world.commune, 1, period=(dt.date(2020, 1, 1), dt.date(2020, 12, 31)))


def test_the_field_goes_with_the_field_book_only(world, receiver, civil):
    with pytest.raises(InvalidInput) as exc:
        record_register_count(
            receiver,
            world.commune,
            kind=RegisterKind.FIELD,
            field=None,
            date_from=dt.date(2023, 8, 1),
            date_to=dt.date(2023, 8, 31),
            received=1,
        )
    assert _messages(exc) == ["Lĩnh vực: hãy chọn lĩnh vực của sổ."]
    with pytest.raises(InvalidInput) as exc:
        record_register_count(
            receiver,
            world.commune,
            kind=RegisterKind.RECEPTION,
            field=civil,
            date_from=dt.date(2023, 8, 1),
            date_to=dt.date(2023, 8, 31),
            received=1,
        )
    assert _messages(exc)[0].startswith("Lĩnh vực: sổ tiếp nhận và trả kết quả gồm mọi lĩnh vực")


def test_a_second_first_entry_for_the_same_book_and_period_is_a_conflict(world, receiver, civil, labour):
    book(receiver, world.commune, 5)
    with pytest.raises(Conflict, match="Sổ này đã có số liệu cho kỳ này"):
        book(receiver, world.commune, 6)
    # another book, another period or another unit is another entry
    book(receiver, world.commune, 6, field=civil)
    book(receiver, world.commune, 7, field=labour)
    with pytest.raises(Conflict):
        book(receiver, world.commune, 8, field=labour)
    book(receiver, world.commune, 6, period=(dt.date(2023, 8, 1), dt.date(2023, 8, 30)))
    book(member(world.other_commune, Role.RECEIVER), world.other_commune, 5)
    assert RegisterCount.objects.count() == 5


def test_a_correction_appends_and_keeps_the_old_values(world, receiver):
    leader = member(world.commune, Role.LEADER, "Vũ Quang Huy")
    first = book(receiver, world.commune, 5, finished=4)

    second = record_register_count(
        leader,
        world.commune,
        kind=RegisterKind.FIELD,  # ignored: a correction keeps the register and period
        field=None,
        date_from=dt.date(2020, 1, 1),
        date_to=dt.date(2020, 1, 2),
        received=6,
        finished=4,
        late=1,
        note="Sổ ghi sót một hồ sơ",
        replaces=first,
    )

    first.refresh_from_db()
    assert (first.received, first.finished, first.late, first.entered_by) == (5, 4, None, receiver)
    assert (second.kind, second.date_from, second.date_to) == (first.kind, first.date_from, first.date_to)
    assert (second.received, second.late, second.entered_by, second.replaces) == (6, 1, leader, first)
    assert list(RegisterCount.objects.current()) == [second]
    assert list(RegisterCount.objects.of_key(second)) == [first, second]
    # the old entry was corrected already: correcting it again is a conflict, not an overwrite
    with pytest.raises(Conflict, match="vừa được người khác sửa"):
        book(receiver, world.commune, 7, replaces=first)
    third = book(receiver, world.commune, 7, replaces=second)
    assert list(RegisterCount.objects.current()) == [third]
    assert RegisterCount.objects.count() == 3


def test_the_database_keeps_one_first_entry_per_book_and_period(world, receiver):
    first = book(receiver, world.commune, 5)
    copy = {
        "unit": first.unit,
        "kind": first.kind,
        "date_from": first.date_from,
        "date_to": first.date_to,
        "received": 1,
        "entered_by": receiver,
        "entered_at": first.entered_at,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        RegisterCount.objects.create(**copy)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegisterCount.objects.create(**{**copy, "date_to": dt.date(2023, 7, 1)})  # before date_from
    with pytest.raises(IntegrityError), transaction.atomic():
        RegisterCount.objects.create(**{**copy, "kind": RegisterKind.FIELD})  # a field book without field
    RegisterCount.objects.create(**copy, replaces=first)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegisterCount.objects.create(**copy, replaces=first)  # a row is corrected once
