"""Helpers of the catalogue tests: a small catalogue with known answers, and the calls to check it."""

from dataclasses import dataclass
from typing import Any

import httpx

from tests.helpers import ShopDriver

ADMIN_ID = "admin-7"

# Created in this order (so "newest" is the reverse). H is inactive; A, B and E share a price so
# that price sorts have equal keys to break by id; I exercises Unicode case folding.
SEED: dict[str, dict[str, Any]] = {
    "A": {"name": "Red Mug", "description": "A sturdy ceramic mug for coffee.", "price": "12.00",
          "category": "kitchen", "tags": ["ceramic", "red"], "onHand": 10},
    "B": {"name": "Blue Mug", "description": "Ceramic mug in ocean blue.", "price": "12.00",
          "category": "kitchen", "tags": ["blue", "ceramic"], "onHand": 0},
    "C": {"name": "Coffee Grinder", "description": "Burr grinder for fresh beans.", "price": "45.50",
          "category": "kitchen", "tags": ["coffee", "electric"], "onHand": 3},
    "D": {"name": "Travel Tumbler", "description": "Keeps coffee hot; fits every mug holder.",
          "price": "19.99", "category": "outdoor", "tags": ["steel", "travel"], "onHand": 25},
    "E": {"name": "Espresso Cups (Set of 2)", "description": "Small porcelain cups.", "price": "12.00",
          "category": "kitchen", "tags": ["porcelain"], "onHand": 7},
    "F": {"name": "Camping Stove", "description": "Boils water for a mug of tea.", "price": "89.00",
          "category": "outdoor", "tags": ["camping", "steel"], "onHand": 5},
    "G": {"name": "MUGGLE Studies", "description": "A novel about magic, 100% fiction.", "price": "9.95",
          "category": "books", "tags": ["fiction"], "onHand": 12},
    "H": {"name": "Hidden Mug", "description": "Retired.", "price": "12.00", "category": "kitchen",
          "tags": ["ceramic"], "onHand": 4, "isActive": False},
    "I": {"name": "Ünïcode Straße Guide", "description": "Walking tours.", "price": "15.00",
          "category": "books", "tags": ["travel"], "onHand": 2},
}  # fmt: skip


@dataclass
class Catalogue:
    """The seeded products: ``ids("A", "B")`` gives their ids in that order."""

    by_letter: dict[str, str]

    def ids(self, *letters: str) -> list[str]:
        return [self.by_letter[letter] for letter in letters]

    def by_price_then_id(self, *letters: str, descending: bool = False) -> list[str]:
        price = {letter: float(SEED[letter]["price"]) for letter in letters}
        ordered = sorted(letters, key=lambda x: (-price[x] if descending else price[x], self.by_letter[x]))
        return self.ids(*ordered)


async def seed(shop: ShopDriver, admin: dict[str, str]) -> Catalogue:
    ids = {}
    for letter, fields in SEED.items():
        response = await shop.bff.post(
            "/bff/admin/products", json={"sku": f"SKU-{letter}", **fields}, headers=admin
        )
        assert response.status_code == 201, response.text
        ids[letter] = response.json()["id"]
    return Catalogue(ids)


def ids_of(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = dict(response.json())
    assert problem["code"] == code
    assert problem["correlationId"] == response.headers["x-correlation-id"]
    return problem
