"""Named leases in SQL: one conditional upsert, so two processes never both hold one."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, or_
from sqlmodel import col, select

from bot.storage.sql.base import COUNTED, SqlRepo
from bot.storage.tables import LeaseRow


class SqlLeaseRepo(SqlRepo):
    """LeaseRepo over sqlmodel."""

    async def acquire(self, name: str, holder: str, now: dt.datetime, seconds: float) -> bool:
        until = now + dt.timedelta(seconds=seconds)
        insert = self._insert(LeaseRow).values(name=name, holder=holder, until=until)
        # Taken over only when it is the holder's own or has run out; otherwise the row is left as it is.
        upsert = insert.on_conflict_do_update(
            index_elements=["name"],
            set_={"holder": holder, "until": until},
            where=or_(col(LeaseRow.holder) == holder, col(LeaseRow.until) <= now),
        )
        async with self._sessions.begin() as session:
            return bool((await session.exec(upsert.execution_options(**COUNTED))).rowcount)

    async def release(self, name: str, holder: str) -> None:
        async with self._sessions.begin() as session:
            await session.exec(delete(LeaseRow).where(col(LeaseRow.name) == name, col(LeaseRow.holder) == holder))

    async def count_live(self, prefix: str, now: dt.datetime) -> int:
        # Prefixes are our own names (no LIKE wildcards in them), compared with startswith's escaping anyway.
        query = (
            select(func.count())
            .select_from(LeaseRow)
            .where(col(LeaseRow.name).startswith(prefix, autoescape=True), col(LeaseRow.until) > now)
        )
        async with self._sessions() as session:
            return int((await session.exec(query)).one())
