"""Fixtures for the Zalo adapter tests: the fake Bot API server, an app, and a running adapter."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import App, build_memory_app
from bot.zalo.adapter import ZaloAdapter
from tests.factories import zalo_settings
from tests.fakes.zalo_api import FakeZaloApi


@pytest.fixture
async def app() -> AsyncIterator[App]:
    app = await build_memory_app()
    yield app
    await app.close()


@pytest.fixture
async def zalo(app: App, fake_zalo: FakeZaloApi) -> AsyncIterator[ZaloAdapter]:
    """A Zalo adapter polling the fake server."""
    adapter = ZaloAdapter(app, zalo_settings(fake_zalo))
    await adapter.start()
    yield adapter
    await adapter.stop()
