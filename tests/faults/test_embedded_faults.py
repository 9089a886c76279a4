"""Faults in the embedded runtime (``xshop run``): SMTP down, the users service down, a database
locked, a consumer failing half-way through its work, and the process killed with SIGKILL while its
relays and consumers are busy. Each counts requests, events, effects and emails: nothing lost,
nothing doubled, nothing half-written."""

import asyncio
import contextlib
import os
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import httpx

from tests.credentials import bearer
from tests.faults.embedded_support import (
    HttpService,
    RecordingSmtp,
    audit_records,
    pending_work,
    published_events,
    register,
)
from tests.faults.ledger import FaultCount, Outcome, tally
from tests.helpers import ShopDriver
from tests.runtimes import XSHOP
from tests.waiting import eventually, free_port
from xshop.platform.security.tokens import JwtCodec

Report = Callable[[FaultCount], None]


async def count(
    shop: ShopDriver, fault: str, outcomes: Iterable[Outcome], mailed: Callable[[], list[tuple[str, str]]]
) -> FaultCount:
    """The counts once every accepted registration's effects are in, or after 30 s with what is."""
    outcomes = list(outcomes)
    data = shop.settings.data_dir
    async with shop.client("audit") as audit:

        async def complete() -> FaultCount | None:
            await shop.idle(timeout=30)
            audited = await audit_records(audit, shop.token(["admin"]))
            counted = tally(fault, "embedded", outcomes, audited, mailed(), published_events(data))
            return counted if counted.lost == 0 else None

        try:
            return await eventually(complete, timeout=30)
        except AssertionError:
            audited = await audit_records(audit, shop.token(["admin"]))
            return tally(fault, "embedded", outcomes, audited, mailed(), published_events(data))


def caught(shop: ShopDriver) -> Callable[[], list[tuple[str, str]]]:
    mail = shop.shop.mail
    assert mail is not None
    return lambda: [(m["to"][0].lower(), m["message_id"]) for m in mail.messages]


async def email_logs(shop: ShopDriver, **filters: str) -> list[dict]:
    async with shop.client("notifications") as notifications:
        response = await notifications.get(
            "/api/notifications/email-logs",
            params={"pageSize": 100, **filters},
            headers=shop.token(["admin"]),
        )
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def test_smtp_down_then_up(make_shop, report: Report):
    port, smtp = free_port(), RecordingSmtp()
    async with make_shop(smtp_url=f"smtp://127.0.0.1:{port}", event_max_attempts=60) as shop:
        outcomes = await asyncio.gather(*(register(shop.bff, f"smtp-{i}@example.com") for i in range(20)))

        async def every_email_failed() -> bool:
            logs = await email_logs(shop, status="failed")
            return len(logs) == 20 and all(log["attempts"] >= 1 for log in logs)

        await eventually(every_email_failed, timeout=15, what="every email to fail while SMTP is down")
        await smtp.start(port)
        try:
            await eventually(lambda: len(smtp.accepted) >= 20, timeout=30, what="20 emails after SMTP is up")
            counted = await count(shop, "smtp_down", outcomes, lambda: smtp.accepted)
        finally:
            await smtp.stop()
    report(counted)
    assert counted.answered == counted.accepted == 20


async def test_users_service_down_during_registration(make_shop, report: Report):
    port = free_port()
    settings = {
        "service_timeout_seconds": 2,
        "database_retry_seconds": 1,
        "service_circuit_cooldown_seconds": 0.5,
    }
    async with make_shop(users_url=f"http://127.0.0.1:{port}", **settings) as shop:
        users = HttpService(shop.shop.units["users"].app, port)
        await users.start()

        async def burst(prefix: str, n: int) -> list[Outcome]:
            async def paced(i: int) -> Outcome:
                await asyncio.sleep(i * 0.02)
                return await register(shop.bff, f"{prefix}-{i}@example.com")

            return list(await asyncio.gather(*(paced(i) for i in range(n))))

        crossing = asyncio.create_task(burst("crossing", 20))
        await asyncio.sleep(0.15)  # the service goes down with registrations in flight and still coming
        await users.stop()
        await crossing
        while_down = await burst("down", 10)
        await users.start()
        await asyncio.sleep(0.6)  # the open circuits' cooldown: the next call is their trial
        after = [await register(shop.bff, f"after-{i}@example.com") for i in range(10)]
        refused = [o for o in (*crossing.result(), *while_down) if o.status != 201]
        retried = [await register(shop.bff, o.email) for o in refused]
        await users.stop()
        outcomes = [*crossing.result(), *while_down, *after, *retried]
        counted = await count(shop, "users_down", outcomes, caught(shop))
    report(counted)
    # Once the BFF's circuit to auth opens on auth's 503s, the BFF answers for auth at once.
    unavailable = {(503, "USER_SERVICE_UNAVAILABLE"), (503, "AUTH_SERVICE_UNAVAILABLE")}
    assert {(o.status, o.code) for o in refused} <= unavailable
    assert len(refused) >= 10
    assert all(o.status == 201 for o in (*after, *retried))
    assert counted.answered == counted.requests


def hold_write_locks(paths: list[Path], seconds: float, held: threading.Event) -> None:
    """What another program writing to the files does to the shop: BEGIN IMMEDIATE on each, held."""
    connections = [sqlite3.connect(path, isolation_level=None) for path in paths]
    try:
        for conn in connections:
            conn.execute("BEGIN IMMEDIATE")
        held.set()
        time.sleep(seconds)
    finally:
        for conn in connections:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            conn.close()


async def test_database_locked_for_a_moment(make_shop, report: Report):
    async with make_shop() as shop:
        data = shop.settings.data_dir
        held = threading.Event()
        locked = [data / "users.sqlite", data / "auth.sqlite", data / "bus.sqlite"]
        holder = asyncio.create_task(asyncio.to_thread(hold_write_locks, locked, 2.0, held))
        await eventually(held.is_set, what="the write locks")
        started = time.monotonic()
        outcomes = await asyncio.gather(*(register(shop.bff, f"locked-{i}@example.com") for i in range(20)))
        waited = time.monotonic() - started
        await holder
        counted = await count(shop, "database_locked", outcomes, caught(shop))
    report(counted)
    assert waited >= 1.5, "the registrations should have waited for the lock"
    assert counted.answered == counted.accepted == 20


async def test_consumer_fails_half_way_through_sending(make_shop, report: Report):
    port, smtp = free_port(), RecordingSmtp(drop_first_data=True)
    await smtp.start(port)
    try:
        async with make_shop(smtp_url=f"smtp://127.0.0.1:{port}") as shop:
            outcomes = await asyncio.gather(*(register(shop.bff, f"half-{i}@example.com") for i in range(20)))
            await eventually(lambda: len(smtp.accepted) >= 20, timeout=30, what="20 emails")
            counted = await count(shop, "consumer_crash", outcomes, lambda: smtp.accepted)
            logs = await email_logs(shop)
    finally:
        await smtp.stop()
    report(counted)
    assert len(smtp.dropped) == 20
    assert sorted(log["attempts"] for log in logs) == [2] * 20
    assert all(log["status"] == "sent" for log in logs)


def start_embedded(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen([XSHOP, "run"], env=env, stdout=out, stderr=subprocess.STDOUT)


async def wait_ready(process: subprocess.Popen[bytes], ports: dict[str, int]) -> None:
    async with httpx.AsyncClient(timeout=2) as http:

        async def ready() -> bool:
            assert process.poll() is None, "xshop run exited"
            try:
                for name in ("gateway", "auth", "users", "notifications", "audit"):
                    if (await http.get(f"http://127.0.0.1:{ports[name]}/health/ready")).status_code != 200:
                        return False
            except httpx.TransportError:
                return False
            return True

        await eventually(ready, timeout=60, what="xshop run to be ready")


async def test_sigkill_during_relay(tmp_path: Path, report: Report):
    names = ("gateway", "auth", "users", "notifications", "audit", "catalog", "orders", "events")
    ports = {name: free_port() for name in (*names, "mail_http", "mail_smtp")}
    smtp_port, smtp = free_port(), RecordingSmtp()
    secret = "fault-secret-" + "x" * 40
    env = {k: v for k, v in os.environ.items() if not k.startswith("XSHOP_")}
    env |= {f"XSHOP_{name.upper()}_PORT": str(port) for name, port in ports.items()}
    env |= {
        "XSHOP_DATA_DIR": str(tmp_path),
        "XSHOP_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
        "XSHOP_JWT_SECRET": secret,
        "XSHOP_BCRYPT_ROUNDS": "4",
        # Redeliveries (up to ~2 min) must outlast the claim a send cut short by the kill leaves behind.
        "XSHOP_MAIL_CLAIM_SECONDS": "10",
        "XSHOP_EVENT_RETRY_BASE_SECONDS": "0.2",
        "XSHOP_EVENT_RETRY_MAX_SECONDS": "2",
        "XSHOP_EVENT_MAX_ATTEMPTS": "60",
        "XSHOP_RELAY_POLL_SECONDS": "0.1",
        "XSHOP_LOG_LEVEL": "WARNING",
    }
    log = tmp_path / "xshop-run.log"
    await smtp.start(smtp_port)
    process = start_embedded(env, log)
    try:
        await wait_ready(process, ports)
        gateway = f"http://127.0.0.1:{ports['gateway']}"
        async with httpx.AsyncClient(base_url=gateway, timeout=30) as bff:
            outcomes = await asyncio.gather(*(register(bff, f"killed-{i}@example.com") for i in range(40)))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        interrupted = pending_work(tmp_path)
        mailed_before = len(smtp.accepted)

        process = start_embedded(env, log)
        await wait_ready(process, ports)
        await eventually(lambda: pending_work(tmp_path) == 0, timeout=90, what="the backlog to drain")
        headers = bearer(JwtCodec(secret, "xshop", "xshop"), ["admin"])
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{ports['audit']}") as audit:
            audited = await audit_records(audit, headers)
        counted = tally(
            "sigkill_relay", "embedded", outcomes, audited, smtp.accepted, published_events(tmp_path)
        )
    finally:
        process.terminate()
        process.wait(timeout=30)
        await smtp.stop()
    print(f"at the kill: {interrupted} events or messages pending, {mailed_before} of 40 emails sent")
    report(counted)
    assert interrupted > 0, "the kill should interrupt pending relay or consumer work"
    assert counted.answered == counted.accepted == 40
