"""Zalo Notification Service (ZNS): a template message approved by Zalo, addressed by phone number.

Protocol (Zalo ``POST https://business.openapi.zalo.me/message/template``):

    headers: access_token: <OA access token>, Content-Type: application/json
    {"phone": "84912345678", "template_id": "231456",
     "template_data": {"code": "...", "procedure": "...", "due_date": "...", "url": "..."},
     "tracking_id": "motcua-42"}
    200 {"error": 0, "message": "Success", "data": {"msg_id": "...", "sent_time": "..."}}

``error`` 0 is accepted; -100 ("unknown error, try again later") is retried, as are HTTP 5xx/429 and
timeouts; every other code (invalid phone -108, invalid template -109, invalid template data -112,
invalid access token -124, out of quota, user does not receive ZNS, ...) is permanent. The text is
Zalo's approved template: we only send the fields (``templates.NoticeTemplate.fields``).
"""

from django.conf import settings

from motcua.notifications.channels.base import (
    PermanentError,
    TransientError,
    international_phone,
    tracking_id,
)
from motcua.notifications.channels.http import post_json
from motcua.notifications.models import Message
from motcua.notifications.templates import get_template

TRANSIENT_CODES = frozenset({-100})


def configured_for(template: str) -> bool:
    """Zalo is used only with a URL, a token and an approved ZNS template for this notice."""
    return bool(
        settings.NOTIFICATIONS_ZALO_URL
        and settings.NOTIFICATIONS_ZALO_ACCESS_TOKEN
        and settings.NOTIFICATIONS_ZALO_TEMPLATES.get(template)
    )


class ZaloChannel:
    name = "zalo"

    def send(self, message: Message) -> str:
        if not configured_for(message.template):
            raise PermanentError("zalo:not_configured")
        fields = get_template(message.template).fields
        payload = {
            "phone": international_phone(message.address),
            "template_id": settings.NOTIFICATIONS_ZALO_TEMPLATES[message.template],
            "template_data": {name: str(message.context.get(name, "")) for name in fields},
            "tracking_id": tracking_id(message),
        }
        headers = {"access_token": settings.NOTIFICATIONS_ZALO_ACCESS_TOKEN}
        data = post_json(settings.NOTIFICATIONS_ZALO_URL, payload, headers=headers, what="zalo")
        code = data.get("error")
        if code == 0:
            inner = data.get("data")
            msg_id = inner.get("msg_id") if isinstance(inner, dict) else None
            return str(msg_id or tracking_id(message))
        if code in TRANSIENT_CODES:
            raise TransientError(f"zalo:error_{code}")
        raise PermanentError(f"zalo:error_{code}")
