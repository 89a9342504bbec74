"""The public procedure search form: a plain GET form that htmx upgrades to live results."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Field, OnlineLevel, ProcedureLevel
from motcua.organizations.models import Unit


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A commune is named with its district: two communes of a province may share a name."""

    def label_from_instance(self, obj: Any) -> str:
        if obj.level == "commune" and obj.parent is not None:
            return f"{obj.name} ({obj.parent.name})"
        return str(obj.name)


class ProcedureSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Tên hoặc mã thủ tục"),
        required=False,
        max_length=200,
        strip=True,
        help_text=_("Có thể gõ không dấu, ví dụ: dang ky khai sinh"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=Field.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("Tất cả lĩnh vực"),
    )
    level = forms.ChoiceField(
        label=_("Cấp thực hiện"),
        choices=[("", _("Tất cả các cấp")), *ProcedureLevel.choices],
        required=False,
    )
    unit = UnitChoiceField(
        label=_("Cơ quan thực hiện"),
        queryset=Unit.objects.active().select_related("parent").order_by("level", "name"),
        to_field_name="code",
        required=False,
        empty_label=_("Tất cả cơ quan"),
    )
    online_level = forms.ChoiceField(
        label=_("Mức độ trực tuyến"),
        choices=[("", _("Tất cả mức độ")), *OnlineLevel.choices],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for form_field in self.fields.values():
            css = "form-select" if isinstance(form_field.widget, forms.Select) else "form-control"
            form_field.widget.attrs["class"] = css

    def filters(self) -> dict[str, Any]:
        """The valid criteria only: a bad value in one filter must not hide the results of the others."""
        self.is_valid()
        for name in self.errors:
            self.fields[name].widget.attrs["class"] += " is-invalid"
        return {name: value for name, value in self.cleaned_data.items() if value}
