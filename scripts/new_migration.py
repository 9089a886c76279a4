#!/usr/bin/env python
"""Autogenerate an Alembic revision for one service: python scripts/new_migration.py SERVICE "message".

Runs the existing migrations on a scratch SQLite database, then diffs the models against it."""
import sys, asyncio, tempfile, importlib
from pathlib import Path
from alembic import command
from alembic.config import Config
from sqlalchemy.ext.asyncio import create_async_engine

service, message = sys.argv[1], sys.argv[2]
mig = Path(f"src/xshop/services/{service}/migrations")

async def main():
    d = tempfile.mkdtemp()
    engine = create_async_engine(f"sqlite+aiosqlite:///{d}/x.sqlite")
    cfg = Config(); cfg.set_main_option("script_location", str(mig))
    def up(conn):
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    def rev(conn):
        cfg.attributes["connection"] = conn
        command.revision(cfg, message=message, autogenerate=True)
    async with engine.begin() as conn:
        await conn.run_sync(up)
        await conn.run_sync(rev)
asyncio.run(main())
