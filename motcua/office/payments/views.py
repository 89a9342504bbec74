"""Fees at the counter and the daily reconciliation of online payments (officers).

- Counter: cash, or a transfer to the agency's account with its bank reference, for a dossier waiting
  for its fees (NĐ 61/2018/NĐ-CP Điều 22). One service (``fees.record_counter_payment``) makes the paid
  order, the receipt and the dossier's PAID event together; the receipt prints at once.
- Reconciliation: the online orders of one day of the officer's units against the provider's signed
  status answers; a payment the bank took but never notified can be confirmed from that answer.
Dossiers and orders the officer may not see answer 404.
"""

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from motcua.core.errors import Conflict, DomainError, NotFound
from motcua.dossiers import permissions, queries
from motcua.dossiers.services import confirm_by_status_query, record_counter_payment
from motcua.dossiers.services.fees import receipt_pdf
from motcua.dossiers.workflow import Status
from motcua.office.auth import officer, officer_required
from motcua.organizations.queries import units_for
from motcua.payments.models import PaymentMethod, PaymentOrder
from motcua.payments.money import format_vnd, vnd_in_words
from motcua.payments.reconciliation import reconcile


class CounterPaymentForm(forms.Form):
    method = forms.ChoiceField(
        label=gettext_lazy("Hình thức nộp"),
        choices=[
            (PaymentMethod.CASH, PaymentMethod.CASH.label),
            (PaymentMethod.TRANSFER, PaymentMethod.TRANSFER.label),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Hãy chọn hình thức nộp.")},
    )
    amount_vnd = forms.IntegerField(
        label=gettext_lazy("Số tiền đã nộp (đồng)"),
        min_value=1,
        max_value=10**12,
        error_messages={
            "required": gettext_lazy("Số tiền đã nộp: bắt buộc."),
            "invalid": gettext_lazy("Số tiền đã nộp phải là số nguyên đồng, không có dấu chấm."),
            "min_value": gettext_lazy("Số tiền đã nộp phải lớn hơn 0."),
        },
    )
    transfer_reference = forms.CharField(
        label=gettext_lazy("Số tham chiếu chuyển khoản"), max_length=100, required=False
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("method") == PaymentMethod.TRANSFER
            and not (cleaned.get("transfer_reference") or "").strip()
        ):
            self.add_error(
                "transfer_reference", _("Số tham chiếu chuyển khoản: bắt buộc khi nộp bằng chuyển khoản.")
            )
        return cleaned


class ReconciliationForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Ngày"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": gettext_lazy("Ngày phải có dạng năm-tháng-ngày, ví dụ 2026-11-22.")},
    )


def _dossier(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    try:
        return queries.get_dossier_for_user(officer(request), code)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@officer_required
@require_http_methods(["GET", "HEAD", "POST"])
def payment_counter(request: HttpRequest, dossier_code: str) -> HttpResponse:
    dossier = _dossier(request, dossier_code)
    may_collect = dossier.status == Status.AWAITING_PAYMENT and permissions.can_handle_payment(
        officer(request), dossier
    )
    error, status = "", 200
    if request.method == "POST":
        form = CounterPaymentForm(request.POST)
        if not may_collect:
            error, status = _("Hồ sơ không chờ nộp phí, lệ phí hoặc bạn không có quyền thu."), 403
        elif form.is_valid():
            try:
                order = record_counter_payment(
                    dossier_id=dossier.pk,
                    by=officer(request),
                    method=form.cleaned_data["method"],
                    amount_vnd=form.cleaned_data["amount_vnd"],
                    transfer_reference=form.cleaned_data["transfer_reference"],
                    expected_version=form.cleaned_data["expected_version"],
                )
            except Conflict as exc:
                error, status = exc.message, 409
            except DomainError as exc:
                error, status = exc.message, 400
            else:
                messages.success(
                    request,
                    _("Đã ghi nhận nộp %(amount)s đồng, biên lai số %(number)s.")
                    % {"amount": format_vnd(order.amount_vnd), "number": order.receipt.number},
                )
                return redirect("office:payment_counter", dossier_code=dossier.code)
        else:
            error, status = _("Chưa ghi nhận được: hãy sửa các mục được đánh dấu."), 400
    else:
        form = CounterPaymentForm(
            initial={
                "method": PaymentMethod.CASH,
                "amount_vnd": dossier.fee_vnd,
                "expected_version": dossier.version,
            }
        )
    context = {
        "dossier": dossier,
        "form": form,
        "may_collect": may_collect,
        "error": error,
        "amount": format_vnd(dossier.fee_vnd),
        "amount_words": vnd_in_words(dossier.fee_vnd),
        "orders": PaymentOrder.objects.filter(subject_ref=dossier.code).select_related("receipt"),
    }
    return render(request, "office/payments/counter.html", context, status=status)


@officer_required
@require_safe
def payment_receipt_pdf(request: HttpRequest, order_id: str) -> HttpResponse:
    order = PaymentOrder.objects.select_related("unit", "receipt").filter(order_id=order_id).first()
    if order is None or getattr(order, "receipt", None) is None:
        raise Http404
    _dossier(request, order.subject_ref)
    response = HttpResponse(receipt_pdf(order), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{order.receipt.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@officer_required
@require_http_methods(["GET", "HEAD", "POST"])
def payment_reconciliation(request: HttpRequest) -> HttpResponse:
    units = list(units_for(officer(request)))
    if request.method == "POST":
        order_id = request.POST.get("order_id", "")
        chosen = request.POST.get("date", "")
        if not PaymentOrder.objects.filter(order_id=order_id, unit__in=units).exists():
            raise Http404
        try:
            order = confirm_by_status_query(order_id=order_id)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if order.is_paid:
                messages.success(
                    request, _("Đã ghi nhận giao dịch %(id)s theo xác nhận của ngân hàng.") % {"id": order_id}
                )
            else:
                messages.warning(
                    request,
                    _("Ngân hàng chưa xác nhận giao dịch %(id)s: không thay đổi gì.") % {"id": order_id},
                )
        return redirect(f"{request.path}?{urlencode({'date': chosen})}" if chosen else request.path)
    form = ReconciliationForm(request.GET or {"date": timezone.localdate().isoformat()})
    report = None
    if form.is_valid():
        day: dt.date = form.cleaned_data["date"]
        report = reconcile(day, units)
    context = {
        "form": form,
        "report": report,
        "rows": [(m, format_vnd(m.order.amount_vnd)) for m in (report.mismatches if report else [])],
    }
    return render(
        request, "office/payments/reconciliation.html", context, status=200 if form.is_valid() else 400
    )
