"""A dossier taken from the counter to the returned result through the officer's pages (the test client,
no service called directly): supplementation, a late step, an apology, a liên thông hop to the district
and back, the result, approval and return. Plus: a stale version is a conflict, and hostile applicant
text is escaped."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from motcua.dossiers.models import Dossier, DossierStep, StepKind
from motcua.dossiers.tests.conftest import local
from motcua.dossiers.workflow import EventKind, Status, Verdict
from motcua.office.tests.conftest import intake_data, management, sign_in

pytestmark = pytest.mark.django_db


def detail(code: str) -> str:
    return reverse("office:dossier_detail", kwargs={"dossier_code": code})


def act(client, user, code: str, action: str, **fields: object):  # type: ignore[no-untyped-def]
    """Post one action of the panel as ``user`` with the version currently shown."""
    sign_in(client, user)
    version = Dossier.objects.get(code=code).version
    data = {f"{action}-{k}": v for k, v in fields.items() if not k.startswith(f"{action}-m")}
    data.update({k: v for k, v in fields.items() if k.startswith(f"{action}-m")})
    data[f"{action}-expected_version"] = version
    return client.post(reverse(f"office:dossier_{action}", kwargs={"dossier_code": code}), data)


def act_on_step(client, user, code: str, step: DossierStep, action: str, **fields: object):  # type: ignore[no-untyped-def]
    sign_in(client, user)
    version = Dossier.objects.get(code=code).version
    prefix = f"{action}-{step.pk}"
    data = {f"{prefix}-{k}": v for k, v in fields.items()}
    data[f"{prefix}-expected_version"] = version
    url = reverse(f"office:step_{action}", kwargs={"dossier_code": code, "step_id": step.pk})
    return client.post(url, data)


def ok(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 302, response.content.decode()[:4000]


def test_full_walk_from_counter_to_returned_result(
    client, clock, units, procedure, receiver, specialist, leader, district_specialist
):
    # given: Monday 4/3/2024 08:00 at the commune counter, the receiver finds the procedure without diacritics
    sign_in(client, receiver)
    picker = client.get(reverse("office:intake"), {"q": "dang ky khai sinh"}).content.decode()
    assert "Đăng ký khai sinh" in picker
    page = client.get(reverse("office:intake"), {"thu_tuc": procedure.code}).content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', page)
    assert key is not None
    assert "ngày hẹn trả kết quả là" in page  # the appointment preview: Thursday 08:00
    assert "08:00 ngày 07/03/2024" in page

    # when: received at the counter
    response = client.post(reverse("office:intake"), intake_data(procedure, key=key.group(1)))
    ok(response)
    dossier = Dossier.objects.get()
    assert response.url.endswith("?mau=01")
    code = dossier.code
    assert (
        client.get(reverse("office:dossier_form_pdf", args=[code, "01"]))["Content-Type"] == "application/pdf"
    )

    # the receiver forwards it to processing; the specialist finds the step in their worklist
    ok(act(client, receiver, code, "start"))
    sign_in(client, specialist)
    assert code in client.get(reverse("office:worklist")).content.decode()

    # 09:00 the specialist asks for a supplement, every item at once (form 02)
    clock.move_to(local(2024, 3, 4, 9, 0))
    items = {
        "supplement-m-0-name": "Giấy chứng sinh",
        "supplement-m-0-reason": "Bản chụp bị mờ",
        **management("supplement-m"),
    }
    ok(act(client, specialist, code, "supplement", **items))
    assert Dossier.objects.get(code=code).status == Status.AWAITING_SUPPLEMENT
    pdf = client.get(reverse("office:dossier_form_pdf", args=[code, "02"]))
    assert pdf.status_code == 200
    assert pdf["X-Content-Type-Options"] == "nosniff"
    assert pdf["Content-Disposition"].startswith('inline; filename="mau-02-')

    # 10:00 the applicant brings it; the receiver records it: the clock restarts (due Thursday 10:00)
    clock.move_to(local(2024, 3, 4, 10, 0))
    ok(act(client, receiver, code, "complete_supplement", note="Đã nộp bản chính"))
    dossier = Dossier.objects.get(code=code)
    assert dossier.status == Status.PROCESSING
    assert dossier.due_at == local(2024, 3, 7, 10, 0)

    # Tuesday 14:00: the first step (due Tuesday 10:00) is finished late
    clock.move_to(local(2024, 3, 5, 14, 0))
    sign_in(client, specialist)
    worklist = client.get(reverse("office:worklist")).content.decode()
    assert "Quá hạn" in worklist
    ok(act(client, specialist, code, "forward", note="Hồ sơ hợp lệ", assignee=""))
    first = DossierStep.objects.get(dossier__code=code, position=1)
    assert first.verdict == Verdict.LATE

    # 14:30 liên thông to the district's justice office
    clock.move_to(local(2024, 3, 5, 14, 30))
    ok(
        act(
            client,
            specialist,
            code,
            "inter_unit",
            unit=units.justice_office.pk,
            text="Xác minh hộ tịch",
            hours="4",
        )
    )
    hop = DossierStep.objects.get(dossier__code=code, kind=StepKind.INTER_UNIT)

    # 15:00 the leader apologises and sets a new date (form 04), at least a working day before Thursday
    clock.move_to(local(2024, 3, 5, 15, 0))
    response = act(
        client,
        leader,
        code,
        "reschedule",
        new_due_on="2024-03-08",
        new_due_time="16:00",
        reason="Chờ xác minh liên thông",
    )
    ok(response)
    assert response.url.endswith("?mau=04")
    assert client.get(response.url).status_code == 200
    assert client.get(reverse("office:dossier_form_pdf", args=[code, "04"])).status_code == 200

    # Wednesday 09:00 the district officer sees the dossier and sends the result back
    clock.move_to(local(2024, 3, 6, 9, 0))
    sign_in(client, district_specialist)
    assert "Hoàn thành liên thông" in client.get(detail(code)).content.decode()
    ok(
        act_on_step(
            client, district_specialist, code, hop, "complete_inter_unit", text="Đã xác minh: khớp sổ hộ tịch"
        )
    )

    # 09:30 draft step done, 10:00 result recorded, 10:30 the leader approves (early)
    clock.move_to(local(2024, 3, 6, 9, 30))
    ok(act(client, specialist, code, "forward", note="Đã dự thảo", assignee=leader.pk))
    clock.move_to(local(2024, 3, 6, 10, 0))
    ok(
        act(
            client,
            specialist,
            code,
            "result",
            number="15/2024/KS",
            signed_on="2024-03-06",
            signer="Vũ Quang Huy",
        )
    )
    clock.move_to(local(2024, 3, 6, 10, 30))
    ok(act(client, leader, code, "processed", note=""))
    dossier = Dossier.objects.get(code=code)
    assert dossier.status == Status.PROCESSED
    assert dossier.verdict == Verdict.EARLY
    ok(act(client, receiver, code, "early_return", message="Mời ông/bà đến nhận kết quả"))

    # 14:00 the result is returned at the counter: closed, no more actions
    clock.move_to(local(2024, 3, 6, 14, 0))
    ok(act(client, receiver, code, "return_result", delivery="counter", note=""))
    sign_in(client, receiver)
    page = client.get(detail(code)).content.decode()
    assert "Đã trả kết quả" in page
    assert "không còn thao tác nào" in page
    kinds = list(Dossier.objects.get(code=code).events.values_list("kind", flat=True))
    assert kinds.count(EventKind.RESCHEDULED) == 1
    assert EventKind.RETURNED in kinds
    # the control sheet shows the late step; the register lists the dossier
    assert client.get(reverse("office:dossier_form_pdf", args=[code, "05"])).status_code == 200
    register = client.get(reverse("office:register"), {"from": "2024-03-01", "to": "2024-03-31"})
    assert register.status_code == 200
    assert register["Content-Type"] == "application/pdf"


def test_a_stale_version_is_a_conflict_showing_the_current_status(
    client, counter_dossier, receiver, specialist
):
    # given: the receiver's page shows version 1; meanwhile the dossier was forwarded to processing
    code = counter_dossier.code
    seen = counter_dossier.version
    ok(act(client, receiver, code, "start"))
    # when: an action posted with the version the officer saw
    sign_in(client, specialist)
    response = client.post(
        reverse("office:dossier_suspend", args=[code]),
        {"suspend-expected_version": seen, "suspend-reason": "Chờ xác minh"},
    )
    # then: nothing written, the conflict names the current status, the panel is reloaded
    assert response.status_code == 409
    page = response.content.decode()
    assert "vừa được người khác cập nhật" in page
    assert "Đang xử lý" in page
    assert "Chờ xác minh" in page  # what the officer typed is kept
    assert Dossier.objects.get(code=code).status == Status.PROCESSING
    # and over htmx the live region comes back with the same message
    response = client.post(
        reverse("office:dossier_suspend", args=[code]),
        {"suspend-expected_version": seen, "suspend-reason": "Chờ xác minh"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert 'id="dossier-live"' in response.content.decode()
    assert "<html" not in response.content.decode()
    assert "vừa được người khác cập nhật" in response.content.decode()


def test_a_domain_refusal_is_shown_and_nothing_changes(client, counter_dossier, receiver, specialist):
    # a specialist cannot receive-side actions; a receiver cannot suspend
    ok(act(client, receiver, counter_dossier.code, "start"))
    response = act(client, receiver, counter_dossier.code, "suspend", reason="x")
    assert response.status_code == 403
    assert "Chỉ công chức chuyên môn" in response.content.decode()
    assert Dossier.objects.get(pk=counter_dossier.pk).status == Status.PROCESSING


def test_an_invalid_form_keeps_what_was_typed(client, counter_dossier, receiver, leader):
    ok(act(client, receiver, counter_dossier.code, "start"))
    response = act(
        client,
        leader,
        counter_dossier.code,
        "reschedule",
        new_due_on="",
        new_due_time="16:00",
        reason="Chờ kết quả",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ngày hẹn mới" in page
    assert "Chờ kết quả" in page


def test_hostile_applicant_text_is_escaped_in_officer_pages(client, clock, procedure, receiver, units):
    sign_in(client, receiver)
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    ok(
        client.post(
            reverse("office:intake"),
            intake_data(procedure, key="a" * 32, applicant_name=hostile, address=hostile),
        )
    )
    code = Dossier.objects.get().code
    for page in (
        client.get(detail(code)).content.decode(),
        client.get(reverse("office:dossier_list")).content.decode(),
        client.post(reverse("office:dossier_list"), {"q": "script"}).content.decode(),
    ):
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;alert" in page


def test_reception_of_an_online_dossier_from_the_queue(
    client, clock, procedure, units, receiver, applicant, person, papers
):
    from motcua.dossiers import services

    online = services.submit_online(
        by=applicant,
        procedure=procedure,
        receiving_unit=units.commune,
        applicant=person,
        components=papers,
        idempotency_key="k1",
    )
    sign_in(client, receiver)
    queue = client.get(reverse("office:online_queue")).content.decode()
    assert online.code in queue
    assert "Còn 8 giờ làm việc" in queue
    assert "Từ chối" not in queue  # online dossiers are never refused at reception
    response = client.post(
        reverse("office:dossier_receive", args=[online.code]),
        {"receive-expected_version": online.version, "from": "queue"},
    )
    assert response.status_code == 302
    assert response.url == reverse("office:online_queue")
    assert Dossier.objects.get(pk=online.pk).status == Status.RECEIVED


def test_the_queue_shows_overdue_reception_in_words(
    client, clock, procedure, units, receiver, applicant, person, papers
):
    from motcua.dossiers import services

    online = services.submit_online(
        by=applicant,
        procedure=procedure,
        receiving_unit=units.commune,
        applicant=person,
        components=papers,
        idempotency_key="k2",
    )
    clock.shift(dt.timedelta(days=2))
    sign_in(client, receiver)
    queue = client.get(reverse("office:online_queue")).content.decode()
    assert online.code in queue
    assert re.search(r"Quá hạn [0-9,]+ giờ làm việc", queue)
    # sent back for supplementation, listing every missing item, from the detail page
    data = {
        "return_online-expected_version": online.version,
        "return_online-m-0-name": "Giấy chứng sinh",
        "return_online-m-0-reason": "Chưa đính kèm",
        **management("return_online-m"),
    }
    ok(client.post(reverse("office:dossier_return_online", args=[online.code]), data))
    assert Dossier.objects.get(pk=online.pk).status == Status.INTAKE_SUPPLEMENT
