"""When alerts go out, and the long-running pieces that send them.

`AlertScheduler` only decides *when*: an APScheduler 3.x AsyncIOScheduler (in memory; the outbox, not a job
store, is the durable state) calls `handlers.alert_rounds.run_due` every minute and once right at start, so a
round missed during downtime goes out on start if it is still within [alerts] grace_minutes. `AlertDelivery`
owns one outbox drainer per platform and the scheduler; `run_alerts_once` is the CLI's single round.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import logging
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TextIO

import httpx
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.config import Settings, secret
from bot.outbox import Drainer, RateLimiter, drain_until_settled
from bot.senders import BotApiSender, platform_limits
from handlers.alert_rounds import REPORT_ROUND, finish_round, run_due
from handlers.deps import Deps

log = logging.getLogger(__name__)

JOB_ID = "alerts-run-due"
INTERVAL_SECONDS = 60  # APScheduler 3.11 wants whole seconds for misfire_grace_time
STOP_TIMEOUT = 30.0  # the longest a shutdown waits for a due-check in progress
DELIVERY_PLATFORMS = ("telegram", "zalo")


class AlertScheduler:
    """Calls `run_due` every `INTERVAL_SECONDS` (and once at start); coalesced, never two at once.

    Stopping waits for a tick in progress to finish its transaction: APScheduler 3's asyncio executor would
    cancel it mid-write on shutdown, so `stop()` first stops new ticks, then waits, then shuts the scheduler down.
    """

    def __init__(self, deps: Deps, *, grace: dt.timedelta, platforms: tuple[str, ...],
                 clock: Callable[[], dt.datetime]) -> None:
        self._deps, self._grace, self._platforms, self._clock = deps, grace, platforms, clock
        self._memo: set[tuple[str, dt.date]] = set()
        self._scheduler: AsyncIOScheduler | None = None
        self._idle = asyncio.Event()
        self._idle.set()
        self._closing = False
        self.ticks = 0

    def start(self) -> None:
        """Start on the running event loop (APScheduler 3.x takes the loop in start())."""
        self._scheduler = AsyncIOScheduler(timezone=dt.UTC)
        self._scheduler.add_job(
            self.tick, "interval", seconds=INTERVAL_SECONDS, id=JOB_ID, replace_existing=True,
            next_run_time=dt.datetime.now(dt.UTC), coalesce=True, max_instances=1,
            misfire_grace_time=INTERVAL_SECONDS,
        )
        self._scheduler.start()
        log.info("daily alert scheduler started: checks every %d s", INTERVAL_SECONDS)

    async def tick(self) -> list[str]:
        """One run of the due-check; errors are logged (the next tick tries again, nothing is lost)."""
        if self._closing:
            return []
        self._idle.clear()
        try:
            return await self._run_due()
        finally:
            self.ticks += 1
            self._idle.set()
            log.debug("daily alert check %d done", self.ticks)

    async def _run_due(self) -> list[str]:
        now = self._clock()
        self._memo = {(key, day) for key, day in self._memo if day >= (now - dt.timedelta(days=2)).date()}
        try:
            rounds = await run_due(self._deps, now, grace=self._grace, platforms=self._platforms, memo=self._memo)
        except Exception:  # noqa: BLE001
            log.exception("daily alert round failed; the next tick retries")
            return []
        if rounds:
            log.info("daily alerts queued for rounds %s", ", ".join(rounds))
        return rounds

    async def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """No new ticks; a tick in progress finishes (up to `timeout`), then the scheduler shuts down."""
        self._closing = True
        if self._scheduler is None or not self._scheduler.running:
            return
        self._scheduler.pause()
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            log.warning("daily alert check still running after %.0f s; stopping it", timeout)
        self._scheduler.shutdown(wait=False)


def build_drainers(deps: Deps, settings: Settings, platforms: tuple[str, ...], client: httpx.AsyncClient,
                   clock: Callable[[], dt.datetime],
                   limiters: Mapping[str, RateLimiter] | None = None) -> list[Drainer]:
    """One drainer per platform, paced under that platform's limits.

    `limiters` are the running adapters' own pacing objects: a drainer given one shares it with that adapter's
    sends, so alerts and other messages together stay under the platform's rate. Otherwise it paces alone.
    """
    drainers = []
    for platform in platforms:
        section = getattr(settings, platform)
        limiter = (limiters or {}).get(platform) or RateLimiter(
            *platform_limits(platform, settings.zalo.messages_per_second))
        sender = BotApiSender(platform, client, section.api_base_url, secret(section.token) or "")
        drainers.append(Drainer(deps.repos, platform, sender, limiter, clock=clock,
                                on_round=functools.partial(_report_round, deps, clock)))
    return drainers


async def _report_round(deps: Deps, clock: Callable[[], dt.datetime], round_id: str) -> None:
    if round_id != REPORT_ROUND:
        await finish_round(deps, round_id, clock())


def configured_platforms(settings: Settings) -> tuple[str, ...]:
    """The delivery platforms whose token is set."""
    return tuple(p for p in DELIVERY_PLATFORMS if secret(getattr(settings, p).token))


class AlertDelivery:
    """The running alert machinery of one process: the scheduler and a drainer task per platform."""

    def __init__(self, deps: Deps, settings: Settings, platforms: tuple[str, ...],
                 clock: Callable[[], dt.datetime], limiters: Mapping[str, RateLimiter] | None = None) -> None:
        self._client = httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=5.0),
                                         limits=httpx.Limits(max_connections=32))
        self.drainers = build_drainers(deps, settings, platforms, self._client, clock, limiters)
        self.scheduler = AlertScheduler(deps, grace=dt.timedelta(minutes=settings.alerts.grace_minutes),
                                        platforms=platforms, clock=clock)
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


async def run_alerts_once(deps: Deps, settings: Settings, now: dt.datetime, *, platforms: tuple[str, ...],
                          timeout: float = 900.0) -> tuple[list[str], bool]:
    """One round from the command line: enqueue what is due at `now`, then drain until settled (or `timeout`)."""
    offset = now - dt.datetime.now(dt.UTC)

    def clock() -> dt.datetime:  # time runs on from `now`, so retries and leases behave as they would live
        return dt.datetime.now(dt.UTC) + offset

    rounds = await run_due(deps, now, grace=dt.timedelta(minutes=settings.alerts.grace_minutes), platforms=platforms)
    async with httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=5.0)) as client:
        drainers = build_drainers(deps, settings, platforms, client, clock)
        settled = await drain_until_settled(drainers, deps.repos, rounds, time.monotonic() + timeout)
    return rounds, settled


def run_due_command(config: Path | None, now_text: str | None, out: TextIO, err: TextIO) -> int:
    """`canhgiac alerts run-due [--now ISO-TIME]`: exit 0 when every round settled, 1 otherwise, 2 on bad input."""
    from bot.app import build_app
    from bot.config import load_settings

    try:
        settings = load_settings(config)
        now = _parse_now(now_text)
    except (FileNotFoundError, ValueError) as exc:
        print(f"canhgiac: {exc}", file=err)
        return 2
    platforms = configured_platforms(settings)
    if not platforms:
        print("canhgiac: no Telegram or Zalo token is configured, so there is nowhere to send alerts; "
              "set [telegram] token or [zalo] token (or CANHGIAC_TELEGRAM__TOKEN / CANHGIAC_ZALO__TOKEN).", file=err)
        return 1

    async def main() -> int:
        app = await build_app(settings)
        try:
            started = time.monotonic()
            rounds, settled = await run_alerts_once(app.deps, settings, now, platforms=platforms)
            for round_id in rounds:
                summary = await app.deps.repos.deliveries.round_summary(round_id)
                print(f"{round_id}: " + " ".join(f"{k}={v}" for k, v in summary.items()), file=out)
            print(f"{len(rounds)} round(s) at {now.isoformat()} on {', '.join(platforms)} in "
                  f"{time.monotonic() - started:.1f} s" + ("" if settled else " (some deliveries still waiting)"), file=out)
            return 0 if settled else 1
        finally:
            await app.close()

    return asyncio.run(main())


def _parse_now(text: str | None) -> dt.datetime:
    """An ISO time; without an offset it is taken in UTC (say +07:00 for Vietnam)."""
    if not text:
        return dt.datetime.now(dt.UTC)
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--now: not an ISO time: {text!r} (e.g. 2026-05-01T08:00+07:00)") from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
