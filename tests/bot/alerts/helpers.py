"""Builders for the alerts tests: queued deliveries and a drainer on virtual time."""

from __future__ import annotations

import datetime as dt

from bot.alerts.outbox import Drainer
from bot.pacing import RateLimiter
from handlers.ports import Repositories
from tests.factories import DAY, T0
from tests.fakes.clocks import VirtualTime


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
