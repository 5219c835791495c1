"""In-memory checks, reports, feedback and audit log."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import get_args

from bot.storage.memory.state import MemoryRepo, utc
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


class InMemoryReportRepo(MemoryRepo):
    """ReportRepo in memory."""

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
        report_id = self._state.next_id("reports")
        self._state.reports[report_id] = ReportRecord(
            report_id, actor, platform, chat_id, text, utc(at), notify, "pending", None, None, check_id, level
        )
        return report_id

    async def get(self, report_id: int) -> ReportRecord | None:
        return self._state.reports.get(report_id)

    async def list_pending(self, limit: int = 20, offset: int = 0) -> list[ReportRecord]:
        pending = [report for report in self._state.reports.values() if report.status == "pending"]
        pending.sort(key=lambda report: (report.created_at, report.id))
        return pending[offset : offset + limit]

    async def decide(self, report_id: int, status: ReportStatus, officer: str, at: dt.datetime) -> ReportRecord | None:
        if status == "pending" or status not in get_args(ReportStatus):
            raise ValueError(f"not a decision: {status!r}")
        report = self._state.reports.get(report_id)
        if report is None:
            return None
        report = self._state.reports[report_id] = replace(report, status=status, decided_by=officer, decided_at=utc(at))
        return report

    async def count_by_status(self) -> dict[str, int]:
        counts = dict.fromkeys(get_args(ReportStatus), 0)
        counts.update(Counter(report.status for report in self._state.reports.values()))
        return counts


class InMemoryFeedbackRepo(MemoryRepo):
    """FeedbackRepo in memory."""

    async def add(self, *, check_id: int, actor: str, correct: bool, at: dt.datetime) -> FeedbackRecord:
        existing = next(
            (row for row in self._state.feedback.values() if (row.check_id, row.actor) == (check_id, actor)), None
        )
        feedback_id = existing.id if existing else self._state.next_id("feedback")
        feedback = self._state.feedback[feedback_id] = FeedbackRecord(feedback_id, check_id, actor, correct, utc(at))
        return feedback

    async def stats(self) -> FeedbackStats:
        correct = sum(row.correct for row in self._state.feedback.values())
        return FeedbackStats(correct=correct, incorrect=len(self._state.feedback) - correct)


class InMemoryAuditRepo(MemoryRepo):
    """AuditRepo in memory."""

    async def add(self, *, actor: str, action: str, target: str, detail: str, at: dt.datetime) -> AuditRecord:
        audit_id = self._state.next_id("audit")
        record = self._state.audit[audit_id] = AuditRecord(audit_id, actor, action, target, detail, utc(at))
        return record

    async def list(self, limit: int = 50) -> list[AuditRecord]:
        return sorted(self._state.audit.values(), key=lambda row: (row.at, row.id), reverse=True)[:limit]
