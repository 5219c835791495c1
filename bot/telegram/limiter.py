"""Telegram's flood limits for python-telegram-bot: pace every message, wait out 429s within a budget.

Every message-sending request takes a slot from one `bot.pacing.RateLimiter` (30 per second overall, 20 per
minute per group: telegram.constants.FloodLimit). The alert outbox drains through the same object
(bot/platforms.py hands it to `AlertDelivery`), so replies and alerts together stay under Telegram's limits.

A 429 (`RetryAfter`) pauses every request of the bot for `retry_after` seconds, then the same request is tried
again, for as long as it can still go out within REPLY_RETRY_BUDGET of its first attempt; after that the
RetryAfter reaches the caller (bot/telegram/sender.py logs the reply as dropped). PTB's AIORateLimiter gives up
after a fixed number of retries and logs that with a traceback; this never logs above WARNING.

Time is the running event loop's (`loop.time()`, `asyncio.sleep`), so a test can make it run faster.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import warnings
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning
from typing_extensions import override

from bot.pacing import REPLY_RETRY_BUDGET, TELEGRAM_GROUP_PER_MINUTE, TELEGRAM_PER_SECOND, RateLimiter, group_chat

log = logging.getLogger(__name__)

# Methods that post or change a message: the ones Telegram's per-second and per-group limits count.
_PACED_PREFIXES = ("send", "edit", "copy", "forward")


def loop_time() -> float:
    """The running event loop's monotonic clock (time.monotonic, its default, outside a loop)."""
    try:
        return asyncio.get_running_loop().time()
    except RuntimeError:
        return time.monotonic()


def telegram_pacing() -> RateLimiter:
    """Telegram's message limits as one pacing object on the event loop's clock."""
    return RateLimiter(TELEGRAM_PER_SECOND, TELEGRAM_GROUP_PER_MINUTE, group_chat, monotonic=loop_time)


def retry_seconds(exc: RetryAfter) -> float:
    """`retry_after` in seconds, whichever form (int or timedelta) PTB gives it in."""
    with warnings.catch_warnings():  # PTB 22 warns that the int form is going away; both forms are handled
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


class FloodControl(BaseRateLimiter[None]):
    """The bot's rate limiter: paces messages, waits out 429s for up to REPLY_RETRY_BUDGET, logs no tracebacks."""

    def __init__(self, pacing: RateLimiter | None = None) -> None:
        self.pacing = pacing or telegram_pacing()

    async def initialize(self) -> None:
        """Nothing to open: the pacing object lives as long as the adapter."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    @override
    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Wait for a slot, call; on RetryAfter pause every request and call again while the budget allows."""
        chat = str(data.get("chat_id", "")) if endpoint.startswith(_PACED_PREFIXES) else None
        await self._turn(chat)
        first = loop_time()
        while True:
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                wait = retry_seconds(exc)
                self._pause(wait, endpoint)
                if loop_time() + wait - first > REPLY_RETRY_BUDGET:
                    log.info(
                        "Telegram flood control: %s to chat %s not retried after %.0f s (retry after %.0f s)",
                        endpoint,
                        chat or "-",
                        loop_time() - first,
                        wait,
                    )
                    raise
            await self._turn(chat)

    def _pause(self, seconds: float, endpoint: str) -> None:
        """Hold every request for `seconds`; logged once per pause, not once per request caught in it."""
        if self.pacing.paused_for() <= 0:
            log.warning("Telegram flood control on %s: all sends paused for %.0f s", endpoint, seconds)
        else:
            log.debug("Telegram flood control on %s during a pause", endpoint)
        self.pacing.pause(seconds)

    async def _turn(self, chat: str | None) -> None:
        """Wait for a sending slot (messages only; `chat` is None otherwise) and until no 429 pause is running."""
        pacing = self.pacing
        if chat is not None:
            wait = pacing.reserve(chat)
            while wait is None:  # the group has had its messages for this minute: wait until it has room again
                await asyncio.sleep(max(pacing.chat_free_in(chat), 0.05))
                wait = pacing.reserve(chat)
            await asyncio.sleep(wait)
        while (paused := pacing.paused_for()) > 0:
            await asyncio.sleep(paused)
            if chat is not None:  # the slot booked before the pause is stale: take a fresh one, so no burst follows
                await asyncio.sleep(pacing.reserve("") or 0.0)
