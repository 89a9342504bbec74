"""Admin for the unit tree, office hours and staff memberships.

Changes to a unit's name or parent go through ``organizations.services`` so each one appends a
``UnitChange`` row; the history itself is shown read-only. Merges and dissolutions are not offered
here: they move subordinate units and belong to their own services.
"""

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.organizations import services
from motcua.organizations.models import Membership, OfficeHours, Unit, UnitChange, UnitQuerySet

admin.site.site_header = _("Quản trị Một Cửa")
admin.site.site_title = _("Quản trị Một Cửa")
admin.site.index_title = _("Danh mục và cấu hình")

# ModelAdmin and InlineModelAdmin are generic only in django-stubs; subscripting them at runtime
# needs django_stubs_ext, so the parameterised bases exist for the type checker only.
if TYPE_CHECKING:
    _UnitAdminBase = admin.ModelAdmin[Unit]
    _MembershipAdminBase = admin.ModelAdmin[Membership]
    _OfficeHoursInlineBase = admin.TabularInline[OfficeHours, Unit]
    _UnitChangeInlineBase = admin.TabularInline[UnitChange, Unit]
    _UnitFormBase = forms.ModelForm[Unit]
else:
    _UnitAdminBase = _MembershipAdminBase = admin.ModelAdmin
    _UnitFormBase = forms.ModelForm
    _OfficeHoursInlineBase = _UnitChangeInlineBase = admin.TabularInline


class OfficeHoursInline(_OfficeHoursInlineBase):
    model = OfficeHours
    extra = 0


HISTORY_FIELDS = (
    "effective_on",
    "kind",
    "old_name",
    "new_name",
    "old_parent",
    "new_parent",
    "other_unit",
    "legal_basis",
    "recorded_by",
    "recorded_at",
)


class UnitChangeInline(_UnitChangeInlineBase):
    """The unit's history: appended by the services, never edited."""

    model = UnitChange
    fk_name = "unit"
    extra = 0
    can_delete = False
    fields = readonly_fields = HISTORY_FIELDS
    verbose_name = _("lịch sử thay đổi")
    verbose_name_plural = _("lịch sử thay đổi")

    def has_add_permission(self, request: HttpRequest, obj: Unit | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Unit | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Unit | None = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[UnitChange]:
        return (
            super()
            .get_queryset(request)
            .select_related("old_parent", "new_parent", "other_unit", "recorded_by")
        )


class UnitAdminForm(_UnitFormBase):
    """Checks the tree rules of ``organizations.services`` before saving, so a refusal is a form error."""

    legal_basis = forms.CharField(
        label=_("căn cứ pháp lý của thay đổi"),
        max_length=255,
        required=False,
        help_text=_("Ghi vào lịch sử đơn vị, ví dụ số nghị quyết sắp xếp đơn vị hành chính."),
    )

    class Meta:
        model = Unit
        fields = ["code", "name", "level", "parent"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        level = cleaned.get("level") or (self.instance.level if self.instance.pk else None)
        parent: Unit | None = cleaned.get("parent")
        if level:
            problem = services.parent_level_problem(level, parent.level if parent is not None else None)
            if problem:
                self.add_error("parent", problem)
        if parent is not None and not parent.is_active:
            self.add_error("parent", _("Đơn vị cấp trên đã ngừng hoạt động."))
        if (
            parent is not None
            and self.instance.pk
            and (parent.pk == self.instance.pk or any(a.pk == self.instance.pk for a in parent.ancestors()))
        ):
            self.add_error(
                "parent", _("Đơn vị cấp trên không thể là chính đơn vị này hoặc đơn vị trực thuộc nó.")
            )
        return cleaned


@admin.register(Unit)
class UnitAdmin(_UnitAdminBase):
    form = UnitAdminForm
    list_display = ["code", "name", "level", "parent", "is_active"]
    list_filter = ["level", "is_active"]
    list_select_related = ["parent"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    inlines = [OfficeHoursInline, UnitChangeInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Unit | None = None) -> list[str]:
        # The agency code never changes; the level changes only by merging or founding a new unit.
        return ["code", "level", "is_active"] if obj is not None else []

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Unit], search_term: str
    ) -> tuple[QuerySet[Unit], bool]:
        """Also match without diacritics: "gia loc" finds "Gia Lộc"."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            results |= cast(UnitQuerySet, queryset).search(search_term)
        return results, may_have_duplicates

    def save_model(
        self, request: HttpRequest, obj: Unit, form: "forms.ModelForm[Unit]", change: bool
    ) -> None:
        by = request.user if isinstance(request.user, User) else None
        legal_basis = form.cleaned_data.get("legal_basis", "")
        if not change:
            created = services.create_unit(
                code=obj.code,
                name=obj.name,
                level=obj.level,
                parent=obj.parent,
                legal_basis=legal_basis,
                by=by,
            )
            # The admin goes on with ``obj`` (inlines, log entry): make it the saved row.
            obj.__dict__.update(created.__dict__)
            return
        stored = Unit.objects.get(pk=obj.pk)
        if "name" in form.changed_data:
            services.rename_unit(unit=stored, name=obj.name, legal_basis=legal_basis, by=by)
        if "parent" in form.changed_data:
            services.reparent_unit(unit=stored, parent=obj.parent, legal_basis=legal_basis, by=by)


@admin.register(Membership)
class MembershipAdmin(_MembershipAdminBase):
    list_display = ["user", "unit", "role", "title", "valid_from", "valid_to", "is_active"]
    list_filter = ["role", "is_active", "unit__level"]
    list_select_related = ["user", "unit"]
    search_fields = ["user__username", "user__full_name", "unit__code", "unit__name"]
    autocomplete_fields = ["user", "unit"]
