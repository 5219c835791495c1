"""Fixtures: a fake Bot API server, an app on in-memory storage, and adapters started against them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from bot.app import App, build_memory_app
from bot.config import TelegramSettings
from bot.telegram import WEBHOOK_PATH, TelegramAdapter
from bot.web import build_web_app
from tests.bot.telegram.fake_bot_api import TOKEN, Call, FakeBotAPI

WEBHOOK_SECRET = "s3cret-webhook-value"

StartAdapter = Callable[..., Awaitable[TelegramAdapter]]


async def wait_until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll a condition the fake server cannot signal (e.g. 'the adapter finished an update')."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.002)


def buttons(call: Call) -> list[dict[str, Any]]:
    """The inline buttons of a sent message, flattened."""
    markup = call.params.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]


@dataclass
class Telegram:
    """A started adapter and the fake server it talks to."""

    fake: FakeBotAPI
    adapter: TelegramAdapter
    app: App
    client: httpx.AsyncClient | None = None  # webhook mode: posts to the shared web app

    async def send(self, update: dict[str, Any], timeout: float = 10.0) -> list[Call]:
        """Deliver an update, wait until the adapter has handled it; the Bot API calls made meanwhile."""
        before_calls, before = len(self.fake.calls), self.adapter.processed
        if self.client is None:
            self.fake.push(update)
        else:
            update.setdefault("update_id", self.fake.next_update_id())
            response = await self.client.post(
                WEBHOOK_PATH, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
            )
            assert response.status_code == 200
        await wait_until(lambda: self.adapter.processed > before, timeout)
        return [c for c in self.fake.calls[before_calls:] if c.method != "getUpdates"]

    async def say(self, update: dict[str, Any]) -> list[str]:
        """The texts the bot sent in answer to one update."""
        return [
            c.params.get("text") or c.params.get("caption", "")
            for c in await self.send(update)
            if c.method in ("sendMessage", "sendPhoto", "editMessageText") and "_fault" not in c.params
        ]


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotAPI]:
    server = FakeBotAPI()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def memory_app() -> AsyncIterator[App]:
    app = await build_memory_app()
    yield app
    await app.close()


def telegram_settings(fake: FakeBotAPI, mode: str = "polling", **changes: Any) -> TelegramSettings:
    values: dict[str, Any] = {
        "token": TOKEN,
        "api_base_url": fake.url,
        "mode": mode,
        "concurrent_updates": 16,
        "webhook_url": "https://bot.example.vn/telegram/webhook",
        "webhook_secret": WEBHOOK_SECRET,
    }
    return TelegramSettings(**{**values, **changes})


@pytest.fixture
async def start_adapter(fake: FakeBotAPI) -> AsyncIterator[StartAdapter]:
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
async def tg(fake: FakeBotAPI, memory_app: App, start_adapter: StartAdapter) -> Telegram:
    """Polling mode on in-memory storage."""
    return Telegram(fake, await start_adapter(memory_app), memory_app)


@pytest.fixture
async def tg_webhook(fake: FakeBotAPI, memory_app: App, start_adapter: StartAdapter) -> AsyncIterator[Telegram]:
    """Webhook mode: updates are POSTed to the shared Starlette app."""
    adapter = await start_adapter(memory_app, "webhook")
    web = build_web_app(adapter.routes(), ["telegram"])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url="http://testserver") as client:
        yield Telegram(fake, adapter, memory_app, client)
