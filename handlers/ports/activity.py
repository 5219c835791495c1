"""Storage ports, activity: the anonymous check log, reports for review, and feedback on verdicts.

See `handlers.ports` for the conventions every repository follows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Protocol

from handlers.ports.records import (
    CheckRecord,
    CheckStats,
    FeedbackRecord,
    FeedbackStats,
    IndicatorKind,
    Level,
    ReportKind,
    ReportRecord,
    ReportStatus,
)


class CheckRepo(Protocol):
    """Anonymous log of checks (a hash of the text, never the text)."""

    async def add(
        self, *, platform: str, at: dt.datetime, level: Level, score: int, methods: Sequence[str], text_hash: str
    ) -> int: ...
    async def get(self, check_id: int) -> CheckRecord | None: ...
    async def stats(self, since: dt.datetime) -> CheckStats:
        """Counts of checks made at or after `since`."""

    async def daily_counts(self, since: dt.datetime, zone: dt.tzinfo) -> dict[tuple[dt.date, Level], int]:
        """Checks made at or after `since` per local day (the date in `zone`) and level; zero counts left out."""


class ReportRepo(Protocol):
    """The officers' review queue."""

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
        """Add a report and count its reporter once on each of its indicators (as `IndicatorRepo.add_report`)
        in one transaction: a failure or a crash midway leaves neither the report nor any of the counts."""

    async def get(self, report_id: int) -> ReportRecord | None: ...
    async def list_pending(self, limit: int = 20, offset: int = 0) -> list[ReportRecord]:
        """Oldest first."""

    async def list_pending_by_reporter(self, limit: int = 10, per_reporter: int = 2) -> list[tuple[ReportRecord, int]]:
        """The oldest pending reports, but at most `per_reporter` of any one reporter's (their oldest), oldest
        first; each with the number of pending reports its reporter has in all."""

    async def count_since(self, actor: str, since: dt.datetime) -> int:
        """How many reports `actor` filed at or after `since`, whatever became of them."""

    async def decide(self, report_id: int, status: ReportStatus, officer: str, at: dt.datetime) -> ReportRecord | None:
        """Record (or change) a decision; `status` must not be "pending"."""

    async def list_decided(self, statuses: Sequence[ReportStatus] = ("scam", "not_scam")) -> list[ReportRecord]:
        """Every report decided with one of `statuses`, in the order they were reported (training data)."""

    async def count_by_status(self) -> dict[str, int]: ...
    async def daily_received(self, since: dt.datetime, zone: dt.tzinfo) -> dict[dt.date, int]:
        """Reports created at or after `since` per local day (the date in `zone`); zero counts left out."""

    async def daily_decisions(self, since: dt.datetime, zone: dt.tzinfo) -> dict[tuple[dt.date, ReportStatus], int]:
        """Reports whose latest decision was made at or after `since`, per local day of that decision and status."""


class FeedbackRepo(Protocol):
    """Was this verdict right? One answer per (check, person); a second press replaces the first."""

    async def add(self, *, check_id: int, actor: str, correct: bool, at: dt.datetime) -> FeedbackRecord: ...
    async def stats(self, since: dt.datetime | None = None) -> FeedbackStats:
        """Answers given (or last changed) at or after `since`; every answer when `since` is None."""
