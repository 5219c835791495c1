"""Contract: users (including forget) and chats (including migrate)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.exc import StatementError

from handlers.ports import FORGOTTEN_ACTOR, Repositories
from tests.factories import T0, minutes

DAY = dt.date(2026, 5, 1)


async def test_ensure_creates_then_refreshes_the_display_name(repos: Repositories) -> None:
    created = await repos.users.ensure("telegram", "42", "Lan", T0)
    assert (created.actor, created.language, created.is_officer, created.created_at) == ("telegram:42", "vi", False, T0)

    renamed = await repos.users.ensure("telegram", "42", "Lan Anh", minutes(5))
    assert renamed.display_name == "Lan Anh"
    assert renamed.created_at == T0
    assert await repos.users.get("telegram:42") == renamed
    assert await repos.users.get("zalo:42") is None


async def test_datetimes_come_back_aware_in_utc(repos: Repositories) -> None:
    hanoi = dt.timezone(dt.timedelta(hours=7))
    user = await repos.users.ensure("zalo", "7", "Minh", T0.astimezone(hanoi))
    assert user.created_at == T0
    assert user.created_at.utcoffset() == dt.timedelta(0)


async def test_naive_datetimes_are_refused(repos: Repositories) -> None:
    with pytest.raises((ValueError, StatementError), match="timezone information"):
        await repos.users.ensure("zalo", "7", "Minh", dt.datetime(2026, 5, 1, 8, 0))


async def test_language_and_officer_role(repos: Repositories) -> None:
    await repos.users.ensure("telegram", "1", "Officer B", T0)
    await repos.users.ensure("telegram", "2", "Citizen", T0)
    await repos.users.ensure("zalo", "3", "Officer A", T0)

    assert (await repos.users.set_language("telegram:2", "en")).language == "en"  # type: ignore[union-attr]
    assert (await repos.users.set_officer("telegram:1", True)).is_officer  # type: ignore[union-attr]
    await repos.users.set_officer("zalo:3", True)
    assert [user.actor for user in await repos.users.list_officers()] == ["telegram:1", "zalo:3"]

    await repos.users.set_officer("zalo:3", False)
    assert [user.actor for user in await repos.users.list_officers()] == ["telegram:1"]
    assert await repos.users.set_officer("telegram:404", True) is None
    assert await repos.users.set_language("telegram:404", "en") is None


async def test_forget_erases_the_person_and_keeps_officer_trails(repos: Repositories) -> None:
    actor, other = "telegram:42", "telegram:7"
    await repos.users.ensure("telegram", "42", "Lan", T0)
    await repos.users.ensure("telegram", "7", "Officer", T0)
    check_id = await repos.checks.add(platform="telegram", at=T0, level="high", score=90, methods=[], text_hash="h")
    await repos.feedback.add(check_id=check_id, actor=actor, correct=True, at=T0)
    await repos.feedback.add(check_id=check_id, actor=other, correct=False, at=T0)
    await repos.indicators.add_report("phone", "+84900000001", actor, T0)
    await repos.indicators.add_report("phone", "+84900000001", other, T0)
    pending = await repos.reports.add(actor=actor, platform="telegram", chat_id="42", text="lừa", at=T0, notify=True)
    decided = await repos.reports.add(actor=actor, platform="telegram", chat_id="42", text="lừa 2", at=T0, notify=True)
    await repos.reports.decide(decided, "scam", other, minutes(1))
    await repos.chats.ensure("telegram", "42", "private", T0)
    await repos.subscriptions.subscribe(
        actor, platform="telegram", chat_id="42", local_time="08:00", timezone="Asia/Ho_Chi_Minh", actor=actor, at=T0
    )
    await repos.subscriptions.subscribe(
        "telegram:-100",
        platform="telegram",
        chat_id="-100",
        local_time="08:00",
        timezone="Asia/Ho_Chi_Minh",
        actor=actor,
        at=T0,
    )
    await _enqueue(repos, actor, "alert:1")
    await repos.audit.add(actor=other, action="decide", target=f"report:{decided}", detail="scam", at=T0)
    await repos.audit.add(actor=actor, action="guard", target="telegram:-100", detail="on", at=T0)  # a group admin
    await repos.audit.add(actor=other, action="grant", target=actor, detail="", at=T0)

    # user, feedback, indicator link, pending report, private chat, its subscription, its delivery: deleted (7);
    # the decided report, the group subscription the user created and the two audit rows naming them:
    # anonymised (4).
    assert await repos.users.forget(actor) == 11

    assert await repos.users.get(actor) is None
    assert await repos.feedback.stats() == type(await repos.feedback.stats())(correct=0, incorrect=1)
    assert await repos.reports.get(pending) is None
    kept = await repos.reports.get(decided)
    assert kept is not None
    assert (kept.actor, kept.text, kept.chat_id, kept.notify) == (FORGOTTEN_ACTOR, "", "", False)
    assert (kept.status, kept.decided_by) == ("scam", other)
    assert await repos.chats.get(actor) is None
    assert await repos.subscriptions.get(actor) is None
    assert (await repos.subscriptions.get("telegram:-100")).created_by == FORGOTTEN_ACTOR  # type: ignore[union-attr]
    assert await repos.deliveries.round_summary("round-1") == dict.fromkeys(
        ("pending", "sending", "sent", "failed", "unsubscribed"), 0
    )
    assert (await repos.indicators.lookup("phone", "+84900000001")).report_count == 2  # type: ignore[union-attr]
    # Their link is gone, so reporting again counts (the count is an aggregate, not a person).
    assert (await repos.indicators.add_report("phone", "+84900000001", other, T0)).report_count == 2
    trail = {(row.actor, row.action, row.target) for row in await repos.audit.list()}
    assert trail == {
        (other, "decide", f"report:{decided}"),
        (FORGOTTEN_ACTOR, "guard", "telegram:-100"),
        (other, "grant", FORGOTTEN_ACTOR),
    }
    assert await repos.users.forget(actor) == 0


async def test_chat_ensure_and_settings(repos: Repositories) -> None:
    chat = await repos.chats.ensure("zalo", "g1", "group", T0)
    assert (chat.chat_key, chat.language, chat.guard, chat.active, chat.inactive_reason) == (
        "zalo:g1",
        "vi",
        False,
        True,
        None,
    )
    assert (await repos.chats.set_language("zalo:g1", "en", minutes(1))).language == "en"  # type: ignore[union-attr]
    guarded = await repos.chats.set_guard("zalo:g1", True, minutes(2))
    assert guarded is not None and guarded.guard and guarded.updated_at == minutes(2)

    inactive = await repos.chats.mark_inactive("zalo:g1", "bot removed", minutes(3))
    assert inactive is not None and (inactive.active, inactive.inactive_reason) == (False, "bot removed")
    active = await repos.chats.mark_active("zalo:g1", minutes(4))
    assert active is not None and (active.active, active.inactive_reason) == (True, None)

    again = await repos.chats.ensure("zalo", "g1", "channel", minutes(5))
    assert (again.kind, again.language, again.guard) == ("channel", "en", True)
    assert await repos.chats.get("zalo:g1") == again
    assert await repos.chats.set_guard("zalo:nope", True, T0) is None
    assert await repos.chats.mark_inactive("zalo:nope", "x", T0) is None


async def test_migrate_moves_settings_subscription_and_unfinished_deliveries(repos: Repositories) -> None:
    old, new = "telegram:-5", "telegram:-1005"
    await repos.chats.ensure("telegram", "-5", "group", T0)
    await repos.chats.set_language(old, "en", T0)
    await repos.chats.set_guard(old, True, T0)
    await repos.chats.ensure("telegram", "-1005", "group", T0)  # the new id spoke first: defaults
    await repos.subscriptions.subscribe(
        old,
        platform="telegram",
        chat_id="-5",
        local_time="07:30",
        timezone="Asia/Ho_Chi_Minh",
        actor="telegram:1",
        at=T0,
    )
    await repos.subscriptions.record_shown(old, "fake-police")
    await _enqueue(repos, old, "alert:1")  # id 1: will be sent before the migration
    await _enqueue(repos, old, "alert:2")  # id 2: still pending
    await _enqueue(repos, old, "alert:3")  # id 3: the new chat has it already
    await _enqueue(repos, new, "alert:3")  # id 4
    [sent] = await repos.deliveries.claim("telegram", "w", T0, 60, 1)
    assert await repos.deliveries.mark_sent(sent.id, "w", T0)

    moved = await repos.chats.migrate(old, new, minutes(1))

    assert moved is not None
    assert (moved.chat_key, moved.chat_id, moved.language, moved.guard) == (new, "-1005", "en", True)
    assert await repos.chats.get(old) is None
    subscription = await repos.subscriptions.get(new)
    assert subscription is not None
    assert (subscription.chat_id, subscription.local_time, subscription.shown_methods) == (
        "-1005",
        "07:30",
        ("fake-police",),
    )
    assert await repos.subscriptions.get(old) is None
    moved_delivery = await repos.deliveries.get(2)
    assert moved_delivery is not None and (moved_delivery.chat_key, moved_delivery.chat_id) == (new, "-1005")
    finished = await repos.deliveries.get(1)
    assert finished is not None and (finished.chat_key, finished.status) == (old, "sent")  # history stays put
    assert await repos.deliveries.get(3) is None
    assert (await repos.deliveries.get(4)).chat_key == new  # type: ignore[union-attr]


async def test_migrate_without_settings_still_moves_the_subscription(repos: Repositories) -> None:
    await repos.subscriptions.subscribe(
        "zalo:a", platform="zalo", chat_id="a", local_time="08:00", timezone="Asia/Ho_Chi_Minh", actor="zalo:1", at=T0
    )
    assert await repos.chats.migrate("zalo:a", "zalo:b", T0) is None
    assert (await repos.subscriptions.get("zalo:b")).chat_id == "b"  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="another platform"):
        await repos.chats.migrate("zalo:b", "telegram:b", T0)


async def _enqueue(repos: Repositories, chat_key: str, alert_key: str) -> None:
    """Queue one delivery in round-1 (ids count 1, 2, 3… in every implementation while nothing collides)."""
    platform, _, chat_id = chat_key.partition(":")
    assert await repos.deliveries.enqueue(
        chat_key=chat_key,
        platform=platform,
        chat_id=chat_id,
        alert_key=alert_key,
        day=DAY,
        text="Cảnh giác!",
        image_url=None,
        round_id="round-1",
        now=T0,
    )
