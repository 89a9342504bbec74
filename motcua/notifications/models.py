"""The notifications outbox: one row per message per channel, written in the caller's transaction.

The row is the durable record of what the applicant was (or will be) told. A delivery worker
(``tasks.deliver``, the ``deliver-notifications`` command) sends due rows; a row already sent is never
sent again. ``last_error`` holds the gateway's error class/code only, never the address or the text
(Luật Bảo vệ dữ liệu cá nhân 2025; Nghị định 13/2023/NĐ-CP on personal data).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageChannel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    ZALO = "zalo", _("Zalo")
    PORTAL = "portal", _("Tài khoản trên Cổng dịch vụ công")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Chờ gửi")
    RETRYING = "retrying", _("Đang thử gửi lại")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi không thành công")


class Message(models.Model):
    """One outbox row. ``dedupe_key`` + channel identify it: enqueueing the same notice twice (a
    retried request, a double click) returns the existing rows instead of writing new ones.

    ``address`` is the email address or phone number for email/SMS/Zalo, empty for the portal inbox
    (``user``). ``body`` is what was sent: the SMS text for SMS, the full text otherwise."""

    channel = models.CharField(_("kênh"), max_length=10, choices=MessageChannel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )
    address = models.CharField(_("địa chỉ nhận"), max_length=254, blank=True)
    template = models.CharField(_("mẫu"), max_length=50)
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    body = models.TextField(_("nội dung"))
    context = models.JSONField(_("dữ liệu mẫu"), default=dict, blank=True)
    dedupe_key = models.CharField(_("khoá chống trùng"), max_length=200)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("lần gửi tiếp theo"), null=True, blank=True)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=255, blank=True)
    provider_id = models.CharField(_("mã tin của nhà cung cấp"), max_length=100, blank=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        constraints = [
            # One notice, one row per channel: a replayed enqueue cannot double a message.
            models.UniqueConstraint(fields=["dedupe_key", "channel"], name="notif_msg_dedupe_channel"),
            models.CheckConstraint(
                condition=~models.Q(channel="portal") | models.Q(user__isnull=False),
                name="notif_msg_portal_has_user",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notif_msg_due"),
            models.Index(fields=["user", "channel", "-created_at"], name="notif_msg_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.channel} {self.template} {self.status}"
