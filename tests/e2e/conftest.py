"""Browser tests: one live embedded shop per module (demo catalogue seeded), Chromium per module,
a fresh browser context per test whose page must end with no console errors or failed requests."""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.e2e.browsing import CHROMIUM, CHROMIUM_ARGS, VIEWPORTS, PageWatch
from tests.e2e.live import LiveShop


@pytest.fixture(scope="module")
def live_shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveShop]:
    shop = LiveShop(tmp_path_factory.mktemp("e2e"))
    shop.start()
    try:
        yield shop
    finally:
        shop.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Browsing:
    page: Page
    context: BrowserContext
    watch: PageWatch
    shop: LiveShop

    def url(self, path: str) -> str:
        return self.shop.urls.web + path

    def goto(self, path: str) -> None:
        self.page.goto(self.url(path))

    def csrf(self) -> str:
        return next(c["value"] for c in self.context.cookies() if c["name"] == "csrfToken")


@pytest.fixture
def browsing(browser: Browser, live_shop: LiveShop) -> Iterator[Browsing]:
    context = browser.new_context(viewport=VIEWPORTS["desktop"])  # type: ignore[arg-type]
    page = context.new_page()
    page.set_default_timeout(10_000)
    watch = PageWatch()
    watch.attach(page)
    try:
        yield Browsing(page, context, watch, live_shop)
        watch.assert_clean()
    finally:
        context.close()
