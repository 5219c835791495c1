"""Empty SQL databases for tests: SQLite in a temporary folder, or PostgreSQL when it is set up.

PostgreSQL runs when CANHGIAC_TEST_DATABASE_URL is set (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test);
the session migrates a schema of its own (the `postgres_url` fixture in tests/conftest.py), empties its tables
before each test and drops it at the end.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.storage.database import Database, open_database
from bot.storage.tables import Table
from tests.factories import OpenDatabase

PG_ENV = "CANHGIAC_TEST_DATABASE_URL"


@asynccontextmanager
async def empty_databases(kind: str, tmp_path: Path, postgres_url: str | None) -> AsyncIterator[OpenDatabase]:
    """Yield an opener of `Database`s that share one empty SQL database; close them all afterwards."""
    if kind == "postgresql" and postgres_url is None:
        pytest.skip(f"{PG_ENV} is not set")
    url = postgres_url if kind == "postgresql" else f"sqlite:///{tmp_path / 'data' / 'canhgiac.sqlite3'}"
    assert url is not None
    opened: list[Database] = []

    async def open_one() -> Database:
        database = await open_database(url)
        opened.append(database)
        return database

    try:
        if kind == "postgresql":
            tables = ", ".join(f'"{table.name}"' for table in Table.metadata.sorted_tables)
            async with (await open_one()).engine.begin() as connection:
                await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY"))
        yield open_one
    finally:
        for database in opened:
            await database.close()
