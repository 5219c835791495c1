"""run_due: what gets queued, once per chat and day, across restarts; rotation memory; officer alerts."""

from __future__ import annotations

import datetime as dt

from bot.app import build_app
from handlers.alert_rounds import DAILY_KEY, alert_marker, run_due
from tests.factories import DAY, T0, settings_for


async def subscribe(app, chat_id: str, time: str = "08:00", platform: str = "telegram", at: dt.datetime = T0) -> str:
    repos = app.deps.repos
    await repos.chats.ensure(platform, chat_id, "group", at - dt.timedelta(days=1))
    await repos.subscriptions.subscribe(
        f"{platform}:{chat_id}",
        platform=platform,
        chat_id=chat_id,
        local_time=time,
        timezone="Asia/Ho_Chi_Minh",
        actor="telegram:1",
        at=at - dt.timedelta(days=1),
    )
    return f"{platform}:{chat_id}"


async def queued(app, round_id: str) -> dict[str, int]:
    return await app.deps.repos.deliveries.round_summary(round_id)


async def test_due_chats_are_queued_once_and_the_rotation_moves_once(app):
    first = await subscribe(app, "-1001")
    await subscribe(app, "-1002", time="09:00")
    rounds = await run_due(app.deps, T0)
    assert rounds == ["daily:telegram:2026-05-01T01:00Z"]
    assert (await queued(app, rounds[0]))["pending"] == 1
    shown = (await app.deps.repos.subscriptions.get(first)).shown_methods
    assert len(shown) == 1
    # A minute later, and again: nothing new, the rotation does not move.
    assert await run_due(app.deps, T0 + dt.timedelta(minutes=1)) == []
    assert await run_due(app.deps, T0 + dt.timedelta(minutes=1)) == []
    assert (await app.deps.repos.subscriptions.get(first)).shown_methods == shown
    # The next day the chat hears about another method.
    await run_due(app.deps, T0 + dt.timedelta(days=1))
    assert len((await app.deps.repos.subscriptions.get(first)).shown_methods) == 2


async def test_exactly_once_across_a_restart_on_sqlite(clock, tmp_path):
    url = f"sqlite:///{tmp_path}/bot.sqlite3"
    before = await build_app(settings_for(url), clock, salt=b"s")
    chat = await subscribe(before, "-1001")
    assert await run_due(before.deps, T0)
    shown = (await before.deps.repos.subscriptions.get(chat)).shown_methods
    await before.close()
    after = await build_app(settings_for(url), clock, salt=b"s")  # a new process on the same database
    try:
        assert await run_due(after.deps, T0 + dt.timedelta(minutes=3)) == []
        assert (await after.deps.repos.subscriptions.get(chat)).shown_methods == shown
        summary = await queued(after, "daily:telegram:2026-05-01T01:00Z")
        assert summary["pending"] == 1 and sum(summary.values()) == 1
    finally:
        await after.close()


async def test_a_round_missed_in_downtime_goes_out_within_grace_but_not_after(app):
    await subscribe(app, "-1001")
    assert await run_due(app.deps, T0 + dt.timedelta(hours=5), grace=dt.timedelta(hours=4)) == []
    assert await run_due(app.deps, T0 + dt.timedelta(hours=3), grace=dt.timedelta(hours=4))


async def test_only_platforms_with_a_sender_are_queued(app):
    await subscribe(app, "-1001")
    await subscribe(app, "z1", platform="zalo")
    rounds = await run_due(app.deps, T0, platforms=("zalo",))
    assert rounds == ["daily:zalo:2026-05-01T01:00Z"]


async def test_the_memo_skips_chats_already_queued_without_asking_the_database(app):
    await subscribe(app, "-1001")
    memo: set = set()
    await run_due(app.deps, T0, memo=memo)
    assert memo == {("telegram:-1001", DAY)}


async def test_an_officer_alert_replaces_the_method_once_for_every_chat_then_retires(app):
    a = await subscribe(app, "-1001", "08:00")
    b = await subscribe(app, "-1002", "09:00")
    alert = await app.deps.repos.alerts.add(
        text="Cảnh báo: giả danh công an gọi điện",
        image_url=None,
        created_by="telegram:42",
        at=T0 - dt.timedelta(hours=1),
        kind="daily",
    )
    await run_due(app.deps, T0)
    assert alert_marker(alert.id) in (await app.deps.repos.subscriptions.get(a)).shown_methods
    assert (await app.deps.repos.alerts.get(alert.id)).status == "pending"  # chat b has not had it yet
    await run_due(app.deps, T0 + dt.timedelta(hours=1))
    assert (await app.deps.repos.alerts.get(alert.id)).status == "sent"
    # Both chats got the officer's text as their daily alert; the next day, a method again.
    for chat in (a, b):
        sub = await app.deps.repos.subscriptions.get(chat)
        assert sub.shown_methods == (alert_marker(alert.id),)
    await run_due(app.deps, T0 + dt.timedelta(days=1, hours=1))
    assert len((await app.deps.repos.subscriptions.get(b)).shown_methods) == 2


async def test_restarting_the_rotation_keeps_the_memory_of_officer_alerts_still_going_out(app):
    chat = await subscribe(app, "-1001")
    alert = await app.deps.repos.alerts.add(text="x", image_url=None, created_by="telegram:42", at=T0, kind="daily")
    await subscribe(app, "-1002", "10:00")  # keeps the alert pending
    every = [s.id for s in app.deps.risk.engine.signatures]
    for method_id in [*every, alert_marker(alert.id)]:
        await app.deps.repos.subscriptions.record_shown(chat, method_id)
    await run_due(app.deps, T0)
    shown = (await app.deps.repos.subscriptions.get(chat)).shown_methods
    assert alert_marker(alert.id) in shown and len(shown) == 2


async def test_daily_deliveries_use_the_daily_key_and_the_chats_language(app):
    chat = await subscribe(app, "-1001")
    await app.deps.repos.chats.set_language(chat, "en", T0)
    await run_due(app.deps, T0)
    delivery = await app.deps.repos.deliveries.get(1)
    assert delivery.alert_key == DAILY_KEY and delivery.day == DAY
    assert "Daily scam alert" in delivery.text and "113" in delivery.text
