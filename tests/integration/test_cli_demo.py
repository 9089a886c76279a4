"""``xshop seed-demo`` and ``xshop run --demo`` as a newcomer runs them: real processes."""

import asyncio
import os
import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import bcrypt
import httpx

from tests.helpers import running_shop, shop_settings
from tests.integration.test_cli_run import wait_ready
from tests.waiting import free_port
from xshop.runtime.demo import ADMIN_EMAIL

XSHOP = Path(sys.executable).with_name("xshop")
SERVICES = ("gateway", "auth", "users", "notifications", "audit", "catalog")
PASSWORD_LINE = re.compile(rf"demo admin created: {re.escape(ADMIN_EMAIL)} / password (\S+)")


def _env(data_dir: Path) -> dict[str, str]:
    return os.environ | {
        "XSHOP_DATA_DIR": str(data_dir),
        "XSHOP_BCRYPT_ROUNDS": "4",
        "XSHOP_LOG_LEVEL": "WARNING",
    }


async def _seed_demo(data_dir: Path) -> subprocess.CompletedProcess[str]:
    command = [XSHOP, "seed-demo"]
    return await asyncio.to_thread(
        subprocess.run, command, env=_env(data_dir), capture_output=True, text=True, timeout=120
    )


def _admin_row(data_dir: Path) -> tuple[str, str, int]:
    with sqlite3.connect(data_dir / "users.sqlite") as conn:
        return conn.execute(
            "SELECT password_hash, roles, is_email_verified FROM users WHERE email = ?", (ADMIN_EMAIL,)
        ).fetchone()


async def test_seed_demo_loads_the_catalogue_and_an_admin_once(tmp_path):
    first = await _seed_demo(tmp_path)
    assert first.returncode == 0, first.stderr
    assert "demo catalogue: 240 of 240 products added" in first.stdout
    password = PASSWORD_LINE.search(first.stdout).group(1)
    password_hash, roles, verified = _admin_row(tmp_path)
    assert bcrypt.checkpw(password.encode(), password_hash.encode())
    assert "admin" in roles and verified == 1

    second = await _seed_demo(tmp_path)
    assert second.returncode == 0, second.stderr
    assert "demo catalogue: 0 of 240 products added" in second.stdout
    assert f"demo admin: {ADMIN_EMAIL} already exists" in second.stdout
    assert password not in second.stdout
    assert _admin_row(tmp_path)[0] == password_hash

    async with running_shop(shop_settings(tmp_path)) as shop:
        page = (await shop.bff.get("/bff/products", params={"pageSize": 100})).json()
        assert page["totalItems"] == 220  # 20 of the 240 demo products are retired
        categories = (await shop.bff.get("/bff/categories")).json()["items"]
        assert len(categories) == 10 and sum(c["count"] for c in categories) == 220
        statuses = {item["stock"]["status"] for item in page["items"]}
        assert statuses == {"in_stock", "low_stock", "out_of_stock"}
        await shop.idle()  # the seed's events waited in the outboxes for this shop's relays
        async with shop.client("audit") as audit:
            created = await audit.get(
                "/api/audit/logs", params={"eventType": "product.created"}, headers=shop.token(["admin"])
            )
        assert created.json()["totalItems"] == 240


def test_run_demo_serves_the_demo_shop_at_once(tmp_path):
    ports = {name: free_port() for name in (*SERVICES, "mail_smtp", "mail_http")}
    env = _env(tmp_path) | {f"XSHOP_{name.upper()}_PORT": str(port) for name, port in ports.items()}
    process = subprocess.Popen(
        [XSHOP, "run", "--demo"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        wait_ready([f"http://127.0.0.1:{ports[s]}" for s in SERVICES], process)
        gateway = f"http://127.0.0.1:{ports['gateway']}"
        assert httpx.get(f"{gateway}/bff/products").json()["totalItems"] == 220
        first = httpx.get(f"{gateway}/bff/products", params={"q": "headphones", "sort": "price_asc"})
        prices = [float(item["price"]) for item in first.json()["items"]]
        assert prices and prices == sorted(prices)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert PASSWORD_LINE.search(out), out
    assert f"catalog        http://127.0.0.1:{ports['catalog']}" in out
