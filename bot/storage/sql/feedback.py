"""Feedback in SQL: was a verdict right? One answer per person and check, the latest kept."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func
from sqlmodel import col, select

from bot.storage.sql.base import SqlRepo
from bot.storage.tables import FeedbackRow
from handlers.ports import FeedbackRecord, FeedbackStats


class SqlFeedbackRepo(SqlRepo):
    """FeedbackRepo over sqlmodel."""

    async def add(self, *, check_id: int, actor: str, correct: bool, at: dt.datetime) -> FeedbackRecord:
        answer = {"check_id": check_id, "actor": actor, "correct": correct, "at": at}
        return await self._upsert(
            FeedbackRecord, FeedbackRow, answer, key=["check_id", "actor"], update=["correct", "at"]
        )

    async def stats(self, since: dt.datetime | None = None) -> FeedbackStats:
        query = select(FeedbackRow.correct, func.count()).group_by(col(FeedbackRow.correct))
        if since is not None:
            query = query.where(col(FeedbackRow.at) >= since)
        async with self._sessions() as session:
            counts = dict((await session.exec(query)).all())
        return FeedbackStats(correct=counts.get(True, 0), incorrect=counts.get(False, 0))
