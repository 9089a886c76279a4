"""Content of the order emails: the confirmation with lines, totals and address, and status changes."""

from decimal import Decimal

from xshop.contracts.events import OrderPlaced, OrderStatusChanged
from xshop.services.notifications.rendering import RenderedEmail, render

STATUS_WORDS = {
    "confirmed": "confirmed by our team",
    "shipped": "on its way",
    "delivered": "delivered",
    "cancelled": "cancelled",
}


def money(amount: Decimal, currency: str) -> str:
    return f"{amount:.2f} {currency}"


def render_order_placed(data: OrderPlaced, company_name: str) -> RenderedEmail:
    address = data.shipping_address
    address_lines = [address.name, address.line1, address.line2, f"{address.postal_code} {address.city}"]
    address_lines += [address.country] + ([f"Phone: {address.phone}"] if address.phone else [])
    return render(
        "order_placed",
        f"Order confirmed - #{data.order_number}",
        company_name=company_name,
        customer_name=data.customer_name,
        order_number=data.order_number,
        lines=[
            {
                "name": line.name,
                "sku": line.sku,
                "quantity": line.quantity,
                "unit_price": money(line.unit_price, data.currency),
                "line_total": money(line.line_total, data.currency),
            }
            for line in data.lines
        ],
        subtotal=money(data.subtotal, data.currency),
        tax=money(data.tax, data.currency),
        shipping=money(data.shipping, data.currency),
        total=money(data.total, data.currency),
        address_lines=[line for line in address_lines if line],
    )


def render_order_status(data: OrderStatusChanged, company_name: str) -> RenderedEmail:
    return render(
        "order_status",
        f"Order #{data.order_number} is {data.new_status}",
        company_name=company_name,
        customer_name=data.customer_name,
        order_number=data.order_number,
        status_words=STATUS_WORDS.get(data.new_status, data.new_status),
        cancelled=data.new_status == "cancelled",
        reason=data.reason,
    )
