"""Input validation for the officer's dossier pages. Forms never create objects or run workflow: the
views pass the cleaned data to one ``dossiers.services`` function (STYLE.md)."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from motcua.accounts.identity import applicant_id_problem
from motcua.catalog.models import CopyType
from motcua.core.worktime import TZ
from motcua.documents.models import StoredDocument
from motcua.documents.uploads import DEFAULT_MAX_BYTES, check_upload
from motcua.dossiers.models import ResultDelivery
from motcua.dossiers.workflow import Channel, Status
from motcua.office.forms import mark_invalid_fields
from motcua.organizations.models import Unit

# The default per-file limit (``MOTCUA_UPLOAD_MAX_MB``); the checks live in ``documents.uploads``.
MAX_SCAN_BYTES = DEFAULT_MAX_BYTES


def sniffed(upload: "UploadedFile[Any] | None") -> Any:
    """The cleaned upload: checked by its content (PDF, JPEG, PNG), images re-encoded, stored under a
    random name (``documents.uploads.check_upload``); a ``ValidationError`` says why it is refused."""
    if isinstance(upload, UploadedFile):
        return check_upload(upload).as_file()
    return upload


def safe_upload(upload: Any) -> Any:
    """The checked file (already under a random name with the extension of its content)."""
    return upload or None


class StyledForm(forms.Form):
    """Bootstrap classes and ARIA error wiring on every widget (as ``office.forms.ProcedureForm``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
                continue
            if isinstance(widget, forms.HiddenInput):
                continue
            widget.attrs.setdefault(
                "class", "form-select" if isinstance(widget, forms.Select) else "form-control"
            )

    def full_clean(self) -> None:
        super().full_clean()
        mark_invalid_fields(self)


def _check_id(value: str) -> str:
    value = value.strip()
    if value:
        problem = applicant_id_problem(value)
        if problem:
            raise forms.ValidationError(problem)
    return value


# --- intake -------------------------------------------------------------------------------------------


class IntakeForm(StyledForm):
    OUTCOMES = ("receive", "supplement", "refuse")

    procedure = forms.CharField(widget=forms.HiddenInput)
    idempotency_key = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)
    channel = forms.TypedChoiceField(
        label=_("Hình thức nộp"),
        coerce=int,
        choices=[(Channel.DIRECT.value, Channel.DIRECT.label), (Channel.POSTAL.value, Channel.POSTAL.label)],
        initial=Channel.DIRECT,
    )
    applicant_name = forms.CharField(label=_("Họ tên người nộp"), max_length=200)
    applicant_id_number = forms.CharField(
        label=_("Số định danh cá nhân / mã số thuế"),
        max_length=14,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    phone = forms.RegexField(
        label=_("Số điện thoại"),
        regex=r"^\+?[0-9 .]{8,20}$",
        max_length=20,
        required=False,
        error_messages={"invalid": _("Số điện thoại chỉ gồm chữ số (8–15 số).")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    owner_name = forms.CharField(label=_("Chủ hồ sơ (nếu khác người nộp)"), max_length=200, required=False)
    owner_id_number = forms.CharField(
        label=_("Số định danh / mã số thuế chủ hồ sơ"), max_length=14, required=False
    )
    result_delivery = forms.ChoiceField(
        label=_("Hình thức nhận kết quả"), choices=ResultDelivery.choices, initial=ResultDelivery.COUNTER
    )
    responsible_unit = forms.ModelChoiceField(
        label=_("Đơn vị giải quyết (nếu khác đơn vị tiếp nhận)"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("— Chính đơn vị tiếp nhận —"),
    )
    reasons = forms.CharField(
        label=_("Lý do từ chối tiếp nhận (mỗi lý do một dòng)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, receiving_unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[Unit]", self.fields["responsible_unit"])
        field.queryset = Unit.objects.active().exclude(pk=receiving_unit.pk).order_by("code")

    def clean_applicant_id_number(self) -> str:
        return _check_id(self.cleaned_data["applicant_id_number"])

    def clean_owner_id_number(self) -> str:
        return _check_id(self.cleaned_data["owner_id_number"])

    def reason_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("reasons", "").splitlines() if line.strip()]


class ComponentRowForm(StyledForm):
    """One paper of the procedure as handed in at the counter."""

    component_id = forms.IntegerField(widget=forms.HiddenInput)
    is_provided = forms.BooleanField(label=_("Đã nộp"), required=False, initial=True)
    copy_type = forms.ChoiceField(label=_("Loại bản"), choices=CopyType.choices)
    count = forms.IntegerField(label=_("Số lượng"), min_value=1, max_value=99, initial=1)
    scan = forms.FileField(label=_("Bản quét (PDF, JPEG, PNG, tối đa 20 MB)"), required=False)
    store_document = forms.TypedChoiceField(
        label=_("Hoặc lấy từ kho dữ liệu"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, store: Sequence[StoredDocument] = (), **kwargs: Any) -> None:
        """``store``: the documents of the applicant's (or owner's) data store matching this paper
        (NĐ 107/2021 Điều 21a); only these can be chosen, so no other person's paper can be posted."""
        super().__init__(*args, **kwargs)
        self.store = {document.pk: document for document in store}
        field = cast(forms.TypedChoiceField, self.fields["store_document"])
        field.choices = [
            ("", _("— Không dùng —")),
            *((document.pk, store_label(document)) for document in store),
        ]

    @property
    def offers_store(self) -> bool:
        return bool(self.store)

    def clean_scan(self) -> Any:
        return sniffed(self.cleaned_data.get("scan"))

    def clean_store_document(self) -> StoredDocument | None:
        chosen = self.cleaned_data.get("store_document")
        return self.store.get(chosen) if chosen is not None else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scan") and data.get("store_document") is not None:
            self.add_error(
                "store_document",
                _("Chỉ chọn một: bản quét mới hoặc giấy tờ lấy từ kho dữ liệu, không cả hai."),
            )
        return data


def store_label(document: StoredDocument) -> str:
    """How a stored document reads in the picker: title, number, issuer, date, source dossier."""
    parts = [document.title]
    if document.number:
        parts.append(str(_("số %(number)s") % {"number": document.number}))
    if document.issuer:
        parts.append(document.issuer)
    if document.issued_on:
        parts.append(document.issued_on.strftime("%d/%m/%Y"))
    if document.source_dossier_code:
        parts.append(document.source_dossier_code)
    return " · ".join(parts)


class MissingItemForm(StyledForm):
    name = forms.CharField(
        label=_("Giấy tờ, nội dung cần bổ sung"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Giấy tờ cần bổ sung")}),
    )
    reason = forms.CharField(
        label=_("Lý do"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Lý do")}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reason", "").strip() and not data.get("name", "").strip():
            self.add_error("name", _("Hãy ghi tên giấy tờ cho lý do này."))
        if data.get("name", "").strip() and not data.get("reason", "").strip():
            self.add_error("reason", _("Hãy ghi lý do cần bổ sung."))
        return data


def missing_items_formset(
    data: Any = None, *, prefix: str = "m", initial: list[dict[str, str]] | None = None, rows: int = 4
) -> Any:
    """A formset of missing items (form 02) with ``rows`` blank lines after ``initial``."""
    initial = initial or []
    formset_class = forms.formset_factory(
        MissingItemForm, extra=max(rows - len(initial), 1), max_num=30, absolute_max=30
    )
    return formset_class(data, initial=initial, prefix=prefix)


def filled_items(formset: Any) -> list[tuple[str, str]]:
    return [
        (f.cleaned_data["name"].strip(), f.cleaned_data["reason"].strip())
        for f in formset.forms
        if f.cleaned_data.get("name", "").strip()
    ]


# --- actions on a dossier -----------------------------------------------------------------------------


class ActionForm(StyledForm):
    """Every action carries the version the officer saw: a stale one is a conflict, never an
    overwrite (``dossiers.services`` compare it under the row lock)."""

    expected_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class NoteForm(ActionForm):
    note = forms.CharField(
        label=_("Ghi chú"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Lý do"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class AssigneeForm(ActionForm):
    """Start processing or forward: who takes the next step (optional, among those who may)."""

    assignee = forms.TypedChoiceField(
        label=_("Người xử lý bước tiếp theo"), coerce=int, required=False, empty_value=None
    )
    note = forms.CharField(
        label=_("Nội dung xử lý"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["assignee"])
        field.choices = [("", _("— Chưa giao, ai giữ vai trò đều nhận —")), *choices]


class ReassignForm(ActionForm):
    assignee = forms.TypedChoiceField(label=_("Giao cho"), coerce=int)

    def __init__(self, *args: Any, choices: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["assignee"])
        field.choices = list(choices)


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class OtherUnitForm(ActionForm):
    """Consultation (question) or liên thông (task) to another unit, with its deadline in hours."""

    unit = UnitChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none(), empty_label=_("— Chọn đơn vị —"))
    text = forms.CharField(label=_("Nội dung"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    hours = forms.DecimalField(
        label=_("Thời hạn (giờ làm việc)"),
        min_value=Decimal("0.5"),
        max_value=Decimal(2000),
        decimal_places=2,
        initial=8,
    )

    def __init__(self, *args: Any, exclude_unit_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(UnitChoiceField, self.fields["unit"])
        units = Unit.objects.active().order_by("level", "code")
        field.queryset = units.exclude(pk=exclude_unit_id) if exclude_unit_id is not None else units


class AnswerForm(ActionForm):
    text = forms.CharField(
        label=_("Ý kiến / kết quả"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RejectForm(ActionForm):
    reasons = forms.CharField(
        label=_("Lý do từ chối giải quyết (mỗi lý do một dòng)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def reason_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["reasons"].splitlines() if line.strip()]


class WithdrawForm(ActionForm):
    reason = forms.CharField(label=_("Lý do rút hồ sơ"), max_length=2000)
    written_request = forms.CharField(
        label=_("Văn bản đề nghị rút hồ sơ của người nộp (số, ngày)"), max_length=200
    )


class PaymentRequestForm(ActionForm):
    amount_vnd = forms.IntegerField(label=_("Số tiền phải nộp (đồng)"), min_value=1, max_value=10**12)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


class PaymentRecordForm(ActionForm):
    amount_vnd = forms.IntegerField(label=_("Số tiền đã nộp (đồng)"), min_value=1, max_value=10**12)
    receipt_number = forms.CharField(label=_("Số biên lai"), max_length=100, required=False)
    is_online = forms.BooleanField(label=_("Thanh toán trực tuyến"), required=False)


class RescheduleForm(ActionForm):
    new_due_on = forms.DateField(
        label=_("Ngày hẹn mới"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    new_due_time = forms.TimeField(
        label=_("Giờ hẹn"),
        initial=dt.time(16, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    reason = forms.CharField(
        label=_("Lý do chậm trễ"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def new_due_at(self) -> dt.datetime:
        return dt.datetime.combine(
            self.cleaned_data["new_due_on"], self.cleaned_data["new_due_time"], tzinfo=TZ
        )


class ResultForm(ActionForm):
    number = forms.CharField(label=_("Số kết quả"), max_length=100)
    signed_on = forms.DateField(
        label=_("Ngày ký"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    signer = forms.CharField(label=_("Người ký"), max_length=200)
    file = forms.FileField(label=_("Tệp kết quả (PDF, JPEG, PNG)"), required=False)
    is_electronic = forms.BooleanField(
        label=_("Kết quả điện tử (lãnh đạo ký số trên hệ thống trước khi phê duyệt)"), required=False
    )

    def clean_file(self) -> Any:
        return sniffed(self.cleaned_data.get("file"))


class EarlyReturnForm(ActionForm):
    message = forms.CharField(label=_("Nội dung thông báo"), max_length=1000, required=False)


class ReturnResultForm(ActionForm):
    delivery = forms.ChoiceField(label=_("Hình thức trả"), choices=ResultDelivery.choices)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


# --- lists --------------------------------------------------------------------------------------------


class SearchForm(StyledForm):
    q = forms.CharField(
        label=_("Mã hồ sơ, tên người nộp, số định danh (gõ không dấu được)"), max_length=100, required=False
    )
    procedure = forms.CharField(label=_("Mã thủ tục"), max_length=20, required=False)
    status = forms.ChoiceField(
        label=_("Trạng thái"), choices=[("", _("Tất cả")), *Status.choices], required=False
    )
    date_from = forms.DateField(
        label=_("Nộp từ ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    date_to = forms.DateField(
        label=_("đến ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data

    def is_search(self) -> bool:
        return any(self.cleaned_data.get(k) for k in ("q", "procedure", "status", "date_from", "date_to"))


class PeriodForm(StyledForm):
    date_from = forms.DateField(
        label=_("Từ ngày"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    date_to = forms.DateField(
        label=_("Đến ngày"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if start > end:
                self.add_error("date_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
            elif (end - start).days > 366:
                self.add_error("date_to", _("Sổ theo dõi in tối đa 1 năm mỗi lần."))
        return data
