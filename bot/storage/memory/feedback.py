"""Feedback in memory: was a verdict right? One answer per person and check, the latest kept."""

from __future__ import annotations

import datetime as dt

from bot.storage.memory.state import MemoryRepo, utc
from handlers.ports import FeedbackRecord, FeedbackStats


class InMemoryFeedbackRepo(MemoryRepo):
    """FeedbackRepo in memory."""

    async def add(self, *, check_id: int, actor: str, correct: bool, at: dt.datetime) -> FeedbackRecord:
        existing = next(
            (row for row in self._state.feedback.values() if (row.check_id, row.actor) == (check_id, actor)), None
        )
        feedback_id = existing.id if existing else self._state.next_id("feedback")
        feedback = self._state.feedback[feedback_id] = FeedbackRecord(feedback_id, check_id, actor, correct, utc(at))
        return feedback

    async def stats(self, since: dt.datetime | None = None) -> FeedbackStats:
        start = utc(since) if since is not None else None
        answers = [row.correct for row in self._state.feedback.values() if start is None or row.at >= start]
        return FeedbackStats(correct=sum(answers), incorrect=len(answers) - sum(answers))
