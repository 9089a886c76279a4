"""The mail catcher's human side: a plain inbox page and a message page. Everything is escaped;
an HTML body is shown only inside a sandboxed iframe, so a caught email cannot run script here."""

from collections.abc import Callable
from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from xshop.platform.mail.mailbox import CaughtMessage, Mailbox

INBOX_ROWS = 200
# Applies to the srcdoc frame too: inline styles and images render, nothing else loads or runs, and
# no other site may frame these pages (the platform's default HTML policy would block the styles).
PAGE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src * data:; frame-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}"
    "td{padding:.3rem .8rem;border-bottom:1px solid #ddd}pre{white-space:pre-wrap}"
    "iframe{width:100%;height:32rem;border:1px solid #ccc}"
)


def _document(title: str, body: str) -> HTMLResponse:
    page = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{_STYLE}</style></head><body>{body}</body></html>"
    )
    return HTMLResponse(page, headers={"Content-Security-Policy": PAGE_POLICY})


def _address(message: CaughtMessage) -> str:
    return ", ".join(p.address for p in message.to)


def router(mailbox: Mailbox, found: Callable[[str], CaughtMessage]) -> APIRouter:
    pages = APIRouter(include_in_schema=False)

    @pages.get("/", response_class=HTMLResponse)
    async def inbox() -> HTMLResponse:
        rows = "".join(
            f"<tr><td>{escape(m.created.strftime('%Y-%m-%d %H:%M:%S'))}</td>"
            f"<td>{escape(_address(m))}</td>"
            f'<td><a href="/view/{escape(m.id)}">{escape(m.subject or "(no subject)")}</a></td></tr>'
            for m in mailbox.newest_first()[:INBOX_ROWS]
        )
        table = f"<table>{rows}</table>" if rows else "<p>No messages yet.</p>"
        return _document("Mail catcher", f"<h1>Mail catcher</h1><p>{len(mailbox)} message(s)</p>{table}")

    @pages.get("/view/{message_id}", response_class=HTMLResponse)
    async def view(message_id: str) -> HTMLResponse:
        message = found(message_id)
        html_part = (
            f'<h2>HTML</h2><iframe sandbox="" srcdoc="{escape(message.html, quote=True)}"></iframe>'
            if message.html
            else ""
        )
        body = (
            f'<p><a href="/">Inbox</a></p><h1>{escape(message.subject or "(no subject)")}</h1>'
            f"<p>From {escape(message.sender.address)} to {escape(_address(message))}</p>"
            f"<h2>Text</h2><pre>{escape(message.text)}</pre>{html_part}"
        )
        return _document(message.subject, body)

    return pages
