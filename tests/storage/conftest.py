"""Fixtures for the storage contract suite: the same tests run on memory, SQLite and (if set up) PostgreSQL.

PostgreSQL runs when CANHGIAC_TEST_DATABASE_URL is set (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test);
the session migrates a schema of its own, empties its tables before each test and drops it at the end.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.storage.database import Database, open_database
from bot.storage.memory import memory_repositories
from bot.storage.tables import Table
from handlers.ports import Repositories

T0 = dt.datetime(2026, 5, 1, 1, 0, tzinfo=dt.UTC)
"""A fixed instant tests count from (08:00 in Hồ Chí Minh City)."""

PG_ENV = "CANHGIAC_TEST_DATABASE_URL"
OpenDatabase = Callable[[], Awaitable[Database]]


def minutes(count: float) -> dt.datetime:
    """T0 plus `count` minutes."""
    return T0 + dt.timedelta(minutes=count)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    """A URL whose connections work in a fresh schema (dropped when the session ends), or None."""
    base = os.environ.get(PG_ENV)
    if not base:
        yield None
        return
    url = make_url(base)
    schema = f"canhgiac_test_{uuid.uuid4().hex[:12]}"
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(plain, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


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


@pytest.fixture(params=["sqlite", "postgresql"])
async def open_sql(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_url: str | None
) -> AsyncIterator[OpenDatabase]:
    """Opens `Database`s (as many as a test wants, like separate processes) on one empty SQL database."""
    async with empty_databases(request.param, tmp_path, postgres_url) as open_one:
        yield open_one


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
async def repos(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_url: str | None
) -> AsyncIterator[Repositories]:
    """Every repository, empty, from one implementation per parameter."""
    if request.param == "memory":
        yield memory_repositories()
        return
    async with empty_databases(request.param, tmp_path, postgres_url) as open_one:
        yield (await open_one()).repos
