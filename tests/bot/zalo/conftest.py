"""Fixtures for the Zalo adapter tests: the fake Bot API server, an app, and a running adapter."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.app import App, build_memory_app
from bot.config import ZaloSettings
from bot.zalo.adapter import ZaloAdapter
from tests.bot.zalo.fake_zalo_api import FakeZaloApi


def zalo_settings(fake: FakeZaloApi, **changes: Any) -> ZaloSettings:
    """Settings pointing at the fake: 1 s long polls and no practical send-rate limit."""
    values: dict[str, Any] = {
        "token": fake.token,
        "api_base_url": fake.base_url,
        "poll_timeout": 1,
        "concurrency": 4,
        "messages_per_second": 1000.0,
    }
    return ZaloSettings(**{**values, **changes})


@pytest.fixture
async def fake_zalo() -> AsyncIterator[FakeZaloApi]:
    fake = FakeZaloApi()
    await fake.start()
    yield fake
    await fake.stop()


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
