"""Helpers for the Telegram adapter tests: a started adapter with its fake server, and what to read off calls."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from bot.app import App
from bot.telegram import WEBHOOK_PATH, TelegramAdapter
from tests import factories as f
from tests.factories import WEBHOOK_SECRET
from tests.fakes.telegram_api import Call, FakeTelegramApi

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

    fake: FakeTelegramApi
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


async def turn_guard_on(tg: Telegram, fake: FakeTelegramApi) -> None:
    fake.admins[(f.GROUP, f.ADMIN)] = "administrator"
    [done] = await tg.say(f.message("/guard on", chat_id=f.GROUP, sender=f.user(f.ADMIN)))
    assert done == f.t("guard.on")
