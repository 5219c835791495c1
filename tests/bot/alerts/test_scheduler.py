"""The scheduler calls run_due at start and on its interval (`canhgiac alerts run-due`: tests/bot/cli)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sqlite3

from bot.alerts import AlertScheduler, configured_platforms
from bot.alerts.scheduler import INTERVAL_SECONDS, LEASE_SECONDS
from bot.app import build_app
from tests.conversation import Conversation
from tests.factories import EVERYDAY, T0, settings_for
from tests.fakes.clocks import FrozenClock


async def test_the_scheduler_runs_a_missed_round_right_at_start(app):
    await app.deps.repos.chats.ensure("telegram", "-1", "group", T0 - dt.timedelta(days=1))
    await app.deps.repos.subscriptions.subscribe(
        "telegram:-1",
        platform="telegram",
        chat_id="-1",
        local_time="08:00",
        timezone="Asia/Ho_Chi_Minh",
        actor="telegram:1",
        at=T0 - dt.timedelta(days=1),
    )
    late = T0 + dt.timedelta(hours=2)  # the process comes back at 10:00, within the 4-hour grace
    scheduler = AlertScheduler(app.deps, grace=dt.timedelta(hours=4), platforms=("telegram",), clock=lambda: late)
    scheduler.start()  # the production interval (INTERVAL_SECONDS): the first tick runs at once
    try:
        for _ in range(500):
            if scheduler.ticks:
                break
            await asyncio.sleep(0.01)
    finally:
        await scheduler.stop()
    assert scheduler.ticks == 1
    summary = await app.deps.repos.deliveries.round_summary("daily:telegram:2026-05-01T01:00Z")
    assert summary["pending"] == 1


async def test_stopping_lets_a_tick_in_progress_finish_its_transaction(tmp_path, caplog):
    """SIGTERM right after start used to cancel the first tick mid-transaction (CancelledError logged)."""
    caplog.set_level(logging.INFO)
    path = tmp_path / "bot.sqlite3"
    app = await build_app(settings_for(f"sqlite:///{path}"), lambda: T0, salt=b"s")
    try:
        await app.deps.repos.chats.ensure("telegram", "-1", "group", T0 - dt.timedelta(days=1))
        await app.deps.repos.subscriptions.subscribe(
            "telegram:-1",
            platform="telegram",
            chat_id="-1",
            local_time="08:00",
            timezone="Asia/Ho_Chi_Minh",
            actor="telegram:1",
            at=T0 - dt.timedelta(days=1),
        )
        blocker = sqlite3.connect(path, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")  # another process holds the write lock: the tick has to wait for it
        scheduler = AlertScheduler(app.deps, grace=dt.timedelta(hours=4), platforms=("telegram",), clock=lambda: T0)
        scheduler.start()
        await asyncio.sleep(0.3)  # the first tick is now inside its transaction, waiting on the lock
        stopping = asyncio.create_task(scheduler.stop())
        await asyncio.sleep(0.3)
        assert not stopping.done()  # it waits for the tick rather than cancelling it
        blocker.execute("COMMIT")
        blocker.close()
        await asyncio.wait_for(stopping, 10)
        assert scheduler.ticks == 1
        summary = await app.deps.repos.deliveries.round_summary("daily:telegram:2026-05-01T01:00Z")
        assert summary["pending"] == 1
    finally:
        await app.close()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "CancelledError" not in caplog.text


def test_no_token_means_no_platform():
    assert configured_platforms(settings_for()) == ()


async def test_one_scheduler_at_a_time_and_fail_over_when_its_process_dies(open_sql):
    """Two processes on one database: only the lease holder queues rounds; when it dies, the other takes over
    at its next tick after the lease ran out (INTERVAL_SECONDS + LEASE_SECONDS, under a minute)."""
    clock = FrozenClock(T0 + dt.timedelta(hours=2))
    first_db, second_db = await open_sql(), await open_sql()
    first = await build_app(settings_for(), clock, repos=first_db.repos, salt=b"s")
    second = await build_app(settings_for(), clock, repos=second_db.repos, salt=b"s")
    try:
        for group in ("-1", "-2"):
            await first.deps.repos.chats.ensure("telegram", group, "group", T0 - dt.timedelta(days=1))
            await first.deps.repos.subscriptions.subscribe(
                f"telegram:{group}",
                platform="telegram",
                chat_id=group,
                local_time="08:00" if group == "-1" else "10:01",
                timezone="Asia/Ho_Chi_Minh",
                actor="telegram:1",
                at=T0 - dt.timedelta(days=1),
            )
        grace = dt.timedelta(hours=4)
        a = AlertScheduler(first.deps, grace=grace, platforms=("telegram",), clock=clock, holder="a")
        b = AlertScheduler(second.deps, grace=grace, platforms=("telegram",), clock=clock, holder="b")
        assert await a.tick() == ["daily:telegram:2026-05-01T01:00Z"] and a.leader
        assert await b.tick() == [] and not b.leader  # a holds the lease
        clock.advance(seconds=INTERVAL_SECONDS)
        assert await a.tick() == [] and a.leader  # renewed; nothing new is due
        # a's process dies (it ticks no more). b keeps trying every INTERVAL_SECONDS.
        waited = 0
        while not await b.tick():
            clock.advance(seconds=INTERVAL_SECONDS)
            waited += INTERVAL_SECONDS
            assert waited <= 60, "no fail-over within a minute"
        assert b.leader and waited <= INTERVAL_SECONDS + LEASE_SECONDS
        summary = await second.deps.repos.deliveries.round_summary("daily:telegram:2026-05-01T03:01Z")
        assert summary["pending"] == 1  # the 10:01 round, queued by b
        assert await a.tick() == [] and not a.leader  # come back to life, a finds b holding the lease
    finally:
        await first.close()
        await second.close()
        await first_db.close()
        await second_db.close()


async def test_each_tick_forgets_expired_conversation_sessions(app, clock):
    """A checked text leaves memory when its buttons expire, even when nobody talks to the bot afterwards."""
    await Conversation(app, user_id="600").say(EVERYDAY)
    assert len(app.deps.sessions) == 1
    scheduler = AlertScheduler(app.deps, grace=dt.timedelta(hours=4), platforms=("telegram",), clock=clock)
    await scheduler.tick()
    assert len(app.deps.sessions) == 1  # its buttons still work
    clock.advance(hours=6, minutes=1)
    await scheduler.tick()
    assert len(app.deps.sessions) == 0
