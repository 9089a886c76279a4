"""reservation returned_at: sold units put back when an order is cancelled

Revision ID: a3c9e2d1f4b7
Revises: 57401f13417c
Create Date: 2026-11-24 20:35:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a3c9e2d1f4b7"
down_revision: str | Sequence[str] | None = "57401f13417c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reservations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reservations", schema=None) as batch_op:
        batch_op.drop_column("returned_at")
