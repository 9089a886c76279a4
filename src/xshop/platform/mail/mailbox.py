"""What the mail catcher holds: parsed messages, newest last, and Mailpit's search terms over them."""

import re
import shlex
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from email import errors, policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

SNIPPET_CHARS = 250
_SEARCH_FIELDS = ("to", "from", "subject")
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Party:
    name: str
    address: str

    def matches(self, needle: str) -> bool:
        return needle in f"{self.name} <{self.address}>".lower()


@dataclass(frozen=True)
class CaughtMessage:
    id: str
    message_id: str
    sender: Party
    to: tuple[Party, ...]
    subject: str
    created: datetime
    date: datetime | None
    text: str
    html: str
    size: int

    @classmethod
    def parse(cls, raw: bytes, recipients: list[str], created: datetime) -> "CaughtMessage":
        message = BytesParser(policy=policy.default).parsebytes(raw)
        assert isinstance(message, EmailMessage)  # policy.default parses into EmailMessage
        senders = _parties(message, "From")
        return cls(
            id=str(uuid.uuid4()),
            message_id=str(message.get("Message-ID", "")).strip().strip("<>"),
            sender=senders[0] if senders else Party("", ""),
            # Bcc-only recipients appear in no header: fall back to the SMTP envelope.
            to=_parties(message, "To") or tuple(Party("", r) for r in recipients),
            subject=str(message.get("Subject", "")),
            created=created,
            date=_date(message),
            text=_body(message, "plain"),
            html=_body(message, "html"),
            size=len(raw),
        )

    def record(self) -> dict[str, Any]:
        """A plain summary for tests and scripts; the HTTP API speaks Mailpit's shape instead."""
        return {
            "id": self.id,
            "message_id": self.message_id,
            "from": self.sender.address,
            "to": [party.address for party in self.to],
            "subject": self.subject,
            "created": self.created,
            "text": self.text,
            "html": self.html,
        }

    @property
    def snippet(self) -> str:
        source = self.text or _TAG.sub(" ", self.html)
        return _SPACE.sub(" ", source).strip()[:SNIPPET_CHARS]

    def matches(self, query: str) -> bool:
        """Every term must match: ``to:``, ``from:``, ``subject:`` (quotes for phrases) or a bare word."""
        for field, needle in search_terms(query):
            if field == "to":
                found = any(party.matches(needle) for party in self.to)
            elif field == "from":
                found = self.sender.matches(needle)
            elif field == "subject":
                found = needle in self.subject.lower()
            else:
                found = (
                    self.sender.matches(needle)
                    or any(party.matches(needle) for party in self.to)
                    or needle in self.subject.lower()
                    or needle in self.text.lower()
                )
            if not found:
                return False
        return True


def search_terms(query: str) -> list[tuple[str, str]]:
    """``(field, lower-cased needle)`` pairs; field is ``""`` for a bare word."""
    try:
        tokens = shlex.split(query)
    except ValueError:  # an unbalanced quote, as in "O'Neil": search word by word instead
        tokens = query.split()
    terms = []
    for token in tokens:
        field, colon, needle = token.partition(":")
        if colon and field.lower() in _SEARCH_FIELDS and needle:
            terms.append((field.lower(), needle.lower()))
        elif token:
            terms.append(("", token.lower()))
    return terms


class Mailbox:
    """The newest ``capacity`` messages, in memory; the oldest go first when it is full."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._messages: OrderedDict[str, CaughtMessage] = OrderedDict()

    def __len__(self) -> int:
        return len(self._messages)

    def add(self, message: CaughtMessage) -> None:
        self._messages[message.id] = message
        while len(self._messages) > self.capacity:
            self._messages.popitem(last=False)

    def get(self, message_id: str) -> CaughtMessage | None:
        return self._messages.get(message_id)

    def newest_first(self) -> list[CaughtMessage]:
        return list(reversed(self._messages.values()))

    def search(self, query: str) -> list[CaughtMessage]:
        return [message for message in self.newest_first() if message.matches(query)]

    def clear(self) -> None:
        self._messages.clear()


def _parties(message: EmailMessage, header: str) -> tuple[Party, ...]:
    try:
        value: Any = message.get(header)
        addresses = getattr(value, "addresses", ())
        return tuple(Party(a.display_name, a.addr_spec) for a in addresses)
    except (errors.MessageError, ValueError, IndexError):  # a catcher keeps whatever arrives
        return ()


def _date(message: EmailMessage) -> datetime | None:
    try:
        return getattr(message.get("Date"), "datetime", None)
    except (errors.MessageError, ValueError, IndexError):
        return None


def _body(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    if part is None:
        return ""
    try:
        content = str(part.get_content())
    except (LookupError, ValueError):  # unknown charset or broken encoding: show what we can
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    return content.replace("\r\n", "\n")
