"""Contract: daily-alert subscriptions and officer alerts."""

from __future__ import annotations

from handlers.ports import Repositories
from tests.factories import T0, minutes

HCM = "Asia/Ho_Chi_Minh"


async def test_subscribe_upserts_and_reactivates(repos: Repositories) -> None:
    created = await repos.subscriptions.subscribe(
        "zalo:g", platform="zalo", chat_id="g", local_time="08:00", timezone=HCM, actor="zalo:1", at=T0
    )
    assert (created.active, created.created_by, created.created_at, created.shown_methods) == (True, "zalo:1", T0, ())
    await repos.subscriptions.record_shown("zalo:g", "fake-police")

    stopped = await repos.subscriptions.unsubscribe("zalo:g", "blocked")
    assert stopped is not None and (stopped.active, stopped.inactive_reason) == (False, "blocked")
    assert await repos.subscriptions.list_active() == []

    again = await repos.subscriptions.subscribe(
        "zalo:g", platform="zalo", chat_id="g", local_time="19:30", timezone=HCM, actor="zalo:2", at=minutes(5)
    )
    assert (again.active, again.inactive_reason, again.local_time, again.created_by) == (True, None, "19:30", "zalo:2")
    assert again.created_at == T0 and again.shown_methods == ("fake-police",)
    assert await repos.subscriptions.get("zalo:g") == again
    assert await repos.subscriptions.unsubscribe("zalo:none", "x") is None


async def test_list_active_by_platform(repos: Repositories) -> None:
    for chat_key in ("zalo:b", "telegram:a", "zalo:a"):
        platform, _, chat_id = chat_key.partition(":")
        await repos.subscriptions.subscribe(
            chat_key, platform=platform, chat_id=chat_id, local_time="08:00", timezone=HCM, actor="x:1", at=T0
        )
    await repos.subscriptions.unsubscribe("zalo:b", "left")
    assert [s.chat_key for s in await repos.subscriptions.list_active()] == ["telegram:a", "zalo:a"]
    assert [s.chat_key for s in await repos.subscriptions.list_active("zalo")] == ["zalo:a"]


async def test_rotation_memory(repos: Repositories) -> None:
    await repos.subscriptions.subscribe(
        "telegram:1", platform="telegram", chat_id="1", local_time="08:00", timezone=HCM, actor="telegram:1", at=T0
    )
    await repos.subscriptions.record_shown("telegram:1", "a")
    await repos.subscriptions.record_shown("telegram:1", "b")
    shown = await repos.subscriptions.record_shown("telegram:1", "a")
    assert shown is not None and shown.shown_methods == ("a", "b")
    reset = await repos.subscriptions.reset_shown("telegram:1")
    assert reset is not None and reset.shown_methods == ()
    assert await repos.subscriptions.record_shown("telegram:404", "a") is None
    assert await repos.subscriptions.reset_shown("telegram:404") is None


async def test_alert_lifecycle(repos: Repositories) -> None:
    broadcast = await repos.alerts.add(
        text="Cảnh báo!", image_url="https://x/i.png", created_by="t:9", at=T0, kind="broadcast"
    )
    daily = await repos.alerts.add(text="Mẹo hôm nay", image_url=None, created_by="t:9", at=minutes(1), kind="daily")
    later = await repos.alerts.add(text="Mẹo mai", image_url=None, created_by="t:9", at=minutes(2), kind="daily")
    assert (broadcast.status, broadcast.kind, broadcast.cancelled_by) == ("pending", "broadcast", None)
    assert await repos.alerts.next_pending_daily() == daily

    sent = await repos.alerts.mark_sent(daily.id)
    assert sent is not None and sent.status == "sent"
    assert await repos.alerts.next_pending_daily() == later
    cancelled = await repos.alerts.cancel(later.id, "t:8")
    assert cancelled is not None and (cancelled.status, cancelled.cancelled_by) == ("cancelled", "t:8")
    assert await repos.alerts.next_pending_daily() is None

    # Finished alerts stay as they are.
    assert (await repos.alerts.cancel(daily.id, "t:8")).status == "sent"  # type: ignore[union-attr]
    assert (await repos.alerts.mark_sent(later.id)).status == "cancelled"  # type: ignore[union-attr]
    assert [a.id for a in await repos.alerts.list()] == [broadcast.id, daily.id, later.id]
    assert [a.id for a in await repos.alerts.list("pending")] == [broadcast.id]
    assert await repos.alerts.get(broadcast.id) == broadcast
    assert await repos.alerts.cancel(999, "t:8") is None
