"""Order totals in exact decimal arithmetic: cents, rounded half up, never a float."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PricingRules:
    tax_rate: Decimal
    shipping_flat: Decimal
    free_shipping_over: Decimal | None = None


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    tax: Decimal
    shipping: Decimal
    total: Decimal


def line_total(unit_price: Decimal, quantity: int) -> Decimal:
    return to_cents(unit_price * quantity)


def totals(line_totals: list[Decimal], rules: PricingRules) -> Totals:
    """Tax is charged on the subtotal; shipping is flat, or free from ``free_shipping_over`` up."""
    subtotal = to_cents(sum(line_totals, Decimal("0")))
    tax = to_cents(subtotal * rules.tax_rate)
    free = rules.free_shipping_over is not None and subtotal >= rules.free_shipping_over
    shipping = Decimal("0.00") if free or not line_totals else to_cents(rules.shipping_flat)
    return Totals(subtotal, tax, shipping, to_cents(subtotal + tax + shipping))
