#!/usr/bin/env python
"""Autogenerate an Alembic revision for one service.

Usage: .venv/bin/python scripts/new_migration.py SERVICE "message"

Applies the service's existing migrations to a scratch SQLite database, diffs its models against it,
writes the new revision into src/xshop/services/SERVICE/migrations/versions/ and formats it with ruff.
"""

import asyncio
import subprocess
import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine

ROOT = Path(__file__).resolve().parents[1]


async def autogenerate(service: str, message: str) -> None:
    migrations = ROOT / "src" / "xshop" / "services" / service / "migrations"
    config = Config()
    config.set_main_option("script_location", str(migrations))
    before = set((migrations / "versions").glob("*.py"))

    def upgrade_then_diff(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        command.revision(config, message=message, autogenerate=True)

    with tempfile.TemporaryDirectory() as scratch:
        engine = create_async_engine(f"sqlite+aiosqlite:///{scratch}/scratch.sqlite")
        async with engine.begin() as connection:
            await connection.run_sync(upgrade_then_diff)
        await engine.dispose()
    created = [str(p) for p in set((migrations / "versions").glob("*.py")) - before]
    ruff = Path(sys.executable).with_name("ruff")
    subprocess.run([ruff, "check", "--fix", "--unsafe-fixes", "--quiet", *created], check=False)
    subprocess.run([ruff, "format", "--quiet", *created], check=True)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    asyncio.run(autogenerate(sys.argv[1], sys.argv[2]))
