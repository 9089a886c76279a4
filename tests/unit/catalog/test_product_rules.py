"""The product rules (validation.py and the request models) on their own."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from xshop.services.catalog.schemas import ProductCreate, ProductSummary, ProductUpdate, StockUpdate
from xshop.services.catalog.stock import StockStatus, stock_status

VALID = {"sku": "mug-01", "name": "Mug", "price": "9.99", "category": "kitchen"}


def codes(error: ValidationError) -> dict[str, str]:
    return {".".join(str(p) for p in e["loc"]) or "body": e["type"] for e in error.errors()}


def test_a_minimal_product_is_cleaned_and_defaulted():
    product = ProductCreate.model_validate(
        VALID | {"name": "  Blue   Mug ", "tags": ["Blue", "mug", "blue"], "currency": "eur"}
    )
    assert product.sku == "MUG-01"
    assert product.name == "Blue Mug"
    assert product.tags == ["blue", "mug"]
    assert (product.currency, product.on_hand, product.low_stock_threshold, product.is_active) == (
        "EUR",
        0,
        5,
        True,
    )


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("sku", "ab", "too_short"),
        ("sku", "bad sku!", "invalid_format"),
        ("name", "x", "too_short"),
        ("name", "bell\x07", "invalid_characters"),
        ("description", "x" * 5001, "too_long"),
        ("price", "-0.01", "negative"),
        ("price", "1.001", "too_precise"),
        ("price", "10000000000.00", "too_large"),
        ("price", "NaN", "finite_number"),
        ("price", True, "decimal_type"),
        ("currency", "US", "invalid_format"),
        ("currency", "usd1", "invalid_format"),
        ("category", "Home & Kitchen", "invalid_format"),
        ("category", "x", "too_short"),
        ("tags", ["ok", "not ok"], "invalid_format"),
        ("tags", [f"t{i}" for i in range(21)], "too_many"),
        ("imageUrls", ["ftp://example.com/a.png"], "invalid_format"),
        ("imageUrls", ["/relative.png"], "invalid_format"),
        ("imageUrls", [f"https://example.com/{i}.png" for i in range(11)], "too_many"),
        ("onHand", -1, "greater_than_equal"),
        ("onHand", 1.5, "int_type"),
        ("lowStockThreshold", -1, "greater_than_equal"),
        ("unknownField", 1, "extra_forbidden"),
    ],
)
def test_each_rule_names_its_field(field, value, code):
    with pytest.raises(ValidationError) as caught:
        ProductCreate.model_validate(VALID | {field: value})
    assert codes(caught.value) == {field: code}


@given(cents=st.integers(min_value=0, max_value=999_999_999_999))
def test_any_amount_in_cents_is_kept_exactly_and_shown_with_two_places(cents):
    amount = Decimal(cents) / 100
    product = ProductCreate.model_validate(VALID | {"price": str(amount)})
    assert product.price == amount
    shown = ProductSummary.model_validate(
        {
            "id": "p",
            "sku": "S",
            "name": "n",
            "price": product.price,
            "currency": "USD",
            "category": "c",
            "tags": [],
            "image_urls": [],
            "stock": {"available": 1, "status": "in_stock"},
        }
    ).model_dump(mode="json")["price"]
    assert shown == f"{cents // 100}.{cents % 100:02d}"


def test_prices_may_be_json_numbers_and_minus_zero_is_zero():
    assert ProductCreate.model_validate(VALID | {"price": 19.99}).price == Decimal("19.99")
    assert str(ProductCreate.model_validate(VALID | {"price": "-0"}).price) == "0.00"
    assert str(ProductCreate.model_validate(VALID | {"price": "1e2"}).price) == "100.00"


def test_an_update_changes_only_what_is_sent_and_refuses_nulls_and_empty_bodies():
    assert ProductUpdate.model_validate({"price": "5"}).changes() == {"price": Decimal("5.00")}
    with pytest.raises(ValidationError) as caught:
        ProductUpdate.model_validate({"name": None})
    assert codes(caught.value) == {"name": "null"}
    with pytest.raises(ValidationError) as empty:
        ProductUpdate.model_validate({})
    assert codes(empty.value) == {"body": "empty"}
    with pytest.raises(ValidationError) as stock:
        ProductUpdate.model_validate({"onHand": 5})
    assert codes(stock.value) == {"onHand": "extra_forbidden"}


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"reason": "count"}, "one_of"),
        ({"onHand": 1, "delta": 1, "reason": "count"}, "one_of"),
        ({"delta": 0, "reason": "count"}, "zero"),
    ],
)
def test_a_stock_update_takes_exactly_one_of_on_hand_and_delta(body, code):
    with pytest.raises(ValidationError) as caught:
        StockUpdate.model_validate(body)
    assert codes(caught.value) == {"body": code}


@pytest.mark.parametrize(
    ("reason", "code"), [("", "too_short"), ("   ", "too_short"), ("r" * 201, "too_long")]
)
def test_a_stock_update_needs_a_reason_of_1_to_200_characters(reason, code):
    with pytest.raises(ValidationError) as caught:
        StockUpdate.model_validate({"delta": 1, "reason": reason})
    assert codes(caught.value) == {"reason": code}


@pytest.mark.parametrize(
    ("available", "threshold", "status"),
    [
        (-1, 5, StockStatus.OUT_OF_STOCK),
        (0, 5, StockStatus.OUT_OF_STOCK),
        (1, 5, StockStatus.LOW_STOCK),
        (5, 5, StockStatus.LOW_STOCK),
        (6, 5, StockStatus.IN_STOCK),
        (1, 0, StockStatus.IN_STOCK),
    ],
)
def test_stock_status(available, threshold, status):
    assert stock_status(available, threshold) is status
