"""`xshop up` on PostgreSQL and RabbitMQ: every service its own process, notifications twice."""

import signal
import subprocess
import time
import uuid

import httpx
import pytest

from tests.distributed.conftest import XSHOP, DistributedShop, _psql, shop_env
from tests.runtimes import PORTS, rabbitmqctl
from tests.waiting import free_port, wait_for

pytestmark = pytest.mark.distributed


def messages_to(shop: DistributedShop, address: str) -> list[dict]:
    response = httpx.get(f"{shop.url('mail')}/api/v1/search", params={"query": f"to:{address}"})
    return list(response.json()["messages"])


def admin_headers(shop: DistributedShop) -> dict[str, str]:
    from datetime import timedelta

    from xshop.platform.clock import utcnow
    from xshop.platform.security.tokens import JwtCodec

    codec = JwtCodec(shop.env["XSHOP_JWT_SECRET"], "xshop", "xshop")
    token, _ = codec.issue_access(
        user_id="ops", email="ops@x.co", roles=["admin"], now=utcnow(), ttl=timedelta(minutes=5)
    )
    return {"Authorization": f"Bearer {token}"}


def test_registration_flows_across_processes(distributed: DistributedShop):
    email = f"dist-{uuid.uuid4().hex[:8]}@example.com"
    cid = str(uuid.uuid4())
    response = httpx.post(
        f"{distributed.url('gateway')}/bff/auth/register",
        json={"firstName": "Dee", "email": email, "password": "Secure1pass"},
        headers={"X-Correlation-ID": cid},
        timeout=30,
    )
    assert response.status_code == 201, response.text
    assert len(wait_for(lambda: messages_to(distributed, email), what="the verification email")) == 1

    def audited():
        body = httpx.get(
            f"{distributed.url('audit')}/api/audit/logs",
            params={"correlationId": cid},
            headers=admin_headers(distributed),
        ).json()
        return body["items"] if body["totalItems"] == 3 else None

    types = {r["eventType"] for r in wait_for(audited, what="three audit records")}
    assert types == {"user.created", "auth.user.registered", "auth.email.verification.requested"}


def consumers(shop: DistributedShop, queue: str) -> int:
    listed = rabbitmqctl("list_queues", "-p", shop.vhost, "--no-table-headers", "name", "consumers")
    return sum(int(count) for name, count in (line.split() for line in listed.splitlines()) if name == queue)


def test_two_notification_replicas_send_each_email_exactly_once(distributed: DistributedShop):
    # Two worker processes, each with its own connection and consumer, compete on the one queue.
    assert consumers(distributed, "notification-service-queue") == 2
    addresses = [f"rep-{i}-{uuid.uuid4().hex[:6]}@example.com" for i in range(30)]
    for address in addresses:
        response = httpx.post(
            f"{distributed.url('gateway')}/bff/auth/register",
            json={"firstName": "Rep", "email": address, "password": "Secure1pass"},
            timeout=30,
        )
        assert response.status_code == 201

    def all_delivered():
        counts = [len(messages_to(distributed, a)) for a in addresses]
        return counts if all(counts) else None

    counts = wait_for(all_delivered, timeout=40, what="30 emails")
    time.sleep(1)  # a duplicate would arrive right behind the first copy
    assert [len(messages_to(distributed, a)) for a in addresses] == [1] * 30 == counts


def test_serve_refuses_an_unmigrated_database(infra, tmp_path):
    database = f"xshop_unmigrated_{uuid.uuid4().hex[:6]}"
    _psql(f'CREATE DATABASE "{database}"')
    try:
        env = shop_env(database, infra[1], {"users": free_port()}, tmp_path)
        result = subprocess.run(
            [XSHOP, "serve", "users"], env=env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 1
        assert (
            "the users database is not migrated to the latest version: run `xshop migrate users`"
            in result.stderr
        )
        migrated = subprocess.run(
            [XSHOP, "migrate", "users"], env=env, capture_output=True, text=True, timeout=60
        )
        assert migrated.returncode == 0 and "migrated users" in migrated.stdout
    finally:
        _psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def test_serve_refuses_to_start_without_a_broker(tmp_path):
    env = {"XSHOP_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([XSHOP, "serve", "users"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "needs XSHOP_BROKER_URL" in result.stderr


def test_ctrl_c_stops_every_process_cleanly(infra, tmp_path):
    database = f"xshop_stop_{uuid.uuid4().hex[:6]}"
    _psql(f'CREATE DATABASE "{database}"')
    try:
        ports = {name: free_port() for name in PORTS}
        env = shop_env(database, infra[1], ports, tmp_path)
        process = subprocess.Popen(
            [XSHOP, "up"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        wait_for(lambda: _ready(ports["gateway"]), timeout=90, what="the gateway")
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        assert "All services ready" in out and "xshop stopped." in out
        assert "Traceback" not in err
        for port in ports.values():
            with pytest.raises(httpx.ConnectError):
                httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
    finally:
        _psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _ready(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/health/ready").status_code == 200
    except httpx.HTTPError:
        return False
