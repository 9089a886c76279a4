"""SMTP outages, crash safety of the outbox, and secrets kept out of logs, events and mail
(acceptance items 5, 6 and 7)."""

import json
import logging
import sqlite3

from tests.helpers import PASSWORD, running_shop, shop_settings
from tests.waiting import eventually, free_port
from xshop.platform.logs import configure_logging
from xshop.platform.mail.catcher import MailCatcher


async def test_smtp_down_registration_succeeds_and_mail_goes_out_once_smtp_is_back(tmp_path):
    smtp_port = free_port()
    settings = shop_settings(tmp_path, smtp_url=f"smtp://127.0.0.1:{smtp_port}", event_max_attempts=50)
    catcher = MailCatcher()
    async with running_shop(settings) as shop:
        response = await shop.register("smtp@example.com")
        assert response.status_code == 201

        async def failed_twice():
            logs = await email_logs(shop)
            return logs if logs and logs[0]["attempts"] >= 2 else None

        logs = await eventually(failed_twice, what="two failed attempts")
        assert logs[0]["status"] == "failed" and logs[0]["lastError"]

        await catcher.start_smtp("127.0.0.1", smtp_port)
        try:

            async def sent():
                logs = await email_logs(shop)
                return logs if logs[0]["status"] == "sent" else None

            logs = await eventually(sent, timeout=10, what="the email to be sent")
            attempts = logs[0]["attempts"]
            assert attempts >= 3
            outcomes = [a["outcome"] for a in sorted(logs[0]["attemptLog"], key=lambda a: a["attempt"])]
            assert outcomes[-1] == "sent" and set(outcomes[:-1]) == {"failed"}
            await shop.idle()
            assert [m["to"] for m in catcher.messages] == [["smtp@example.com"]]
        finally:
            await catcher.stop_smtp()


async def email_logs(shop) -> list[dict]:
    async with shop.client("notifications") as notifications:
        response = await notifications.get(
            "/api/notifications/email-logs", params={"to": "smtp@example.com"}, headers=shop.token(["admin"])
        )
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def test_outbox_rows_committed_before_a_crash_are_delivered_after_restart(tmp_path):
    settings = shop_settings(tmp_path)
    async with running_shop(settings) as shop:
        for unit in shop.shop.units.values():
            if unit.relay is not None:
                await unit.relay.stop()
        assert (await shop.register("crash@example.com")).status_code == 201
        for name in ("users", "auth"):
            with sqlite3.connect(tmp_path / f"{name}.sqlite") as conn:
                pending = conn.execute("SELECT count(*) FROM outbox WHERE published_at IS NULL").fetchone()[0]
            assert pending >= 1
        assert await shop.mails_to("crash@example.com") == []

    async with running_shop(settings) as restarted:
        await restarted.idle()
        assert len(await restarted.mails_to("crash@example.com")) == 1
        types = {r["eventType"] for r in await restarted.audit(email="crash@example.com")}
        assert types == {"user.created", "auth.user.registered", "auth.email.verification.requested"}


async def test_no_password_or_hash_in_logs_events_mail_or_errors(shop, caplog):
    configure_logging("DEBUG")
    caplog.set_level(logging.DEBUG)
    secret = "Sup3rSecretPw"
    ok = await shop.register("secrets@example.com", password=secret)
    assert ok.status_code == 201
    duplicate = await shop.register("secrets@example.com", password=secret)
    invalid = await shop.register("secrets2@example.com", password=secret + "x" * 30)
    await shop.idle()

    with sqlite3.connect(shop.settings.data_dir / "users.sqlite") as conn:
        (stored_hash,) = conn.execute("SELECT password_hash FROM users").fetchone()
    forbidden = [secret, stored_hash, stored_hash[7:]]

    envelopes = []
    for name in ("users", "auth"):
        with sqlite3.connect(shop.settings.data_dir / f"{name}.sqlite") as conn:
            envelopes += [row[0] for row in conn.execute("SELECT envelope FROM outbox")]
    assert len(envelopes) == 3
    audit_payloads = json.dumps(await shop.audit())
    mails = [await shop.mail_body(m["ID"]) for m in await shop.mails_to("secrets@example.com")]
    surfaces = {
        "logs": caplog.text,
        "events": "\n".join(envelopes),
        "audit": audit_payloads,
        "mail": json.dumps(mails),
        "errors": duplicate.text + invalid.text,
    }
    assert caplog.records, "expected log output to scan"
    for where, text in surfaces.items():
        for value in forbidden:
            assert value not in text, f"secret material found in {where}"
        assert "$2b$" not in text, f"a bcrypt hash found in {where}"
    assert PASSWORD not in surfaces["logs"]
