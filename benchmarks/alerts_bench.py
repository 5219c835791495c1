"""Daily-alert delivery benchmark: one round to N subscribed groups through the real outbox and sender.

Run: .venv/bin/python benchmarks/alerts_bench.py [--groups 10000] [--rate 300] [--database URL]

What runs: N group subscriptions due at 08:00 in a SQL database (a fresh SQLite file by default);
`run_due` queues the round (timed); then one Telegram drainer (bot/alerts/outbox.py + bot/alerts/senders.py over httpx)
sends it to the fake Bot API of tests/fakes/rate_limited_api.py on 127.0.0.1, which *enforces* `--rate` messages
per second (a token bucket; excess requests get 429 + retry_after) and records every message per chat.
The drainer is configured with the same rate. Telegram's real limit is 30/s; at 30/s a 10,000-group round
takes 5.6 minutes, so the default here is 300/s to keep the run short: the pacing logic is the same.

Reported: deliveries per second and as a share of the limit (target ≥ 90 %), 429s received, duplicates and
losses (target zero), the round's wall time against the theoretical minimum N / rate.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import socket
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from the checkout

import httpx
from sqlalchemy import insert

from benchmarks.measuring import machine
from bot.alerts.outbox import Drainer, RateLimiter
from bot.alerts.senders import BotApiSender
from bot.app import build_app
from bot.config import DatabaseSettings, Settings
from bot.storage.tables import ChatRow, SubscriptionRow
from handlers.alert_rounds import run_due

DUE = dt.datetime(2026, 5, 1, 1, 0, tzinfo=dt.UTC)  # 08:00 in Hồ Chí Minh City


async def seed(app, groups: int) -> list[str]:
    """N group chats subscribed at 08:00 (bulk insert: setting up is not what is measured)."""
    ids = [f"-100{700000000 + n}" for n in range(groups)]
    chats = [
        {
            "chat_key": f"telegram:{c}",
            "platform": "telegram",
            "chat_id": c,
            "kind": "group",
            "language": "vi",
            "guard": False,
            "active": True,
            "inactive_reason": None,
            "updated_at": DUE - dt.timedelta(days=1),
        }
        for c in ids
    ]
    subs = [
        {
            "chat_key": f"telegram:{c}",
            "platform": "telegram",
            "chat_id": c,
            "local_time": "08:00",
            "timezone": "Asia/Ho_Chi_Minh",
            "active": True,
            "inactive_reason": None,
            "created_by": "telegram:1",
            "created_at": DUE - dt.timedelta(days=1),
            "shown_methods": [],
        }
        for c in ids
    ]
    async with app.database.engine.begin() as connection:
        await connection.execute(insert(ChatRow), chats)
        await connection.execute(insert(SubscriptionRow), subs)
    return ids


async def start_fake_api(rate: float) -> tuple[asyncio.subprocess.Process, str]:
    """The fake Bot API in its own process, so that it does not share a CPU core with the sender."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.fakes.rate_limited_api",
        str(rate),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    url = (await process.stdout.readline()).decode().strip()
    return process, url


async def bench(groups: int, rate: float, url: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = url or f"sqlite:///{tmp}/bench.sqlite3"
        app = await build_app(Settings(database=DatabaseSettings(url=url)), lambda: DUE, salt=b"bench")
        api, api_url = await start_fake_api(rate)
        try:
            ids = await seed(app, groups)
            started = time.perf_counter()
            rounds = await run_due(app.deps, DUE)
            enqueue_seconds = time.perf_counter() - started
            transport = httpx.AsyncHTTPTransport(
                socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)], limits=httpx.Limits(max_connections=64)
            )
            async with httpx.AsyncClient(transport=transport) as client:
                sender = BotApiSender("telegram", client, api_url, "123:BENCH")
                drain_started = time.perf_counter()
                drainer = Drainer(
                    app.deps.repos,
                    "telegram",
                    sender,
                    RateLimiter(rate),
                    concurrency=32,
                    clock=lambda: DUE + dt.timedelta(seconds=time.perf_counter() - drain_started),
                )
                while True:
                    if await drainer.drain_once():
                        continue
                    summary = await app.deps.repos.deliveries.round_summary(rounds[0])
                    if not summary["pending"] and not summary["sending"]:
                        break
                    await asyncio.sleep(0.05)
                wall = time.perf_counter() - drain_started
                stats = (await client.get(f"{api_url}/stats")).json()
            copies = stats["copies"]
            total = sum(copies.values())
            sending = (stats["last_at"] or 0) - (stats["first_at"] or 0)
            print(f"machine: {machine()}")
            print(
                f"database: {url.split('://')[0]}; groups: {groups}; fake API limit: {rate:g}/s "
                f"(token bucket, burst {stats['burst']:g}); drainer: {rate:g}/s, 32 sends in flight"
            )
            print(f"run_due (queue {groups} deliveries): {enqueue_seconds:.1f} s = {groups / enqueue_seconds:.0f}/s")
            print(
                f"delivered: {total} in {wall:.2f} s = {total / wall:.1f}/s = "
                f"{100 * total / wall / rate:.1f} % of the limit"
            )
            print(f"first to last accepted message: {sending:.2f} s = {max(total - 1, 0) / max(sending, 1e-9):.1f}/s")
            print(f"theoretical minimum {groups / rate:.2f} s; wall / minimum = {wall / (groups / rate):.3f}")
            print(f"429 answers: {stats['answered_429']}; outbox: {summary}")
            print(f"duplicates: {sum(c - 1 for c in copies.values())}; lost: {len(set(ids) - set(copies))}")
        finally:
            api.kill()
            await api.wait()
            await app.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=300.0, help="messages per second, enforced by the fake API")
    parser.add_argument("--database", help="SQL URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    asyncio.run(bench(args.groups, args.rate, args.database))


if __name__ == "__main__":
    main()
