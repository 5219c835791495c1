"""Shared state for several processes serving one bot (`[sharing] backend = "database"`).

`sessions` holds the sessions behind buttons and dialogs (deleted when they expire, at most 6 hours),
`check_hits` the checks counted against each user's per-minute limit (deleted after a minute), and
`seen_updates` the ids of updates already taken, so a redelivery to another process is dropped (deleted after a
day), and `offered_choices` the numbered choices Zalo users answer buttons with (deleted after 6 hours). With the
default `memory` backend these tables stay empty.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("owner", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("dialog", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
    )
    op.create_index(op.f("ix_sessions_owner"), "sessions", ["owner"])
    op.create_index(op.f("ix_sessions_expires_at"), "sessions", ["expires_at"])
    op.create_table(
        "check_hits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_hits")),
    )
    op.create_index("ix_check_hits_actor_at", "check_hits", ["actor", "at"])
    op.create_index(op.f("ix_check_hits_at"), "check_hits", ["at"])
    op.create_table(
        "seen_updates",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_seen_updates")),
    )
    op.create_index(op.f("ix_seen_updates_seen_at"), "seen_updates", ["seen_at"])
    op.create_table(
        "offered_choices",
        sa.Column("chat", sa.String(), nullable=False),
        sa.Column("member", sa.String(), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("chat", "member", name=op.f("pk_offered_choices")),
    )
    op.create_index(op.f("ix_offered_choices_expires_at"), "offered_choices", ["expires_at"])


def downgrade() -> None:
    op.drop_table("offered_choices")
    op.drop_table("seen_updates")
    op.drop_table("check_hits")
    op.drop_table("sessions")
