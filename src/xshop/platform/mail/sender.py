"""Sends email over SMTP (or SMTPS) with aiosmtplib; one connection per message."""

import logging
from email import errors
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import unquote, urlsplit

import aiosmtplib

from xshop.platform.clock import utcnow

log = logging.getLogger("xshop.mail")
_DEFAULT_PORTS = {"smtp": 25, "smtps": 465}
_MAX_REASON = 300


class MailDeliveryError(Exception):
    """The message could not be handed to the SMTP server. Says why, never what was being sent."""


class SmtpSender:
    """``url`` is ``smtp://[user:pass@]host:port`` (STARTTLS when the server offers it) or ``smtps://``."""

    def __init__(self, url: str, mail_from: str, timeout: float = 10) -> None:
        parts = urlsplit(url)
        if parts.scheme not in _DEFAULT_PORTS:
            raise ValueError(f"unsupported mail URL scheme {parts.scheme!r}; use smtp:// or smtps://")
        self.host = parts.hostname or "localhost"
        self.port = parts.port or _DEFAULT_PORTS[parts.scheme]
        self.use_tls = parts.scheme == "smtps"
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.mail_from = mail_from
        self.timeout = timeout

    async def send(self, *, to: str, subject: str, html: str, text: str, message_id: str) -> None:
        try:
            message = self._compose(to=to, subject=subject, html=html, text=text, message_id=message_id)
        # A line break in an address, a malformed Message-ID (the stdlib parser may even raise
        # IndexError): retrying cannot fix these, but the log should say why.
        except (ValueError, IndexError, errors.MessageError) as exc:
            reason = f"{type(exc).__name__}: {exc}"[:_MAX_REASON]
            raise MailDeliveryError(f"message not composed: {reason}") from exc
        try:
            await aiosmtplib.send(
                message,
                hostname=self.host,
                port=self.port,
                username=self.username,
                password=self.password,
                use_tls=self.use_tls,
                timeout=self.timeout,
            )
        except (aiosmtplib.SMTPException, OSError) as exc:
            reason = f"{type(exc).__name__}: {exc}"[:_MAX_REASON]
            raise MailDeliveryError(f"SMTP {self.host}:{self.port} failed: {reason}") from exc
        log.info("mail %s handed to %s:%d", message_id, self.host, self.port)

    def _compose(self, *, to: str, subject: str, html: str, text: str, message_id: str) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.mail_from
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = format_datetime(utcnow())
        # Stable per event, so a resend after a lost acknowledgement is recognisable as the same email.
        message["Message-ID"] = message_id
        message.set_content(text)
        message.add_alternative(html, subtype="html")
        return message
