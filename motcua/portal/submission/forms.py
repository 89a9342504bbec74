"""Input of the online submission pages. Forms check input only: the views pass the cleaned data to
one ``dossiers.services`` function (STYLE.md). The form of a procedure is generated from the catalog:
the applicant's and owner's data, one row per component, and the result delivery choice."""

from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from motcua.accounts.identity import applicant_id_problem
from motcua.accounts.models import User
from motcua.catalog.models import Component
from motcua.documents.uploads import CheckedFile, check_upload, max_upload_label
from motcua.dossiers.models import ResultDelivery
from motcua.dossiers.queries import ReusableDocument
from motcua.organizations.models import Unit

# Fields of SubmissionForm kept in a draft exactly as typed (no validation needed to save a draft).
DRAFT_FIELDS = (
    "receiving_unit",
    "applicant_name",
    "applicant_id_number",
    "owner_name",
    "owner_id_number",
    "address",
    "phone",
    "email",
    "result_delivery",
)


def _style(form: forms.Form) -> None:
    """Bootstrap classes, and ``aria-invalid`` + ``aria-describedby`` on fields with errors."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        else:
            widget.attrs.setdefault(
                "class", "form-select" if isinstance(widget, forms.Select) else "form-control"
            )
        if form.is_bound and name in form.errors:
            widget.attrs["aria-invalid"] = "true"
            widget.attrs["aria-describedby"] = f"{form.prefix + '-' if form.prefix else ''}{name}-error"


def _check_id(value: str) -> str:
    value = value.strip()
    if value:
        problem = applicant_id_problem(value)
        if problem:
            raise forms.ValidationError(problem)
    return value


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def grouped_unit_choices(units: Any, empty_label: str) -> list[Any]:
    """The receiving units grouped under their district or province (an <optgroup> each), so two
    communes of the same name in different districts can be told apart and a long list is scannable
    on a phone. Validation still goes through the field's queryset."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for unit in units.select_related("parent").order_by("parent__name", "name", "code"):
        parent = unit.parent.name if unit.parent is not None else ""
        groups.setdefault(parent, []).append((unit.pk, str(unit.name)))
    choices: list[Any] = [("", empty_label)]
    for parent, members in groups.items():
        choices.extend(members) if not parent else choices.append((parent, members))
    return choices


class SubmissionForm(forms.Form):
    idempotency_key = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)
    receiving_unit = UnitChoiceField(
        label=_("Nộp hồ sơ tới"), queryset=Unit.objects.none(), empty_label=_("— Chọn cơ quan tiếp nhận —")
    )
    applicant_name = forms.CharField(label=_("Họ tên người nộp"), max_length=200)
    applicant_id_number = forms.CharField(
        label=_("Số định danh cá nhân / mã số thuế người nộp"),
        max_length=14,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    owner_name = forms.CharField(
        label=_("Họ tên chủ hồ sơ (nếu nộp cho người khác)"), max_length=200, required=False
    )
    owner_id_number = forms.CharField(
        label=_("Số định danh / mã số thuế chủ hồ sơ"),
        max_length=14,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    address = forms.CharField(label=_("Địa chỉ liên hệ"), max_length=300, required=False)
    phone = forms.RegexField(
        label=_("Số điện thoại"),
        regex=r"^\+?[0-9 .]{8,20}$",
        max_length=20,
        required=False,
        error_messages={"invalid": _("Số điện thoại chỉ gồm chữ số (8–15 số).")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("Thư điện tử"), max_length=254, required=False)
    result_delivery = forms.ChoiceField(
        label=_("Hình thức nhận kết quả"),
        choices=ResultDelivery.choices,
        initial=ResultDelivery.ONLINE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, applicant: User, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(UnitChoiceField, self.fields["receiving_unit"])
        field.queryset = units
        field.choices = grouped_unit_choices(units, str(field.empty_label))
        if "receiving_unit" not in self.initial and len(units) == 1:
            self.initial["receiving_unit"] = units[0].pk
        # Submitted from the applicant's own account: who submits is the account holder (chính chủ).
        own_id = applicant.national_id or applicant.tax_code
        if own_id:
            # Disabled fields take the form's initial value, whatever is posted or kept in a draft.
            self.fields["applicant_id_number"].disabled = True
            self.initial["applicant_id_number"] = own_id
            self.fields["applicant_id_number"].help_text = _("Theo tài khoản định danh của bạn.")
            if applicant.full_name:
                self.fields["applicant_name"].disabled = True
                self.initial["applicant_name"] = applicant.full_name
        _style(self)

    def full_clean(self) -> None:
        super().full_clean()
        _style(self)

    def clean_applicant_id_number(self) -> str:
        return _check_id(self.cleaned_data["applicant_id_number"])

    def clean_owner_id_number(self) -> str:
        return _check_id(self.cleaned_data["owner_id_number"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("result_delivery") == ResultDelivery.POST and not data.get("address", "").strip():
            self.add_error("address", _("Nhận kết quả qua bưu chính: hãy ghi địa chỉ nhận."))
        if data.get("owner_id_number") and not data.get("owner_name", "").strip():
            self.add_error("owner_name", _("Hãy ghi họ tên chủ hồ sơ."))
        return data


class ComponentRow(forms.Form):
    """One paper of the procedure: a file to upload, or a document from the applicant's store."""

    file = forms.FileField(label=_("Tệp đính kèm"), required=False)
    reuse = forms.ChoiceField(label=_("Hoặc lấy từ kho dữ liệu của bạn"), required=False)
    remove = forms.BooleanField(label=_("Bỏ tệp đã tải lên"), required=False)

    def __init__(
        self, *args: Any, component: Component, store: list[ReusableDocument], **kwargs: Any
    ) -> None:
        kwargs["prefix"] = f"c{component.pk}"
        super().__init__(*args, **kwargs)
        self.component = component
        self.fields["file"].label = _("Tệp đính kèm (PDF, JPEG, PNG; tối đa %(limit)s)") % {
            "limit": max_upload_label()
        }
        self.fields["file"].widget.attrs["accept"] = (
            ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
        )
        suggested = [d for d in store if d.catalog_component_id == component.pk]
        others = [d for d in store if d.catalog_component_id != component.pk]
        self.offers_store = bool(suggested) or (component.store_eligible and bool(store))
        offered = suggested + (others if component.store_eligible else [])
        choices: list[tuple[str, Any]] = [
            ("", _("— Không dùng —")),
            *((d.key, f"{d.name} · {d.dossier_code}") for d in offered),
        ]
        cast(forms.ChoiceField, self.fields["reuse"]).choices = choices
        _style(self)

    def full_clean(self) -> None:
        super().full_clean()
        _style(self)

    def clean_file(self) -> CheckedFile | None:
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            return check_upload(upload, label=self.component.name)
        return None


class SupplementForm(forms.Form):
    """The applicant's answer to a supplementation request: the files asked for and a note."""

    expected_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Nội dung giải trình, bổ sung"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, items: list[dict[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for index, item in enumerate(items):
            field = forms.FileField(label=item["name"], required=False)
            field.widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
            self.fields[f"item_{index}"] = field
        _style(self)

    def full_clean(self) -> None:
        super().full_clean()
        _style(self)

    def item_fields(self) -> list[tuple[dict[str, str], forms.BoundField]]:
        return [(item, self[f"item_{index}"]) for index, item in enumerate(self.items)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for index, item in enumerate(self.items):
            upload = data.get(f"item_{index}")
            if isinstance(upload, UploadedFile):
                try:
                    data[f"item_{index}"] = check_upload(upload, label=item["name"])
                except forms.ValidationError as error:
                    self.add_error(f"item_{index}", error)
        has_file = any(isinstance(data.get(f"item_{i}"), CheckedFile) for i in range(len(self.items)))
        if not has_file and not data.get("note", "").strip() and not self.errors:
            self.add_error("note", _("Hãy tải lên giấy tờ được yêu cầu hoặc ghi nội dung bổ sung."))
        return data

    def answered_files(self) -> list[tuple[str, CheckedFile]]:
        return [
            (item["name"], self.cleaned_data[f"item_{index}"])
            for index, item in enumerate(self.items)
            if isinstance(self.cleaned_data.get(f"item_{index}"), CheckedFile)
        ]
