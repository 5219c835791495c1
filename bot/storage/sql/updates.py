"""Updates taken by any of the processes serving one bot, so one delivered to two of them is handled once.

Telegram and Zalo redeliver an update whose webhook call failed or timed out, and behind one webhook URL the
redelivery may reach another process. Each process takes an update only after inserting its key (platform, a tag
of the bot's token, the update's id; never its content) here: the insert succeeds for exactly one of them. Keys
are deleted after KEEP, long past any redelivery (Telegram keeps an update for at most 24 hours).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import delete
from sqlmodel import col

from bot.storage.sql.base import COUNTED, Sessions, SqlRepo
from bot.storage.tables import SeenUpdateRow

KEEP = dt.timedelta(days=1)
PURGE_EVERY = dt.timedelta(minutes=1)


class SqlSeenUpdates(SqlRepo):
    """SeenUpdates over sqlmodel: INSERT … ON CONFLICT DO NOTHING, and whether it inserted."""

    def __init__(self, sessions: Sessions, dialect: str, clock: Callable[[], dt.datetime]) -> None:
        super().__init__(sessions, dialect)
        self._clock = clock
        self._purged_at: dt.datetime | None = None

    async def first(self, key: str) -> bool:
        """Remember `key`; False when some process already had."""
        now = self._clock()
        if self._purged_at is None or now - self._purged_at >= PURGE_EVERY:
            await self.purge(now)
        insert = self._insert(SeenUpdateRow).values(key=key, seen_at=now).on_conflict_do_nothing()
        async with self._sessions.begin() as session:
            return bool((await session.exec(insert.execution_options(**COUNTED))).rowcount)

    async def purge(self, now: dt.datetime) -> int:
        """Delete the keys older than KEEP; how many there were."""
        self._purged_at = now
        statement = delete(SeenUpdateRow).where(col(SeenUpdateRow.seen_at) <= now - KEEP)
        async with self._sessions.begin() as session:
            return int((await session.exec(statement.execution_options(**COUNTED))).rowcount)
