"""The per-minute check limit counted in the database, for several processes serving one bot.

Each allowed check is a row (who, when); a user's rows are counted and the new one added in one transaction,
serialised per user so two processes checking for the same user at once cannot both take the last place: on
PostgreSQL by a transaction-scoped advisory lock on the user, on SQLite by its one writer at a time (BEGIN
IMMEDIATE, bot/storage/database.py). Rows older than the window are deleted by `purge` (every scheduler tick) and
the user's own at each of their checks. The window slides exactly as the in-memory limiter's does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import delete, func
from sqlmodel import col, select

from bot.storage.sql.base import COUNTED, Sessions, SqlRepo
from bot.storage.tables import CheckHitRow

# The first key of PostgreSQL's two-key advisory locks taken here (the second is the user's hash); two-key locks
# never collide with the one-key lock the migration takes.
LOCK_SPACE = 0x666C6F6F


class SqlCheckLimiter(SqlRepo):
    """CheckLimiter over sqlmodel."""

    def __init__(
        self,
        sessions: Sessions,
        dialect: str,
        limit: int,
        clock: Callable[[], dt.datetime],
        window: dt.timedelta = dt.timedelta(minutes=1),
    ) -> None:
        super().__init__(sessions, dialect)
        self._limit = limit
        self._clock = clock
        self._window = window

    async def allow(self, actor: str) -> bool:
        """Count one check for `actor`; False when they are over the limit (the refused one is not counted)."""
        now = self._clock()
        since = now - self._window
        async with self._sessions.begin() as session:
            if self._dialect == "postgresql":
                await session.exec(select(func.pg_advisory_xact_lock(LOCK_SPACE, func.hashtext(actor))))
            await session.exec(delete(CheckHitRow).where(col(CheckHitRow.actor) == actor, col(CheckHitRow.at) <= since))
            query = select(func.count()).where(col(CheckHitRow.actor) == actor)
            if (await session.exec(query)).one() >= self._limit:
                return False
            session.add(CheckHitRow(actor=actor, at=now))
            return True

    async def purge(self, now: dt.datetime | None = None) -> int:
        """Delete every count older than the window; how many there were."""
        since = (self._clock() if now is None else now) - self._window
        async with self._sessions.begin() as session:
            result = await session.exec(
                delete(CheckHitRow).where(col(CheckHitRow.at) <= since).execution_options(**COUNTED)
            )
            return int(result.rowcount)
