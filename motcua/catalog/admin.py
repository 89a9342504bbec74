"""Admin for the procedure catalog: fields, procedures with their components and fees, and the
internal processes with their steps. The change form follows the 7 published parts."""

from typing import TYPE_CHECKING, cast

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import (
    Component,
    FeeItem,
    Field,
    InternalProcess,
    Procedure,
    ProcedureQuerySet,
    ProcessStep,
)

if TYPE_CHECKING:
    _FieldAdminBase = admin.ModelAdmin[Field]
    _ProcedureAdminBase = admin.ModelAdmin[Procedure]
    _InternalProcessAdminBase = admin.ModelAdmin[InternalProcess]
    _ComponentInlineBase = admin.TabularInline[Component, Procedure]
    _FeeItemInlineBase = admin.TabularInline[FeeItem, Procedure]
    _ProcessStepInlineBase = admin.TabularInline[ProcessStep, InternalProcess]
else:
    _FieldAdminBase = _ProcedureAdminBase = _InternalProcessAdminBase = admin.ModelAdmin
    _ComponentInlineBase = _FeeItemInlineBase = _ProcessStepInlineBase = admin.TabularInline


@admin.register(Field)
class FieldAdmin(_FieldAdminBase):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class ComponentInline(_ComponentInlineBase):
    model = Component
    extra = 0
    fields = ["position", "name", "copy_type", "count", "form_template", "is_required", "store_eligible"]


class FeeItemInline(_FeeItemInlineBase):
    model = FeeItem
    extra = 0


@admin.register(Procedure)
class ProcedureAdmin(_ProcedureAdminBase):
    list_display = ["code", "name", "field", "level", "online_level", "publication_state", "published_on"]
    list_filter = ["level", "online_level", "publication_state", "full_online_eligible", "field"]
    list_select_related = ["field"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["field"]
    readonly_fields = ["created_at", "modified_at"]
    inlines = [ComponentInline, FeeItemInline]
    fieldsets = (
        (None, {"fields": ("code", "name", "field", "level")}),
        (
            _("Nội dung công khai"),
            {
                "fields": (
                    "sequence",
                    "method",
                    "conditions",
                    ("time_limit", "time_unit"),
                    "time_limit_note",
                    "subjects",
                    "implementing_agency",
                    "competent_authority",
                    "result",
                    "result_required",
                    "legal_basis",
                )
            },
        ),
        (_("Phí, lệ phí"), {"fields": ("fee_vnd", "fee_timing")}),
        (_("Dịch vụ công trực tuyến"), {"fields": ("online_level", "full_online_eligible")}),
        (
            _("Công bố, công khai"),
            {
                "fields": (
                    "publication_state",
                    ("decision_number", "decision_date"),
                    ("published_on", "updated_on"),
                    ("created_at", "modified_at"),
                )
            },
        ),
    )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Procedure], search_term: str
    ) -> tuple[QuerySet[Procedure], bool]:
        """Also match without diacritics: "khai sinh" finds "Đăng ký khai sinh"."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            results |= cast(ProcedureQuerySet, queryset).search(search_term)
        return results, may_have_duplicates


class ProcessStepInline(_ProcessStepInlineBase):
    model = ProcessStep
    extra = 0
    autocomplete_fields = ["performing_unit"]


@admin.register(InternalProcess)
class InternalProcessAdmin(_InternalProcessAdminBase):
    list_display = ["name", "procedure", "unit", "valid_from", "decision_number"]
    list_filter = ["procedure__level", "valid_from"]
    list_select_related = ["procedure", "unit"]
    search_fields = ["name", "procedure__code", "procedure__name", "unit__code", "unit__name"]
    autocomplete_fields = ["procedure", "unit"]
    inlines = [ProcessStepInline]
