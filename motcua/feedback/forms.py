"""The rating form shared by the portal (online rating) and the counter device (office).

It only parses and validates; ``services.rate_dossier`` checks the rules again and writes.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Rating
from motcua.feedback import indices


class RatingForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("Mức độ hài lòng chung"),
        choices=Rating.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={
            "required": _("Hãy chọn mức độ hài lòng chung."),
            "invalid_choice": _("Mức độ hài lòng chỉ có: rất hài lòng, hài lòng, không hài lòng."),
        },
    )
    comment = forms.CharField(
        label=_("Ý kiến khác (không bắt buộc)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        error_messages={
            "max_length": _("Ý kiến khác dài tối đa %(limit_value)d ký tự (đang có %(show_value)d).")
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index in indices.APPLICANT_INDICES:
            message = _("%(question)s: hãy chọn một trong các mức 0, 1 hoặc 2 điểm.") % {
                "question": index.question
            }
            self.fields[index.field] = forms.TypedChoiceField(
                label=str(index.question),
                choices=index.choices(),
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": message, "invalid_choice": message},
            )

    def index_fields(self) -> list[forms.BoundField]:
        return [self[field] for field in indices.INDEX_FIELDS]

    def scores(self) -> dict[str, int]:
        return {field: self.cleaned_data[field] for field in indices.INDEX_FIELDS}
