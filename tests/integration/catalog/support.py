"""Helpers of the catalogue tests: a small catalogue with known answers, and the calls to check it.

Every test names its products in a namespace of its own (SKUs, categories and tags carry its key,
its admin has an id of its own) and asks only within it (``Namespace.scoped``), so the same exact
answers hold on a fresh embedded shop and on the distributed shop the whole session shares."""

import uuid
from dataclasses import dataclass, field
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


# Every tag a test's products may carry: the seed's, and those of the products the admin tests add.
TAGS = tuple(sorted({tag for fields in SEED.values() for tag in fields["tags"]} | {"gift", "sale"}))


def _suffixed(value: str, suffix: str) -> str:
    """``value`` with ``-suffix`` after its text, keeping the spaces around it and, for a value in
    capitals, the capitals (the letter case and spaces the tests send are part of what they test)."""
    text = value.strip()
    if not text or not suffix:
        return value
    return value.replace(text, f"{text}-{suffix.upper() if text.isupper() else suffix}", 1)


@dataclass(frozen=True)
class Namespace:
    """One test's names: its products' SKUs, categories and tags end in ``key``. ``PLAIN`` (no key)
    names them as they are (``SKU-A``, ``kitchen``), for the tests that need a fresh shop anyway."""

    key: str = field(default_factory=lambda: uuid.uuid4().hex[:8])

    @property
    def admin_id(self) -> str:
        return f"admin-{self.key}"

    def sku(self, name: str) -> str:
        return f"SKU-{self.key.upper()}-{name}" if self.key else f"SKU-{name}"

    def category(self, name: str) -> str:
        return _suffixed(name, self.key)

    def tag(self, name: str) -> str:
        return _suffixed(name, self.key)

    def scoped(self, params: dict[str, Any]) -> dict[str, Any]:
        """``params`` asking the same within this namespace: a category or tags filter names this
        namespace's; a search without either is narrowed to products with any of its tags."""
        scoped = dict(params)
        if "category" in scoped:
            scoped["category"] = _suffixed(scoped["category"], self.key)
        if "tags" in scoped:
            scoped["tags"] = ",".join(_suffixed(tag, self.key) for tag in scoped["tags"].split(","))
        if "category" not in scoped and "tags" not in scoped:
            scoped["tags"] = ",".join(self.tag(tag) for tag in TAGS)
        return scoped

    def own_categories(self, body: dict[str, Any]) -> dict[str, Any]:
        """A ``/bff/categories`` answer with only this namespace's categories."""
        own = [item for item in body["items"] if not self.key or item["category"].endswith(f"-{self.key}")]
        return {"items": own}


PLAIN = Namespace("")


@dataclass(frozen=True)
class Catalogue(Namespace):
    """The seeded products: ``ids("A", "B")`` gives their ids in that order."""

    by_letter: dict[str, str] = field(default_factory=dict)

    def ids(self, *letters: str) -> list[str]:
        return [self.by_letter[letter] for letter in letters]

    def by_price_then_id(self, *letters: str, descending: bool = False) -> list[str]:
        price = {letter: float(SEED[letter]["price"]) for letter in letters}
        ordered = sorted(letters, key=lambda x: (-price[x] if descending else price[x], self.by_letter[x]))
        return self.ids(*ordered)


async def seed(shop: ShopDriver, admin: dict[str, str], namespace: Namespace = PLAIN) -> Catalogue:
    ids = {}
    for letter, fields in SEED.items():
        named = {
            "sku": namespace.sku(letter),
            "category": namespace.category(fields["category"]),
            "tags": [namespace.tag(tag) for tag in fields["tags"]],
        }
        response = await shop.bff.post("/bff/admin/products", json={**fields, **named}, headers=admin)
        assert response.status_code == 201, response.text
        ids[letter] = response.json()["id"]
    return Catalogue(namespace.key, ids)


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
