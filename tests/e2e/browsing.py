"""Reusable checks for browser tests: no console errors or failed requests, accessible names,
screenshots at desktop and mobile widths, and reading the real email from the mail catcher."""

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import ConsoleMessage, Page, Request, Response

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "mobile": {"width": 390, "height": 844}}
NAMED_ROLES = {"img", "textbox", "searchbox", "button", "combobox", "checkbox", "spinbutton", "radio", "link"}
_SNAPSHOT_LINE = re.compile(r'^\s*- (?P<role>[a-z]+)(?: "(?P<name>(?:[^"\\]|\\.)*)")?')


@dataclass
class PageWatch:
    """Records what a user would never want to see: console errors, uncaught exceptions, failed
    requests and error responses. A test that provokes an error response declares it with ``expect``."""

    problems: list[str] = field(default_factory=list)
    expected: list[tuple[int, str]] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught exception: {error}"))
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)

    def expect(self, status: int, url_part: str) -> None:
        self.expected.append((status, url_part))

    def _allowed(self, status: int, url: str) -> bool:
        return any(status == wanted and part in url for wanted, part in self.expected)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        # Chromium logs every 4xx/5xx fetch as an error; the response check already judges those.
        failed = re.search(r"status of (\d{3})", message.text)
        if failed and self._allowed(int(failed.group(1)), url):
            return
        self.problems.append(f"console error: {message.text} ({url})")

    def _request_failed(self, request: Request) -> None:
        if request.failure == "net::ERR_ABORTED":
            return  # the browser cancelled it (the page navigated on); no server answered badly
        self.problems.append(f"request failed: {request.method} {request.url}: {request.failure}")

    def _response(self, response: Response) -> None:
        if response.status >= 400 and not self._allowed(response.status, response.url):
            self.problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    def assert_clean(self) -> None:
        assert not self.problems, "the page had problems:\n" + "\n".join(self.problems)


def unnamed_elements(page: Page) -> list[str]:
    """Images, links and form controls in the accessibility tree without an accessible name."""
    missing = []
    for line in page.locator("body").aria_snapshot().splitlines():
        match = _SNAPSHOT_LINE.match(line)
        if match and match["role"] in NAMED_ROLES and not (match["name"] or "").strip():
            missing.append(line.strip())
    return missing


def assert_accessible_names(page: Page) -> None:
    missing = unnamed_elements(page)
    assert not missing, f"{page.url}: elements without an accessible name: {missing}"


def screenshot(page: Page, name: str) -> None:
    """``<name>-desktop.png`` and ``<name>-mobile.png`` in tests/e2e/screenshots/ (git-ignored)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    for label, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        page.screenshot(path=SCREENSHOTS / f"{name}-{label}.png", full_page=True)
    page.set_viewport_size(VIEWPORTS["desktop"])


def check_page(page: Page, name: str) -> None:
    """The checks every main page gets: accessible names, then screenshots."""
    assert_accessible_names(page)
    screenshot(page, name)


def wait_for_mail(mail_url: str, address: str, subject_part: str, timeout: float = 15.0) -> dict[str, Any]:
    """The newest message to ``address`` whose subject contains ``subject_part``, with its body."""
    deadline = time.monotonic() + timeout
    with httpx.Client(base_url=mail_url, timeout=5) as mail:
        while time.monotonic() < deadline:
            found = mail.get("/api/v1/search", params={"query": f"to:{address}"}).json()["messages"]
            matching = [m for m in found if subject_part.lower() in m["Subject"].lower()]
            if matching:
                return dict(mail.get(f"/api/v1/message/{matching[0]['ID']}").json())
            time.sleep(0.1)
    raise AssertionError(f"no email to {address} about {subject_part!r} within {timeout} s")


def link_in(message: dict[str, Any], base_url: str, path: str) -> str:
    match = re.search(re.escape(base_url + path) + r"\?token=[\w\-.~%]+", message["Text"])
    assert match, f"no {path} link in the email: {message['Text']!r}"
    return match.group(0)
