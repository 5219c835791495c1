"""Initial schema: every table, index and unique constraint of bot/storage/tables.py.

Written from `alembic revision --autogenerate` and reviewed by hand: plain SQLAlchemy types (sqlmodel's
AutoString and UTCDateTime are String and DateTime(timezone=True) underneath), so the migration does not
depend on sqlmodel internals. Runs on SQLite and PostgreSQL.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(), nullable=nullable)


def _time(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _flag(name: str) -> sa.Column:
    return sa.Column(name, sa.Boolean(), nullable=False)


def _number(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=nullable)


def _serial() -> sa.Column:
    return sa.Column("id", sa.Integer(), nullable=False)


def upgrade() -> None:
    """Create every table."""
    op.create_table(
        "users",
        _text("actor"),
        _text("platform"),
        _text("user_id"),
        _text("display_name"),
        _text("language"),
        _flag("is_officer"),
        _time("created_at"),
        sa.PrimaryKeyConstraint("actor", name=op.f("pk_users")),
    )
    op.create_index(op.f("ix_users_is_officer"), "users", ["is_officer"])

    op.create_table(
        "chats",
        _text("chat_key"),
        _text("platform"),
        _text("chat_id"),
        _text("kind"),
        _text("language"),
        _flag("guard"),
        _flag("active"),
        _text("inactive_reason", nullable=True),
        _time("updated_at"),
        sa.PrimaryKeyConstraint("chat_key", name=op.f("pk_chats")),
    )

    op.create_table(
        "signatures",
        _text("id"),
        sa.Column("data", sa.JSON(), nullable=False),
        _text("origin"),
        _text("shipped_hash", nullable=True),
        _flag("edited"),
        _flag("enabled"),
        _time("updated_at"),
        _text("updated_by", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signatures")),
    )

    op.create_table(
        "indicators",
        _text("kind"),
        _text("value"),
        _number("report_count"),
        _text("status"),
        _time("first_reported_at", nullable=True),
        _time("last_reported_at", nullable=True),
        _text("note", nullable=True),
        sa.PrimaryKeyConstraint("kind", "value", name=op.f("pk_indicators")),
    )
    op.create_index(op.f("ix_indicators_status"), "indicators", ["status"])

    op.create_table(
        "indicator_reports",
        _text("kind"),
        _text("value"),
        _text("reporter"),
        _time("at"),
        sa.PrimaryKeyConstraint("kind", "value", "reporter", name=op.f("pk_indicator_reports")),
    )
    op.create_index(op.f("ix_indicator_reports_reporter"), "indicator_reports", ["reporter"])

    op.create_table(
        "checks",
        _serial(),
        _text("platform"),
        _time("at"),
        _text("level"),
        _number("score"),
        sa.Column("methods", sa.JSON(), nullable=False),
        _text("text_hash"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checks")),
    )
    op.create_index(op.f("ix_checks_at"), "checks", ["at"])

    op.create_table(
        "reports",
        _serial(),
        _text("actor"),
        _text("platform"),
        _text("chat_id"),
        _text("text"),
        _time("created_at"),
        _flag("notify"),
        _text("status"),
        _text("decided_by", nullable=True),
        _time("decided_at", nullable=True),
        _number("check_id", nullable=True),
        _text("level", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
    )
    op.create_index(op.f("ix_reports_actor"), "reports", ["actor"])
    op.create_index(op.f("ix_reports_status"), "reports", ["status"])

    op.create_table(
        "feedback",
        _serial(),
        _number("check_id"),
        _text("actor"),
        _flag("correct"),
        _time("at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
        sa.UniqueConstraint("check_id", "actor", name=op.f("uq_feedback_check_id_actor")),
    )
    op.create_index(op.f("ix_feedback_actor"), "feedback", ["actor"])

    op.create_table(
        "subscriptions",
        _text("chat_key"),
        _text("platform"),
        _text("chat_id"),
        _text("local_time"),
        _text("timezone"),
        _flag("active"),
        _text("inactive_reason", nullable=True),
        _text("created_by"),
        _time("created_at"),
        sa.Column("shown_methods", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("chat_key", name=op.f("pk_subscriptions")),
    )
    op.create_index(op.f("ix_subscriptions_active"), "subscriptions", ["active"])

    op.create_table(
        "alerts",
        _serial(),
        _text("text"),
        _text("image_url", nullable=True),
        _text("created_by"),
        _time("created_at"),
        _text("status"),
        _text("kind"),
        _text("cancelled_by", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
    )
    op.create_index(op.f("ix_alerts_status"), "alerts", ["status"])

    op.create_table(
        "deliveries",
        _serial(),
        _text("chat_key"),
        _text("platform"),
        _text("chat_id"),
        _text("alert_key"),
        sa.Column("day", sa.Date(), nullable=False),
        _text("text"),
        _text("image_url", nullable=True),
        _text("status"),
        _number("attempts"),
        _time("next_attempt_at"),
        _text("last_error", nullable=True),
        _text("claimed_by", nullable=True),
        _time("lease_until", nullable=True),
        _time("sent_at", nullable=True),
        _text("round_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.UniqueConstraint("chat_key", "alert_key", "day", name=op.f("uq_deliveries_chat_key_alert_key_day")),
    )
    op.create_index("ix_deliveries_claim", "deliveries", ["platform", "status", "next_attempt_at"])
    op.create_index(op.f("ix_deliveries_round_id"), "deliveries", ["round_id"])

    op.create_table(
        "audit",
        _serial(),
        _text("actor"),
        _text("action"),
        _text("target"),
        _text("detail"),
        _time("at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit")),
    )
    op.create_index(op.f("ix_audit_at"), "audit", ["at"])


def downgrade() -> None:
    """Drop every table (their indexes go with them)."""
    for table in (
        "audit",
        "deliveries",
        "alerts",
        "subscriptions",
        "feedback",
        "reports",
        "checks",
        "indicator_reports",
        "indicators",
        "signatures",
        "chats",
        "users",
    ):
        op.drop_table(table)
