"""Real sender processes and engines on one SQL outbox, against the fake Bot API: crashes and competition.

Exactly one copy per chat is checked on the fake server's own record of what it accepted.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import sys
import time
from pathlib import Path

import httpx
import pytest

from bot.alerts.outbox import Drainer
from bot.alerts.senders import BotApiSender
from bot.pacing import RateLimiter
from bot.storage import open_database
from tests.bot.alerts.helpers import enqueue_chats

pytestmark = pytest.mark.slow  # sender processes killed and restarted

ROOT = Path(__file__).resolve().parents[3]
LEASE = 3.0  # short, so the restarted worker takes over the dead one's claims quickly (sends time out at 1 s)
CHATS = 120


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def start_worker(url: str, api: str, per_second: float) -> asyncio.subprocess.Process:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.bot.alerts.drain_worker",
        url,
        api,
        str(per_second),
        str(LEASE),
        "r1",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def wait_for(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not await condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def test_a_sender_killed_mid_round_and_restarted_sends_every_chat_exactly_once(fake_api, tmp_path):
    url = f"sqlite:///{tmp_path}/outbox.sqlite3"
    async with await open_database(url) as database:
        chats = await enqueue_chats(database.repos, CHATS)
        fake_api.hold_after = 50  # from the 51st message on, requests hang: the worker dies with sends in flight
        worker = await start_worker(url, fake_api.url, 400)

        async def in_flight_and_marked() -> bool:
            summary = await database.repos.deliveries.round_summary("r1")
            return fake_api.held >= 1 and summary["sent"] == fake_api.total == 50

        await wait_for(in_flight_and_marked)
        worker.send_signal(signal.SIGKILL)
        await worker.wait()
        assert worker.returncode == -signal.SIGKILL
        summary = await database.repos.deliveries.round_summary("r1")
        assert summary["sending"] > 0  # the dead worker still holds leases
        fake_api.release()  # the hung requests end; the server never accepted them

        restarted = await start_worker(url, fake_api.url, 400)
        _out, err = await asyncio.wait_for(restarted.communicate(), 30)
        assert restarted.returncode == 0, err.decode()
        assert fake_api.copies() == dict.fromkeys(chats, 1)
        summary = await database.repos.deliveries.round_summary("r1")
        assert summary["sent"] == CHATS and summary["pending"] == summary["sending"] == 0


async def test_a_random_kill_loses_nothing_and_duplicates_at_most_the_sends_in_flight(fake_api, tmp_path):
    url = f"sqlite:///{tmp_path}/outbox.sqlite3"
    async with await open_database(url) as database:
        chats = await enqueue_chats(database.repos, CHATS)
        worker = await start_worker(url, fake_api.url, 150)

        async def halfway() -> bool:
            return fake_api.total >= CHATS // 2

        await wait_for(halfway)
        worker.send_signal(signal.SIGKILL)  # at whatever point it is: possibly between a send and its mark_sent
        await worker.wait()
        restarted = await start_worker(url, fake_api.url, 400)
        _out, err = await asyncio.wait_for(restarted.communicate(), 30)
        assert restarted.returncode == 0, err.decode()
        copies = fake_api.copies()
        assert set(copies) == set(chats)  # never lost
        duplicates = sum(count - 1 for count in copies.values())
        assert duplicates <= 8, copies  # bounded by the dead worker's concurrency (the documented window)


async def test_two_drainers_on_separate_engines_share_the_outbox_without_duplicates(fake_api, open_sql):
    databases = [await open_sql(), await open_sql()]
    chats = await enqueue_chats(databases[0].repos, 120)

    async def drain(database, name: str) -> int:
        async with httpx.AsyncClient() as client:
            sender = BotApiSender("telegram", client, fake_api.url, "123:TEST")
            drainer = Drainer(
                database.repos,
                "telegram",
                sender,
                RateLimiter(2000),
                clock=utc_now,
                worker_id=name,
                batch=10,
                concurrency=4,
            )
            taken = 0
            while count := await drainer.drain_once():
                taken += count
            return taken

    taken = await asyncio.gather(drain(databases[0], "a"), drain(databases[1], "b"))
    assert sum(taken) == 120 and min(taken) > 0, taken
    assert fake_api.copies() == dict.fromkeys(chats, 1)
    summary = await databases[1].repos.deliveries.round_summary("r1")
    assert summary["sent"] == 120
