"""Fixtures: a fake Bot API server, an app on in-memory storage, and adapters started against them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from bot.app import App, build_memory_app
from bot.config import TelegramSettings
from bot.telegram import TelegramAdapter
from bot.web import build_web_app
from tests.bot.telegram.helpers import StartAdapter, Telegram
from tests.factories import telegram_settings
from tests.fakes.telegram_api import FakeTelegramApi


@pytest.fixture
async def memory_app() -> AsyncIterator[App]:
    app = await build_memory_app()
    yield app
    await app.close()


@pytest.fixture
async def start_adapter(fake: FakeTelegramApi) -> AsyncIterator[StartAdapter]:
    started: list[TelegramAdapter] = []

    async def start(
        app: App, mode: str = "polling", settings: TelegramSettings | None = None, **kwargs: Any
    ) -> TelegramAdapter:
        adapter = TelegramAdapter(app, settings or telegram_settings(fake, mode), **kwargs)
        await adapter.start()
        started.append(adapter)
        return adapter

    yield start
    for adapter in reversed(started):
        await adapter.stop()


@pytest.fixture
async def tg(fake: FakeTelegramApi, memory_app: App, start_adapter: StartAdapter) -> Telegram:
    """Polling mode on in-memory storage."""
    return Telegram(fake, await start_adapter(memory_app), memory_app)


@pytest.fixture
async def tg_webhook(fake: FakeTelegramApi, memory_app: App, start_adapter: StartAdapter) -> AsyncIterator[Telegram]:
    """Webhook mode: updates are POSTed to the shared Starlette app."""
    adapter = await start_adapter(memory_app, "webhook")
    web = build_web_app(adapter.routes(), ["telegram"])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url="http://testserver") as client:
        yield Telegram(fake, adapter, memory_app, client)
