"""Checks in memory: one record per message checked (its verdict and a salted hash, never the text)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import get_args

from bot.storage.memory.state import MemoryRepo, utc
from handlers.ports import CheckRecord, CheckStats, Level


class InMemoryCheckRepo(MemoryRepo):
    """CheckRepo in memory."""

    async def add(
        self, *, platform: str, at: dt.datetime, level: Level, score: int, methods: Sequence[str], text_hash: str
    ) -> int:
        check_id = self._state.next_id("checks")
        self._state.checks[check_id] = CheckRecord(check_id, platform, utc(at), level, score, tuple(methods), text_hash)
        return check_id

    async def get(self, check_id: int) -> CheckRecord | None:
        return self._state.checks.get(check_id)

    async def stats(self, since: dt.datetime) -> CheckStats:
        since = utc(since)
        recent = [check for check in self._state.checks.values() if check.at >= since]
        by_level = dict.fromkeys(get_args(Level), 0)
        by_level.update(Counter(check.level for check in recent))
        by_method = Counter(method for check in recent for method in check.methods)
        return CheckStats(total=len(recent), by_level=by_level, by_method=dict(by_method))

    async def daily_counts(self, since: dt.datetime, zone: dt.tzinfo) -> dict[tuple[dt.date, Level], int]:
        since = utc(since)
        return dict(
            Counter(
                (check.at.astimezone(zone).date(), check.level)
                for check in self._state.checks.values()
                if check.at >= since
            )
        )
