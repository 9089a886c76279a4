"""A handler that fails every attempt, through `xshop up` on real RabbitMQ: the shop's SMTP server
is a port nobody listens on, so notifications cannot send the verification email. After the
configured attempts the event sits in `notification-service-queue.dlq` (`xshop dlq list`); once an
SMTP server listens there, `xshop dlq replay` delivers the email exactly once."""

import subprocess
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.runtimes import XSHOP, DistributedShop, fresh_infra, xshop_up
from tests.waiting import free_port, wait_for

pytestmark = pytest.mark.distributed
QUEUE = "notification-service-queue"
ATTEMPTS = 3


@pytest.fixture(scope="module")
def smtp_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def failing_shop(smtp_port: int, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DistributedShop]:
    with (
        fresh_infra() as (database, vhost),
        xshop_up(
            database,
            vhost,
            tmp_path_factory.mktemp("dead-letters"),
            XSHOP_SMTP_URL=f"smtp://127.0.0.1:{smtp_port}",
            XSHOP_EVENT_MAX_ATTEMPTS=str(ATTEMPTS),
            XSHOP_EVENT_RETRY_BASE_SECONDS="0.2",
            XSHOP_EVENT_RETRY_MAX_SECONDS="0.4",
        ) as shop,
    ):
        yield shop


@pytest.fixture
def operator(failing_shop: DistributedShop) -> httpx.Client:
    headers = {"X-API-Key": failing_shop.env["XSHOP_EVENTS_API_KEY"]}
    with httpx.Client(base_url=failing_shop.url("events"), headers=headers, timeout=30) as client:
        yield client


def email_log(shop: DistributedShop, address: str) -> list[dict]:
    from tests.distributed.test_up import admin_headers

    response = httpx.get(
        f"{shop.url('notifications')}/api/notifications/email-logs",
        params={"to": address},
        headers=admin_headers(shop),
    )
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def xshop(shop: DistributedShop, *args: str) -> str:
    done = subprocess.run([XSHOP, *args], env=shop.env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def dead_letters(shop: DistributedShop) -> list[str]:
    """`xshop dlq list` lines: queue, event id, type, attempts, failed_at, error."""
    out = xshop(shop, "dlq", "list", "--queue", QUEUE)
    return [] if out.strip() == "no dead letters" else out.splitlines()


def test_a_failing_handler_dead_letters_the_event_and_a_replay_delivers_it_once(
    failing_shop: DistributedShop, smtp_port: int, tmp_path
):
    email = f"dlq-{uuid.uuid4().hex[:8]}@example.com"
    response = httpx.post(
        f"{failing_shop.url('gateway')}/bff/auth/register",
        json={"firstName": "Dee", "email": email, "password": "Secure1pass"},
        timeout=30,
    )
    assert response.status_code == 201, response.text

    [letter] = wait_for(lambda: dead_letters(failing_shop), timeout=30, what="the dead letter")
    assert letter.startswith(f"{QUEUE}  ") and "  auth.email.verification.requested  " in letter
    assert f"attempts={ATTEMPTS}" in letter and f"127.0.0.1:{smtp_port} failed" in letter
    [logged] = email_log(failing_shop, email)
    assert (logged["status"], logged["attempts"]) == ("failed", ATTEMPTS)
    assert [a["outcome"] for a in logged["attemptLog"]] == ["failed"] * ATTEMPTS

    http_port = free_port()
    env = failing_shop.env | {"XSHOP_MAIL_SMTP_PORT": str(smtp_port), "XSHOP_MAIL_HTTP_PORT": str(http_port)}
    with (tmp_path / "mailcatcher.log").open("w") as log:
        catcher = subprocess.Popen([XSHOP, "mailcatcher"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        inbox = f"http://127.0.0.1:{http_port}/api/v1/search"

        def mails() -> list[dict]:
            try:
                return list(httpx.get(inbox, params={"query": f"to:{email}"}).json()["messages"])
            except httpx.HTTPError:
                return []

        wait_for(lambda: _listening(http_port), what="the mail catcher")
        assert mails() == []

        assert xshop(failing_shop, "dlq", "replay", QUEUE).strip() == f"replayed 1 event(s) on {QUEUE}"
        [mail] = wait_for(mails, what="the replayed email")
        assert mail["Subject"] == "Verify your email address"
        wait_for(lambda: email_log(failing_shop, email)[0]["status"] == "sent", what="the log to say sent")
        assert dead_letters(failing_shop) == []

        assert xshop(failing_shop, "dlq", "replay", QUEUE).strip() == f"replayed 0 event(s) on {QUEUE}"
        time.sleep(1)  # a second delivery would follow right behind the first
        assert len(mails()) == 1
        assert email_log(failing_shop, email)[0]["attempts"] == ATTEMPTS + 1
    finally:
        catcher.terminate()
        catcher.wait(timeout=30)


def test_the_events_gateway_sees_every_services_dead_letters(
    failing_shop: DistributedShop, operator: httpx.Client
):
    email = f"dlq-gw-{uuid.uuid4().hex[:8]}@example.com"
    response = httpx.post(
        f"{failing_shop.url('gateway')}/bff/auth/register",
        json={"firstName": "Dee", "email": email, "password": "Secure1pass"},
        timeout=30,
    )
    assert response.status_code == 201, response.text
    wait_for(lambda: dead_letters(failing_shop), timeout=30, what="the dead letter")
    listed = operator.get("/api/v1/dlq")
    assert listed.status_code == 200, listed.text
    waiting = [letter for letter in listed.json() if letter["queue"] == QUEUE]
    assert waiting, listed.json()
    # SMTP is still down, so the replayed events fail again; what matters is that this process,
    # which consumes nothing, reached the notifications queue's dead letters.
    replayed = operator.post(f"/api/v1/dlq/{QUEUE}/replay")
    assert replayed.status_code == 200, replayed.text
    assert replayed.json()["replayed"] == len(waiting)


def test_the_events_gateway_refuses_unknown_queues_and_missing_keys(
    failing_shop: DistributedShop, operator: httpx.Client
):
    missing = operator.post("/api/v1/dlq/no-such-queue/replay")
    assert missing.status_code == 404, missing.text
    assert missing.headers["content-type"].startswith("application/problem+json")
    anonymous = httpx.post(f"{failing_shop.url('events')}/api/v1/dlq/{QUEUE}/replay")
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "INVALID_API_KEY"


def _listening(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/api/v1/messages").status_code == 200
    except httpx.HTTPError:
        return False
