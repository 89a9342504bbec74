"""SMS through a Vietnamese brandname-SMS gateway (tin nhắn thương hiệu, CSKH type).

Assumed protocol (the shape shared by the common gateways, e.g. eSMS ``SendMultipleMessage_V4_post_json``;
map another gateway's codes in ``TRANSIENT_CODES`` / ``DUPLICATE_CODES``):

    POST <MOTCUA_SMS_URL>   Content-Type: application/json
    {"ApiKey": "...", "SecretKey": "...", "Brandname": "MOTCUA", "SmsType": "2",
     "Phone": "84912345678", "Content": "Ho so ... da duoc tiep nhan ...", "IsUnicode": "0",
     "RequestId": "motcua-42"}
    200 {"CodeResult": "100", "SMSID": "b1d5...", "ErrorMessage": ""}

``CodeResult`` "100" is accepted. "99" (unknown error) and "103" (balance too low — the operator tops
up) are retried; "124" (RequestId already used) means this row was already sent. Any other code
(wrong key "101", locked account "102", brandname not registered "104", invalid phone "118", content
not matching the registered template "119", ...) is permanent. Brandname SMS are sent without
diacritics: Unicode texts are billed per 70 characters and many handsets truncate them.
"""

import unicodedata

from django.conf import settings

from motcua.notifications.channels.base import (
    PermanentError,
    TransientError,
    international_phone,
    tracking_id,
)
from motcua.notifications.channels.http import post_json
from motcua.notifications.models import Message

ACCEPTED = "100"
TRANSIENT_CODES = frozenset({"99", "103"})
DUPLICATE_CODES = frozenset({"124"})
_D_TABLE = str.maketrans({"đ": "d", "Đ": "D"})


def without_diacritics(text: str) -> str:
    """Vietnamese text in plain ASCII letters, case kept ("Hồ sơ Đã" → "Ho so Da")."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_TABLE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class SmsChannel:
    name = "sms"

    def send(self, message: Message) -> str:
        url = settings.NOTIFICATIONS_SMS_URL
        if not url:
            raise PermanentError("sms:not_configured")
        payload = {
            "ApiKey": settings.NOTIFICATIONS_SMS_API_KEY,
            "SecretKey": settings.NOTIFICATIONS_SMS_SECRET_KEY,
            "Brandname": settings.NOTIFICATIONS_SMS_BRANDNAME,
            "SmsType": "2",
            "Phone": international_phone(message.address),
            "Content": without_diacritics(message.body),
            "IsUnicode": "0",
            "RequestId": tracking_id(message),
        }
        data = post_json(url, payload, headers={}, what="sms")
        code = str(data.get("CodeResult", ""))
        if code == ACCEPTED or code in DUPLICATE_CODES:
            return str(data.get("SMSID") or tracking_id(message))
        if code in TRANSIENT_CODES:
            raise TransientError(f"sms:code_{code}")
        raise PermanentError(f"sms:code_{code or 'missing'}")
