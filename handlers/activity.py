"""What officers' statistics show: counts per local day over a window of days, read from the repositories.

Counts only: nothing here identifies a citizen. Days are local dates in the deployment's time zone; the window ends
today (so far) and starts `days - 1` days before it, at local midnight.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import get_args

from handlers.ports import DeliveryStatus, FeedbackStats, Level, ReportStatus, Repositories

DECISIONS: tuple[ReportStatus, ...] = ("scam", "not_scam", "unclear")
DELIVERY_OUTCOMES: tuple[DeliveryStatus, ...] = ("sent", "failed")
TOP_METHODS = 6


@dataclass(frozen=True, slots=True)
class Activity:
    """Counts over a window of local days, each series one number per day, oldest first."""

    days: tuple[dt.date, ...]
    checks: dict[Level, tuple[int, ...]]  # every level
    methods: tuple[tuple[str, int], ...]  # (signature id, checks): the most frequent first
    received: tuple[int, ...]  # reports submitted
    decisions: dict[ReportStatus, tuple[int, ...]]  # every decided status (reports decided that day)
    deliveries: dict[DeliveryStatus, tuple[int, ...]]  # alert deliveries sent and failed
    feedback: FeedbackStats  # answers to "was this verdict right?" given in the window
    pending: int  # reports waiting for a decision now, however old

    @property
    def period(self) -> tuple[str, str]:
        """The first and last day as people write them, the year given once unless the window spans two."""
        first, last = self.days[0], self.days[-1]
        return (f"{first:%d/%m}" if first.year == last.year else f"{first:%d/%m/%Y}"), f"{last:%d/%m/%Y}"

    @property
    def total_checks(self) -> int:
        return sum(sum(series) for series in self.checks.values())

    @property
    def total_decisions(self) -> int:
        return sum(sum(series) for series in self.decisions.values())


def window_start(days: int, now: dt.datetime, zone: dt.tzinfo) -> tuple[dt.date, dt.datetime]:
    """The first local day of a window of `days` ending today, and its local midnight."""
    first = now.astimezone(zone).date() - dt.timedelta(days=days - 1)
    return first, dt.datetime.combine(first, dt.time(), tzinfo=zone)


async def gather_activity(repos: Repositories, *, days: int, now: dt.datetime, zone: dt.tzinfo) -> Activity:
    """Every series of the statistics over the last `days` local days."""
    first, since = window_start(days, now, zone)
    window = tuple(first + dt.timedelta(days=n) for n in range(days))
    checks = await repos.checks.daily_counts(since, zone)
    decided = await repos.reports.daily_decisions(since, zone)
    delivered = await repos.deliveries.daily_counts(first)
    received = await repos.reports.daily_received(since, zone)
    by_method = (await repos.checks.stats(since)).by_method
    return Activity(
        days=window,
        checks={level: tuple(checks.get((day, level), 0) for day in window) for level in get_args(Level)},
        methods=tuple(sorted(by_method.items(), key=lambda item: (-item[1], item[0]))[:TOP_METHODS]),
        received=tuple(received.get(day, 0) for day in window),
        decisions={status: tuple(decided.get((day, status), 0) for day in window) for status in DECISIONS},
        deliveries={status: tuple(delivered.get((day, status), 0) for day in window) for status in DELIVERY_OUTCOMES},
        feedback=await repos.feedback.stats(since),
        pending=(await repos.reports.count_by_status()).get("pending", 0),
    )
