"""Pages of the development identity provider: choose or enter an identity, then the authorization
endpoint (django-oauth-toolkit) issues the code for it.

The provider keeps its own sign-in in the session key ``devidp_identity_id``; it never signs anyone
in to the portal. Inside the authorization endpoint ``request.user`` is the identity's subject account,
which django-oauth-toolkit stores on the grant and the tokens.
"""

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from oauth2_provider.views import AuthorizationView  # type: ignore[import-untyped]

from motcua.devidp import identities
from motcua.devidp.forms import NewIdentityForm
from motcua.devidp.models import Identity


def _next_url(request: HttpRequest) -> str:
    """Only a return to this provider's authorization endpoint is followed."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    authorize = reverse("oauth2_provider:authorize")
    if candidate.startswith(authorize) and url_has_allowed_host_and_scheme(
        candidate, {request.get_host()}, request.is_secure()
    ):
        return candidate
    return ""


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = NewIdentityForm(request.POST if request.POST.get("action") == "new" else None)
    next_url = _next_url(request)
    if request.method == "POST":
        identity: Identity | None = None
        if request.POST.get("action") == "choose":
            identity = get_object_or_404(Identity, subject=request.POST.get("subject", ""))
        elif form.is_valid():
            try:
                identity = identities.ensure_identity(**form.cleaned_data)
            except identities.IdentityProblem as problem:
                form.add_error(problem.field or None, problem.message)
        if identity is not None:
            identities.sign_in(request, identity)
            return redirect(next_url or "devidp:sign_in")
    context = {
        "form": form,
        "next": next_url,
        "known": Identity.objects.order_by("full_name")[:50],
        "current": identities.signed_in_identity(request),
    }
    return render(request, "devidp/sign_in.html", context)


class AuthorizeView(AuthorizationView):  # type: ignore[misc]
    """django-oauth-toolkit's authorization endpoint, signed in with the provider's own session."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        identity = identities.signed_in_identity(request)
        if identity is None:
            return redirect_to_login(request.get_full_path(), login_url="devidp:sign_in")
        request.user = identity.account
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)
        return response

    def get_login_url(self) -> str:
        return reverse("devidp:sign_in")
