"""The reconciliation pages (``doi-chieu-so/``): the current unit's entries, entering and correcting
counts (receivers, leaders, oversight; a specialist gets 403), the comparison with its differences and
the dossiers linking to their pages, the exports, and 404 for another unit's entries."""

import pytest
from django.test import Client
from django.urls import reverse

from motcua.conftest import login_with_otp
from motcua.indicators.reconciliation.models import RegisterCount
from motcua.indicators.reconciliation.tests.conftest import book, member
from motcua.indicators.tests.builders import at, make_dossier
from motcua.office.auth import UNIT_SESSION_KEY
from motcua.organizations.models import Role, Unit

pytestmark = pytest.mark.django_db
LIST, NEW = reverse("office:reconciliation"), reverse("office:reconciliation_new")
AUGUST = {"kind": "reception", "field": "", "date_from": "2023-08-01", "date_to": "2023-08-31"}


def client_for(user, unit: Unit) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    login_with_otp(client, user)
    session = client.session
    session[UNIT_SESSION_KEY] = unit.pk
    session.save()
    return client


def detail(entry: RegisterCount, name: str = "office:reconciliation_detail") -> str:
    return reverse(name, kwargs={"public_id": str(entry.public_id)})


def test_a_receiver_enters_a_book_and_sees_the_comparison(world, receiver):
    kept = make_dossier(world.commune, world.online, status="processed", processed_at=at(9))
    make_dossier(world.commune, world.online)
    client = client_for(receiver, world.commune)

    assert "Nhập số liệu sổ" in client.get(LIST).content.decode()
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, {**AUGUST, "received": "1", "finished": "1", "late": "", "note": "Tháng 8"})

    entry = RegisterCount.objects.get()
    assert response.status_code == 302 and response.url == detail(entry)
    assert (entry.received, entry.finished, entry.late, entry.entered_by) == (1, 1, None, receiver)
    html = client.get(response.url).content.decode()
    assert "Đã lưu số liệu sổ" in html
    assert 'data-measure="received"' in html and "(phần mềm nhiều hơn)" in html
    assert "0 (khớp)" in html  # finished: 1 and 1
    # the system counts more received dossiers: they are listed with a link to each dossier's page
    assert reverse("office:dossier_detail", args=[kept.code]) in html
    assert "Nguyễn Văn An" in html
    assert "Nguyễn Văn An" not in response.url
    listing = client.get(LIST).content.decode()
    assert f'data-entry="{entry.public_id}"' in listing and "Sổ tiếp nhận và trả kết quả" in listing


def test_the_book_counting_more_lists_the_candidates(world, receiver):
    waiting = make_dossier(
        world.commune, world.online, received_at=None, submitted_at=at(10), status="submitted"
    )
    entry = book(receiver, world.commune, 1)

    html = client_for(receiver, world.commune).get(detail(entry)).content.decode()

    assert "+1" in html and "(sổ nhiều hơn)" in html
    assert 'data-candidates="received"' in html
    assert reverse("office:dossier_detail", args=[waiting.code]) in html
    assert "Nộp trực tuyến trong kỳ, chưa được tiếp nhận" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"received": "-2"}, "Số hồ sơ tiếp nhận: không được là số âm."),
        ({"received": ""}, "Số hồ sơ tiếp nhận: hãy nhập số theo sổ."),
        ({"received": "mười"}, "Số hồ sơ tiếp nhận: phải là số nguyên."),
        (
            {"received": "3", "finished": "1", "late": "2"},
            "Số hồ sơ quá hạn: lớn hơn số hồ sơ đã giải quyết.",
        ),
        ({"received": "3", "date_to": "2999-01-31"}, "Đến ngày: kỳ chưa kết thúc"),
        ({"received": "3", "date_from": "2023-09-01"}, "Từ ngày: ngày bắt đầu sau ngày kết thúc của kỳ."),
        ({"received": "3", "kind": "field"}, "Lĩnh vực: hãy chọn lĩnh vực của sổ."),
        ({"received": "3", "date_from": "31/02/2023"}, "Từ ngày: ngày không hợp lệ."),
    ],
)
def test_a_wrong_form_says_which_field(world, receiver, data, message):
    response = client_for(receiver, world.commune).post(NEW, {**AUGUST, **data})

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'aria-invalid="true"' in html
    assert "Traceback" not in html
    assert not RegisterCount.objects.exists()


def test_a_second_entry_for_the_same_book_is_refused_with_a_way_to_correct(world, receiver):
    book(receiver, world.commune, 4)

    response = client_for(receiver, world.commune).post(NEW, {**AUGUST, "received": "5"})

    assert response.status_code == 409
    assert "Sổ này đã có số liệu cho kỳ này" in response.content.decode()
    assert RegisterCount.objects.count() == 1


def test_a_correction_keeps_the_history(world, receiver, civil):
    leader = member(world.commune, Role.LEADER, "Vũ Quang Huy")
    first = book(receiver, world.commune, 4, field=civil)
    client = client_for(leader, world.commune)

    form = client.get(NEW, {"sua": str(first.public_id)}).content.decode()
    assert "Sửa số liệu của Sổ lĩnh vực Hộ tịch" in form and 'value="4"' in form
    # a posted period is ignored: the correction keeps the entry's register and period
    response = client.post(
        NEW, {"sua": str(first.public_id), "received": "6", "date_from": "2020-01-01", "note": "Sót 2 hồ sơ"}
    )

    second = RegisterCount.objects.current().get()
    assert response.status_code == 302 and response.url == detail(second)
    assert (second.replaces, second.field, second.date_from) == (first, civil, first.date_from)
    html = client.get(detail(second)).content.decode()
    assert "Sót 2 hồ sơ" in html and "đã được sửa" in html and "Phạm Thu Hà" in html
    # the old entry still opens, says it was corrected, and cannot be corrected again
    old = client.get(detail(first)).content.decode()
    assert "Số liệu này đã được sửa" in old and detail(second) in old
    again = client.get(NEW, {"sua": str(first.public_id)})
    assert again.status_code == 302 and again.url == detail(second)


def test_a_specialist_reads_but_may_not_enter(world, receiver):
    entry = book(receiver, world.commune, 1)
    specialist = member(world.commune, Role.SPECIALIST)
    client = client_for(specialist, world.commune)

    assert client.get(detail(entry)).status_code == 200
    listing = client.get(LIST).content.decode()
    assert f'data-entry="{entry.public_id}"' in listing and "Nhập số liệu sổ" not in listing
    assert client.get(NEW).status_code == 403
    refused = client.post(NEW, {**AUGUST, "received": "1"})
    assert refused.status_code == 403 and RegisterCount.objects.count() == 1


def test_another_units_entries_are_not_found(world, receiver):
    entry = book(receiver, world.commune, 1)
    elsewhere = member(world.other_commune, Role.LEADER)
    client = client_for(elsewhere, world.other_commune)

    for name in (
        "office:reconciliation_detail",
        "office:reconciliation_export_xlsx",
        "office:reconciliation_export_pdf",
    ):
        assert client.get(detail(entry, name)).status_code == 404, name
    assert client.get(NEW, {"sua": str(entry.public_id)}).status_code == 404
    assert client.post(NEW, {"sua": str(entry.public_id), "received": "2"}).status_code == 404
    assert str(entry.public_id) not in client.get(LIST).content.decode()
    assert (
        client.get(reverse("office:reconciliation_detail", kwargs={"public_id": "khong-phai-ma"})).status_code
        == 404
    )
    assert RegisterCount.objects.count() == 1


def test_the_exports_download(world, receiver):
    make_dossier(world.commune, world.online)
    entry = book(receiver, world.commune, 1)
    client = client_for(receiver, world.commune)

    xlsx = client.get(detail(entry, "office:reconciliation_export_xlsx"))
    pdf = client.get(detail(entry, "office:reconciliation_export_pdf"))

    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert (
        xlsx["Content-Disposition"]
        == 'attachment; filename="doi-chieu-so-001.12.00.H23-20230801-20230831.xlsx"'
    )
    assert xlsx["Cache-Control"] == "private, no-store"
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_dashboard_links_here(world, receiver):
    html = client_for(receiver, world.commune).get(reverse("office:dashboard")).content.decode()

    assert f'href="{LIST}"' in html and "Đối chiếu sổ sách" in html


def test_the_list_reads_a_fixed_number_of_queries(world, receiver, civil, labour):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(receiver, world.commune)
    book(receiver, world.commune, 1)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    first = book(receiver, world.commune, 2, field=civil)
    book(receiver, world.commune, 3, field=civil, replaces=first)
    book(receiver, world.commune, 4, field=labour)
    with CaptureQueriesContext(connection) as three:
        html = client.get(LIST).content.decode()

    assert html.count("data-entry=") == 3
    assert len(three.captured_queries) == len(one.captured_queries)
