"""One embedded shop for the whole fuzz module, on its own thread (see ``loop_bridge``)."""

from collections.abc import Iterator

import pytest

from tests.fuzz.loop_bridge import ShopThread
from tests.helpers import ShopDriver, running_shop, shop_settings


@pytest.fixture(scope="module")
def fuzz_shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ShopThread, ShopDriver]]:
    runner = ShopThread(running_shop(shop_settings(tmp_path_factory.mktemp("fuzz"))))
    with runner as driver:
        yield runner, driver
