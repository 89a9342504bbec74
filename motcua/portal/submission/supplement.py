"""Supplementation online (bổ sung hồ sơ trực tuyến): the applicant sees exactly what the officer
listed as missing and answers in the same dossier (NĐ 61/2018/NĐ-CP Điều 15 khoản 3, Điều 19
khoản 4). Before reception the dossier goes back to the reception queue (a new 8-hour clock); during
appraisal the time limit restarts from the complete dossier (``complete_supplement``)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.catalog.models import Component
from motcua.core.errors import Conflict, DomainError
from motcua.core.text import fold_vi
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import supplement_request_items
from motcua.dossiers.services import ComponentInput
from motcua.dossiers.workflow import Status
from motcua.portal.auth import applicant_required, current_applicant
from motcua.portal.submission.forms import SupplementForm

WAITING = frozenset({Status.INTAKE_SUPPLEMENT, Status.AWAITING_SUPPLEMENT})


def _catalog_match(dossier: Dossier, name: str) -> Component | None:
    """The catalog component the officer's item names, if it is one (so the paper is linked)."""
    wanted = fold_vi(name)
    for component in dossier.procedure.components.all():
        if fold_vi(component.name) == wanted:
            return component
    return None


@require_http_methods(["GET", "HEAD", "POST"])
@applicant_required
def supplement(request: HttpRequest, dossier_code: str) -> HttpResponse:
    user = current_applicant(request)
    dossier = (
        Dossier.objects.filter(applicant_user=user, code=dossier_code.strip().upper())
        .select_related("procedure", "receiving_unit")
        .first()
    )
    if dossier is None or user is None:  # another applicant's dossier looks like a missing one
        raise Http404
    waiting = Status(dossier.status) in WAITING
    items = supplement_request_items(dossier) if waiting else []
    form = SupplementForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        items=items,
        initial={"expected_version": dossier.version},
    )
    problems: list[str] = []
    if request.method == "POST" and waiting and form.is_valid():
        components = [
            ComponentInput(
                name=name,
                catalog_component=_catalog_match(dossier, name),
                file=checked.as_file(),
            )
            for name, checked in form.answered_files()
        ]
        try:
            services.complete_supplement(
                dossier_id=dossier.pk,
                by=user,
                components=components,
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["expected_version"],
            )
        except Conflict:
            problems.append(
                _("Hồ sơ vừa được cập nhật (có thể bạn đã gửi bổ sung ở cửa sổ khác): hãy tải lại trang.")
            )
        except DomainError as exc:
            problems.append(exc.message)
        else:
            messages.success(
                request,
                _("Đã gửi bổ sung cho hồ sơ %(code)s. Cơ quan sẽ xem xét và thông báo cho bạn.")
                % {"code": dossier.code},
            )
            return redirect("portal:supplement", dossier_code=dossier.code)
    elif request.method == "POST" and not waiting:
        problems.append(_("Hồ sơ không còn chờ bổ sung."))
    status = 400 if request.method == "POST" and (problems or form.errors) else 200
    context = {
        "dossier": dossier,
        "waiting": waiting,
        "form": form,
        "problems": problems,
    }
    return render(request, "portal/submission/supplement.html", context, status=status)
