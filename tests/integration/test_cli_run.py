"""`xshop run` as a user runs it: a real process on real ports, stopped with Ctrl-C."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.waiting import free_port

SERVICES = ("gateway", "auth", "users", "notifications", "audit", "catalog", "orders", "web")
XSHOP = Path(sys.executable).with_name("xshop")


def wait_ready(urls: list[str], process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "xshop run exited during start-up"
        try:
            if all(httpx.get(f"{url}/health/ready").status_code == 200 for url in urls):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("xshop run did not become ready")


@pytest.fixture
def running(tmp_path):
    ports = {name: free_port() for name in (*SERVICES, "mail_smtp", "mail_http")}
    env = os.environ | {f"XSHOP_{name.upper()}_PORT": str(port) for name, port in ports.items()}
    env |= {"XSHOP_DATA_DIR": str(tmp_path / "data"), "XSHOP_BCRYPT_ROUNDS": "4"}
    process = subprocess.Popen(
        [XSHOP, "run"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        wait_ready([f"http://127.0.0.1:{ports[s]}" for s in SERVICES], process)
        yield process, ports
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_run_serves_every_service_registers_over_the_network_and_stops_on_ctrl_c(running, tmp_path):
    process, ports = running
    gateway = f"http://127.0.0.1:{ports['gateway']}"
    response = httpx.post(
        f"{gateway}/bff/auth/register",
        json={"firstName": "Ada", "email": "ada@example.com", "password": "Analyt1cal"},
    )
    assert response.status_code == 201, response.text
    for name in SERVICES:
        assert httpx.get(f"http://127.0.0.1:{ports[name]}/health").json()["service"] == name
        assert "xshop_http_requests_total" in httpx.get(f"http://127.0.0.1:{ports[name]}/metrics").text

    mail = f"http://127.0.0.1:{ports['mail_http']}"
    deadline = time.monotonic() + 10
    while not (messages := httpx.get(f"{mail}/api/v1/messages").json()["messages"]):
        assert time.monotonic() < deadline, "no email arrived"
        time.sleep(0.1)
    assert messages[0]["To"][0]["Address"] == "ada@example.com"
    assert "ada@example.com" in httpx.get(f"{mail}/").text

    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert f"http://127.0.0.1:{ports['gateway']}" in out and "mail catcher" in out
    assert "xshop stopped." in out
    assert {p.name for p in (tmp_path / "data").iterdir()} >= {
        f"{s}.sqlite" for s in SERVICES if s not in ("gateway", "web")
    }
    assert "Traceback" not in err


def test_run_refuses_a_port_in_use_with_a_clear_message(tmp_path):
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        busy = blocker.getsockname()[1]
        ports = {name: free_port() for name in (*SERVICES, "mail_smtp", "mail_http")} | {"gateway": busy}
        env = os.environ | {f"XSHOP_{name.upper()}_PORT": str(port) for name, port in ports.items()}
        env |= {"XSHOP_DATA_DIR": str(tmp_path / "data")}
        result = subprocess.run([XSHOP, "run"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"could not listen for gateway on 127.0.0.1:{busy}: is the port in use?" in result.stderr
