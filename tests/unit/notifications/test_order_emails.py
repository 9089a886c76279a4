"""The order emails: the confirmation lists lines, totals and the address; markup sent by a customer
is escaped in the HTML part; a payload missing fields is refused, naming them."""

import uuid
from decimal import Decimal
from typing import Any

import pytest

from xshop.contracts.events import OrderPlaced, OrderStatusChanged
from xshop.platform.clock import utcnow
from xshop.platform.events.envelope import CloudEvent
from xshop.services.notifications.emails import COMPOSERS, InvalidEvent


def placed(**address: Any) -> CloudEvent:
    now = utcnow()
    payload = OrderPlaced(
        order_id=str(uuid.uuid4()),
        order_number="ORD-20261124-7F3A9C21",
        customer_id="u-1",
        customer_email="ann@example.com",
        customer_name="Ann <b>Lee</b>",
        lines=[
            {
                "productId": "p-1",
                "sku": "MUG-1",
                "name": "Mug & Saucer",
                "unitPrice": "0.10",
                "quantity": 3,
                "lineTotal": "0.30",
            },
        ],
        currency="EUR",
        subtotal=Decimal("0.30"),
        tax=Decimal("0.06"),
        shipping=Decimal("4.99"),
        total=Decimal("5.35"),
        shipping_address={
            "name": "Ann Lee",
            "line1": "1 Main St",
            "city": "Dublin",
            "postalCode": "D01",
            "country": "IE",
        }
        | address,
        placed_at=now,
        user_id="u-1",
        correlation_id="cid-1",
        timestamp=now,
    )
    return CloudEvent(source="orders", type=payload.event_type, correlationid="cid-1", data=payload.to_data())


def test_the_confirmation_lists_lines_totals_and_address():
    email = COMPOSERS["order.placed"](placed(line2="<script>alert(1)</script>"), "xShop")
    assert (email.to, email.type, email.subject) == (
        "ann@example.com",
        "order-confirmation",
        "Order confirmed - #ORD-20261124-7F3A9C21",
    )
    for text in ("3 x Mug & Saucer (MUG-1) at 0.10 EUR: 0.30 EUR", "Total: 5.35 EUR", "Tax: 0.06 EUR",
                 "Shipping: 4.99 EUR", "D01 Dublin", "IE"):  # fmt: skip
        assert text in email.text
    assert "Mug &amp; Saucer" in email.html and "5.35 EUR" in email.html
    assert "<script>" not in email.html and "&lt;script&gt;" in email.html
    assert "<b>Lee</b>" not in email.html
    assert email.correlation_id == "cid-1"


def test_a_status_change_email_names_the_new_status():
    now = utcnow()
    payload = OrderStatusChanged(
        order_id="o-1",
        order_number="ORD-20261124-00000001",
        customer_id="u-1",
        customer_email="ann@example.com",
        customer_name="Ann",
        old_status="confirmed",
        new_status="shipped",
        reason=None,
        changed_by="admin-1",
        changed_at=now,
        user_id="admin-1",
        correlation_id="cid-2",
        timestamp=now,
    )
    event = CloudEvent(source="orders", type=payload.event_type, data=payload.to_data())
    email = COMPOSERS["order.status.changed"](event, "xShop")
    assert email.subject == "Order #ORD-20261124-00000001 is shipped"
    assert "on its way" in email.text and "on its way" in email.html


def test_an_order_event_missing_fields_is_refused():
    event = placed()
    broken = CloudEvent(
        source="orders", type=event.type, data={k: v for k, v in event.data.items() if k != "total"}
    )
    with pytest.raises(InvalidEvent, match="total"):
        COMPOSERS["order.placed"](broken, "xShop")
