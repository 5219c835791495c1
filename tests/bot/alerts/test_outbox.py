"""The outbox drainer against the fake Bot API: 429, 403, 5xx, migration, leases, pacing. Virtual time only."""

from __future__ import annotations

import datetime as dt

import httpx

from bot.alerts.outbox import MAX_ATTEMPTS
from bot.alerts.senders import BotApiSender
from bot.outcomes import Sent
from bot.pacing import RateLimiter, group_chat
from bot.storage.memory import memory_repositories
from handlers.alert_rounds import finish_round
from tests.bot.alerts.helpers import enqueue_chats, virtual_drainer
from tests.factories import T0
from tests.fakes.clocks import VirtualTime


async def settle(drainer, vtime: VirtualTime, repos, round_id: str = "r1", step: float = 5.0, limit: int = 200) -> None:
    """Drain; when nothing is claimable, let virtual time pass until the round is settled."""
    for _ in range(limit):
        if await drainer.drain_once():
            continue
        summary = await repos.deliveries.round_summary(round_id)
        if not summary["pending"] and not summary["sending"]:
            return
        vtime.advance(seconds=step)
    raise AssertionError("the round did not settle")


async def test_every_error_path_ends_in_the_right_state(fake_api, vtime):
    repos = memory_repositories()
    chats = await enqueue_chats(repos, 6)
    ok, blocked, migrated, flaky, broken, flooded = chats
    fake_api.blocked.add(blocked)
    fake_api.migrate[migrated] = "-100999"
    fake_api.fail_500[flaky] = 2
    fake_api.fail_500[broken] = 10**6
    fake_api.fail_429[flooded] = 1
    fake_api.retry_after = 7
    reports = []

    async def report(round_id: str) -> None:
        reports.append(await finish_round(deps_for(repos), round_id, vtime()))

    async with httpx.AsyncClient() as client:
        sender = BotApiSender("telegram", client, fake_api.url, "123:TEST")
        drainer = virtual_drainer(repos, sender, vtime, on_round=report)
        await settle(drainer, vtime, repos)

    copies = fake_api.copies()
    assert copies == {ok: 1, "-100999": 1, flaky: 1, flooded: 1}
    # 403: the delivery is "unsubscribed", the subscription stopped and the chat marked inactive, with the reason.
    sub = await repos.subscriptions.get(f"telegram:{blocked}")
    assert not sub.active and "blocked" in sub.inactive_reason
    assert (await repos.chats.get(f"telegram:{blocked}")).inactive_reason.startswith("Forbidden")
    # Migration: the chat, its subscription and the delivery follow the new id.
    assert await repos.subscriptions.get(f"telegram:{migrated}") is None
    assert (await repos.subscriptions.get("telegram:-100999")).active
    # 500s: retried with backoff up to MAX_ATTEMPTS, then failed.
    states = {d.chat_id: d for d in repos_deliveries(repos)}
    assert states[flaky].status == "sent" and states[flaky].attempts == 3
    assert states[broken].status == "failed" and states[broken].attempts == MAX_ATTEMPTS
    assert states[flooded].status == "sent"
    assert vtime.slept >= 7  # the 429's retry_after paused the sender
    summary = await repos.deliveries.round_summary("r1")
    assert summary == {"pending": 0, "sending": 0, "sent": 4, "failed": 1, "unsubscribed": 1}
    done = [r for r in reports if r]
    assert len(done) == 1 and done[0].startswith("sent=4 failed=1 unsubscribed=1")
    assert [a.action for a in await repos.audit.list()] == ["alert_round"]


async def test_a_worker_that_lost_its_lease_cannot_mark_and_the_delivery_is_sent_by_the_next(fake_api, vtime):
    repos = memory_repositories()
    await enqueue_chats(repos, 1)
    stale = (await repos.deliveries.claim("telegram", "dead", vtime(), 60, 10))[0]
    vtime.advance(seconds=61)  # the dead worker's lease is over
    async with httpx.AsyncClient() as client:
        drainer = virtual_drainer(repos, BotApiSender("telegram", client, fake_api.url, "t"), vtime)
        assert await drainer.drain_once() == 1
    assert not await repos.deliveries.mark_sent(stale.id, "dead", vtime())
    assert fake_api.total == 1 and (await repos.deliveries.get(stale.id)).status == "sent"


async def test_a_send_does_not_start_when_the_lease_is_nearly_over(vtime):
    repos = memory_repositories()
    await enqueue_chats(repos, 3)
    sent = []

    async def send(delivery):
        sent.append(delivery.chat_id)
        return Sent()

    # Ten seconds per message against a 35-second lease: the third would start with 15 s left, under
    # SEND_TIMEOUT + LEASE_MARGIN (20 s).
    drainer = virtual_drainer(repos, send, vtime, per_second=0.1, lease_seconds=35, batch=3, concurrency=1)
    assert await drainer.drain_once() == 3
    assert len(sent) == 2
    left = [d for d in repos_deliveries(repos) if d.status == "pending"]
    assert len(left) == 1 and left[0].last_error == "lease nearly over"


async def test_shutdown_hands_claimed_deliveries_back_unsent(vtime):
    repos = memory_repositories()
    await enqueue_chats(repos, 2)
    drainer = virtual_drainer(repos, None, vtime)
    drainer.stopping = True
    await drainer.drain_once()
    assert {d.status for d in repos_deliveries(repos)} == {"pending"}
    assert await repos.deliveries.claim("telegram", "w2", vtime(), 60, 10)  # claimable at once


def test_the_limiter_paces_evenly_and_honours_a_pause():
    clock = VirtualTime()
    limiter = RateLimiter(30, monotonic=clock.monotonic)
    waits = [limiter.reserve(str(n)) for n in range(31)]
    assert waits[0] == 0 and abs(waits[30] - 1.0) < 1e-9
    limiter.pause(5)
    assert limiter.paused_for() == 5 and limiter.reserve("x") >= 5


def test_the_limiter_allows_twenty_messages_a_minute_to_one_group():
    clock = VirtualTime()
    limiter = RateLimiter(1000, 20, group_chat, monotonic=clock.monotonic)
    assert all(limiter.reserve("-100") is not None for _ in range(20))
    assert limiter.reserve("-100") is None and limiter.chat_free_in("-100") > 59
    assert limiter.reserve("42") is not None  # private chats are not limited per minute
    clock.advance(seconds=61)
    assert limiter.reserve("-100") is not None


async def test_a_group_over_its_minute_limit_waits_in_the_outbox(vtime):
    repos = memory_repositories()
    for number in range(21):
        await repos.deliveries.enqueue(
            chat_key="telegram:-5",
            platform="telegram",
            chat_id="-5",
            alert_key=f"broadcast:{number}",
            day=T0.date(),
            text="x",
            image_url=None,
            round_id="r1",
            now=T0,
        )

    async def send(delivery):
        return Sent()

    drainer = virtual_drainer(repos, send, vtime, per_chat=20, batch=50)
    drainer.limiter._limited = group_chat
    await drainer.drain_once()
    waiting = [d for d in repos_deliveries(repos) if d.status == "pending"]
    assert len(waiting) == 1 and waiting[0].next_attempt_at > vtime() + dt.timedelta(seconds=50)


def repos_deliveries(repos):
    return list(repos.deliveries._state.deliveries.values())


def deps_for(repos):
    from handlers.catalogue import load_catalogue
    from handlers.deps import Deps

    return Deps(repos=repos, risk=None, catalogue=load_catalogue(), clock=lambda: T0, sessions=None, flood=None)
