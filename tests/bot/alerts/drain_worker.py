"""A sender process for the crash tests: drain one round of a real SQL outbox to a Bot API, then exit.

python -m tests.bot.alerts.drain_worker DATABASE_URL API_BASE_URL PER_SECOND LEASE_SECONDS ROUND_ID
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys

import httpx

from bot.alerts.outbox import Drainer
from bot.alerts.senders import BotApiSender
from bot.pacing import RateLimiter
from bot.storage import open_database


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def main(url: str, api: str, per_second: float, lease: float, round_id: str) -> int:
    database = await open_database(url)
    async with database, httpx.AsyncClient(timeout=10) as client:
        sender = BotApiSender("telegram", client, api, "123:TEST", timeout=1.0)
        drainer = Drainer(
            database.repos,
            "telegram",
            sender,
            RateLimiter(per_second),
            clock=utc_now,
            lease_seconds=lease,
            lease_margin=0.5,
            batch=20,
            concurrency=8,
        )
        print("ready", flush=True)
        while True:
            if await drainer.drain_once():
                continue
            summary = await database.repos.deliveries.round_summary(round_id)
            if not summary["pending"] and not summary["sending"]:
                return 0
            await asyncio.sleep(0.1)


if __name__ == "__main__":
    url, api, per_second, lease, round_id = sys.argv[1:6]
    sys.exit(asyncio.run(main(url, api, float(per_second), float(lease), round_id)))
