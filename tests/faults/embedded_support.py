"""Support for the embedded faults: counts read from a shop's surfaces, SMTP servers that fail on
purpose, and a service app served over real HTTP so it can go down."""

import asyncio
import contextlib
import email
import sqlite3
from collections.abc import Generator
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from aiosmtpd.smtp import SMTP, Envelope, Session
from fastapi import FastAPI

from tests.faults.ledger import Outcome
from tests.helpers import PASSWORD
from tests.waiting import eventually


async def register(bff: httpx.AsyncClient, address: str) -> Outcome:
    body = {"firstName": "Fault", "lastName": "Test", "email": address, "password": PASSWORD}
    try:
        response = await bff.post("/bff/auth/register", json=body)
    except httpx.TransportError:
        return Outcome(address, None)
    code = response.json().get("code") if response.status_code >= 400 else None
    return Outcome(address, response.status_code, code)


async def audit_records(audit: httpx.AsyncClient, headers: dict[str, str]) -> list[tuple[str, str]]:
    """(email, event type) of every audit record, all pages."""
    found: list[tuple[str, str]] = []
    page = 1
    while True:
        response = await audit.get("/api/audit/logs", params={"page": page, "pageSize": 100}, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        found += [(item.get("email") or "", item["eventType"]) for item in body["items"]]
        if not body["hasNext"]:
            return found
        page += 1


def _outbox_count(data_dir: Path, condition: str) -> int:
    total = 0
    for path in sorted(data_dir.glob("*.sqlite")):
        with contextlib.closing(sqlite3.connect(path)) as conn:
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'outbox'").fetchone():
                total += conn.execute(f"SELECT count(*) FROM outbox WHERE {condition}").fetchone()[0]  # noqa: S608
    return total


def published_events(data_dir: Path) -> int:
    """Outbox rows every service has relayed so far."""
    return _outbox_count(data_dir, "published_at IS NOT NULL")


def pending_work(data_dir: Path) -> int:
    """Events not yet relayed plus messages not yet handled: the work a crash interrupts."""
    total = _outbox_count(data_dir, "published_at IS NULL")
    with contextlib.closing(sqlite3.connect(data_dir / "bus.sqlite")) as conn:
        total += conn.execute("SELECT count(*) FROM bus_messages WHERE state = 'ready'").fetchone()[0]
    return total


class RecordingSmtp:
    """An SMTP server that keeps (recipient, Message-ID) of each accepted message. With
    ``drop_first_data`` it closes the connection in the middle of each recipient's first DATA, before
    answering: the client cannot know whether the message arrived, and the server has not accepted it."""

    def __init__(self, *, drop_first_data: bool = False) -> None:
        self.accepted: list[tuple[str, str]] = []
        self.dropped: list[str] = []
        self.drop_first_data = drop_first_data
        self._server: asyncio.Server | None = None

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        recipient = str(envelope.rcpt_tos[0]).lower()
        if self.drop_first_data and recipient not in self.dropped:
            self.dropped.append(recipient)
            assert server.transport is not None
            server.transport.abort()
            return "421 connection dropped"
        message_id = email.message_from_bytes(envelope.original_content or b"")["Message-ID"]
        self.accepted.append((recipient, str(message_id)))
        return "250 Message accepted for delivery"

    async def start(self, port: int) -> None:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: SMTP(self, hostname="fault-smtp", loop=loop), "127.0.0.1", port
        )

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None


class _QuietServer(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        """pytest owns the signals; this server is stopped by the test."""
        yield


class HttpService:
    """One service's app on a real port, in the test's event loop, that the test stops and restarts."""

    def __init__(self, app: FastAPI, port: int) -> None:
        self.app = app
        self.port = port
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[Any] | None = None

    async def start(self) -> None:
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_config=None, access_log=False, lifespan="off"
        )
        server = self._server = _QuietServer(config)
        self._task = asyncio.create_task(server.serve())
        await eventually(lambda: server.started, what=f"a server on port {self.port}")

    async def stop(self) -> None:
        assert self._server is not None and self._task is not None
        self._server.should_exit = True
        await self._task
        self._server = self._task = None
