"""RabbitMQ stopped for 10 s in the middle of 200 registrations: every registration is answered, and
afterwards there are exactly 200 verification emails and 400 audit records of the two audited
registration events. Nothing lost (outboxes wait), nothing doubled (inboxes, email log)."""

import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.distributed.conftest import DistributedShop
from tests.distributed.test_up import admin_headers, messages_to
from tests.waiting import wait_for

pytestmark = pytest.mark.distributed
REGISTRATIONS = 200
AUDITED = ("user.created", "auth.user.registered")


def _broker(action: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", action], check=True, capture_output=True, timeout=120)


def _outage(done: threading.Event) -> None:
    time.sleep(1.0)
    _broker("stop_app")
    try:
        time.sleep(10)
    finally:
        _broker("start_app")
        done.set()


def _audit_count(shop: DistributedShop, run: str) -> int:
    total = 0
    for event_type in AUDITED:
        page = 1
        while True:
            body = httpx.get(
                f"{shop.url('audit')}/api/audit/logs",
                params={"eventType": event_type, "page": page, "pageSize": 100},
                headers=admin_headers(shop),
            ).json()
            total += sum(1 for item in body["items"] if f"outage-{run}-" in (item.get("email") or ""))
            if not body["hasNext"]:
                break
            page += 1
    return total


def test_registrations_survive_a_broker_outage(distributed: DistributedShop):
    run = uuid.uuid4().hex[:8]
    emails = [f"outage-{run}-{i}@example.com" for i in range(REGISTRATIONS)]

    def register(email: str) -> int:
        with httpx.Client(base_url=distributed.url("gateway"), timeout=60) as http:
            body = {"firstName": "Out", "email": email, "password": "Secure1pass"}
            return http.post("/bff/auth/register", json=body).status_code

    outage_over = threading.Event()
    breaker = threading.Thread(target=_outage, args=(outage_over,))
    breaker.start()
    with ThreadPoolExecutor(8) as pool:
        futures = []
        for email in emails:
            futures.append(pool.submit(register, email))
            time.sleep(0.06)  # spread the registrations across the outage
        statuses = [future.result() for future in futures]
    breaker.join()
    assert outage_over.is_set()
    assert statuses == [201] * REGISTRATIONS

    def all_mailed() -> dict[str, int] | None:
        counts = {email: len(messages_to(distributed, email)) for email in emails}
        return counts if all(counts.values()) else None

    assert set(wait_for(all_mailed, timeout=120, what="200 verification emails").values()) == {1}
    wait_for(
        lambda: _audit_count(distributed, run) >= 2 * REGISTRATIONS, timeout=120, what="400 audit records"
    )
    time.sleep(2)  # redeliveries after the reconnect would have landed by now
    assert _audit_count(distributed, run) == 2 * REGISTRATIONS
    assert {len(messages_to(distributed, email)) for email in emails} == {1}
