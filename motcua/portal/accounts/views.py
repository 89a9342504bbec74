"""Citizens' account pages: sign in (national identity provider or local password), sign out, register
with a verified phone or email, reset the password by code, and "my account" with representatives.

Each change is one accounts service call; a code to deliver goes to the notification outbox in the same
transaction as the service's write (so a code exists exactly when its message does). Registration and
reset requests are throttled per client address (QUALITY.md security item 11).
"""

import datetime as dt

from django.conf import settings
from django.contrib import auth, messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts import representation, services
from motcua.accounts.models import User, VerificationCode
from motcua.accounts.oidc import oidc_enabled
from motcua.core import throttle
from motcua.core.errors import NotFound
from motcua.notifications.services import enqueue
from motcua.portal.accounts import forms
from motcua.portal.accounts.session import (
    ACTING_FOR_KEY,
    PENDING_REGISTRATION_KEY,
    PENDING_RESET_KEY,
    acting_for,
)
from motcua.portal.accounts.signin import MODEL_BACKEND, sign_in_with_password
from motcua.portal.auth import applicant_required, current_applicant

REGISTER_RULE = throttle.Rule("account-register", 20, dt.timedelta(hours=1))
RESET_RULE = throttle.Rule("account-reset", 10, dt.timedelta(hours=1))


def _too_many() -> str:
    return _("Có quá nhiều yêu cầu từ địa chỉ này. Vui lòng thử lại sau.")


def _send(issued: services.IssuedCode) -> None:
    enqueue(
        template="verification_code",
        context={"code": issued.code, "minutes": str(issued.minutes)},
        dedupe_key=issued.dedupe_key,
        email=issued.email or "",
        phone=issued.phone or "",
    )


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return ""


def _mask(destination: str) -> str:
    """Enough of the address to recognise it, not enough to learn it (shown on the code pages)."""
    if "@" in destination:
        name, domain = destination.split("@", 1)
        return f"{name[:1]}***@{domain}"
    return f"{destination[:2]}******{destination[-2:]}" if len(destination) > 4 else "******"


def _last_destination(user_id: int | None, purpose: str) -> str:
    if not user_id:
        return ""
    last = VerificationCode.objects.filter(user_id=user_id, purpose=purpose).order_by("-created_at").first()
    return _mask(last.destination) if last else ""


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request)
    if current_applicant(request) is not None and request.method == "GET":
        return redirect(next_url or "portal:account")
    form = forms.SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = sign_in_with_password(request, **form.cleaned_data)
        if result.locked:
            return render(request, "portal/accounts/locked_out.html", status=429)
        if result.user is not None:
            return redirect(next_url or "portal:account")
        if result.pending is not None:
            request.session[PENDING_REGISTRATION_KEY] = result.pending.pk
            messages.warning(
                request, _("Tài khoản chưa được xác minh. Hãy nhập mã đã gửi hoặc yêu cầu gửi lại mã.")
            )
            return redirect("portal:verify")
        form.add_error(None, _("Thông tin đăng nhập hoặc mật khẩu không đúng."))
    context = {
        "form": form,
        "next": next_url,
        "oidc_enabled": oidc_enabled(),
        "provider_name": settings.OIDC_PROVIDER_NAME,
    }
    return render(request, "portal/accounts/login.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    auth.logout(request)  # flushes the session, including any "acting for" choice
    messages.info(request, _("Đã đăng xuất."))
    return redirect("portal:home")


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    form = forms.RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not throttle.consume(REGISTER_RULE, throttle.client_address(request)):
            form.add_error(None, _too_many())
        else:
            try:
                with transaction.atomic():
                    user, issued = services.register_applicant(
                        identifier=data["identifier"],
                        full_name=data["full_name"],
                        phone=data["phone"],
                        email=data["email"],
                        password=data["password"],
                        channel=data["channel"],
                    )
                    _send(issued)
            except services.AccountRefused as refused:
                form.add_error(refused.field or None, refused.message)
            except services.TooSoon as too_soon:
                form.add_error(None, too_soon.message)
            else:
                request.session[PENDING_REGISTRATION_KEY] = user.pk
                messages.success(
                    request,
                    _("Đã gửi mã xác minh. Mã có hiệu lực %(minutes)d phút.") % {"minutes": issued.minutes},
                )
                return redirect("portal:verify")
    return render(request, "portal/accounts/register.html", {"form": form})


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user_id = request.session.get(PENDING_REGISTRATION_KEY)
    if request.method == "POST" and request.POST.get("action") == "resend":
        _resend(request, user_id=user_id, purpose=VerificationCode.Purpose.REGISTER)
        return redirect("portal:verify")
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and user_id and form.is_valid():
        try:
            user = services.verify_registration(user_id=user_id, code=form.cleaned_data["code"])
        except services.CodeRefused as refused:
            form.add_error("code", refused.message)
        else:
            request.session.pop(PENDING_REGISTRATION_KEY, None)
            auth.login(request, user, backend=MODEL_BACKEND)  # rotates the session key
            messages.success(request, _("Tài khoản đã được xác minh. Chào mừng bạn!"))
            return redirect("portal:account")
    context = {
        "form": form,
        "pending": bool(user_id),
        "purpose": VerificationCode.Purpose.REGISTER,
        "destination": _last_destination(user_id, VerificationCode.Purpose.REGISTER),
    }
    return render(request, "portal/accounts/verify.html", context)


def _resend(request: HttpRequest, *, user_id: int | None, purpose: str) -> None:
    """Send a new code for the session's pending request (throttled by the service)."""
    if user_id:  # 0 = a reset for an identifier without an account: answered the same way
        try:
            with transaction.atomic():
                _send(services.resend_code(user_id=user_id, purpose=purpose))
        except (services.TooSoon, services.CodeRefused) as refused:
            messages.error(request, refused.message)
            return
    messages.success(request, _("Đã gửi lại mã xác minh."))


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = forms.ResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not throttle.consume(RESET_RULE, throttle.client_address(request)):
            form.add_error(None, _too_many())
        else:
            try:
                with transaction.atomic():
                    found = services.request_password_reset(identifier=form.cleaned_data["identifier"])
                    if found is not None:
                        _send(found[1])
            except services.TooSoon as too_soon:
                form.add_error(None, too_soon.message)
            else:
                request.session[PENDING_RESET_KEY] = found[0].pk if found else 0
                messages.info(
                    request,
                    _(
                        "Nếu thông tin khớp với một tài khoản, mã xác minh đã được gửi tới số điện thoại hoặc thư điện tử của tài khoản đó."
                    ),
                )
                return redirect("portal:password_reset_confirm")
    return render(request, "portal/accounts/password_reset.html", {"form": form})


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest) -> HttpResponse:
    user_id = request.session.get(PENDING_RESET_KEY)
    if request.method == "POST" and request.POST.get("action") == "resend":
        _resend(request, user_id=user_id, purpose=VerificationCode.Purpose.RESET)
        return redirect("portal:password_reset_confirm")
    form = forms.ResetConfirmForm(request.POST or None)
    if request.method == "POST" and user_id is not None and form.is_valid():
        try:
            services.reset_password(
                user_id=user_id,
                code=form.cleaned_data["code"],
                new_password=form.cleaned_data["new_password"],
            )
        except services.AccountRefused as refused:
            form.add_error(refused.field or None, refused.message)
        except services.CodeRefused as refused:
            form.add_error("code", refused.message)
        else:
            request.session.pop(PENDING_RESET_KEY, None)
            messages.success(request, _("Đã đặt mật khẩu mới. Hãy đăng nhập."))
            return redirect("portal:login")
    context = {
        "form": form,
        "pending": user_id is not None,
        "purpose": VerificationCode.Purpose.RESET,
        "destination": _last_destination(user_id, VerificationCode.Purpose.RESET),
    }
    return render(request, "portal/accounts/password_reset_confirm.html", context)


def _me(request: HttpRequest) -> User:
    user = current_applicant(request)
    assert user is not None  # noqa: S101 (views are wrapped in applicant_required)
    return user


@applicant_required
@require_http_methods(["GET"])
def account(request: HttpRequest) -> HttpResponse:
    return _account_page(request, forms.RepresentativeForm())


def _account_page(request: HttpRequest, form: forms.RepresentativeForm, status: int = 200) -> HttpResponse:
    user = _me(request)
    context = {
        "me": user,
        "representatives": representation.representatives_of(user) if user.is_organisation else [],
        "organisations": list(representation.organisations_represented(user)),
        "acting_for": acting_for(request),
        "form": form,
    }
    return render(request, "portal/accounts/account.html", context, status=status)


@applicant_required
@require_POST
def representative_add(request: HttpRequest) -> HttpResponse:
    form = forms.RepresentativeForm(request.POST)
    if form.is_valid():
        try:
            representation.add_representative(organisation=_me(request), **form.cleaned_data)
        except services.AccountRefused as refused:
            form.add_error(refused.field or None, refused.message)
        else:
            messages.success(request, _("Đã thêm người đại diện."))
            return redirect("portal:account")
    return _account_page(request, form, status=400)


@applicant_required
@require_POST
def representative_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        representation.revoke_representative(organisation=_me(request), representation_id=pk)
    except NotFound as missing:
        raise Http404 from missing
    messages.success(request, _("Đã thu hồi quyền đại diện."))
    return redirect("portal:account")


@applicant_required
@require_POST
def act_for(request: HttpRequest) -> HttpResponse:
    """Choose to act for an organisation (or, with an empty choice, for oneself) in this session."""
    choice = request.POST.get("organisation", "")
    if not choice:
        request.session.pop(ACTING_FOR_KEY, None)
        messages.info(request, _("Bạn đang thực hiện thủ tục cho chính mình."))
        return redirect(_safe_next(request) or reverse("portal:account"))
    organisation = (
        representation.organisations_represented(_me(request)).filter(pk=choice).first()
        if choice.isdigit()
        else None
    )
    if organisation is None:
        raise Http404
    request.session[ACTING_FOR_KEY] = organisation.pk
    messages.info(request, _("Bạn đang thay mặt tổ chức: %(name)s.") % {"name": organisation.full_name})
    return redirect(_safe_next(request) or reverse("portal:account"))
