"""Fixtures for the storage contract suite: the same tests run on memory, SQLite and (if set up) PostgreSQL.

The SQL databases come from tests/conftest.py (`postgres_url`, `open_sql`) and tests/databases.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage.memory import memory_repositories
from handlers.ports import Repositories
from tests.databases import empty_databases


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
