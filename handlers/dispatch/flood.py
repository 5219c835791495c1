"""Flood control: at most N checks per user per minute, counted in this process's memory.

The `[sharing] backend = "memory"` limiter; bot/storage/sql/flood.py counts in the database for several processes.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable

MAX_TRACKED = 100_000


class FloodLimiter:
    """CheckLimiter in memory: a sliding one-minute window per user; memory bounded by forgetting idle users."""

    def __init__(
        self, limit: int, clock: Callable[[], dt.datetime], window: dt.timedelta = dt.timedelta(minutes=1)
    ) -> None:
        self._limit = limit
        self._clock = clock
        self._window = window
        self._hits: dict[str, deque[dt.datetime]] = {}

    async def allow(self, actor: str) -> bool:
        """Count one check for `actor`; False when they are over the limit (the refused one is not counted)."""
        now = self._clock()
        hits = self._hits.setdefault(actor, deque())
        while hits and now - hits[0] >= self._window:
            hits.popleft()
        if len(hits) >= self._limit:
            return False
        hits.append(now)
        if len(self._hits) > MAX_TRACKED:
            self._evict(now)
        return True

    async def purge(self, now: dt.datetime | None = None) -> int:
        """Forget the users none of whose counts is still in the window; how many they were."""
        return self._evict(self._clock() if now is None else now)

    def _evict(self, now: dt.datetime) -> int:
        idle = [a for a, h in self._hits.items() if not h or now - h[-1] >= self._window]
        for actor in idle:
            del self._hits[actor]
        return len(idle)
