"""When alerts go out: an APScheduler 3.x AsyncIOScheduler that only decides *when*.

It calls `handlers.alert_rounds.run_due` every `interval` seconds (`[alerts] check_seconds`, default
INTERVAL_SECONDS) and once right at start, so a round missed
during downtime goes out on start if it is still within [alerts] grace_minutes. It is in memory: the outbox, not
a job store, is the durable state.

Several processes may share one database: each tick first takes or renews the lease LEASE for LEASE_FACTOR
intervals, and only its holder queues rounds. The holder renews it every tick; when it dies, the lease runs out
and the next tick of another process takes over, within interval + lease (20 + 35 s by default: under a minute).
The holder also runs the daily retention purge (bot/daily_purge.py) after its round.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.alerts.outbox import worker_name
from bot.daily_purge import DailyPurge
from handlers.alert_rounds import run_due
from handlers.deps import Deps

log = logging.getLogger(__name__)

JOB_ID = "alerts-run-due"
INTERVAL_SECONDS = 20  # the default of [alerts] check_seconds; whole seconds, as APScheduler 3.11's misfire_grace_time
LEASE = "alert-scheduler"
LEASE_FACTOR = 1.75  # the lease outlives a tick's interval, so the holder keeps it while alive
LEASE_SECONDS = INTERVAL_SECONDS * LEASE_FACTOR  # 35 s
STOP_GRACE = 30.0  # the longest a shutdown waits for a due-check in progress


class AlertScheduler:
    """Calls `run_due` every `interval` seconds (and once at start); coalesced, never two at once.

    Stopping waits for a tick in progress to finish its transaction: APScheduler 3's asyncio executor would
    cancel it mid-write on shutdown, so `stop()` first stops new ticks, then waits, then shuts the scheduler down.
    """

    def __init__(
        self,
        deps: Deps,
        *,
        grace: dt.timedelta,
        platforms: tuple[str, ...],
        clock: Callable[[], dt.datetime],
        holder: str | None = None,
        interval: int = INTERVAL_SECONDS,
    ) -> None:
        self._deps, self._grace, self._platforms, self._clock = deps, grace, platforms, clock
        self.interval = interval
        self.lease_seconds = interval * LEASE_FACTOR
        self.holder = holder or worker_name()
        self.leader = False  # held the lease at the last tick
        self._memo: set[tuple[str, dt.date]] = set()
        self._scheduler: AsyncIOScheduler | None = None
        self._idle = asyncio.Event()
        self._idle.set()
        self._closing = False
        self.ticks = 0
        self.purge = DailyPurge(deps.repos.retention, deps.policy.retention)  # the holder's daily retention purge

    def start(self) -> None:
        """Start on the running event loop (APScheduler 3.x takes the loop in start())."""
        self._scheduler = AsyncIOScheduler(timezone=dt.UTC)
        self._scheduler.add_job(
            self.tick,
            "interval",
            seconds=self.interval,
            id=JOB_ID,
            replace_existing=True,
            next_run_time=dt.datetime.now(dt.UTC),
            coalesce=True,
            max_instances=1,
            misfire_grace_time=self.interval,
        )
        self._scheduler.start()
        log.info("daily alert scheduler started: checks every %d s", self.interval)

    async def tick(self) -> list[str]:
        """One run of the due-check; errors are logged (the next tick tries again, nothing is lost).

        Each tick also forgets expired conversation sessions (in memory they otherwise go when the next one is
        created; in the database nothing else deletes them), as a checked text must not outlive its buttons when
        nobody talks to the bot afterwards, and the check limit's counts older than its minute.
        """
        if self._closing:
            return []
        self._idle.clear()
        try:
            await self._forget_expired()
            rounds = await self._run_due()
            await self.purge.run_if_due(self._clock(), leader=self.leader)  # after the alerts, never before
            return rounds
        finally:
            self.ticks += 1
            self._idle.set()
            log.debug("daily alert check %d done", self.ticks)

    async def _forget_expired(self) -> None:
        try:
            await self._deps.sessions.purge()
            await self._deps.flood.purge()
        except Exception:  # the database's sessions and counts; memory cannot fail
            log.exception("could not forget expired sessions and check counts; the next tick retries")

    async def _run_due(self) -> list[str]:
        now = self._clock()
        try:
            self.leader = await self._deps.repos.leases.acquire(LEASE, self.holder, now, self.lease_seconds)
        except Exception:
            log.exception("could not take the alert scheduler's lease; the next tick retries")
            self.leader = False
        if not self.leader:
            return []  # another process schedules the alerts
        self._memo = {(key, day) for key, day in self._memo if day >= (now - dt.timedelta(days=2)).date()}
        try:
            rounds = await run_due(self._deps, now, grace=self._grace, platforms=self._platforms, memo=self._memo)
        except Exception:
            log.exception("daily alert round failed; the next tick retries")
            return []
        if rounds:
            log.info("daily alerts queued for rounds %s", ", ".join(rounds))
        return rounds

    async def stop(self, grace: float = STOP_GRACE) -> None:
        """No new ticks; a tick in progress finishes (up to `grace` seconds), then the scheduler shuts down."""
        self._closing = True
        if self._scheduler is None or not self._scheduler.running:
            return
        self._scheduler.pause()
        try:
            await asyncio.wait_for(self._idle.wait(), grace)
        except TimeoutError:
            log.warning("daily alert check still running after %.0f s; stopping it", grace)
        self._scheduler.shutdown(wait=False)
        if self.leader:  # another process need not wait for the lease to run out
            try:
                await self._deps.repos.leases.release(LEASE, self.holder)
            except Exception:
                log.exception("could not release the alert scheduler's lease; it runs out by itself")
