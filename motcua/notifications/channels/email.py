"""Email through Django's mailer (``settings.MAILERS["default"]``: SMTP in production).

SMTP reply codes: 4xx are transient (greylisting, mailbox busy, server shutting down), 5xx permanent
(RFC 5321 §4.2.1). Connection errors and timeouts are transient.
"""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage

from motcua.notifications.channels.base import PermanentError, TransientError
from motcua.notifications.models import Message


class EmailChannel:
    name = "email"

    def send(self, message: Message) -> str:
        msg_id = f"<motcua-{message.pk}@{_domain()}>"
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.address],
            headers={"Message-ID": msg_id, "Auto-Submitted": "auto-generated"},
        )
        try:
            sent = email.send(using="default")
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise _by_code(min(codes) if codes else 550, "recipient_refused") from None
        except smtplib.SMTPResponseException as exc:
            raise _by_code(exc.smtp_code, "smtp") from None
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError) as exc:
            raise TransientError(f"smtp_connection:{type(exc).__name__}") from None
        except smtplib.SMTPException as exc:
            raise PermanentError(f"smtp:{type(exc).__name__}") from None
        except OSError as exc:  # refused, reset, timed out, name not resolved
            raise TransientError(f"connection:{type(exc).__name__}") from None
        if sent != 1:
            raise TransientError("smtp_not_sent")
        return msg_id


def _by_code(code: int, what: str) -> TransientError | PermanentError:
    if 400 <= code < 500:
        return TransientError(f"{what}:{code}")
    return PermanentError(f"{what}:{code}")


def _domain() -> str:
    sender = str(settings.DEFAULT_FROM_EMAIL)
    return sender.rsplit("@", 1)[-1].strip(" >") or "motcua.local"
