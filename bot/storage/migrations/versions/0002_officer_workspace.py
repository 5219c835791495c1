"""Officers' workspace and one scheduler: signature versions, what kind of review item a report is, leases.

A version number on each signature and every stored form in `signature_versions`; `reports.kind` tells a
citizen's own report ("report") from a message sent after pressing "wrong verdict" ("wrong_verdict");
`leases` holds named leases (the alert scheduler runs in one process at a time).

Existing signatures become version 1 of themselves (change "shipped" or "edited" as their row says), so
history and rollback work for libraries stored before this revision.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("signatures") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.create_table(
        "signature_versions",
        sa.Column("signature_id", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("change", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("signature_id", "version", name=op.f("pk_signature_versions")),
    )
    op.create_table(
        "leases",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("holder", sa.String(), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_leases")),
    )
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("kind", sa.String(), nullable=False, server_default="report"))
    op.execute(
        "INSERT INTO signature_versions (signature_id, version, data, enabled, change, note, actor, at) "
        "SELECT id, 1, data, enabled, CASE WHEN edited THEN 'edited' ELSE 'shipped' END, '', updated_by, updated_at "
        "FROM signatures"
    )


def downgrade() -> None:
    op.drop_table("leases")
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("kind")
    op.drop_table("signature_versions")
    with op.batch_alter_table("signatures") as batch:
        batch.drop_column("version")
