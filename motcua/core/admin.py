"""Admin for the shared-kernel tables an operator maintains by hand: the calendar overrides."""

from typing import TYPE_CHECKING

from django.contrib import admin

from motcua.core.models import CalendarOverride

# ModelAdmin is generic only in django-stubs; subscripting it at runtime needs django_stubs_ext.
if TYPE_CHECKING:
    _CalendarOverrideAdminBase = admin.ModelAdmin[CalendarOverride]
else:
    _CalendarOverrideAdminBase = admin.ModelAdmin


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(_CalendarOverrideAdminBase):
    """Compensatory days off and swapped working Saturdays of each year's Government notice.

    ``core.worktime`` applies them on top of the statutory holidays; see docs/working-time.md.
    """

    list_display = ["day", "kind", "note", "legal_basis", "created_at"]
    list_filter = ["kind"]
    search_fields = ["note"]
    date_hierarchy = "day"
    ordering = ["-day"]
