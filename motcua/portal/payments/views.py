"""The applicant's payment pages: pay a dossier's fees online, see how the payment went, download the
receipt. Only the applicant who owns the dossier sees any of it (404 otherwise, like a missing code).

The return page only *shows* the order's status: the query string the bank adds is ignored, because
the browser redirect is never proof of payment (DOMAIN.md §7). The order becomes paid when the
provider's signed notice arrives (``api.payment_notices``).
"""

from typing import cast

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from motcua.accounts.models import User
from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import start_online_payment
from motcua.dossiers.services.fees import receipt_pdf
from motcua.dossiers.workflow import Status
from motcua.payments import providers
from motcua.payments.models import PaymentOrder
from motcua.payments.money import format_vnd, vnd_in_words
from motcua.portal.auth import applicant_required, current_applicant


class ProviderChoiceForm(forms.Form):
    provider = forms.ChoiceField(label=gettext_lazy("Thanh toán qua"), widget=forms.RadioSelect)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [(p.code, p.label) for p in providers.enabled()]
        field = cast(forms.ChoiceField, self.fields["provider"])
        field.choices = choices
        field.error_messages["required"] = _("Hãy chọn đơn vị thanh toán.")
        field.error_messages["invalid_choice"] = _("Đơn vị thanh toán đã chọn không có.")
        if len(choices) == 1:
            field.initial = choices[0][0]


def _applicant(request: HttpRequest) -> User:
    user = current_applicant(request)
    if user is None:  # applicant_required lets no one else in
        raise Http404
    return user


def own_dossier(request: HttpRequest, code: str) -> Dossier:
    dossier = (
        Dossier.objects.select_related("procedure", "receiving_unit")
        .filter(code=code.strip().upper(), applicant_user=_applicant(request))
        .first()
    )
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    return dossier


def own_order(request: HttpRequest, order_id: str) -> PaymentOrder:
    """The order if it pays for one of the signed-in applicant's dossiers; 404 otherwise."""
    order = PaymentOrder.objects.select_related("unit", "receipt").filter(order_id=order_id).first()
    if order is None:
        raise Http404
    own_dossier(request, order.subject_ref)
    return order


@applicant_required
@require_http_methods(["GET", "HEAD", "POST"])
def payment_start(request: HttpRequest, dossier_code: str) -> HttpResponse:
    dossier = own_dossier(request, dossier_code)
    awaiting = dossier.status == Status.AWAITING_PAYMENT
    form = ProviderChoiceForm(request.POST if request.method == "POST" else None)
    error = ""
    status = 200
    if request.method == "POST":
        if not awaiting:
            error = _("Hồ sơ không ở trạng thái chờ nộp phí, lệ phí.")
            status = 409
        elif form.is_valid():
            code = form.cleaned_data["provider"]
            try:
                order = start_online_payment(dossier_id=dossier.pk, by=_applicant(request), provider=code)
            except DomainError as exc:
                error, status = exc.message, 409
            else:
                back = request.build_absolute_uri(reverse("portal:payment_return", args=[order.order_id]))
                return redirect(providers.get_provider(code).checkout_url(order, return_url=back))
        else:
            status = 400
    orders = PaymentOrder.objects.filter(subject_ref=dossier.code).select_related("receipt")
    context = {
        "dossier": dossier,
        "awaiting": awaiting,
        "form": form,
        "error": error,
        "amount": format_vnd(dossier.fee_vnd),
        "amount_words": vnd_in_words(dossier.fee_vnd),
        "orders": orders,
        "has_providers": bool(providers.enabled()),
    }
    return render(request, "portal/payments/start.html", context, status=status)


@applicant_required
@require_safe
def payment_return(request: HttpRequest, order_id: str) -> HttpResponse:
    """Where the bank sends the browser back. Shows the order as we know it; changes nothing."""
    order = own_order(request, order_id)
    context = {
        "order": order,
        "amount": format_vnd(order.amount_vnd),
        "receipt": getattr(order, "receipt", None),
    }
    htmx = getattr(request, "htmx", None)
    template = "portal/payments/return.html#status" if htmx else "portal/payments/return.html"
    return render(request, template, context)


@applicant_required
@require_safe
def payment_receipt(request: HttpRequest, order_id: str) -> HttpResponse:
    order = own_order(request, order_id)
    receipt = getattr(order, "receipt", None)
    if receipt is None:
        raise Http404
    pdf = receipt_pdf(order)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bien-lai-{receipt.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
