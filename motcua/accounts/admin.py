"""Admin for users: Django's user admin plus the account kind and the citizen identity fields.

National ID and tax code are not search fields: an admin search puts the term in the URL, and
personal identifiers stay out of URLs and access logs (QUALITY.md, security item 8).
"""

from typing import TYPE_CHECKING

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Representation, User

if TYPE_CHECKING:
    _UserAdminBase = DjangoUserAdmin[User]
else:
    _UserAdminBase = DjangoUserAdmin

IDENTITY_FIELDS = ("kind", "full_name", "national_id", "tax_code", "phone")


@admin.register(User)
class UserAdmin(_UserAdminBase):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân, định danh"), {"fields": (*IDENTITY_FIELDS, "email", "birth_date")}),
        (_("Xác thực"), {"fields": ("oidc_subject", "identity_verified_at", "contact_verified_at")}),
        (
            _("Quyền"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        (_("Thông tin cá nhân, định danh"), {"fields": IDENTITY_FIELDS}),
    )
    list_display = ["username", "full_name", "kind", "is_staff", "is_active", "last_login"]
    list_filter = ["kind", "is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["username", "full_name"]
    ordering = ["username"]
    readonly_fields = ["oidc_subject", "identity_verified_at", "contact_verified_at"]


@admin.register(Representation)
class RepresentationAdmin(admin.ModelAdmin[Representation]):
    """Read-only: organisations manage their representatives on the portal."""

    list_display = ["organisation", "representative", "title", "created_at", "revoked_at"]
    list_select_related = ["organisation", "representative"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Representation | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Representation | None = None) -> bool:
        return False
