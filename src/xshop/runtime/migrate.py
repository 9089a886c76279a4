"""``xshop migrate``: bring each service's database (or PostgreSQL schema) to its latest migration."""

from xshop.platform.db import Database
from xshop.platform.settings import Settings
from xshop.runtime.registry import MIGRATIONS


class UnknownService(ValueError):
    pass


async def migrate_all(settings: Settings, only: str | None) -> list[str]:
    if only is not None and only not in MIGRATIONS:
        raise UnknownService(f"{only!r} has no database; services with one: {', '.join(MIGRATIONS)}")
    names = [only] if only else list(MIGRATIONS)
    for name in names:
        db = Database(settings.database_url_of(name), schema=name)
        try:
            await db.migrate(MIGRATIONS[name])
        finally:
            await db.dispose()
    return names
