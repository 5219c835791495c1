"""How long records are kept, and the purge that enforces it: scheduled work with the clock passed in.

Run once a day by the process holding the alert scheduler's lease (bot/alerts/scheduler.py) and by
`canhgiac purge [--dry-run]`. Idempotent: a second run the same day finds nothing more to do.

Indicators keep their report counts, dates and decisions when the reports behind them expire: the count says
how many people reported a number or a link, which is what a verdict and an officer rely on, and it holds no
text and no one's identity. Who reported it (the reporter links, kept so each person counts once) goes with
the undecided reports; a person reporting the same value again after that counts again. Verified and blocked
decisions (an indicator's status) never expire.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from handlers.ports import PurgeCounts, RetentionCutoffs, RetentionRepo

log = logging.getLogger(__name__)

BATCH = 1000  # rows per transaction: a few milliseconds of a writer's lock on SQLite


@dataclass(frozen=True, slots=True)
class Retention:
    """Days each kind of record is kept ([retention] in the configuration); 0 keeps it for ever."""

    checks_days: int = 400
    deliveries_days: int = 30
    pending_reports_days: int = 180
    report_text_days: int = 730
    audit_days: int = 730

    def cutoffs(self, now: dt.datetime) -> RetentionCutoffs:
        """Per kind of record, the moment before which it has expired at `now`."""

        def before(days: int) -> dt.datetime | None:
            return now - dt.timedelta(days=days) if days > 0 else None

        return RetentionCutoffs(
            checks=before(self.checks_days),
            deliveries=before(self.deliveries_days),
            pending_reports=before(self.pending_reports_days),
            report_texts=before(self.report_text_days),
            audit=before(self.audit_days),
        )


async def purge_expired(
    repo: RetentionRepo,
    retention: Retention,
    now: dt.datetime,
    *,
    dry_run: bool = False,
    batch: int = BATCH,
    limit: int | None = None,
) -> PurgeCounts:
    """Delete or blank what has been kept longer than `retention` allows at `now` (at most `limit` rows of each
    kind when set); the counts, never content."""
    counts = await repo.purge(retention.cutoffs(now), batch=batch, dry_run=dry_run, limit=limit)
    if counts.total or dry_run:
        log.info("retention %s: %s", "dry run" if dry_run else "purge", counts.summary())
    return counts
