"""Officer pages that change the catalog: edit a procedure's published parts, publish, withdraw.

Only the province's catalog editors (``catalog.permissions.can_edit_catalog``) reach them; every
change goes through ``catalog.services`` so publication dates (QĐ 766 group 1) stay right.
"""

from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts.models import User
from motcua.catalog import services
from motcua.catalog.models import Procedure
from motcua.catalog.permissions import can_edit_catalog
from motcua.core.errors import DomainError
from motcua.office.auth import current_unit, officer_required
from motcua.office.forms import ProcedureForm, PublishForm


def _editable_procedure(request: HttpRequest, code: str) -> tuple[User, Procedure]:
    user = cast(User, request.user)
    if not can_edit_catalog(user):
        raise PermissionDenied
    procedure = Procedure.objects.filter(code=code).first()
    if procedure is None:
        raise Http404
    return user, procedure


@officer_required
@require_http_methods(["GET", "POST"])
def procedure_edit(request: HttpRequest, code: str) -> HttpResponse:
    user, procedure = _editable_procedure(request, code)
    if request.method == "POST":
        form = ProcedureForm(request.POST, instance=Procedure.objects.get(pk=procedure.pk))
        if form.is_valid():
            data = dict(form.cleaned_data)
            expected = data.pop("modified_at")
            headline = {k: data.pop(k) for k in list(data) if k not in services.PUBLISHED_PARTS}
            try:
                changed = services.update_procedure(
                    procedure=procedure, by=user, parts=data, expected_modified_at=expected, **headline
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                if changed:
                    messages.success(request, _("Đã lưu thay đổi của thủ tục."))
                else:
                    messages.info(request, _("Không có thay đổi nào để lưu."))
                return redirect("office:procedure_detail", code=procedure.code)
    else:
        form = ProcedureForm(instance=procedure, initial={"modified_at": procedure.modified_at})
    context = {"form": form, "procedure": procedure, "unit": current_unit(request)}
    return render(request, "office/procedure_edit.html", context)


@officer_required
@require_POST
def procedure_publish(request: HttpRequest, code: str) -> HttpResponse:
    user, procedure = _editable_procedure(request, code)
    form = PublishForm(request.POST)
    day = form.cleaned_data["on"] if form.is_valid() else timezone.localdate()
    try:
        if request.POST.get("action") == "withdraw":
            services.withdraw_procedure(procedure=procedure, withdrawn_on=day, by=user)
            messages.success(request, _("Đã bãi bỏ thủ tục."))
        else:
            services.publish_procedure(procedure=procedure, published_on=day, by=user)
            messages.success(request, _("Đã công khai thủ tục."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("office:procedure_detail", code=procedure.code)
