"""SIGKILL in the middle of a burst of registrations, through the session's `xshop up`, which runs
users and notifications twice each (uvicorn's supervisor replaces a dead worker): one users worker
and one notifications worker die mid-load. Every registration answered 201 still gets exactly one
verification email and exactly one audit record of each of its events (outbox: nothing committed is
lost; inbox and email log: nothing is done twice); a registration answered with an error left
nothing of auth's behind."""

import contextlib
import os
import signal
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.distributed.test_up import admin_headers, messages_to
from tests.runtimes import DistributedShop, rabbitmqctl
from tests.waiting import wait_for

pytestmark = pytest.mark.distributed
REGISTRATIONS = 80
QUEUE = "notification-service-queue"
EVENTS = ("user.created", "auth.user.registered", "auth.email.verification.requested")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_text().replace("\0", " ")
    except OSError:
        return ""


def workers(shop: DistributedShop, service: str) -> list[int]:
    """The uvicorn worker processes of `xshop serve SERVICE` (not its resource tracker)."""
    [serve] = [pid for pid in children(shop.process.pid) if f"serve {service} " in cmdline(pid)]
    return sorted(pid for pid in children(serve) if "spawn_main" in cmdline(pid))


def unacked(shop: DistributedShop, queue: str) -> int:
    listed = rabbitmqctl(
        "list_queues", "-p", shop.vhost, "--no-table-headers", "name", "messages_unacknowledged"
    )
    return sum(int(n) for name, n in (line.split() for line in listed.splitlines()) if name == queue)


def audit_types(shop: DistributedShop, email: str) -> list[str]:
    response = httpx.get(
        f"{shop.url('audit')}/api/audit/logs",
        params={"email": email, "pageSize": 100},
        headers=admin_headers(shop),
    )
    assert response.status_code == 200, response.text
    return sorted(record["eventType"] for record in response.json()["items"])


def test_sigkill_mid_load_loses_no_event_and_doubles_no_effect(distributed: DistributedShop):
    shop = distributed
    before = {service: workers(shop, service) for service in ("users", "notifications")}
    assert all(len(pids) == 2 for pids in before.values()), before
    run = uuid.uuid4().hex[:8]
    emails = [f"crash-{run}-{i}@example.com" for i in range(REGISTRATIONS)]
    killed = threading.Event()
    victims = [before["users"][0], before["notifications"][0]]

    def crash() -> None:
        """Freeze the victims first, so they are surely caught holding work: the notifications
        worker keeps the deliveries it was handed (unacknowledged), the users worker the requests
        it accepted. Then kill them outright."""
        for pid in victims:
            os.kill(pid, signal.SIGSTOP)
        wait_for(lambda: unacked(shop, QUEUE) > 0, timeout=10, what="deliveries held by the frozen worker")
        for pid in victims:
            with contextlib.suppress(ProcessLookupError):  # uvicorn may have killed it as unresponsive
                os.kill(pid, signal.SIGKILL)
        killed.set()

    def register(index: int) -> int:
        if index == REGISTRATIONS // 3:
            crash()
        with httpx.Client(base_url=shop.url("gateway"), timeout=60) as http:
            body = {"firstName": "Kim", "email": emails[index], "password": "Secure1pass"}
            response = http.post("/bff/auth/register", json=body)
        if response.status_code != 201:
            assert response.status_code == 503, response.text
            assert response.headers["content-type"].startswith("application/problem+json")
        return response.status_code

    with ThreadPoolExecutor(6) as pool:
        statuses = list(pool.map(register, range(REGISTRATIONS)))
    assert killed.is_set()
    registered = [email for email, status in zip(emails, statuses, strict=True) if status == 201]
    failed = [email for email, status in zip(emails, statuses, strict=True) if status != 201]
    assert len(registered) >= REGISTRATIONS // 2, statuses

    for service, old in before.items():
        replaced = wait_for(
            lambda s=service: len(workers(shop, s)) == 2 and workers(shop, s), what="a new worker"
        )
        assert old[0] not in replaced and old[1] in replaced  # the survivor served on

    def mailed() -> dict[str, int] | None:
        counts = {email: len(messages_to(shop, email)) for email in registered}
        return counts if all(counts.values()) else None

    # An event whose delivery died with its worker waits out the email log's send claim (10 s here).
    wait_for(mailed, timeout=120, what="a verification email for every registration")
    wait_for(
        lambda: all(audit_types(shop, email) == sorted(EVENTS) for email in registered),
        timeout=60,
        what="three audit records per registration",
    )
    time.sleep(2)  # redeliveries after the crash would have landed by now
    for email in registered:
        assert audit_types(shop, email) == sorted(EVENTS), email
        # A send the crash cut off before it was recorded is repeated with the same Message-ID
        # (SMTP cannot join a transaction); a second effect would carry a new one.
        assert len({m["MessageID"] for m in messages_to(shop, email)}) == 1, email
    for email in failed:
        assert "auth.user.registered" not in audit_types(shop, email), email
        assert messages_to(shop, email) == [], email
