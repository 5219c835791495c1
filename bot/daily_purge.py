"""When the retention purge runs: once a day, in the process that holds the alert scheduler's lease.

The alert scheduler (bot/alerts/scheduler.py) asks at each of its ticks, with the time passed in, after it has
taken or renewed the lease; only the holder purges, so several processes on one database do not all scan the
same tables. The first tick of a new holder purges (the purge is idempotent), then every 24 hours; a purge that
fails is tried again an hour later rather than at every tick.

A tick purges at most PER_TICK rows of each kind. The tick runs inside the scheduler's (which holds off its next
tick until this one ends, and renews the lease only at a tick), so a first purge of years of backlog must not
run for minutes: when a kind reached PER_TICK, the purge goes on at the next tick instead of tomorrow.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from handlers.ports import PurgeCounts, RetentionRepo
from handlers.retention import Retention, purge_expired

log = logging.getLogger(__name__)

EVERY = dt.timedelta(days=1)
RETRY = dt.timedelta(hours=1)
PER_TICK = 10_000  # rows of each kind per tick: ten batches, well under a second on SQLite


class DailyPurge:
    """Runs `purge_expired` at most once per `EVERY`, when asked by the lease holder."""

    def __init__(self, repo: RetentionRepo, retention: Retention, *, per_tick: int = PER_TICK) -> None:
        self._repo, self._retention, self._per_tick = repo, retention, per_tick
        self.next_at: dt.datetime | None = None  # None: at the first tick as the lease holder
        self.runs = 0
        self.on_purge: Callable[[PurgeCounts], None] | None = None  # the process's metrics, when it serves them

    async def run_if_due(self, now: dt.datetime, *, leader: bool) -> PurgeCounts | None:
        """Purge if this process holds the lease and a day has passed since the last purge; the counts, or None."""
        if not leader or (self.next_at is not None and now < self.next_at):
            return None
        try:
            counts = await purge_expired(self._repo, self._retention, now, limit=self._per_tick)
        except Exception:
            log.exception("retention purge failed; it is tried again in an hour")
            self.next_at = now + RETRY
            return None
        unfinished = any(getattr(counts, name) >= self._per_tick for name in counts.kinds())
        self.next_at = now if unfinished else now + EVERY  # a backlog goes on at the next tick
        self.runs += 1
        if self.on_purge is not None:
            self.on_purge(counts)
        return counts
