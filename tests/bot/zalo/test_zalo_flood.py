"""Zalo flood control and pacing: 429s waited out within the budget, one messages_per_second for the process."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import logging
import time
from collections.abc import Callable

import httpx
import pytest

from bot.alerts.delivery import build_drainers
from bot.app import App, utc_now
from bot.config import Settings
from bot.pacing import REPLY_RETRY_BUDGET
from bot.zalo.adapter import SEND_ATTEMPTS, ZaloAdapter
from handlers.messages import Reply
from tests.factories import EVERYDAY_UNACCENTED, zalo_settings
from tests.fakes.loop_clock import FastLoopClock
from tests.fakes.zalo_api import FakeZaloApi, text_event

pytestmark = pytest.mark.slow  # long waits (minutes of 429s, on a faster loop clock)

RATE = 20.0  # [zalo] messages_per_second in the pacing test


async def eventually(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait (in real time) for something the fake server cannot signal, such as a log record."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.005)


def dropped(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if "dropped after flood control" in r.getMessage()]


async def test_a_stretch_of_429s_is_waited_out_past_the_attempt_limit(
    zalo: ZaloAdapter, fake_zalo: FakeZaloApi, caplog: pytest.LogCaptureFixture
) -> None:
    fake_zalo.max_hold = 0.1  # short long polls, so the fast clock never times one out
    fake_zalo.fail("sendMessage", "ok_false", code=429, retry_after=2, times=SEND_ATTEMPTS + 3)
    with FastLoopClock(10):
        await fake_zalo.push(text_event("u1", EVERYDAY_UNACCENTED))
        [verdict] = await fake_zalo.wait_sent("u1", timeout=60)  # loop time
    attempts = [r.at for r in fake_zalo.calls("sendMessage")]
    assert len(attempts) == SEND_ATTEMPTS + 4 and verdict
    assert all(later - earlier >= 2.0 for earlier, later in itertools.pairwise(attempts))  # retry_after honoured
    assert not dropped(caplog)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_429_that_never_ends_drops_the_message_after_the_budget(
    zalo: ZaloAdapter, fake_zalo: FakeZaloApi, caplog: pytest.LogCaptureFixture
) -> None:
    fake_zalo.max_hold = 0.05
    fake_zalo.fail("sendMessage", "ok_false", code=429, retry_after=3, times=10**6)
    loop = asyncio.get_running_loop()
    with FastLoopClock(40):  # two minutes of loop time in about three seconds
        started = loop.time()
        await fake_zalo.push(text_event("u1", EVERYDAY_UNACCENTED))
        await eventually(lambda: bool(dropped(caplog)))
        waited = loop.time() - started
    [record] = dropped(caplog)
    assert record.levelno == logging.WARNING and "u1" in record.getMessage()
    assert REPLY_RETRY_BUDGET - 3 <= waited < REPLY_RETRY_BUDGET + 30
    attempts = fake_zalo.calls("sendMessage")
    assert len(attempts) > 10 and fake_zalo.sent() == []
    assert EVERYDAY_UNACCENTED[:20] not in caplog.text and attempts[0].params["text"][:30] not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


async def test_server_errors_still_give_up_after_the_attempt_limit(
    zalo: ZaloAdapter, fake_zalo: FakeZaloApi, caplog: pytest.LogCaptureFixture
) -> None:
    fake_zalo.fail("sendMessage", "http", code=502, times=10)
    assert await zalo.send("u2", [Reply("Cảnh báo")]) is False
    assert len(fake_zalo.calls("sendMessage")) == SEND_ATTEMPTS
    assert "chat u2" in caplog.text and "Cảnh báo" not in caplog.text


async def test_alerts_and_gateway_sends_share_messages_per_second(app: App, fake_zalo: FakeZaloApi) -> None:
    settings = zalo_settings(fake_zalo, messages_per_second=RATE)
    adapter = ZaloAdapter(app, settings)
    await adapter.start()
    repos, now = app.deps.repos, utc_now()
    alerts = [f"alert-{i}" for i in range(20)]
    for chat_id in alerts:
        await repos.deliveries.enqueue(
            chat_key=f"zalo:{chat_id}",
            platform="zalo",
            chat_id=chat_id,
            alert_key="daily",
            day=dt.date(2026, 5, 1),
            text="Cảnh giác: lừa đảo mới",
            image_url=None,
            round_id="r1",
            now=now,
        )
    stop = asyncio.Event()
    try:
        async with httpx.AsyncClient() as client:
            [drainer] = build_drainers(
                app.deps, Settings(zalo=settings), ("zalo",), client, utc_now, limiters={"zalo": adapter.limiter}
            )
            assert drainer.limiter is adapter.limiter
            draining = asyncio.create_task(drainer.run(stop, idle_seconds=0.05))
            broadcasts = [adapter.send(f"user-{i}", [Reply("Thông báo"), Reply("Thông báo 2")]) for i in range(10)]
            assert all(await asyncio.gather(*broadcasts))
            await fake_zalo.wait_for(lambda: len(fake_zalo.sent()) == 40)
            stop.set()
            await draining
    finally:
        await adapter.stop()

    sends = fake_zalo.calls("sendMessage")
    times = sorted(r.at for r in sends)
    assert {r.params["chat_id"] for r in sends} >= {*alerts, "user-0"}
    busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    mean = (len(times) - 1) / (times[-1] - times[0])
    assert busiest <= RATE + 2 and mean <= RATE * 1.05  # +2: the first slot is free and timers jitter
