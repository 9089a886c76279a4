"""The demo catalogue: deterministic, big and varied enough to show every feature."""

from collections import Counter

from xshop.services.catalog.demo import demo_products


def test_the_demo_catalogue_is_the_same_every_time():
    assert demo_products() == demo_products()


def test_the_demo_catalogue_has_what_a_newcomer_should_see():
    products = demo_products()
    assert len(products) >= 200
    assert len({p.sku for p in products}) == len(products)
    assert len(Counter(p.category for p in products)) >= 8
    assert min(Counter(p.category for p in products).values()) >= 10
    assert sum(p.on_hand == 0 for p in products) >= 10
    assert sum(1 <= p.on_hand <= p.low_stock_threshold for p in products) >= 10
    assert sum(p.on_hand > p.low_stock_threshold for p in products) >= 150
    assert 1 <= sum(not p.is_active for p in products) <= 30
    assert len({p.price for p in products}) >= 100
    assert all(p.tags and p.description and p.image_urls for p in products)
