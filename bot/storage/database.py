"""Open the database: pick the async driver, tune SQLite, migrate to head, build the repositories."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.storage.sql import sql_repositories
from handlers.ports import Repositories

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
# How long a handler may wait for one of the pool's connections (5, plus 10 more under load) before it fails and
# the user gets "internal error". SQLAlchemy's default, 30 s, was exceeded under a burst: with 64 updates handled
# at once per process and the CPU shared, a connection's holder waits its turn on the event loop between
# statements (load test of two processes on one PostgreSQL database, docs/benchmarks.md). As long as an answer
# may wait out flood control (bot/pacing.py REPLY_RETRY_BUDGET).
CONNECTION_WAIT = 120.0
# Any constant works; it only has to be the same in every process migrating the same database.
MIGRATION_LOCK_ID = 0x63616E68

_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "sqlite+pysqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+psycopg",
    "postgresql": "postgresql+psycopg",
    "postgresql+psycopg": "postgresql+psycopg",
    "postgresql+psycopg2": "postgresql+psycopg",
    "postgresql+asyncpg": "postgresql+psycopg",
}


@dataclass(frozen=True)
class Database:
    """An open database: its engine and the repositories over it."""

    engine: AsyncEngine
    repos: Repositories

    async def close(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()

    async def ping(self) -> None:
        """Raise unless the database answers a query that reads it (`SELECT 1` would not touch a SQLite file)."""
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT count(*) FROM alembic_version"))

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


def async_url(url: str) -> URL:
    """Map a configured URL (`sqlite:///…`, `postgresql://…`) to its async driver."""
    parsed = make_url(url)
    driver = _ASYNC_DRIVERS.get(parsed.drivername)
    if driver is None:
        raise ValueError(f"unsupported database URL scheme {parsed.drivername!r}: use sqlite or postgresql")
    if driver.startswith("sqlite") and parsed.database in (None, "", ":memory:"):
        raise ValueError("an in-memory SQLite database is not supported: use a file, or the in-memory repositories")
    return parsed.set(drivername=driver)


async def open_database(url: str) -> Database:
    """Connect, create and migrate the schema on first run (and on upgrades), and return the repositories.

    Statement parameters (names, report texts, numbers) never appear in SQLAlchemy's log lines or error messages.
    """
    engine_url = async_url(url)
    if engine_url.get_backend_name() == "sqlite":
        assert engine_url.database is not None
        await asyncio.to_thread(_make_parent_directory, engine_url.database)
        engine = create_async_engine(engine_url, hide_parameters=True, pool_timeout=CONNECTION_WAIT)
        _tune_sqlite(engine)
    else:
        engine = create_async_engine(engine_url, pool_pre_ping=True, hide_parameters=True, pool_timeout=CONNECTION_WAIT)
    try:
        await migrate(engine)
    except BaseException:
        await engine.dispose()
        raise
    return Database(engine=engine, repos=sql_repositories(engine))


def _make_parent_directory(path: str) -> None:
    Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)


def alembic_config() -> Config:
    """Alembic configuration pointing at the migrations shipped inside this package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    return config


async def migrate(engine: AsyncEngine) -> None:
    """Upgrade the schema to the newest revision, in one transaction, one process at a time."""
    async with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # Two processes starting together must not both create the tables.
            await connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
        await connection.run_sync(_upgrade)


def _upgrade(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def _tune_sqlite(engine: AsyncEngine) -> None:
    """WAL, a busy timeout, secure deletes, and BEGIN IMMEDIATE so writers queue instead of failing midway."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take over transaction control from the sqlite3 module; `_on_begin` opens them instead.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Deleted rows are overwritten with zeros, not left readable in free space: /forgetme means it.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # A deferred transaction that reads and then writes fails at once with SQLITE_BUSY when another
        # connection wrote in between (WAL snapshots cannot be upgraded); taking the write lock up front
        # makes concurrent writers wait for the busy timeout instead.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
