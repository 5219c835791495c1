"""The running alert machinery of one process: the scheduler and one outbox drainer per platform.

`AlertDelivery` owns both; `run_alerts_once` is the command line's single round (`canhgiac alerts run-due`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import time
from collections.abc import Callable, Mapping

import httpx

from bot.alerts.outbox import Drainer, drain_until_settled
from bot.alerts.scheduler import AlertScheduler
from bot.alerts.senders import BotApiSender
from bot.config import Settings, secret
from bot.pacing import RateLimiter, platform_limits
from handlers.alert_rounds import REPORT_ROUND, finish_round, run_due
from handlers.deps import Deps

DELIVERY_PLATFORMS = ("telegram", "zalo")


def build_drainers(
    deps: Deps,
    settings: Settings,
    platforms: tuple[str, ...],
    client: httpx.AsyncClient,
    clock: Callable[[], dt.datetime],
    *,
    limiters: Mapping[str, RateLimiter] | None = None,
    on_outcome: Callable[[str, str], None] | None = None,
) -> list[Drainer]:
    """One drainer per platform, paced under that platform's limits.

    `limiters` are the running adapters' own pacing objects: a drainer given one shares it with that adapter's
    sends, so alerts and other messages together stay under the platform's rate. Otherwise it paces alone.
    """
    drainers = []
    for platform in platforms:
        section = getattr(settings, platform)
        _, per_chat, limited = platform_limits(platform, section.messages_per_second)
        limiter = (limiters or {}).get(platform) or RateLimiter(section.messages_per_second, per_chat, limited)
        sender = BotApiSender(platform, client, section.api_base_url, secret(section.token) or "")
        drainers.append(
            Drainer(
                deps.repos,
                platform,
                sender,
                limiter,
                clock=clock,
                on_round=functools.partial(_report_round, deps, clock),
                on_outcome=on_outcome,
            )
        )
    return drainers


async def _report_round(deps: Deps, clock: Callable[[], dt.datetime], round_id: str) -> None:
    if round_id != REPORT_ROUND:
        await finish_round(deps, round_id, clock())


def configured_platforms(settings: Settings) -> tuple[str, ...]:
    """The delivery platforms whose token is set."""
    return tuple(p for p in DELIVERY_PLATFORMS if secret(getattr(settings, p).token))


class AlertDelivery:
    """The running alert machinery of one process: the scheduler and a drainer task per platform."""

    def __init__(
        self,
        deps: Deps,
        settings: Settings,
        platforms: tuple[str, ...],
        clock: Callable[[], dt.datetime],
        limiters: Mapping[str, RateLimiter] | None = None,
        *,
        on_outcome: Callable[[str, str], None] | None = None,
    ) -> None:
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(10.0, connect=5.0), limits=httpx.Limits(max_connections=32)
        )
        self.drainers = build_drainers(
            deps, settings, platforms, self._client, clock, limiters=limiters, on_outcome=on_outcome
        )
        self.scheduler = AlertScheduler(
            deps,
            grace=dt.timedelta(minutes=settings.alerts.grace_minutes),
            platforms=platforms,
            clock=clock,
            interval=settings.alerts.check_seconds,
        )
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        self.scheduler.start()
        self._tasks = [asyncio.create_task(d.run(self._stop), name=f"outbox-{d.platform}") for d in self.drainers]

    async def stop(self) -> None:
        """Stop scheduling (a due-check in progress finishes); let in-flight sends finish and be marked; hand
        unsent claims back; close."""
        await self.scheduler.stop()
        for drainer in self.drainers:
            drainer.stopping = True
        self._stop.set()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._client.aclose()


async def run_alerts_once(
    deps: Deps, settings: Settings, now: dt.datetime, *, platforms: tuple[str, ...], give_up_after: float = 900.0
) -> tuple[list[str], bool]:
    """One round from the command line: enqueue what is due at `now`, then drain until settled (or for at most
    `give_up_after` seconds)."""
    offset = now - dt.datetime.now(dt.UTC)

    def clock() -> dt.datetime:  # time runs on from `now`, so retries and leases behave as they would live
        return dt.datetime.now(dt.UTC) + offset

    rounds = await run_due(deps, now, grace=dt.timedelta(minutes=settings.alerts.grace_minutes), platforms=platforms)
    async with httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=5.0)) as client:
        drainers = build_drainers(deps, settings, platforms, client, clock)
        settled = await drain_until_settled(drainers, deps.repos, rounds, time.monotonic() + give_up_after)
    return rounds, settled
