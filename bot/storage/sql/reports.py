"""Citizens' reports in SQL: the queue officers work through, and their decisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import get_args

from sqlalchemy import func
from sqlmodel import col, select

from bot.storage.sql.base import SqlRepo, new_id, to_record
from bot.storage.sql.indicators import count_reporter
from bot.storage.tables import ReportRow
from handlers.ports import IndicatorKind, Level, ReportKind, ReportRecord, ReportStatus


class SqlReportRepo(SqlRepo):
    """ReportRepo over sqlmodel."""

    async def add(
        self,
        *,
        actor: str,
        platform: str,
        chat_id: str,
        text: str,
        at: dt.datetime,
        notify: bool,
        check_id: int | None = None,
        level: Level | None = None,
        kind: ReportKind = "report",
        indicators: Iterable[tuple[IndicatorKind, str]] = (),
    ) -> int:
        row = ReportRow(
            actor=actor,
            platform=platform,
            chat_id=chat_id,
            text=text,
            created_at=at,
            notify=notify,
            status="pending",
            check_id=check_id,
            level=level,
            kind=kind,
        )
        async with self._sessions.begin() as session:
            session.add(row)
            await session.flush()
            for indicator_kind, value in dict.fromkeys(indicators):
                await count_reporter(session, self._insert, kind=indicator_kind, value=value, reporter=actor, at=at)
            return new_id(row)

    async def get(self, report_id: int) -> ReportRecord | None:
        return await self._get(ReportRecord, ReportRow, report_id)

    async def list_pending(self, limit: int = 20, offset: int = 0) -> list[ReportRecord]:
        query = (
            select(ReportRow)
            .where(col(ReportRow.status) == "pending")
            .order_by(col(ReportRow.created_at), col(ReportRow.id))
            .limit(limit)
            .offset(offset)
        )
        return await self._select(ReportRecord, query)

    async def list_pending_by_reporter(self, limit: int = 10, per_reporter: int = 2) -> list[tuple[ReportRecord, int]]:
        oldest_first = (col(ReportRow.created_at), col(ReportRow.id))
        ranked = (
            select(
                ReportRow,
                func.row_number().over(partition_by=col(ReportRow.actor), order_by=oldest_first).label("rank"),
                func.count().over(partition_by=col(ReportRow.actor)).label("pending_total"),
            )
            .where(col(ReportRow.status) == "pending")
            .subquery()
        )
        query = ranked.select().where(ranked.c.rank <= per_reporter).order_by(ranked.c.created_at, ranked.c.id)
        query = query.limit(limit)
        async with self._sessions() as session:
            rows = (await session.exec(query)).all()  # type: ignore[call-overload]  # sqlmodel types only its own select
        return [(to_record(ReportRecord, row), row.pending_total) for row in rows]

    async def count_since(self, actor: str, since: dt.datetime) -> int:
        query = select(func.count()).where(col(ReportRow.actor) == actor, col(ReportRow.created_at) >= since)
        async with self._sessions() as session:
            return (await session.exec(query)).one()

    async def decide(self, report_id: int, status: ReportStatus, officer: str, at: dt.datetime) -> ReportRecord | None:
        if status == "pending" or status not in get_args(ReportStatus):
            raise ValueError(f"not a decision: {status!r}")
        values = {"status": status, "decided_by": officer, "decided_at": at}
        return await self._edit(ReportRecord, ReportRow, report_id, values)

    async def list_decided(self, statuses: Sequence[ReportStatus] = ("scam", "not_scam")) -> list[ReportRecord]:
        query = (
            select(ReportRow)
            .where(col(ReportRow.status).in_(list(statuses)))
            .order_by(col(ReportRow.created_at), col(ReportRow.id))
        )
        return await self._select(ReportRecord, query)

    async def count_by_status(self) -> dict[str, int]:
        query = select(ReportRow.status, func.count()).group_by(col(ReportRow.status))
        return await self._counts(dict.fromkeys(get_args(ReportStatus), 0), query)

    async def daily_received(self, since: dt.datetime, zone: dt.tzinfo) -> dict[dt.date, int]:
        counts = await self._per_local_day(col(ReportRow.created_at), since, zone)
        return {day: count for (day,), count in counts.items()}

    async def daily_decisions(self, since: dt.datetime, zone: dt.tzinfo) -> dict[tuple[dt.date, ReportStatus], int]:
        decided = [col(ReportRow.status) != "pending"]
        counts = await self._per_local_day(
            col(ReportRow.decided_at), since, zone, keys=[col(ReportRow.status)], where=decided
        )
        return {(day, status): count for (day, status), count in counts.items()}
