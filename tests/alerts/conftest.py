"""Fixtures for the alerts tests: a virtual clock that sleeping advances, the fake Bot API, SQL outboxes."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest

from bot.alerts.outbox import Drainer
from bot.pacing import RateLimiter
from handlers.ports import Repositories
from tests.alerts.fake_api import FakeBotApi
from tests.storage.conftest import empty_databases, postgres_url  # noqa: F401 - fixtures shared with storage

T0 = dt.datetime(2026, 5, 1, 1, 0, tzinfo=dt.UTC)  # 08:00 in Hồ Chí Minh City
DAY = dt.date(2026, 5, 1)


class VirtualTime:
    """Wall clock and monotonic clock in one; `sleep` moves it forward at once."""

    def __init__(self, start: dt.datetime = T0) -> None:
        self.now = start
        self.slept = 0.0

    def __call__(self) -> dt.datetime:
        return self.now

    def monotonic(self) -> float:
        return (self.now - T0).total_seconds()

    async def sleep(self, seconds: float) -> None:
        self.slept += seconds
        self.now += dt.timedelta(seconds=seconds)

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def vtime() -> VirtualTime:
    return VirtualTime()


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeBotApi]:
    api = FakeBotApi()
    await api.start()
    yield api
    await api.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
async def open_sql(request: pytest.FixtureRequest, tmp_path, postgres_url):  # noqa: F811
    """Opens Databases (as many as a test wants, like separate processes) on one empty SQL database."""
    async with empty_databases(request.param, tmp_path, postgres_url) as open_one:
        yield open_one


async def enqueue_chats(
    repos: Repositories,
    count: int,
    *,
    platform: str = "telegram",
    round_id: str = "r1",
    first: int = 1001,
    now: dt.datetime = T0,
    alert_key: str = "daily",
) -> list[str]:
    """Queue one delivery for each of `count` group chats (-<first>, -<first+1>, …); their chat ids."""
    chat_ids = [f"-{first + number}" for number in range(count)]
    for chat_id in chat_ids:
        await repos.chats.ensure(platform, chat_id, "group", now)
        await repos.subscriptions.subscribe(
            f"{platform}:{chat_id}",
            platform=platform,
            chat_id=chat_id,
            local_time="08:00",
            timezone="Asia/Ho_Chi_Minh",
            actor="telegram:1",
            at=now,
        )
        await repos.deliveries.enqueue(
            chat_key=f"{platform}:{chat_id}",
            platform=platform,
            chat_id=chat_id,
            alert_key=alert_key,
            day=DAY,
            text=f"*Cảnh giác* {chat_id}",
            image_url=None,
            round_id=round_id,
            now=now,
        )
    return chat_ids


def virtual_drainer(repos: Repositories, send, vtime: VirtualTime, **options) -> Drainer:
    limiter = RateLimiter(options.pop("per_second", 1000.0), options.pop("per_chat", None), monotonic=vtime.monotonic)
    return Drainer(
        repos,
        options.pop("platform", "telegram"),
        send,
        limiter,
        clock=vtime,
        sleep=vtime.sleep,
        worker_id=options.pop("worker_id", "w1"),
        **options,
    )
