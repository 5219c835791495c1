"""open_database: URLs, SQLite tuning, and migrations that build exactly the tables the code declares."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from bot.pacing import REPLY_RETRY_BUDGET
from bot.storage.database import CONNECTION_WAIT, alembic_config, async_url, open_database
from bot.storage.tables import Table
from tests.factories import T0, OpenDatabase


@pytest.mark.parametrize(
    ("configured", "expected"),
    [
        ("sqlite:///data/canhgiac.sqlite3", "sqlite+aiosqlite:///data/canhgiac.sqlite3"),
        ("sqlite+aiosqlite:////var/lib/canhgiac.sqlite3", "sqlite+aiosqlite:////var/lib/canhgiac.sqlite3"),
        ("postgresql://bot:pw@db:5432/canhgiac", "postgresql+psycopg://bot:pw@db:5432/canhgiac"),
        ("postgres://bot@db/canhgiac", "postgresql+psycopg://bot@db/canhgiac"),
        ("postgresql+psycopg://bot@db/canhgiac", "postgresql+psycopg://bot@db/canhgiac"),
    ],
)
def test_urls_map_to_async_drivers(configured: str, expected: str) -> None:
    assert async_url(configured).render_as_string(hide_password=False) == expected


@pytest.mark.parametrize("url", ["mysql://x/y", "sqlite://", "sqlite:///:memory:"])
def test_unsupported_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError):
        async_url(url)


async def test_first_run_creates_the_directory_and_a_wal_database(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "data" / "canhgiac.sqlite3"
    database = await open_database(f"sqlite:///{path}")
    try:
        await database.repos.users.ensure("telegram", "1", "Lan", T0)
        async with database.engine.connect() as connection:
            assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await connection.execute(text("PRAGMA busy_timeout"))).scalar() == 30_000
    finally:
        await database.close()
    assert path.exists()

    async with await open_database(f"sqlite:///{path}") as reopened:  # migrating again is a no-op
        assert (await reopened.repos.users.get("telegram:1")) is not None


async def test_migrated_schema_matches_the_tables(open_sql: OpenDatabase) -> None:
    database = await open_sql()

    def differences(connection: Connection) -> list[object]:
        return compare_metadata(MigrationContext.configure(connection), Table.metadata)

    def revision(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with database.engine.connect() as connection:
        assert await connection.run_sync(differences) == []
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert await connection.run_sync(revision) == head


async def test_downgrade_and_upgrade_again(tmp_path: Path) -> None:
    async with await open_database(f"sqlite:///{tmp_path / 'db.sqlite3'}") as database:

        def downgrade_then_upgrade(connection: Connection) -> list[str]:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
            tables = connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")
            remaining = [name for (name,) in tables]
            command.upgrade(config, "head")
            return remaining

        async with database.engine.begin() as connection:
            assert await connection.run_sync(downgrade_then_upgrade) == ["alembic_version"]
        assert await database.repos.audit.list() == []


async def test_a_handler_waits_for_a_free_connection_as_long_as_an_answer_may_wait(open_sql: OpenDatabase) -> None:
    """Under a burst the pool's 15 connections are all taken for a while; 30 s (SQLAlchemy's default) was too short
    a wait in the load test of two processes (two users got "internal error")."""
    database = await open_sql()
    assert database.engine.pool.timeout() == CONNECTION_WAIT >= REPLY_RETRY_BUDGET  # type: ignore[attr-defined]
