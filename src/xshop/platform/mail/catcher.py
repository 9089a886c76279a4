"""A development mail catcher: an SMTP server that keeps what it receives, and a Mailpit-compatible
HTTP API subset (plus a plain inbox page) to read it. Tests and the browser suite read real emails here."""

import asyncio
import weakref
from datetime import UTC, datetime
from typing import Annotated, Any

from aiosmtpd.smtp import SMTP, Envelope, Session
from fastapi import APIRouter, FastAPI, Query
from pydantic import BaseModel

from xshop.platform.clock import utcnow
from xshop.platform.errors import not_found
from xshop.platform.http.app import create_service_app
from xshop.platform.mail import pages
from xshop.platform.mail.mailbox import CaughtMessage, Mailbox, Party
from xshop.platform.metrics import ServiceMetrics

CAPACITY = 5000
_SMTP_HOSTNAME = "xshop-mailcatcher"  # fixed, so the server never waits on a reverse DNS lookup


class MailParty(BaseModel):
    Name: str
    Address: str


class MessageSummary(BaseModel):
    ID: str
    MessageID: str
    From: MailParty
    To: list[MailParty]
    Subject: str
    Created: str
    Size: int
    Snippet: str


class MessageDetail(MessageSummary):
    Date: str
    Text: str
    HTML: str


class MessagesPage(BaseModel):
    total: int
    count: int
    start: int
    messages_count: int
    messages: list[MessageSummary]


class Status(BaseModel):
    status: str


def rfc3339_ms(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _Delivery:
    """aiosmtpd handler: parse and keep every message, stamped when its DATA arrives."""

    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        self.mailbox.add(CaughtMessage.parse(raw, list(envelope.rcpt_tos), utcnow()))
        return "250 Message accepted for delivery"


class MailCatcher:
    """``start_smtp`` serves SMTP on the running event loop; ``app`` is the HTTP side."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self.mailbox = Mailbox(capacity)
        self.port: int | None = None
        self._server: asyncio.Server | None = None
        self._sessions: weakref.WeakSet[SMTP] = weakref.WeakSet()
        self.app = _http_app(self.mailbox)

    @property
    def messages(self) -> list[dict[str, Any]]:
        """What was caught, oldest first, as plain records."""
        return [message.record() for message in reversed(self.mailbox.newest_first())]

    async def start_smtp(self, host: str, port: int) -> None:
        """Listen on ``host:port``; port 0 picks a free one, readable afterwards as ``self.port``."""
        if self._server is not None:
            raise RuntimeError("the mail catcher's SMTP server is already running")
        loop = asyncio.get_running_loop()
        delivery = _Delivery(self.mailbox)

        def session() -> SMTP:
            protocol = SMTP(delivery, hostname=_SMTP_HOSTNAME, enable_SMTPUTF8=True, loop=loop)
            self._sessions.add(protocol)
            return protocol

        self._server = await loop.create_server(session, host, port)
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def stop_smtp(self) -> None:
        """Stop listening and drop open sessions, so a stop never waits on an idle client."""
        if self._server is None:
            return
        self._server.close()
        for protocol in list(self._sessions):
            if protocol.transport is not None:
                protocol.transport.close()
        await self._server.wait_closed()
        self._server = None
        await asyncio.sleep(0)  # let the closed sessions run their connection_lost callbacks


def _party(party: Party) -> MailParty:
    return MailParty(Name=party.name, Address=party.address)


def _summary(message: CaughtMessage) -> MessageSummary:
    return MessageSummary(
        ID=message.id,
        MessageID=message.message_id,
        From=_party(message.sender),
        To=[_party(p) for p in message.to],
        Subject=message.subject,
        Created=rfc3339_ms(message.created),
        Size=message.size,
        Snippet=message.snippet,
    )


def _page(mailbox: Mailbox, matched: list[CaughtMessage], start: int, limit: int) -> MessagesPage:
    chosen = matched[start : start + limit]
    return MessagesPage(
        total=len(mailbox),
        count=len(chosen),
        start=start,
        messages_count=len(matched),
        messages=[_summary(m) for m in chosen],
    )


Start = Annotated[int, Query(ge=0, description="How many of the newest messages to skip")]
Limit = Annotated[int, Query(ge=1, le=CAPACITY, description="How many messages to return")]
SearchQuery = Annotated[str, Query(min_length=1, max_length=1000, description='e.g. to:a@b subject:"Verify"')]
_NOT_FOUND: dict[int | str, dict[str, str]] = {404: {"description": "`NOT_FOUND`"}}
_INVALID: dict[int | str, dict[str, str]] = {400: {"description": "`VALIDATION_FAILED`"}}


def _http_app(mailbox: Mailbox) -> FastAPI:
    app = create_service_app(
        service="mailcatcher",
        title="xshop mail catcher",
        description="Development SMTP catcher with a Mailpit-compatible API subset.",
        metrics=ServiceMetrics("mailcatcher"),
        readiness={},
        max_body_bytes=64 * 1024,
    )
    api = APIRouter(prefix="/api/v1", tags=["messages"])

    def found(message_id: str) -> CaughtMessage:
        message = mailbox.get(message_id)
        if message is None:
            raise not_found("Message")
        return message

    @api.get("/messages", response_model=MessagesPage)
    async def list_messages(start: Start = 0, limit: Limit = 50) -> MessagesPage:
        """Caught messages, newest first."""
        return _page(mailbox, mailbox.newest_first(), start, limit)

    @api.get("/message/{message_id}", response_model=MessageDetail, responses=_NOT_FOUND)
    async def get_message(message_id: str) -> MessageDetail:
        message = found(message_id)
        return MessageDetail(
            **_summary(message).model_dump(),
            Date=rfc3339_ms(message.date or message.created),
            Text=message.text,
            HTML=message.html,
        )

    @api.delete("/messages", response_model=Status)
    async def delete_messages() -> Status:
        mailbox.clear()
        return Status(status="ok")

    @api.get("/search", response_model=MessagesPage, responses=_INVALID)
    async def search_messages(
        query: SearchQuery,
        start: Start = 0,
        limit: Limit = 50,
    ) -> MessagesPage:
        """Messages matching every term: `to:`, `from:`, `subject:` or a bare word; newest first."""
        return _page(mailbox, mailbox.search(query), start, limit)

    app.include_router(api)
    app.include_router(pages.router(mailbox, found))
    return app
