"""The officer's digital signatures on a dossier: the leader signs the result or certifies it as a copy
("ký sao y"), the issuing officer signs a form (01–06), anyone of the dossier's units downloads a signed
form and reads the verification report of the stored result and signed forms.

Gate → guarded get (404 for a dossier the officer may not see) → one service → redirect to the dossier
page with a message; a refusal shows the dossier page with the reason (NĐ 45/2020/NĐ-CP Điều 13–14;
NĐ 30/2020/NĐ-CP Điều 8; TT 01/2018/TT-VPCP).
"""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from motcua.core.downloads import attachment, streamed, tampered_response
from motcua.core.errors import Conflict, DomainError
from motcua.core.errors import PermissionDenied as DomainPermissionDenied
from motcua.core.integrity import TamperedFile
from motcua.dossiers.models import Dossier
from motcua.dossiers.services.forms_signing import FORM_TITLES, sign_form
from motcua.dossiers.services.results import certify_result_copy, sign_result
from motcua.dossiers.signatures import form_checks, result_check
from motcua.office.auth import current_unit, officer, officer_required
from motcua.office.dossier_views import guarded_dossier, render_detail


class VersionForm(forms.Form):
    """The version of the dossier the officer saw: a stale one is a conflict, never an overwrite."""

    expected_version = forms.IntegerField(min_value=1, required=False)


def _run(
    request: HttpRequest, dossier: Dossier, call: Callable[[int | None], object], success: str
) -> HttpResponse:
    form = VersionForm(request.POST)
    version = form.cleaned_data["expected_version"] if form.is_valid() else None
    try:
        call(version)
    except Conflict as exc:
        return render_detail(request, guarded_dossier(request, dossier.code), error=exc.message, status=409)
    except DomainPermissionDenied as exc:
        return render_detail(request, dossier, error=exc.message, status=403)
    except DomainError as exc:
        return render_detail(request, guarded_dossier(request, dossier.code), error=exc.message, status=400)
    messages.success(request, success)
    return redirect("office:dossier_detail", dossier_code=dossier.code)


@officer_required
@require_POST
def dossier_sign_result(request: HttpRequest, dossier_code: str) -> HttpResponse:
    dossier = guarded_dossier(request, dossier_code)
    return _run(
        request,
        dossier,
        lambda v: sign_result(dossier_id=dossier.pk, by=officer(request), expected_version=v),
        _("Đã ký số kết quả giải quyết; tệp đã ký là kết quả điện tử của hồ sơ."),
    )


@officer_required
@require_POST
def dossier_certify_result_copy(request: HttpRequest, dossier_code: str) -> HttpResponse:
    dossier = guarded_dossier(request, dossier_code)
    return _run(
        request,
        dossier,
        lambda v: certify_result_copy(dossier_id=dossier.pk, by=officer(request), expected_version=v),
        _("Đã ký số sao y kết quả giải quyết."),
    )


@officer_required
@require_POST
def dossier_sign_form(request: HttpRequest, dossier_code: str, number: str) -> HttpResponse:
    dossier = guarded_dossier(request, dossier_code)
    if number not in FORM_TITLES:
        raise Http404
    return _run(
        request,
        dossier,
        lambda v: sign_form(dossier_id=dossier.pk, form=number, by=officer(request), expected_version=v),
        _("Đã ký số mẫu %(form)s.") % {"form": number},
    )


@never_cache
@officer_required
@require_safe
def dossier_signed_form_file(request: HttpRequest, dossier_code: str, signed_form_id: int) -> HttpResponse:
    """A signed form of a dossier the officer may see, as an attachment, refused (409) when the file
    changed on disk since it was signed."""
    dossier = guarded_dossier(request, dossier_code)
    row = dossier.signed_forms.filter(pk=signed_form_id).first()
    if row is None:
        raise Http404
    stem = f"{dossier.code}-mau-{row.form}-da-ky-{row.pk}"
    try:
        return streamed(attachment(row.file, stem=stem, sha256=row.sha256))
    except TamperedFile:
        return tampered_response()


@never_cache
@officer_required
@require_safe
def dossier_signatures(request: HttpRequest, dossier_code: str) -> HttpResponse:
    """The verification report of the stored result and of every signed form of the dossier."""
    dossier = guarded_dossier(request, dossier_code)
    context = {
        "unit": current_unit(request),
        "dossier": dossier,
        "result": result_check(dossier),
        "forms": form_checks(dossier, every_version=True),
    }
    return render(request, "office/signing/signatures.html", context)
