"""Shared body of every service's Alembic ``env.py``: migrations run on a connection the caller opened."""

from typing import Any

from alembic import context
from sqlalchemy import MetaData
from sqlalchemy.types import TypeDecorator


def _render_item(kind: str, obj: Any, _: Any) -> str | bool:
    """Migrations name plain SQLAlchemy types, so they never depend on our Python type wrappers."""
    if kind == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def run_migrations(target_metadata: MetaData) -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError(
            "xshop migrations run through `xshop migrate` or Database.migrate(), not bare alembic"
        )
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()
