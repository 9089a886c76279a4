"""The development mail catcher, fed over real SMTP by the services' sender."""

import re
import uuid

import httpx
import pytest

from xshop.platform.mail.catcher import MailCatcher
from xshop.platform.mail.sender import MailDeliveryError, SmtpSender

RFC3339_MS_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
FROM = "xShop <noreply@xshop.test>"


@pytest.fixture
async def catcher():
    catcher = MailCatcher()
    await catcher.start_smtp("127.0.0.1", 0)
    yield catcher
    await catcher.stop_smtp()


@pytest.fixture
async def http(catcher):
    transport = httpx.ASGITransport(app=catcher.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mail") as client:
        yield client


async def send(
    catcher, *, to="Alice Smith <alice@example.com>", subject="Hello", text="Hi there", html=None, mid=None
):
    sender = SmtpSender(f"smtp://127.0.0.1:{catcher.port}", FROM)
    await sender.send(
        to=to,
        subject=subject,
        text=text,
        html=html or f"<p>{text}</p>",
        message_id=mid or f"<{uuid.uuid4()}@test>",
    )


async def test_messages_are_listed_newest_first_in_mailpit_shape(catcher, http):
    await send(catcher, subject="First", mid="<first.1@xshop.test>")
    await send(catcher, to="bob@example.com", subject="Second", text="Second body " + "x" * 300)

    response = await http.get("/api/v1/messages")

    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["count"]) == (2, 2)
    second, first = body["messages"]
    assert (second["Subject"], first["Subject"]) == ("Second", "First")
    assert first["MessageID"] == "first.1@xshop.test"
    assert first["From"] == {"Name": "xShop", "Address": "noreply@xshop.test"}
    assert first["To"] == [{"Name": "Alice Smith", "Address": "alice@example.com"}]
    assert second["To"] == [{"Name": "", "Address": "bob@example.com"}]
    assert first["Snippet"] == "Hi there"
    assert second["Snippet"].startswith("Second body xxx") and len(second["Snippet"]) == 250
    assert RFC3339_MS_UTC.match(first["Created"]) and first["Created"] <= second["Created"]
    assert {"ID", "MessageID", "From", "To", "Subject", "Created", "Snippet"} <= set(first)
    assert [(m["subject"], m["to"]) for m in catcher.messages] == [
        ("First", ["alice@example.com"]),
        ("Second", ["bob@example.com"]),
    ]


async def test_start_and_limit_page_through_the_messages(catcher, http):
    for n in range(3):
        await send(catcher, subject=f"Message {n}")

    body = (await http.get("/api/v1/messages", params={"start": 1, "limit": 1})).json()

    assert (body["total"], body["count"], body["start"]) == (3, 1, 1)
    assert [m["Subject"] for m in body["messages"]] == ["Message 1"]


async def test_a_message_by_id_carries_its_text_and_html_parts(catcher, http):
    await send(catcher, subject="Parts", text="Plain words\nsecond line", html="<h1>Rich words</h1>")
    summary = (await http.get("/api/v1/messages")).json()["messages"][0]

    response = await http.get(f"/api/v1/message/{summary['ID']}")

    assert response.status_code == 200
    message = response.json()
    assert message["ID"] == summary["ID"] and message["Subject"] == "Parts"
    assert message["Text"] == "Plain words\nsecond line\n"
    assert message["HTML"] == "<h1>Rich words</h1>\n"
    assert RFC3339_MS_UTC.match(message["Date"])


async def test_an_unknown_message_is_a_404_problem(http):
    response = await http.get("/api/v1/message/no-such-id")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "NOT_FOUND"


async def test_search_by_recipient_sender_subject_phrase_and_bare_words(catcher, http):
    await send(catcher, to="alice@example.com", subject="Verify your email address", text="Welcome Alice")
    await send(catcher, to="bob@example.com", subject="Your order", text="Order 42 shipped")
    await send(catcher, to="carol@example.com", subject="Verify your email address", text="Welcome Carol")

    async def subjects(query: str) -> list[str]:
        response = await http.get("/api/v1/search", params={"query": query})
        assert response.status_code == 200
        body = response.json()
        assert body["total"] == 3 and body["count"] == len(body["messages"])
        return [f"{m['To'][0]['Address']}: {m['Subject']}" for m in body["messages"]]

    assert await subjects("to:alice@example.com") == ["alice@example.com: Verify your email address"]
    assert await subjects("from:noreply@xshop.test") == await subjects("from:xshop")
    assert len(await subjects("from:xshop")) == 3
    assert await subjects('subject:"your email"') == [
        "carol@example.com: Verify your email address",
        "alice@example.com: Verify your email address",
    ]
    assert await subjects("SHIPPED") == ["bob@example.com: Your order"]
    assert await subjects("welcome to:carol") == ["carol@example.com: Verify your email address"]
    assert await subjects("welcome order") == []
    assert (await http.get("/api/v1/search", params={"query": ""})).status_code == 400


async def test_delete_removes_every_message(catcher, http):
    await send(catcher, subject="Gone soon")

    response = await http.delete("/api/v1/messages")

    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert (await http.get("/api/v1/messages")).json()["total"] == 0


async def test_the_inbox_keeps_only_the_newest_messages():
    catcher = MailCatcher(capacity=2)
    await catcher.start_smtp("127.0.0.1", 0)
    try:
        for n in range(3):
            await send(catcher, subject=f"Message {n}")
    finally:
        await catcher.stop_smtp()

    assert [m.subject for m in catcher.mailbox.newest_first()] == ["Message 2", "Message 1"]


async def test_inbox_pages_escape_what_they_show(catcher, http):
    await send(catcher, subject="<script>alert(1)</script>", html='<img src=x onerror="alert(2)">')
    (summary,) = (await http.get("/api/v1/messages")).json()["messages"]

    inbox = await http.get("/")
    view = await http.get(f"/view/{summary['ID']}")

    assert inbox.status_code == view.status_code == 200
    assert "<script>" not in inbox.text and "&lt;script&gt;" in inbox.text
    assert f'href="/view/{summary["ID"]}"' in inbox.text
    assert "<img" not in view.text and "<script>" not in view.text
    assert '<iframe sandbox="" srcdoc="&lt;img src=x onerror=&quot;alert(2)&quot;&gt;' in view.text


async def test_a_failed_send_names_the_server_never_the_body():
    catcher = MailCatcher()
    await catcher.start_smtp("127.0.0.1", 0)
    await catcher.stop_smtp()
    sender = SmtpSender(f"smtp://127.0.0.1:{catcher.port}", FROM)

    with pytest.raises(MailDeliveryError) as failure:
        await sender.send(
            to="a@example.com", subject="s", text="secret-text", html="secret-html", message_id="<m@x>"
        )

    assert f"127.0.0.1:{catcher.port}" in str(failure.value)
    assert "secret" not in str(failure.value)


def test_the_sender_reads_credentials_and_tls_from_its_url():
    sender = SmtpSender("smtps://mailer%40shop:p%3Ass@mail.example.com", FROM)
    assert (sender.host, sender.port, sender.use_tls) == ("mail.example.com", 465, True)
    assert (sender.username, sender.password) == ("mailer@shop", "p:ss")

    plain = SmtpSender("smtp://127.0.0.1:1025", FROM)
    assert (plain.port, plain.use_tls, plain.username) == (1025, False, None)

    with pytest.raises(ValueError, match="scheme"):
        SmtpSender("http://127.0.0.1:1025", FROM)


async def test_a_message_that_cannot_be_composed_is_a_delivery_error(catcher):
    sender = SmtpSender(f"smtp://127.0.0.1:{catcher.port}", FROM)

    with pytest.raises(MailDeliveryError, match="not composed"):
        await sender.send(
            to="a@example.com\r\nBcc: b@example.com", subject="s", text="t", html="h", message_id="<m@x>"
        )

    assert len(catcher.mailbox) == 0
