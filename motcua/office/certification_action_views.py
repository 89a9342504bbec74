"""Actions on a certification after reception: collect the fee (receipt), sign digitally, place the
signed electronic copy in the requester's data store (docs/certification.md).

Each view is POST only (the receipt is a download), finds the request through the guarded getter of
``certification_views`` (404 for other units), calls one service and redirects to the detail page with
the outcome as a message; a refused action re-renders the detail page with the reason and a 4xx status.
"""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from motcua.certification import fees, services
from motcua.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from motcua.documents.signing import SigningError
from motcua.office.auth import officer, officer_required
from motcua.office.certification_views import _certification, _detail, _pdf
from motcua.payments.models import PaymentMethod
from motcua.payments.money import format_vnd


class FeeForm(forms.Form):
    method = forms.ChoiceField(
        label=gettext_lazy("Hình thức nộp phí"),
        choices=[(m.value, m.label) for m in fees.COUNTER_METHODS],
        initial=PaymentMethod.CASH,
        error_messages={"required": gettext_lazy("Hình thức nộp phí: hãy chọn tiền mặt hoặc chuyển khoản.")},
    )
    transfer_reference = forms.CharField(
        label=gettext_lazy("Số tham chiếu chuyển khoản"), max_length=100, required=False
    )


def _refused(request: HttpRequest, public_id: str, exc: DomainError) -> HttpResponse:
    status = 403 if isinstance(exc, PermissionDenied) else 409 if isinstance(exc, Conflict) else 400
    messages.error(request, exc.message)
    return _detail(request, _certification(request, public_id), status=status)


@officer_required
@require_POST
def certification_pay(request: HttpRequest, public_id: str) -> HttpResponse:
    certification = _certification(request, public_id)
    form = FeeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hình thức nộp phí: hãy chọn tiền mặt hoặc chuyển khoản."))
        return _detail(request, certification, status=400)
    try:
        order = fees.record_fee_payment(
            certification_id=certification.pk,
            by=officer(request),
            method=form.cleaned_data["method"],
            transfer_reference=form.cleaned_data["transfer_reference"],
        )
    except DomainError as exc:
        return _refused(request, public_id, exc)
    messages.success(
        request,
        _("Đã thu phí %(amount)s đồng, biên lai số %(number)s.")
        % {"amount": format_vnd(order.amount_vnd), "number": order.receipt.number},
    )
    return redirect("office:certification_detail", public_id=certification.public_id)


@officer_required
@require_safe
def certification_receipt(request: HttpRequest, public_id: str) -> HttpResponse:
    certification = _certification(request, public_id)
    try:
        content = fees.receipt_pdf(certification)
    except NotFound as exc:
        messages.error(request, exc.message)
        return _detail(request, certification, status=404)
    return _pdf(content, f"bien-lai-{certification.receipt_number}.pdf")


@officer_required
@require_POST
def certification_sign(request: HttpRequest, public_id: str) -> HttpResponse:
    certification = _certification(request, public_id)
    try:
        services.sign_certified_copy(certification_id=certification.pk, by=officer(request))
    except SigningError as exc:
        messages.error(request, str(exc))
        return _detail(request, _certification(request, public_id), status=400)
    except DomainError as exc:
        return _refused(request, public_id, exc)
    messages.success(request, _("Đã ký số bản sao điện tử."))
    return redirect("office:certification_detail", public_id=certification.public_id)


@officer_required
@require_POST
def certification_store(request: HttpRequest, public_id: str) -> HttpResponse:
    certification = _certification(request, public_id)
    try:
        services.place_in_data_store(certification_id=certification.pk, by=officer(request))
    except DomainError as exc:
        return _refused(request, public_id, exc)
    messages.success(request, _("Đã đưa bản sao điện tử vào kho dữ liệu của người yêu cầu."))
    return redirect("office:certification_detail", public_id=certification.public_id)
