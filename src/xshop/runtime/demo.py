"""Demo data: the catalogue of ``services/catalog/demo.py`` and one admin account, through each
service's own use cases (a composition root may call a service layer; services never call another's).
Running it again adds nothing: products are matched by SKU, the admin by email."""

import secrets
import string
from dataclasses import dataclass

from xshop.platform.settings import Settings
from xshop.runtime.embedded import EmbeddedShop
from xshop.services.catalog.demo import demo_products
from xshop.services.catalog.service import CatalogService
from xshop.services.users.schemas import UserCreate
from xshop.services.users.service import UsersService

# Not xshop.local: the users service refuses special-use domains such as .local; example.com is
# reserved for examples (RFC 2606), so the address can never reach a real mailbox.
ADMIN_EMAIL = "admin@xshop.example.com"
_PASSWORD_ALPHABET = string.ascii_letters + string.digits


@dataclass(frozen=True)
class DemoSeed:
    products_added: int
    products_in_demo: int
    admin_email: str
    admin_password: str | None
    """Only when the account was created just now: it is shown this once and stored only hashed."""

    def describe(self) -> str:
        lines = [f"demo catalogue: {self.products_added} of {self.products_in_demo} products added"]
        if self.admin_password:
            lines.append(f"demo admin created: {self.admin_email} / password {self.admin_password}")
            lines.append("  (shown only now: note it down)")
        else:
            lines.append(f"demo admin: {self.admin_email} already exists (password unchanged)")
        return "\n".join(lines)


def generate_password() -> str:
    """20 letters and digits, with at least one of each (the users service's password rule)."""
    while True:
        candidate = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(20))
        if any(c.isdigit() for c in candidate) and any(c.isalpha() for c in candidate):
            return candidate


async def seed_demo(users: UsersService, catalog: CatalogService) -> DemoSeed:
    products = demo_products()
    added = await catalog.import_products(products)
    password: str | None = None
    if await users.find_by_email(ADMIN_EMAIL) is None:
        password = generate_password()
        account = UserCreate(email=ADMIN_EMAIL, password=password, first_name="Demo", last_name="Admin")
        _, created = await users.create_admin(account, actor="seed-demo")
        password = password if created else None
    return DemoSeed(added, len(products), ADMIN_EMAIL, password)


async def seed_shop(shop: EmbeddedShop) -> DemoSeed:
    """Seed through the units of ``shop``; once it is started (``xshop run --demo``) the events go out
    at once."""
    return await seed_demo(shop.units["users"].app.state.users, shop.units["catalog"].app.state.catalog)


async def seed_data_dir(settings: Settings) -> DemoSeed:
    """``xshop seed-demo``: migrate and seed the users and catalog databases without starting the shop.
    The events wait in those services' outboxes until the shop runs and its relays publish them."""
    shop = EmbeddedShop(settings)
    try:
        for name in ("users", "catalog"):
            unit = shop.units[name]
            if unit.migrations is not None:
                await unit.database.migrate(unit.migrations)
        return await seed_shop(shop)
    finally:
        for unit in shop.units.values():
            await unit.close()
        await shop.bus.db.dispose()
