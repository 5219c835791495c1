"""The retention purge runs once a day in the process holding the alert scheduler's lease, time passed in."""

from __future__ import annotations

import datetime as dt

from bot.alerts import AlertScheduler
from bot.alerts.scheduler import INTERVAL_SECONDS
from bot.app import build_app
from bot.daily_purge import EVERY, RETRY, DailyPurge
from bot.storage.memory import memory_repositories
from handlers.ports import PurgeCounts, RetentionCutoffs
from handlers.retention import Retention
from tests.factories import T0, settings_for
from tests.fakes.clocks import FrozenClock

OLD = T0 - dt.timedelta(days=1000)


async def test_only_the_lease_holder_purges_and_only_once_a_day(open_sql):
    clock = FrozenClock(T0)
    first_db, second_db = await open_sql(), await open_sql()
    first = await build_app(settings_for(), clock, repos=first_db.repos, salt=b"s")
    second = await build_app(settings_for(), clock, repos=second_db.repos, salt=b"s")
    checks = first.deps.repos.checks
    try:
        await checks.add(platform="zalo", at=OLD, level="low", score=0, methods=[], text_hash="a")
        a = AlertScheduler(first.deps, grace=dt.timedelta(hours=4), platforms=("telegram",), clock=clock, holder="a")
        b = AlertScheduler(second.deps, grace=dt.timedelta(hours=4), platforms=("telegram",), clock=clock, holder="b")
        await a.tick()
        await b.tick()
        assert (a.leader, a.purge.runs, b.leader, b.purge.runs) == (True, 1, False, 0)
        assert (await checks.stats(OLD)).total == 0

        await checks.add(platform="zalo", at=OLD, level="low", score=0, methods=[], text_hash="b")
        for _ in range(3):  # later ticks the same day leave it for tomorrow
            clock.advance(seconds=INTERVAL_SECONDS)
            await a.tick()
            await b.tick()
        assert (a.purge.runs, b.purge.runs) == (1, 0) and (await checks.stats(OLD)).total == 1

        clock.advance(days=1)
        await a.tick()
        assert a.purge.runs == 2 and (await checks.stats(OLD)).total == 0
    finally:
        await first.close()
        await second.close()
        await first_db.close()
        await second_db.close()


async def test_the_retention_settings_reach_the_purge(app):
    assert app.deps.policy.retention == Retention()
    scheduler = AlertScheduler(app.deps, grace=dt.timedelta(hours=4), platforms=("telegram",), clock=lambda: T0)
    scheduler.purge.on_purge = app.metrics.observe_purge  # as `canhgiac run` wires it
    await app.deps.repos.audit.add(actor="telegram:1", action="a", target="t", detail="", at=OLD)
    await scheduler.tick()
    assert scheduler.purge.runs == 1 and await app.deps.repos.audit.list() == []
    exposition = app.metrics.exposition().decode()
    assert 'canhgiac_purged_rows_total{kind="audit"} 1.0' in exposition
    assert 'canhgiac_purged_rows_total{kind="checks"} 0.0' in exposition


async def test_a_backlog_is_purged_a_slice_per_tick_then_daily():
    repos = memory_repositories()
    for number in range(5):
        await repos.checks.add(platform="zalo", at=OLD, level="low", score=0, methods=[], text_hash=str(number))
    purge = DailyPurge(repos.retention, Retention(), per_tick=2)
    tick = dt.timedelta(seconds=INTERVAL_SECONDS)
    removed = []
    for number in range(5):
        counts = await purge.run_if_due(T0 + number * tick, leader=True)
        removed.append(None if counts is None else counts.checks)
    assert removed == [2, 2, 1, None, None]  # a slice per tick until the backlog is gone, then tomorrow
    assert purge.next_at == T0 + 2 * tick + EVERY


class BrokenRetention:
    """A retention repository whose database is gone."""

    def __init__(self) -> None:
        self.calls = 0

    async def purge(
        self, cutoffs: RetentionCutoffs, *, batch: int, dry_run: bool = False, limit: int | None = None
    ) -> PurgeCounts:
        self.calls += 1
        raise ConnectionError("database gone")


async def test_a_failed_purge_is_tried_again_an_hour_later_not_at_every_tick(caplog):
    repo = BrokenRetention()
    purge = DailyPurge(repo, Retention())
    assert await purge.run_if_due(T0, leader=True) is None
    assert await purge.run_if_due(T0 + dt.timedelta(seconds=INTERVAL_SECONDS), leader=True) is None
    assert repo.calls == 1 and "retention purge failed" in caplog.text
    await purge.run_if_due(T0 + RETRY, leader=True)
    assert repo.calls == 2
    assert await purge.run_if_due(T0 + 5 * RETRY, leader=False) is None and repo.calls == 2
