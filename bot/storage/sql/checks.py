"""Checks in SQL: one row per message checked (its verdict and a salted hash, never the text)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import get_args

from sqlmodel import col, select

from bot.storage.sql.base import SqlRepo, new_id
from bot.storage.tables import CheckRow
from handlers.ports import CheckRecord, CheckStats, Level


class SqlCheckRepo(SqlRepo):
    """CheckRepo over sqlmodel."""

    async def add(
        self, *, platform: str, at: dt.datetime, level: Level, score: int, methods: Sequence[str], text_hash: str
    ) -> int:
        row = CheckRow(platform=platform, at=at, level=level, score=score, methods=list(methods), text_hash=text_hash)
        return new_id(await self._add(row))

    async def get(self, check_id: int) -> CheckRecord | None:
        return await self._get(CheckRecord, CheckRow, check_id)

    async def stats(self, since: dt.datetime) -> CheckStats:
        query = select(CheckRow.level, CheckRow.methods).where(col(CheckRow.at) >= since)
        by_level = dict.fromkeys(get_args(Level), 0)
        by_method: Counter[str] = Counter()
        async with self._sessions() as session:
            for level, methods in await session.exec(query):
                by_level[level] += 1
                by_method.update(methods)
        return CheckStats(total=sum(by_level.values()), by_level=by_level, by_method=dict(by_method))

    async def daily_counts(self, since: dt.datetime, zone: dt.tzinfo) -> dict[tuple[dt.date, Level], int]:
        counts = await self._per_local_day(col(CheckRow.at), since, zone, keys=[col(CheckRow.level)])
        return {(day, level): count for (day, level), count in counts.items()}
