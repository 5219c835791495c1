"""Citizens' reports in memory: the queue officers work through, and their decisions."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import get_args

from bot.storage.memory.indicators import count_reporter
from bot.storage.memory.state import MemoryRepo, edit, utc
from handlers.ports import IndicatorKind, Level, ReportKind, ReportRecord, ReportStatus


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
        kind: ReportKind = "report",
        indicators: Iterable[tuple[IndicatorKind, str]] = (),
    ) -> int:
        at = utc(at)
        keys = list(dict.fromkeys(indicators))
        for indicator_kind, value in keys:  # everything is checked before anything is written: all or nothing
            if indicator_kind not in get_args(IndicatorKind) or not isinstance(value, str) or not value:
                raise ValueError(f"not an indicator: {indicator_kind!r} {value!r}")
        report_id = self._state.next_id("reports")
        self._state.reports[report_id] = ReportRecord(
            report_id, actor, platform, chat_id, text, at, notify, "pending", None, None, check_id, level, kind
        )
        for indicator_kind, value in keys:
            count_reporter(self._state, indicator_kind, value, actor, at)
        return report_id

    async def get(self, report_id: int) -> ReportRecord | None:
        return self._state.reports.get(report_id)

    async def list_pending(self, limit: int = 20, offset: int = 0) -> list[ReportRecord]:
        pending = [report for report in self._state.reports.values() if report.status == "pending"]
        pending.sort(key=lambda report: (report.created_at, report.id))
        return pending[offset : offset + limit]

    async def list_pending_by_reporter(self, limit: int = 10, per_reporter: int = 2) -> list[tuple[ReportRecord, int]]:
        pending = await self.list_pending(limit=len(self._state.reports))
        totals = Counter(report.actor for report in pending)
        shown: Counter[str] = Counter()
        chosen = []
        for report in pending:
            shown[report.actor] += 1
            if shown[report.actor] <= per_reporter:
                chosen.append((report, totals[report.actor]))
        return chosen[:limit]

    async def count_since(self, actor: str, since: dt.datetime) -> int:
        since = utc(since)
        return sum(1 for report in self._state.reports.values() if report.actor == actor and report.created_at >= since)

    async def decide(self, report_id: int, status: ReportStatus, officer: str, at: dt.datetime) -> ReportRecord | None:
        if status == "pending" or status not in get_args(ReportStatus):
            raise ValueError(f"not a decision: {status!r}")
        return edit(self._state.reports, report_id, status=status, decided_by=officer, decided_at=utc(at))

    async def list_decided(self, statuses: Sequence[ReportStatus] = ("scam", "not_scam")) -> list[ReportRecord]:
        decided = [report for report in self._state.reports.values() if report.status in statuses]
        decided.sort(key=lambda report: (report.created_at, report.id))
        return decided

    async def count_by_status(self) -> dict[str, int]:
        counts = dict.fromkeys(get_args(ReportStatus), 0)
        counts.update(Counter(report.status for report in self._state.reports.values()))
        return counts

    async def daily_received(self, since: dt.datetime, zone: dt.tzinfo) -> dict[dt.date, int]:
        since = utc(since)
        reports = self._state.reports.values()
        return dict(
            Counter(report.created_at.astimezone(zone).date() for report in reports if report.created_at >= since)
        )

    async def daily_decisions(self, since: dt.datetime, zone: dt.tzinfo) -> dict[tuple[dt.date, ReportStatus], int]:
        since = utc(since)
        return dict(
            Counter(
                (report.decided_at.astimezone(zone).date(), report.status)
                for report in self._state.reports.values()
                if report.status != "pending" and report.decided_at is not None and report.decided_at >= since
            )
        )
