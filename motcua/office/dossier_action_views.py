"""The officer's actions on one dossier: each a POST (CSRF) carrying the version the officer saw, each
calling exactly one ``dossiers.services`` function.

Gate → guarded get (404 for dossiers the officer may not see) → validate → one service → answer.
htmx requests get the dossier's live region back (panel, steps, timeline); plain posts are redirected
to the detail page. A stale version is a ``Conflict``: the officer sees the current status and the
reloaded panel, with what they typed kept — never a silent overwrite. The actions on one step of the
dossier are in ``step_action_views``, built from the same ``_form`` / ``_respond`` / ``_version``.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.accounts.models import User
from motcua.core.errors import Conflict, DomainError
from motcua.core.errors import PermissionDenied as DomainPermissionDenied
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import MissingItem
from motcua.office import dossier_forms as df
from motcua.office.auth import officer, officer_required
from motcua.office.dossier_panel import holders
from motcua.office.dossier_views import guarded_dossier, is_htmx, render_detail


def _respond(
    request: HttpRequest,
    dossier: Dossier,
    key: str,
    form: forms.Form,
    run: Callable[[], object],
    success: str,
    *,
    formset: Any = None,
    print_form: str = "",
) -> HttpResponse:
    """Validate, run the one service, and answer (see the module docstring)."""
    valid = form.is_valid() and (formset is None or formset.is_valid())
    bound: Any = (form, formset) if formset is not None else form
    if not valid:
        return render_detail(
            request,
            dossier,
            bound={key: bound},
            error=_("Chưa thực hiện được: hãy sửa các mục được đánh dấu."),
            status=400,
        )
    try:
        run()
    except Conflict as exc:
        fresh = guarded_dossier(request, dossier.code)
        data = request.POST.copy()
        data[form.add_prefix("expected_version")] = str(fresh.version)
        retry = type(form)(
            data, request.FILES or None, prefix=form.prefix, **getattr(form, "_panel_kwargs", {})
        )
        retry.is_valid()
        retry_bound: Any = (retry, formset) if formset is not None else retry
        return render_detail(request, fresh, bound={key: retry_bound}, error=exc.message, status=409)
    except DomainPermissionDenied as exc:
        return render_detail(request, dossier, error=exc.message, status=403)
    except DomainError as exc:
        return render_detail(
            request, guarded_dossier(request, dossier.code), bound={key: bound}, error=exc.message, status=400
        )
    if request.POST.get("from") == "queue":
        messages.success(request, success)
        return redirect("office:online_queue")
    fresh = guarded_dossier(request, dossier.code)
    if is_htmx(request):
        return render_detail(request, fresh, notice=success, print_form=print_form)
    messages.success(request, success)
    url = reverse("office:dossier_detail", kwargs={"dossier_code": fresh.code})
    return redirect(f"{url}?mau={print_form}" if print_form else url)


def _form(request: HttpRequest, form_class: type[df.ActionForm], key: str, **kwargs: Any) -> df.ActionForm:
    form = form_class(request.POST, request.FILES or None, prefix=key.replace(":", "-"), **kwargs)
    form._panel_kwargs = kwargs  # type: ignore[attr-defined]
    return form


def _version(form: forms.Form) -> int:
    return int(form.cleaned_data["expected_version"])


def _items(formset: Any) -> list[MissingItem]:
    return [MissingItem(name=n, reason=r) for n, r in df.filled_items(formset)]


def _simple(
    slug: str,
    form_class: type[df.ActionForm],
    success: str,
    call: Callable[[HttpRequest, Dossier, Any], object],
    print_form: str = "",
) -> Callable[..., HttpResponse]:
    """A dossier-level action: ``call(request, dossier, form)`` runs one service with the cleaned data."""

    @officer_required
    @require_POST
    def view(request: HttpRequest, dossier_code: str) -> HttpResponse:
        dossier = guarded_dossier(request, dossier_code)
        form = _form(request, form_class, slug)
        return _respond(
            request, dossier, slug, form, lambda: call(request, dossier, form), success, print_form=print_form
        )

    view.__name__ = view.__qualname__ = f"dossier_{slug}"
    return view


def _with_items(
    slug: str, success: str, call: Callable[..., object], print_form: str = "02"
) -> Callable[..., HttpResponse]:
    """An action listing every missing item at once (form 02)."""

    @officer_required
    @require_POST
    def view(request: HttpRequest, dossier_code: str) -> HttpResponse:
        dossier = guarded_dossier(request, dossier_code)
        form = _form(request, df.ActionForm, slug)
        formset = df.missing_items_formset(request.POST, prefix=f"{slug}-m")

        def run() -> object:
            return call(
                dossier_id=dossier.pk,
                by=officer(request),
                items=_items(formset),
                expected_version=_version(form),
            )

        return _respond(request, dossier, slug, form, run, success, formset=formset, print_form=print_form)

    view.__name__ = view.__qualname__ = f"dossier_{slug}"
    return view


def _user(pk: int | None) -> User | None:
    return User.objects.filter(pk=pk, is_active=True).first() if pk else None


# --- the actions ----------------------------------------------------------------------------------------

receive = _simple(
    "receive",
    df.ActionForm,
    _("Đã tiếp nhận hồ sơ."),
    lambda r, d, f: services.receive_online(dossier_id=d.pk, by=officer(r), expected_version=_version(f)),
    print_form="01",
)
return_online = _with_items(
    "return_online", _("Đã gửi yêu cầu bổ sung, hoàn thiện hồ sơ."), services.return_for_supplement_online
)
supplement = _with_items(
    "supplement", _("Đã yêu cầu bổ sung hồ sơ (qua Bộ phận Một cửa)."), services.request_supplement
)
complete_supplement = _simple(
    "complete_supplement",
    df.NoteForm,
    _("Đã ghi nhận hồ sơ được bổ sung đầy đủ."),
    lambda r, d, f: services.complete_supplement(
        dossier_id=d.pk, by=officer(r), note=f.cleaned_data["note"], expected_version=_version(f)
    ),
)
start = _simple(
    "start",
    df.ActionForm,
    _("Đã chuyển hồ sơ đi xử lý."),
    lambda r, d, f: services.start_processing(dossier_id=d.pk, by=officer(r), expected_version=_version(f)),
)
return_step = _simple(
    "return_step",
    df.ReasonForm,
    _("Đã trả lại bước trước."),
    lambda r, d, f: services.return_step(
        dossier_id=d.pk, by=officer(r), reason=f.cleaned_data["reason"], expected_version=_version(f)
    ),
)
consult = _simple(
    "consult",
    df.OtherUnitForm,
    _("Đã gửi xin ý kiến."),
    lambda r, d, f: services.consult_unit(
        dossier_id=d.pk,
        by=officer(r),
        unit=f.cleaned_data["unit"],
        question=f.cleaned_data["text"],
        hours=f.cleaned_data["hours"],
        expected_version=_version(f),
    ),
)
inter_unit = _simple(
    "inter_unit",
    df.OtherUnitForm,
    _("Đã chuyển liên thông."),
    lambda r, d, f: services.send_inter_unit(
        dossier_id=d.pk,
        by=officer(r),
        unit=f.cleaned_data["unit"],
        task=f.cleaned_data["text"],
        hours=f.cleaned_data["hours"],
        expected_version=_version(f),
    ),
)
suspend = _simple(
    "suspend",
    df.ReasonForm,
    _("Đã tạm dừng xử lý."),
    lambda r, d, f: services.suspend(
        dossier_id=d.pk, by=officer(r), reason=f.cleaned_data["reason"], expected_version=_version(f)
    ),
)
resume = _simple(
    "resume",
    df.NoteForm,
    _("Đã tiếp tục xử lý."),
    lambda r, d, f: services.resume(
        dossier_id=d.pk, by=officer(r), note=f.cleaned_data["note"], expected_version=_version(f)
    ),
)
stop = _simple(
    "stop",
    df.ReasonForm,
    _("Đã dừng xử lý hồ sơ."),
    lambda r, d, f: services.stop(
        dossier_id=d.pk, by=officer(r), reason=f.cleaned_data["reason"], expected_version=_version(f)
    ),
)
reject = _simple(
    "reject",
    df.RejectForm,
    _("Đã từ chối giải quyết hồ sơ."),
    lambda r, d, f: services.reject_after_appraisal(
        dossier_id=d.pk, by=officer(r), reasons=f.reason_list(), expected_version=_version(f)
    ),
)
payment_request = _simple(
    "payment_request",
    df.PaymentRequestForm,
    _("Đã yêu cầu nộp phí, lệ phí."),
    lambda r, d, f: services.request_payment(
        dossier_id=d.pk,
        by=officer(r),
        amount_vnd=f.cleaned_data["amount_vnd"],
        note=f.cleaned_data["note"],
        expected_version=_version(f),
    ),
)
payment_record = _simple(
    "payment_record",
    df.PaymentRecordForm,
    _("Đã ghi nhận nộp phí, lệ phí."),
    lambda r, d, f: services.record_payment(
        dossier_id=d.pk,
        by=officer(r),
        amount_vnd=f.cleaned_data["amount_vnd"],
        receipt_number=f.cleaned_data["receipt_number"],
        is_online=f.cleaned_data["is_online"],
        expected_version=_version(f),
    ),
)
reschedule = _simple(
    "reschedule",
    df.RescheduleForm,
    _("Đã hẹn lại ngày trả kết quả. Hãy in phiếu xin lỗi (mẫu 04) gửi người nộp."),
    lambda r, d, f: services.reschedule_with_apology(
        dossier_id=d.pk,
        by=officer(r),
        new_due_at=f.new_due_at(),
        reason=f.cleaned_data["reason"],
        expected_version=_version(f),
    ),
    print_form="04",
)
result = _simple(
    "result",
    df.ResultForm,
    _("Đã ghi nhận kết quả giải quyết."),
    lambda r, d, f: services.record_result(
        dossier_id=d.pk,
        by=officer(r),
        number=f.cleaned_data["number"],
        signed_on=f.cleaned_data["signed_on"],
        signer=f.cleaned_data["signer"],
        file=df.safe_upload(f.cleaned_data.get("file")),
        is_electronic=f.cleaned_data["is_electronic"],
        expected_version=_version(f),
    ),
)
processed = _simple(
    "processed",
    df.NoteForm,
    _("Đã duyệt: hồ sơ đã xử lý xong, chờ trả kết quả."),
    lambda r, d, f: services.mark_processed(
        dossier_id=d.pk, by=officer(r), note=f.cleaned_data["note"], expected_version=_version(f)
    ),
)
early_return = _simple(
    "early_return",
    df.EarlyReturnForm,
    _("Đã thông báo trả kết quả sớm cho người nộp."),
    lambda r, d, f: services.announce_early_return(
        dossier_id=d.pk, by=officer(r), message=f.cleaned_data["message"], expected_version=_version(f)
    ),
)
return_result = _simple(
    "return_result",
    df.ReturnResultForm,
    _("Đã trả kết quả. Hồ sơ kết thúc."),
    lambda r, d, f: services.return_result(
        dossier_id=d.pk,
        by=officer(r),
        delivery=f.cleaned_data["delivery"],
        note=f.cleaned_data["note"],
        expected_version=_version(f),
    ),
)
withdraw = _simple(
    "withdraw",
    df.WithdrawForm,
    _("Đã ghi nhận người nộp rút hồ sơ."),
    lambda r, d, f: services.withdraw(
        dossier_id=d.pk,
        by=officer(r),
        reason=f.cleaned_data["reason"],
        written_request=f.cleaned_data["written_request"],
        expected_version=_version(f),
    ),
)


@officer_required
@require_POST
def forward(request: HttpRequest, dossier_code: str) -> HttpResponse:
    dossier = guarded_dossier(request, dossier_code)
    from motcua.office.dossier_panel import current_process_step, next_process_step

    steps = list(dossier.steps.select_related("unit"))
    current = current_process_step(steps)
    following = next_process_step(steps, current) if current is not None else None
    form = _form(request, df.AssigneeForm, "forward", choices=holders(following) if following else [])

    def run() -> object:
        return services.forward_step(
            dossier_id=dossier.pk,
            by=officer(request),
            note=form.cleaned_data["note"],
            next_assignee=_user(form.cleaned_data["assignee"]),
            expected_version=_version(form),
        )

    return _respond(request, dossier, "forward", form, run, _("Đã chuyển bước xử lý."))


# (slug, path) of every dossier action, for urls.py; step actions are in step_action_views.
DOSSIER_ACTIONS: list[tuple[str, str, Callable[..., HttpResponse]]] = [
    ("receive", "tiep-nhan", receive),
    ("return_online", "tra-bo-sung", return_online),
    ("complete_supplement", "da-bo-sung", complete_supplement),
    ("start", "chuyen-xu-ly", start),
    ("forward", "chuyen-buoc", forward),
    ("return_step", "tra-buoc", return_step),
    ("consult", "xin-y-kien", consult),
    ("inter_unit", "lien-thong", inter_unit),
    ("supplement", "yeu-cau-bo-sung", supplement),
    ("suspend", "tam-dung", suspend),
    ("resume", "tiep-tuc", resume),
    ("stop", "dung-xu-ly", stop),
    ("reject", "tu-choi", reject),
    ("payment_request", "yeu-cau-nop-phi", payment_request),
    ("payment_record", "ghi-nhan-nop-phi", payment_record),
    ("reschedule", "hen-lai", reschedule),
    ("result", "ket-qua", result),
    ("processed", "duyet", processed),
    ("early_return", "bao-tra-som", early_return),
    ("return_result", "tra-ket-qua", return_result),
    ("withdraw", "rut-ho-so", withdraw),
]
