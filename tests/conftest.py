"""Shared fixtures: a frozen clock, apps over the real handlers, and the SQL databases of the storage suite."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from bot.app import App, build_app, build_memory_app
from tests.databases import PG_ENV, empty_databases
from tests.factories import OpenDatabase, settings_for
from tests.fakes.clocks import FrozenClock


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
async def app(clock: FrozenClock) -> AsyncIterator[App]:
    application = await build_memory_app(settings_for(), clock)
    yield application
    await application.close()


@pytest.fixture
async def sqlite_app(clock: FrozenClock, tmp_path) -> AsyncIterator[App]:
    application = await build_app(settings_for(f"sqlite:///{tmp_path}/bot.sqlite3"), clock, salt=b"salt")
    yield application
    await application.close()


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


@pytest.fixture(params=["sqlite", "postgresql"])
async def open_sql(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_url: str | None
) -> AsyncIterator[OpenDatabase]:
    """Opens `Database`s (as many as a test wants, like separate processes) on one empty SQL database."""
    async with empty_databases(request.param, tmp_path, postgres_url) as open_one:
        yield open_one


@pytest.fixture
async def postgres_database(tmp_path: Path, postgres_url: str | None) -> AsyncIterator[str]:
    """The URL of an empty, migrated PostgreSQL database for several real bot processes; skipped without one."""
    async with empty_databases("postgresql", tmp_path, postgres_url):  # migrated, then emptied
        assert postgres_url is not None
        yield postgres_url
