"""Several processes on one database (here: several engines, each with its own connections and threads)."""

from __future__ import annotations

import asyncio
import datetime as dt

from bot.storage.database import Database
from tests.factories import T0, OpenDatabase

DAY = dt.date(2026, 5, 1)


async def enqueue(database: Database, chat_number: int, alert_key: str = "alert:1") -> bool:
    """Queue one Zalo delivery for chat `chat_number`."""
    return await database.repos.deliveries.enqueue(
        chat_key=f"zalo:{chat_number}",
        platform="zalo",
        chat_id=str(chat_number),
        alert_key=alert_key,
        day=DAY,
        text="Cảnh giác!",
        image_url=None,
        round_id="r1",
        now=T0,
    )


async def test_concurrent_claimers_never_take_the_same_delivery(open_sql: OpenDatabase) -> None:
    databases = [await open_sql(), await open_sql()]
    for chat_number in range(150):
        assert await enqueue(databases[0], chat_number)

    async def drain(database: Database, worker_id: str) -> list[int]:
        taken: list[int] = []
        while batch := await database.repos.deliveries.claim("zalo", worker_id, T0, 600, 4):
            taken += [delivery.id for delivery in batch]
        return taken

    workers = [drain(databases[number % 2], f"worker-{number}") for number in range(4)]
    taken = await asyncio.gather(*workers)

    every_id = [delivery_id for ids in taken for delivery_id in ids]
    assert len(every_id) == len(set(every_id)) == 150
    assert sum(1 for ids in taken if ids) >= 2, "the claimers did not actually overlap"
    summary = await databases[1].repos.deliveries.round_summary("r1")
    assert summary["sending"] == 150


async def test_concurrent_enqueues_of_the_same_delivery_insert_it_once(open_sql: OpenDatabase) -> None:
    databases = [await open_sql(), await open_sql()]
    results = await asyncio.gather(*(enqueue(databases[n % 2], 1, "method:otp:2026-05-01") for n in range(8)))
    assert sum(results) == 1
    assert (await databases[0].repos.deliveries.round_summary("r1"))["pending"] == 1


async def test_concurrent_reports_by_many_people_are_all_counted(open_sql: OpenDatabase) -> None:
    databases = [await open_sql(), await open_sql()]
    reports = [
        databases[n % 2].repos.indicators.add_report("phone", "+84900000009", f"zalo:{n % 10}", T0) for n in range(20)
    ]
    await asyncio.gather(*reports)
    indicator = await databases[0].repos.indicators.lookup("phone", "+84900000009")
    assert indicator is not None and indicator.report_count == 10
