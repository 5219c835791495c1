"""Albums: photos sent together reach the bot as separate updates sharing a `media_group_id`.

They are gathered for a short window after the first one (or until the album's largest size), then handled as one
`Incoming` whose `album` holds every photo, so the citizen gets one verdict. The wait runs in its own task, not in
the update's: updates of one chat are processed in order (updates.PerChatUpdateProcessor), so waiting inside one
would hold back the album's other photos. An album is therefore answered after the messages that follow it
within the window.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from handlers.messages import Incoming, Photo

log = logging.getLogger(__name__)
WINDOW = 1.0  # seconds to wait for an album's other photos after its first; Telegram sends them within a second
MAX_PHOTOS = 10  # Telegram's largest album: answered at once when complete


class AlbumCollector:
    """Gathers an album's photos per (chat, media group) and hands the whole album to `handle` once."""

    def __init__(
        self,
        handle: Callable[[Incoming], Awaitable[None]],
        window: float = WINDOW,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._handle = handle
        self._window = window
        self._sleep = sleep
        self._pending: dict[tuple[str, str], list[Incoming]] = {}
        self._timers: dict[tuple[str, str], asyncio.Task[None]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def add(self, group: str, incoming: Incoming) -> None:
        """One photo of an album; the first starts the window, the tenth ends it."""
        key = (incoming.chat_id, group)
        items = self._pending.setdefault(key, [])
        items.append(incoming)
        if len(items) == 1:
            self._timers[key] = self._start(self._after_window(key))
        elif len(items) >= MAX_PHOTOS:  # complete: answered now (a photo more would start another album)
            self._start(self._answer(self._take(key)))

    def _start(self, job: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(job)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _take(self, key: tuple[str, str]) -> list[Incoming]:
        """An album's photos, no longer gathering: its window is stopped."""
        timer = self._timers.pop(key, None)
        if timer is not None and timer is not asyncio.current_task():
            timer.cancel()
        return self._pending.pop(key, [])

    async def _after_window(self, key: tuple[str, str]) -> None:
        await self._sleep(self._window)
        await self._answer(self._take(key))

    async def _answer(self, items: list[Incoming]) -> None:
        if not items:
            return
        try:
            await self._handle(combined(items))
        except Exception as exc:  # noqa: BLE001 - a failed album must not end the task silently, nor the bot
            log.error("album failed: %s (message withheld)", type(exc).__name__)

    async def close(self) -> None:
        """Answer the albums still gathering at once, and wait for every answer in progress."""
        for key in list(self._pending):
            self._start(self._answer(self._take(key)))
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)


def combined(items: list[Incoming]) -> Incoming:
    """One message for the album: the first photo's, with every photo, and the caption whichever photo has it."""
    photos: tuple[Photo, ...] = tuple(item.photo for item in items if item.photo is not None)[:MAX_PHOTOS]
    text = next((item.text for item in items if item.text.strip()), "")
    return dataclasses.replace(items[0], text=text, photo=photos[0] if photos else None, album=photos)
