"""Admin for operators: the outbox, read-only, with one action — send failed rows again."""

from typing import TYPE_CHECKING

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from motcua.notifications.models import Message
from motcua.notifications.services import requeue_failed

# ModelAdmin is generic only in django-stubs; subscripting it at runtime needs django_stubs_ext.
if TYPE_CHECKING:
    _MessageAdminBase = admin.ModelAdmin[Message]
else:
    _MessageAdminBase = admin.ModelAdmin


@admin.register(Message)
class MessageAdmin(_MessageAdminBase):
    """The outbox rows (see docs/notifications.md). Written only by ``services.enqueue`` and the
    delivery worker; an operator looks, filters and re-sends failed rows after fixing the cause."""

    list_display = [
        "id",
        "channel",
        "template",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
    ]
    list_filter = ["status", "channel", "template"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    actions = ["send_again"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False

    def has_send_again_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    @admin.action(description=_("Gửi lại các thông báo không thành công đã chọn"), permissions=["send_again"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        count = requeue_failed(message_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext(
                "Đã xếp %(count)d thông báo để gửi lại.", "Đã xếp %(count)d thông báo để gửi lại.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )
