"""Indexes for the retention purge: each of its batches finds expired rows by these times without a full scan.

`indicator_reports.at` and `feedback.at` (deleted with the undecided reports and the check log),
`deliveries.day` (finished outbox rows), `reports.decided_at` (decided reports' text blanked). No data changes.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("indicator_reports", "at"),
    ("feedback", "at"),
    ("deliveries", "day"),
    ("reports", "decided_at"),
)


def upgrade() -> None:
    for table, column in INDEXES:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column])


def downgrade() -> None:
    for table, column in INDEXES:
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
