"""Daily reconciliation (đối soát): our online orders of one local day against the provider's answers.

For every online order created that day (pending, paid, failed or expired) the provider is asked for
its status (``PaymentProvider.query_status``, a signed query). A row is a mismatch when the two books
disagree — paid here but not at the bank, paid at the bank but not here (a lost notice: the officer may
confirm it from the bank's signed answer), different amount or bank transaction — or when a paid order
could not be credited to its dossier (to refund). Reading only: nothing is changed here.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from motcua.core.worktime import TZ
from motcua.organizations.models import Unit
from motcua.payments import providers
from motcua.payments.models import PaymentMethod, PaymentOrder, PaymentStatus
from motcua.payments.money import format_vnd
from motcua.payments.providers import ProviderUnavailable, StatusAnswer


@dataclass(frozen=True)
class Mismatch:
    order: PaymentOrder
    problem: str
    answer: StatusAnswer | None = None
    can_confirm: bool = False


@dataclass
class Report:
    day: dt.date
    checked: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def is_clean(self) -> bool:
        return not self.mismatches


def orders_of_day(day: dt.date, units: Iterable[Unit] | None = None) -> QuerySet[PaymentOrder]:
    """Online orders created on the local (Asia/Ho_Chi_Minh) day ``day``."""
    start = dt.datetime.combine(day, dt.time.min, tzinfo=TZ)
    orders = PaymentOrder.objects.filter(
        method=PaymentMethod.ONLINE, created_at__gte=start, created_at__lt=start + dt.timedelta(days=1)
    ).select_related("unit")
    if units is not None:
        orders = orders.filter(unit__in=list(units))
    return orders.order_by("created_at", "id")


def compare(order: PaymentOrder, answer: StatusAnswer) -> Mismatch | None:
    """The disagreement between our order and the provider's answer, if any; pure."""
    ours_paid = order.status == PaymentStatus.PAID
    theirs_paid = answer.status == "paid"
    if ours_paid and not theirs_paid:
        return Mismatch(order, _("Hệ thống ghi đã thanh toán nhưng ngân hàng không ghi nhận."), answer)
    if theirs_paid and not ours_paid:
        if answer.amount_vnd != order.amount_vnd:
            return Mismatch(
                order,
                _("Ngân hàng báo đã thu %(got)s đồng, khác số tiền của giao dịch %(want)s đồng.")
                % {"got": format_vnd(answer.amount_vnd or 0), "want": format_vnd(order.amount_vnd)},
                answer,
            )
        return Mismatch(
            order,
            _("Ngân hàng đã thu tiền nhưng hệ thống chưa ghi nhận (thông báo không đến)."),
            answer,
            can_confirm=True,
        )
    if ours_paid and theirs_paid:
        if answer.amount_vnd != order.amount_vnd:
            return Mismatch(order, _("Số tiền tại ngân hàng khác số tiền của giao dịch."), answer)
        if answer.transaction_id != order.provider_txn_id:
            return Mismatch(order, _("Mã giao dịch tại ngân hàng khác mã đã ghi nhận."), answer)
        if not order.is_applied:
            return Mismatch(
                order,
                _("Đã thu tiền nhưng chưa ghi nhận được vào hồ sơ: cần hoàn tiền. %(note)s")
                % {"note": order.note},
                answer,
            )
    return None


def reconcile(day: dt.date, units: Iterable[Unit] | None = None) -> Report:
    report = Report(day=day)
    for order in orders_of_day(day, units):
        report.checked += 1
        if order.provider not in providers.KNOWN:
            report.mismatches.append(
                Mismatch(order, _("Không có đơn vị thanh toán «%(code)s».") % {"code": order.provider})
            )
            continue
        try:
            answer = providers.KNOWN[order.provider].query_status(order)
        except ProviderUnavailable as exc:
            report.mismatches.append(
                Mismatch(order, _("Không tra cứu được: %(reason)s") % {"reason": exc.message})
            )
            continue
        mismatch = compare(order, answer)
        if mismatch is not None:
            report.mismatches.append(mismatch)
    return report
