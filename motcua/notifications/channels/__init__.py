"""Delivery channels behind one interface (``base.Channel``): email, SMS, Zalo ZNS."""

from motcua.notifications.channels.base import Channel, DeliveryError, PermanentError, TransientError
from motcua.notifications.channels.email import EmailChannel
from motcua.notifications.channels.sms import SmsChannel
from motcua.notifications.channels.zalo import ZaloChannel, configured_for

__all__ = ["Channel", "DeliveryError", "PermanentError", "TransientError", "get_channel"]

_CHANNELS: dict[str, Channel] = {c.name: c for c in (EmailChannel(), SmsChannel(), ZaloChannel())}


def get_channel(name: str) -> Channel:
    return _CHANNELS[name]


def zalo_configured_for(template: str) -> bool:
    return configured_for(template)
