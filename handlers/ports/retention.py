"""Storage port, retention: deleting or blanking what has been kept for as long as the policy allows.

The policy and the use case are in `handlers/retention.py`; see `handlers.ports` for the conventions every
repository follows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Protocol


@dataclass(frozen=True, slots=True)
class RetentionCutoffs:
    """Per kind of record, the moment before which it has expired; None keeps it for ever."""

    checks: dt.datetime | None = None  # the check log and the opinions given on its verdicts
    deliveries: dt.datetime | None = None  # outbox rows sent, failed or unsubscribed (by their round's day)
    pending_reports: dt.datetime | None = None  # undecided reports (by when they were filed) and reporter links
    report_texts: dt.datetime | None = None  # decided reports' text and reporter (by when they were decided)
    audit: dt.datetime | None = None  # the officers' audit log


@dataclass(frozen=True, slots=True)
class PurgeCounts:
    """How many records a purge removed (or, in a dry run, would remove): counts only, never content."""

    checks: int = 0
    feedback: int = 0
    deliveries: int = 0
    pending_reports: int = 0
    reporter_links: int = 0
    report_texts: int = 0  # decided reports whose text and reporter were blanked (the decision stays)
    audit: int = 0

    @classmethod
    def kinds(cls) -> tuple[str, ...]:
        """The names of the counts, in order."""
        return tuple(item.name for item in fields(cls))

    @property
    def total(self) -> int:
        return sum(getattr(self, name) for name in self.kinds())

    def summary(self) -> str:
        """`checks=3 feedback=0 …`: safe to print and log."""
        return " ".join(f"{name}={getattr(self, name)}" for name in self.kinds())


class RetentionRepo(Protocol):
    """Expiry across tables, in bounded batches so no statement holds a large table for long."""

    async def purge(
        self, cutoffs: RetentionCutoffs, *, batch: int, dry_run: bool = False, limit: int | None = None
    ) -> PurgeCounts:
        """Delete (or blank) what is older than its cutoff, at most `batch` rows per transaction and, with
        `limit`, at most that many rows of each kind in this call (the rest waits for the next); with `dry_run`,
        only count. Indicators (their counts, statuses and decisions) are never touched."""
