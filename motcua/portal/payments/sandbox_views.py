"""The sandbox bank's pages: a local fake of the bank's checkout, reachable only when the sandbox
provider is configured (404 otherwise).

GET shows the order the merchant signed (amount, description) with "Pay" and "Cancel"; POST records
the decision in the bank's ledger, which sends the signed server-to-server notice after commit over
real HTTP (``payments.providers.sandbox_bank.deliver_notice``), then sends the browser back to the
merchant's return page. GET without a checkout shows what the sandbox is.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.payments import providers
from motcua.payments.money import format_vnd
from motcua.payments.providers import sandbox, sandbox_bank


@require_http_methods(["GET", "HEAD", "POST"])
def sandbox_bank_page(request: HttpRequest) -> HttpResponse:
    if not providers.is_enabled(sandbox.CODE):
        raise Http404
    params = request.POST if request.method == "POST" else request.GET
    if request.method != "POST" and not any(name in params for name in (*sandbox.CHECKOUT_FIELDS, "sig")):
        return render(request, "portal/payments/sandbox_bank.html", {"landing": True})
    try:
        checkout = sandbox_bank.read_checkout(params)
    except sandbox_bank.InvalidCheckout as exc:
        return render(request, "portal/payments/sandbox_bank.html", {"error": exc.message}, status=400)
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("pay", "cancel"):
            context = {"error": _("Hãy bấm «Thanh toán» hoặc «Hủy»."), "checkout": checkout}
            return render(request, "portal/payments/sandbox_bank.html", context, status=400)
        txn = sandbox_bank.decide(checkout=checkout, pay=action == "pay")
        return redirect(sandbox_bank.return_address(checkout, txn))
    context = {
        "checkout": checkout,
        "amount": format_vnd(checkout.amount_vnd),
        "fields": [(name, params[name]) for name in (*sandbox.CHECKOUT_FIELDS, "sig")],
        "decided": sandbox_bank.find(checkout.order_id),
    }
    return render(request, "portal/payments/sandbox_bank.html", context)
