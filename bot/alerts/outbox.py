"""Draining the outbox: claim with a lease, pace under the platform's limits, send, settle at once.

Exactly-once, and where it stops. Enqueueing is idempotent (unique (chat, alert, day)). A worker claims a
batch with a lease (`claim` is one atomic UPDATE … RETURNING, SKIP LOCKED on PostgreSQL), sends each
delivery, and calls `mark_sent` as the very next step after the HTTP answer. `mark_*` only succeed while the
worker still holds the lease, and a send only *starts* while the lease has at least the sender's hard timeout
plus LEASE_MARGIN left, so no other worker can take a delivery over while a send of it may still be in flight.
A worker that dies loses nothing: its leased rows become claimable when the lease ends, and are sent then.

The one window left is at-least-once: the platform has accepted the message (the HTTP request reached it)
but the worker dies, or loses the database, before `mark_sent` commits. The row is then sent again after its
lease ends. The window is one HTTP response plus one single-row UPDATE long (milliseconds).

**The bound.** A drainer has at most SENDS_IN_FLIGHT (4) deliveries between "request sent" and "marked sent" at
any instant (one semaphore covers the send and the mark), so a crash duplicates at most 4 messages per platform
and per process, whatever the size of the round; no Bot API offers an idempotency key to close it. Four keeps the
platform's rate: at Telegram's 30 messages/s each send (HTTP answer plus its UPDATE) may take 130 ms, at Zalo's
default 10/s 400 ms. Measured (tests/bot/alerts/test_broadcast_crash.py): a broadcast to 60 groups, the bot killed
with SIGKILL after 26 copies and restarted: every group got it, at most 4 twice (0 to 2 in the runs so far); two
processes on one PostgreSQL database sending to 1,000 groups, one killed after about 300 copies: 0 and 1 twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable

from bot.alerts.senders import SEND_TIMEOUT, SendFunction
from bot.backoff import backoff_delay
from bot.outcomes import Gone, Migrated, Outcome, RetryAfter, Sent, Transient
from bot.pacing import RateLimiter
from handlers.ports import DeliveryRecord, Repositories

log = logging.getLogger(__name__)

LEASE_SECONDS = 60.0
LEASE_MARGIN = 5.0
MAX_ATTEMPTS = 6  # claims of one delivery before a transient error marks it failed
SENDS_IN_FLIGHT = 4  # the crash-duplicate bound above; enough for the platforms' rates
BACKOFF = (5.0, 300.0)  # seconds before the first retry of a transient failure, and at most between two
RoundHook = Callable[[str], Awaitable[object]]


def worker_name() -> str:
    """A worker id unique across hosts, processes and restarts."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Drainer:
    """One outbox worker for one platform."""

    def __init__(
        self,
        repos: Repositories,
        platform: str,
        send: SendFunction,
        limiter: RateLimiter,
        *,
        clock: Callable[[], dt.datetime],
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        worker_id: str | None = None,
        lease_seconds: float = LEASE_SECONDS,
        batch: int | None = None,
        concurrency: int = SENDS_IN_FLIGHT,
        on_round: RoundHook | None = None,
        lease_margin: float = LEASE_MARGIN,
        on_outcome: Callable[[str, str], None] | None = None,
    ) -> None:
        self.repos, self.platform, self.send, self.limiter = repos, platform, send, limiter
        self.clock, self.sleep = clock, sleep
        self.worker_id = worker_id or worker_name()
        self.lease_seconds = lease_seconds
        # A send starts only with this much lease left: the sender's own hard timeout plus a margin.
        self.lease_needed = getattr(send, "timeout", SEND_TIMEOUT) + lease_margin
        # A batch is about five seconds of sending, well inside the lease.
        self.batch = batch or max(10, min(500, int(5 / limiter.interval)))
        self.concurrency = concurrency
        self.on_round = on_round
        self.on_outcome = on_outcome  # (platform, outcome) of every settled send: the runtime's metrics
        self.stopping = False
        # One write at a time from this worker: concurrent transactions of one process only queue behind
        # each other on SQLite's write lock (with the busy handler's sleeps); here they queue without sleeping.
        self._writes = asyncio.Lock()

    async def drain_once(self) -> int:
        """Claim one batch and settle every delivery in it; the number claimed."""
        claimed = await self.repos.deliveries.claim(
            self.platform, self.worker_id, self.clock(), self.lease_seconds, self.batch
        )
        if not claimed:
            return 0
        gate = asyncio.Semaphore(self.concurrency)

        async def one(delivery: DeliveryRecord) -> None:
            async with gate:
                await self._deliver(delivery)

        await asyncio.gather(*(one(delivery) for delivery in claimed))
        if self.on_round is not None:
            for round_id in sorted({delivery.round_id for delivery in claimed}):
                await self.on_round(round_id)
        return len(claimed)

    async def run(self, stop: asyncio.Event, idle_seconds: float = 1.0) -> None:
        """Drain until `stop` is set; an unexpected error (database down) is logged and retried."""
        while not stop.is_set():
            try:
                count = await self.drain_once()
            except Exception:
                log.exception("%s outbox: drain failed", self.platform)
                count = 0
            if count == 0:
                with contextlib.suppress(TimeoutError):  # idle long enough: look for due deliveries again
                    await asyncio.wait_for(stop.wait(), idle_seconds)

    async def _deliver(self, delivery: DeliveryRecord) -> None:
        if self.stopping:  # shutting down: hand it back at once rather than hold it until the lease ends
            await self._give_back(delivery, self.clock(), "shutdown")
            return
        wait = self.limiter.reserve(delivery.chat_id)
        if wait is None:
            later = self.clock() + dt.timedelta(seconds=self.limiter.chat_free_in(delivery.chat_id) + 1)
            await self._give_back(delivery, later, "per-chat limit")
            return
        if wait > 0:
            await self.sleep(wait)
        while (paused := self.limiter.paused_for()) > 0:
            await self.sleep(paused)
        now = self.clock()
        if delivery.lease_until is None or (delivery.lease_until - now).total_seconds() < self.lease_needed:
            # Too little lease left to be sure nobody else takes it over mid-send: give it back unsent.
            await self._give_back(delivery, now, "lease nearly over")
            return
        outcome = await self.send(delivery)
        async with self._writes:
            await self._settle(delivery, outcome)

    async def _give_back(self, delivery: DeliveryRecord, at: dt.datetime, why: str) -> None:
        async with self._writes:
            await self.repos.deliveries.mark_retry(delivery.id, self.worker_id, at, why)

    async def _settle(self, delivery: DeliveryRecord, outcome: Outcome) -> None:
        repos, now, me = self.repos, self.clock(), self.worker_id
        if self.on_outcome is not None:
            self.on_outcome(self.platform, type(outcome).__name__.lower())
        if isinstance(outcome, Sent):
            if not await repos.deliveries.mark_sent(delivery.id, me, now):
                log.warning("delivery %s was sent after its lease was lost (a duplicate is possible)", delivery.id)
            return
        if isinstance(outcome, RetryAfter):
            self.limiter.pause(outcome.seconds)
            later = now + dt.timedelta(seconds=outcome.seconds)
            await repos.deliveries.mark_retry(delivery.id, me, later, f"429: {outcome.error}")
        elif isinstance(outcome, Transient):
            if delivery.attempts >= MAX_ATTEMPTS:
                await repos.deliveries.mark_failed(delivery.id, outcome.error)
            else:
                delay = backoff_delay(delivery.attempts, *BACKOFF)
                await repos.deliveries.mark_retry(delivery.id, me, now + dt.timedelta(seconds=delay), outcome.error)
        elif isinstance(outcome, Gone):
            await repos.deliveries.mark_unsubscribed(delivery.id, outcome.reason)
            await repos.subscriptions.unsubscribe(delivery.chat_key, outcome.reason)
            await repos.chats.mark_inactive(delivery.chat_key, outcome.reason, now)
        elif isinstance(outcome, Migrated):
            new_key = f"{delivery.platform}:{outcome.new_chat_id}"
            # Moves the chat, its subscription and its unfinished deliveries (this one too) to the new id.
            await repos.chats.migrate(delivery.chat_key, new_key, now)
            await repos.deliveries.mark_retry(delivery.id, me, now, f"migrated to {outcome.new_chat_id}")
        else:
            await repos.deliveries.mark_failed(delivery.id, outcome.error)


async def drain_until_settled(
    drainers: list[Drainer],
    repos: Repositories,
    round_ids: list[str],
    deadline: float,
    *,
    monotonic: Callable[[], float] = time.monotonic,
    poll: float = 0.5,
) -> bool:
    """Drain (the CLI's one-shot round) until every listed round is settled, or `deadline` passes."""
    while True:
        counts = await asyncio.gather(*(drainer.drain_once() for drainer in drainers))
        if sum(counts):
            continue
        unsettled = 0
        for round_id in round_ids:
            summary = await repos.deliveries.round_summary(round_id)
            unsettled += summary["pending"] + summary["sending"]
        if not unsettled:
            return True
        if monotonic() >= deadline:
            return False
        await asyncio.sleep(poll)
