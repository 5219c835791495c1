"""GET /healthz on the real web server: ok only while what the bot needs answers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.app import App, build_app
from bot.platforms import web_checks
from bot.web import build_web_app
from tests.factories import settings_for
from tests.fakes.server import LoopbackServer


@pytest.fixture
async def sqlite_bot(tmp_path: Path) -> AsyncIterator[App]:
    app = await build_app(settings_for(f"sqlite:///{tmp_path}/data/bot.sqlite3"), salt=b"s")
    yield app
    await app.close()


async def test_healthz_fails_with_503_naming_the_database_while_it_is_unreachable(
    sqlite_bot: App, tmp_path: Path
) -> None:
    server = LoopbackServer(build_web_app([], ["telegram"], web_checks(sqlite_bot)))
    await server.start()
    try:
        async with httpx.AsyncClient(base_url=server.url) as client:
            healthy = await client.get("/healthz")
            assert healthy.status_code == 200
            assert healthy.json() == {"status": "ok", "platforms": ["telegram"]}
            # The database goes away: its folder is gone (a lost volume) and the open connections with it.
            (tmp_path / "data").rename(tmp_path / "elsewhere")
            assert sqlite_bot.database is not None
            await sqlite_bot.database.engine.dispose()
            failing = await client.get("/healthz")
            assert failing.status_code == 503
            body = failing.json()
            assert body["status"] == "failing" and list(body["failed"]) == ["database"], body
            assert body["platforms"] == ["telegram"]
            # It comes back: so does the health, without a restart.
            (tmp_path / "elsewhere").rename(tmp_path / "data")
            assert (await client.get("/healthz")).status_code == 200
    finally:
        await server.stop()
