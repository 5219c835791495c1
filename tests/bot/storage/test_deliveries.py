"""Contract: the outbox (enqueue uniqueness, claiming, leases, outcomes, round summaries)."""

from __future__ import annotations

import datetime as dt

from handlers.ports import NewDelivery, Repositories
from tests.factories import T0, minutes

DAY = dt.date(2026, 5, 1)


async def enqueue(
    repos: Repositories,
    chat_key: str,
    alert_key: str = "alert:1",
    *,
    day: dt.date = DAY,
    round_id: str = "r1",
    now: dt.datetime = T0,
) -> bool:
    """Queue one delivery with test defaults."""
    platform, _, chat_id = chat_key.partition(":")
    return await repos.deliveries.enqueue(
        chat_key=chat_key,
        platform=platform,
        chat_id=chat_id,
        alert_key=alert_key,
        day=day,
        text="Cảnh giác!",
        image_url=None,
        round_id=round_id,
        now=now,
    )


async def test_enqueue_is_unique_per_chat_alert_and_day(repos: Repositories) -> None:
    assert await enqueue(repos, "zalo:1")
    assert not await enqueue(repos, "zalo:1")
    assert await enqueue(repos, "zalo:1", day=DAY + dt.timedelta(days=1))
    assert await enqueue(repos, "zalo:1", "method:otp:2026-05-01")
    assert await enqueue(repos, "zalo:2")
    assert (await repos.deliveries.round_summary("r1"))["pending"] == 4


async def test_claim_takes_due_deliveries_of_one_platform_in_order(repos: Repositories) -> None:
    await enqueue(repos, "zalo:1", now=minutes(2))
    await enqueue(repos, "zalo:2", now=minutes(1))
    await enqueue(repos, "zalo:3", now=minutes(30))
    await enqueue(repos, "telegram:1", now=T0)

    claimed = await repos.deliveries.claim("zalo", "worker-a", minutes(5), 60, 10)
    assert [d.chat_key for d in claimed] == ["zalo:2", "zalo:1"]
    first = claimed[0]
    assert (first.status, first.claimed_by, first.attempts, first.lease_until) == (
        "sending",
        "worker-a",
        1,
        minutes(6),
    )
    assert await repos.deliveries.get(first.id) == first
    assert await repos.deliveries.claim("zalo", "worker-b", minutes(5), 60, 10) == []
    # At minute 30 the leases have expired and zalo:3 is due: oldest first, up to the limit.
    later = await repos.deliveries.claim("zalo", "worker-b", minutes(30), 60, 2)
    assert [(d.chat_key, d.attempts) for d in later] == [("zalo:2", 2), ("zalo:1", 2)]
    assert [d.chat_key for d in await repos.deliveries.claim("zalo", "worker-c", minutes(30), 60, 5)] == ["zalo:3"]


async def test_expired_lease_is_claimed_again_and_the_late_worker_is_fenced_off(repos: Repositories) -> None:
    await enqueue(repos, "telegram:1")
    [mine] = await repos.deliveries.claim("telegram", "a", T0, 30, 5)
    assert await repos.deliveries.claim("telegram", "b", T0 + dt.timedelta(seconds=29), 30, 5) == []

    [stolen] = await repos.deliveries.claim("telegram", "b", T0 + dt.timedelta(seconds=30), 30, 5)
    assert (stolen.id, stolen.claimed_by, stolen.attempts) == (mine.id, "b", 2)
    assert not await repos.deliveries.mark_sent(mine.id, "a", minutes(1))
    assert not await repos.deliveries.mark_retry(mine.id, "a", minutes(5), "timeout")
    assert await repos.deliveries.mark_sent(mine.id, "b", minutes(1))
    done = await repos.deliveries.get(mine.id)
    assert done is not None and (done.status, done.sent_at, done.lease_until) == ("sent", minutes(1), None)
    assert await repos.deliveries.claim("telegram", "c", minutes(60), 30, 5) == []


async def test_retry_puts_the_delivery_back_for_later(repos: Repositories) -> None:
    await enqueue(repos, "zalo:1")
    [claimed] = await repos.deliveries.claim("zalo", "a", T0, 30, 5)
    assert await repos.deliveries.mark_retry(claimed.id, "a", minutes(10), "429 Too Many Requests")
    retried = await repos.deliveries.get(claimed.id)
    assert retried is not None
    assert (retried.status, retried.next_attempt_at, retried.last_error, retried.claimed_by, retried.lease_until) == (
        "pending",
        minutes(10),
        "429 Too Many Requests",
        None,
        None,
    )
    assert await repos.deliveries.claim("zalo", "a", minutes(9), 30, 5) == []
    [again] = await repos.deliveries.claim("zalo", "a", minutes(10), 30, 5)
    assert again.attempts == 2


async def test_final_outcomes_and_round_summary(repos: Repositories) -> None:
    for chat in ("zalo:1", "zalo:2", "zalo:3", "zalo:4"):
        await enqueue(repos, chat)
    await enqueue(repos, "zalo:5", round_id="r2")
    claimed = await repos.deliveries.claim("zalo", "a", T0, 30, 3)
    assert await repos.deliveries.mark_sent(claimed[0].id, "a", T0)
    assert await repos.deliveries.mark_failed(claimed[1].id, "400 chat not found")
    assert await repos.deliveries.mark_unsubscribed(4, "blocked by user")  # straight from pending
    assert not await repos.deliveries.mark_failed(claimed[0].id, "too late")  # already sent
    assert not await repos.deliveries.mark_unsubscribed(999, "missing")

    failed = await repos.deliveries.get(claimed[1].id)
    assert failed is not None and (failed.status, failed.last_error) == ("failed", "400 chat not found")
    assert await repos.deliveries.round_summary("r1") == {
        "pending": 0,
        "sending": 1,
        "sent": 1,
        "failed": 1,
        "unsubscribed": 1,
    }
    assert await repos.deliveries.round_summary("nope") == dict.fromkeys(
        ("pending", "sending", "sent", "failed", "unsubscribed"), 0
    )


async def test_a_whole_round_is_queued_at_once_and_again_changes_nothing(repos: Repositories) -> None:
    await enqueue(repos, "telegram:-5")  # queued earlier: skipped, not duplicated
    round_ = [
        NewDelivery(f"telegram:-{n}", "telegram", f"-{n}", "alert:1", DAY, "Cảnh giác!", None, "r1")
        for n in range(1, 1201)  # more than one statement's batch
    ]
    assert await repos.deliveries.enqueue_many(round_, T0) == 1199
    assert await repos.deliveries.enqueue_many(round_, minutes(1)) == 0
    summary = await repos.deliveries.round_summary("r1")
    assert summary["pending"] == 1200
    assert await repos.deliveries.enqueue_many([], T0) == 0


async def test_chats_are_read_in_one_call(repos: Repositories) -> None:
    for n in range(3):
        await repos.chats.ensure("zalo", f"g{n}", "group", T0)
    found = await repos.chats.get_many(["zalo:g0", "zalo:g2", "zalo:missing", "zalo:g0"])
    assert sorted(found) == ["zalo:g0", "zalo:g2"] and found["zalo:g2"].chat_id == "g2"
    assert await repos.chats.get_many([]) == {}
