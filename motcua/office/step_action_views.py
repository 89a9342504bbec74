"""The officer's actions on one step of a dossier (reassign it, answer a consultation, complete a
liên thông task): POSTs like the dossier actions (``dossier_action_views``), with the same anatomy and
answers, the step guarded by its dossier (404 for dossiers the officer may not see)."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.accounts.models import User
from motcua.dossiers import services
from motcua.dossiers.models import DossierStep
from motcua.office import dossier_forms as df
from motcua.office.auth import officer, officer_required
from motcua.office.dossier_action_views import _form, _respond, _version
from motcua.office.dossier_panel import holders
from motcua.office.dossier_views import guarded_dossier, guarded_step


def _step_view(
    slug: str,
    form_class: type[df.ActionForm],
    success: str,
    call: Callable[[HttpRequest, DossierStep, Any], object],
) -> Callable[..., HttpResponse]:
    @officer_required
    @require_POST
    def view(request: HttpRequest, dossier_code: str, step_id: int) -> HttpResponse:
        dossier = guarded_dossier(request, dossier_code)
        step = guarded_step(dossier, step_id)
        key = f"{slug}:{step.pk}"
        kwargs = {"choices": holders(step)} if form_class is df.ReassignForm else {}
        form = _form(request, form_class, key, **kwargs)
        return _respond(request, dossier, key, form, lambda: call(request, step, form), success)

    view.__name__ = view.__qualname__ = f"step_{slug}"
    return view


reassign = _step_view(
    "reassign",
    df.ReassignForm,
    _("Đã giao lại bước xử lý."),
    lambda r, s, f: services.reassign_step(
        step_id=s.pk,
        by=officer(r),
        assignee=User.objects.get(pk=f.cleaned_data["assignee"]),
        expected_version=_version(f),
    ),
)
answer = _step_view(
    "answer",
    df.AnswerForm,
    _("Đã gửi ý kiến trả lời."),
    lambda r, s, f: services.answer_consultation(
        step_id=s.pk, by=officer(r), answer=f.cleaned_data["text"], expected_version=_version(f)
    ),
)
complete_inter_unit = _step_view(
    "complete_inter_unit",
    df.AnswerForm,
    _("Đã hoàn thành nhiệm vụ liên thông, chuyển kết quả về đơn vị chủ trì."),
    lambda r, s, f: services.complete_inter_unit(
        step_id=s.pk, by=officer(r), result=f.cleaned_data["text"], expected_version=_version(f)
    ),
)


# (slug, path) of every step action, for urls.py.
STEP_ACTIONS: list[tuple[str, str, Callable[..., HttpResponse]]] = [
    ("reassign", "giao-lai", reassign),
    ("answer", "tra-loi-y-kien", answer),
    ("complete_inter_unit", "xong-lien-thong", complete_inter_unit),
]
