"""Indicator decisions: who set an indicator's status ("scam" or "safe") and when.

Existing rows keep no officer (the verdicts set before this revision wrote "by <officer>" into the note).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("indicators") as batch:
        batch.add_column(sa.Column("decided_by", sa.String(), nullable=True))
        batch.add_column(sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("indicators") as batch:
        batch.drop_column("decided_at")
        batch.drop_column("decided_by")
