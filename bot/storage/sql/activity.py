"""Checks, reports, feedback and the audit log in SQL."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import get_args

from sqlalchemy import func
from sqlmodel import col, select

from bot.storage.sql.base import SqlRepo, to_record
from bot.storage.tables import AuditRow, CheckRow, FeedbackRow, ReportRow
from handlers.ports import (
    AuditRecord,
    CheckRecord,
    CheckStats,
    FeedbackRecord,
    FeedbackStats,
    Level,
    ReportRecord,
    ReportStatus,
)


class SqlCheckRepo(SqlRepo):
    """CheckRepo over sqlmodel."""

    async def add(
        self, *, platform: str, at: dt.datetime, level: Level, score: int, methods: Sequence[str], text_hash: str
    ) -> int:
        row = CheckRow(platform=platform, at=at, level=level, score=score, methods=list(methods), text_hash=text_hash)
        async with self._sessions.begin() as session:
            session.add(row)
            await session.flush()
            assert row.id is not None
            return row.id

    async def get(self, check_id: int) -> CheckRecord | None:
        async with self._sessions() as session:
            row = await session.get(CheckRow, check_id)
            return to_record(CheckRecord, row) if row else None

    async def stats(self, since: dt.datetime) -> CheckStats:
        query = select(CheckRow.level, CheckRow.methods).where(col(CheckRow.at) >= since)
        by_level = dict.fromkeys(get_args(Level), 0)
        by_method: Counter[str] = Counter()
        async with self._sessions() as session:
            for level, methods in await session.exec(query):
                by_level[level] += 1
                by_method.update(methods)
        return CheckStats(total=sum(by_level.values()), by_level=by_level, by_method=dict(by_method))


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
        )
        async with self._sessions.begin() as session:
            session.add(row)
            await session.flush()
            assert row.id is not None
            return row.id

    async def get(self, report_id: int) -> ReportRecord | None:
        async with self._sessions() as session:
            row = await session.get(ReportRow, report_id)
            return to_record(ReportRecord, row) if row else None

    async def list_pending(self, limit: int = 20, offset: int = 0) -> list[ReportRecord]:
        query = (
            select(ReportRow)
            .where(col(ReportRow.status) == "pending")
            .order_by(col(ReportRow.created_at), col(ReportRow.id))
            .limit(limit)
            .offset(offset)
        )
        async with self._sessions() as session:
            return [to_record(ReportRecord, row) for row in await session.exec(query)]

    async def decide(self, report_id: int, status: ReportStatus, officer: str, at: dt.datetime) -> ReportRecord | None:
        if status == "pending" or status not in get_args(ReportStatus):
            raise ValueError(f"not a decision: {status!r}")
        async with self._sessions.begin() as session:
            row = await session.get(ReportRow, report_id)
            if row is None:
                return None
            row.status, row.decided_by, row.decided_at = status, officer, at
            await session.flush()
            return to_record(ReportRecord, row)

    async def count_by_status(self) -> dict[str, int]:
        query = select(ReportRow.status, func.count()).group_by(col(ReportRow.status))
        counts = dict.fromkeys(get_args(ReportStatus), 0)
        async with self._sessions() as session:
            counts.update(dict((await session.exec(query)).all()))
        return counts


class SqlFeedbackRepo(SqlRepo):
    """FeedbackRepo over sqlmodel."""

    async def add(self, *, check_id: int, actor: str, correct: bool, at: dt.datetime) -> FeedbackRecord:
        insert = self._insert(FeedbackRow).values(check_id=check_id, actor=actor, correct=correct, at=at)
        upsert = insert.on_conflict_do_update(
            index_elements=["check_id", "actor"], set_={"correct": correct, "at": at}
        ).returning(FeedbackRow)
        async with self._sessions.begin() as session:
            return to_record(FeedbackRecord, (await session.exec(upsert)).scalars().one())

    async def stats(self) -> FeedbackStats:
        query = select(FeedbackRow.correct, func.count()).group_by(col(FeedbackRow.correct))
        async with self._sessions() as session:
            counts = dict((await session.exec(query)).all())
        return FeedbackStats(correct=counts.get(True, 0), incorrect=counts.get(False, 0))


class SqlAuditRepo(SqlRepo):
    """AuditRepo over sqlmodel."""

    async def add(self, *, actor: str, action: str, target: str, detail: str, at: dt.datetime) -> AuditRecord:
        row = AuditRow(actor=actor, action=action, target=target, detail=detail, at=at)
        async with self._sessions.begin() as session:
            session.add(row)
            await session.flush()
            return to_record(AuditRecord, row)

    async def list(self, limit: int = 50) -> list[AuditRecord]:
        query = select(AuditRow).order_by(col(AuditRow.at).desc(), col(AuditRow.id).desc()).limit(limit)
        async with self._sessions() as session:
            return [to_record(AuditRecord, row) for row in await session.exec(query)]
