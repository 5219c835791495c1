"""Sharing a platform's send rate among the processes serving one bot (`[sharing] backend = "database"`).

Telegram allows a bot about 30 messages a second (and 20 a minute in one group), whichever process sends them.
Each process keeps pacing its sends in memory (bot/pacing.py) but takes only 1/N of the budget, N being the number
of processes serving the same bot that are alive now. Each process shows it is alive by a heartbeat: a lease of its
own in the `leases` table, named `pace:<platform>:<bot tag>:<process>`, renewed every HEARTBEAT_SECONDS (1 s)
for LEASE_SECONDS (5 s); N is the number of such leases not run out.

Why not one token bucket in the database, taken from at every send: it would be exact, but it puts a database
write (with its lock) in front of every message, lets a database hiccup stop every answer, and on SQLite makes the
processes queue for the one writer at 30 writes a second. A share costs two small queries per process every
second (HEARTBEAT_SECONDS) and nothing per message. What it gives up, measured in tests/bot/test_pace_sharing.py:
- a process joining: the others keep their larger share until their next heartbeat (at most HEARTBEAT_SECONDS),
  so for up to a second the bot may send up to (1 + 1/N) times its budget (measured with two processes: 45
  messages in the worst second instead of 30). Telegram answers such a burst with 429s, which every process
  waits out (bot/telegram/limiter.py);
- a process dying without stopping: the others keep their smaller share until its lease runs out (LEASE_SECONDS);
  a clean stop releases the lease, and the others take the whole budget at their next heartbeat;
- the budget is split evenly, not by need: a process sending a broadcast alone gets only its share. The outbox
  spreads deliveries over every process's drainer, so a broadcast is sent by all of them at once anyway.
A 429 pauses only the process that received it; the others meet their own 429s if the platform is still limiting.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.pacing import RateLimiter
from handlers.ports import LeaseRepo

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 1  # also how long others may keep their larger share after a process joins
LEASE_SECONDS = 5.0  # five heartbeats: a slow database round trip does not make a live process look dead
JOB_ID = "pace-heartbeat"


def lease_prefix(platform: str, tag: str) -> str:
    """The names of the heartbeats of every process serving one bot start with this."""
    return f"pace:{platform}:{tag}:"


class PaceSharing:
    """Every HEARTBEAT_SECONDS: renew this process's heartbeat per bot, count the live ones, take 1/N of the rate."""

    def __init__(self, leases: LeaseRepo, holder: str, clock: Callable[[], dt.datetime]) -> None:
        self._leases = leases
        self.holder = holder
        self._clock = clock
        self._pacers: list[tuple[str, RateLimiter]] = []
        self._scheduler: AsyncIOScheduler | None = None

    def add(self, platform: str, tag: str, pacing: RateLimiter) -> None:
        """Share `pacing` (a bot's sends from this process) with the other processes serving bot `tag`."""
        self._pacers.append((lease_prefix(platform, tag), pacing))

    async def beat(self, now: dt.datetime | None = None) -> list[int]:
        """Renew the heartbeats and set each pacing's share; the number of live processes per bot. A database
        error keeps the shares as they were (the next beat tries again)."""
        now = self._clock() if now is None else now
        counts = []
        for prefix, pacing in self._pacers:
            try:
                await self._leases.acquire(prefix + self.holder, self.holder, now, LEASE_SECONDS)
                processes = await self._leases.count_live(prefix, now)
            except Exception:
                log.exception("could not renew the send-rate heartbeat; the share stays 1/%d", pacing.shares)
                counts.append(pacing.shares)
                continue
            if processes != pacing.shares:
                log.info("%s: %d processes serve this bot, each at 1/%d of the rate", prefix, processes, processes)
            pacing.share(processes)
            counts.append(processes)
        return counts

    async def start(self) -> None:
        """Beat once now (before anything is sent), then every HEARTBEAT_SECONDS on the running event loop."""
        if not self._pacers:
            return
        await self.beat()
        self._scheduler = AsyncIOScheduler(timezone=dt.UTC)
        self._scheduler.add_job(
            self.beat,
            "interval",
            seconds=HEARTBEAT_SECONDS,
            id=JOB_ID,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=HEARTBEAT_SECONDS,
        )
        self._scheduler.start()

    async def stop(self) -> None:
        """No more beats; the heartbeats are released, so the others take the whole rate at their next beat."""
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        for prefix, _ in self._pacers:
            try:
                await self._leases.release(prefix + self.holder, self.holder)
            except Exception:
                log.exception("could not release the send-rate heartbeat; it runs out by itself")
