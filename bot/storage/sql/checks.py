"""Checks in SQL: one row per message checked (its verdict and a salted hash, never the text)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, get_args

from sqlalchemy import func, true
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
        # Both counts are made by the database: a year of checks never crosses into Python row by row.
        recent = col(CheckRow.at) >= since
        levels = select(CheckRow.level, func.count()).where(recent).group_by(col(CheckRow.level))
        method = self._json_elements(col(CheckRow.methods))
        methods: Any = select(method.c.value, func.count()).select_from(CheckRow).join(method, true()).where(recent)
        async with self._sessions() as session:
            by_level = dict.fromkeys(get_args(Level), 0) | dict((await session.exec(levels)).all())
            by_method = dict((await session.exec(methods.group_by(method.c.value))).all())
        return CheckStats(total=sum(by_level.values()), by_level=by_level, by_method=by_method)

    def _json_elements(self, array: Any) -> Any:
        """The elements of a JSON array column as a table of one `value` column, for each row it is joined to
        (a function in FROM may read the rows before it, on both databases)."""
        if self._dialect == "postgresql":
            return func.json_array_elements_text(array).table_valued("value")
        return func.json_each(array).table_valued("value")

    async def daily_counts(self, since: dt.datetime, zone: dt.tzinfo) -> dict[tuple[dt.date, Level], int]:
        counts = await self._per_local_day(col(CheckRow.at), since, zone, keys=[col(CheckRow.level)])
        return {(day, level): count for (day, level), count in counts.items()}
