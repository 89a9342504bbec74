"""Read side of the notifications app: the applicant's in-app list."""

from django.db.models import QuerySet

from motcua.accounts.models import User
from motcua.notifications.models import Message, MessageChannel


def portal_messages_for(user: User) -> QuerySet[Message]:
    """The applicant's in-app notices (channel ``portal``), newest first."""
    return Message.objects.filter(user=user, channel=MessageChannel.PORTAL).order_by("-created_at", "-id")
