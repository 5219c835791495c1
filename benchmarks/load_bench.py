"""Load test: updates from many users posted through the webhook server into several bot processes on one database.

Run: .venv/bin/python benchmarks/load_bench.py [--updates 10000] [--users 1000] [--processes 2]
         [--database URL] [--pace 1000] [--rate 0] [--concurrency 64] [--json]

The deployment measured: `--processes` real `canhgiac run` processes (the installed console script, Telegram in
webhook mode, one bot token, image reading off), each on its own port of 127.0.0.1, all on one database
(`--database`, default a SQLite file in a temporary folder; give a PostgreSQL URL for the real thing). This script
plays the reverse proxy and Telegram: each update is POSTed to `/telegram/webhook` of the process its user hashes
to (user id modulo the number of processes, so one user's messages stay in order on one process), at most
`--concurrency` at once, at `--rate` updates per second (0: as fast as they are accepted). The local fake Bot API
runs in its own process and records when each reply (sendMessage) arrives.

Reported: throughput (updates / time from the first POST to the last reply), latency per update (from the moment
its POST started to its reply arriving at the fake server; both processes read CLOCK_MONOTONIC), p50/p99/max,
errors (a POST not answered 200, an update without its reply, or an ERROR line in a bot's log: a handler that
failed still answers, with an apology), and the bot processes' CPU per update.
Replies are matched to updates in order per user: the k-th reply a user receives answers the k-th update.

Pacing. Each process sends at most `[telegram] messages_per_second` (default 30: Telegram's limit for a whole
bot); `--pace` sets it for the processes measured. The default 1000 measures what the processes can do; with the
real limit (`--pace 15` for two processes sharing one token's 30/s) the throughput is the pace, whatever the
machine, and latency grows without bound once the offered rate (`--rate`) passes it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import aiohttp
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from the checkout

from benchmarks.measuring import machine, percentile
from tests import factories
from tests.fakes import telegram_process
from tests.instances import WEBHOOK_SECRET, Instance, start_instances, stop_all

FIRST_USER = 7_000_000
NO_PROGRESS_SECONDS = 60.0  # give up when no reply arrives for this long


def corpus_texts() -> list[str]:
    lines = (ROOT / "tests" / "corpus" / "dev.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines]


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of the processes so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


class Replies:
    """The replies the fake Bot API has received, read through its control route."""

    def __init__(self, url: str) -> None:
        self._client = httpx.AsyncClient(base_url=url, timeout=30)
        self._seen = 0
        self.at: dict[int, list[float]] = defaultdict(list)  # chat → arrival times, in order
        self.methods: Counter[str] = Counter()  # every Bot API method the processes called

    async def poll(self) -> int:
        rows = (await self._client.get("/__control/calls", params={"since": self._seen})).json()
        self._seen += len(rows)
        for method, chat_id, at in rows:
            self.methods[method] += 1
            if method == "sendMessage":
                self.at[int(chat_id)].append(at)
        return len(rows)

    async def close(self) -> None:
        await self._client.aclose()


async def post_all(
    instances: list[Instance], updates: list[tuple[int, dict[str, Any]]], rate: float, concurrency: int
) -> tuple[dict[int, list[float]], int]:
    """POST every (user, update) to its user's process; when each POST started, per user, and how many failed."""
    posted: dict[int, list[float]] = defaultdict(list)
    failed = 0
    gate = asyncio.Semaphore(concurrency)
    headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
    start = time.monotonic()
    # aiohttp rather than httpx: with many requests in flight httpx spends milliseconds of CPU per request on
    # its connection pool (docs/benchmarks.md, Telegram), which would be the load generator's, not the bot's.
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as session:

        async def one(user: int, update: dict[str, Any]) -> None:
            nonlocal failed
            try:
                url = instances[user % len(instances)].webhook
                async with session.post(url, json=update, headers=headers) as response:
                    status = response.status
            except (aiohttp.ClientError, TimeoutError):
                status = 0
            failed += status != 200
            gate.release()

        tasks = []
        for number, (user, update) in enumerate(updates):
            if rate:
                delay = start + number / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            await gate.acquire()
            posted[user].append(time.monotonic())  # a user's updates are `users` POSTs apart: never overlapping
            tasks.append(asyncio.create_task(one(user, update)))
        await asyncio.gather(*tasks)
    return posted, failed


def build_updates(count: int, users: int) -> list[tuple[int, dict[str, Any]]]:
    """`count` messages from `users` users (private chats), each user's in turn, texts from the dev corpus."""
    texts = corpus_texts()
    updates = []
    for number in range(count):
        user = FIRST_USER + number % users
        update = factories.message(texts[number % len(texts)], chat_id=user, sender=factories.user(user))
        updates.append((user, {"update_id": number + 1, **update}))
    return updates


async def measure(args: argparse.Namespace, api_url: str, folder: Path) -> dict[str, Any]:
    database = args.database or f"sqlite:///{folder}/canhgiac.sqlite3"
    telegram = f"messages_per_second = {args.pace}\n"
    instances = await start_instances(folder, api_url, database, args.processes, telegram_extra=telegram)
    replies = Replies(api_url)
    try:
        updates = build_updates(args.updates, args.users)
        pids = [instance.process.pid for instance in instances if instance.process is not None]
        cpu_before, started = cpu_seconds(pids), time.monotonic()
        poller = asyncio.create_task(poll_until(replies, args.updates))
        posted, failed = await post_all(instances, updates, args.rate, args.concurrency)
        await poller
        cpu = cpu_seconds(pids) - cpu_before
    finally:
        await replies.close()
        await stop_all(instances)
    # A handler that failed still answers (with an apology), so failures are counted from the logs too.
    logged = sum(1 for instance in instances for line in instance.log().splitlines() if " ERROR " in line)
    result = summarise(args, posted=posted, received=replies.at, failed=failed, started=started, cpu=cpu)
    return {**result, "errors": result["errors"] + logged, "logged_errors": logged, "api_calls": dict(replies.methods)}


async def poll_until(replies: Replies, expected: int) -> None:
    """Read replies until `expected` have arrived, or none has for NO_PROGRESS_SECONDS."""
    last_progress = time.monotonic()
    while sum(len(times) for times in replies.at.values()) < expected:
        await asyncio.sleep(0.2)
        if await replies.poll():
            last_progress = time.monotonic()
        elif time.monotonic() - last_progress > NO_PROGRESS_SECONDS:
            return


def summarise(
    args: argparse.Namespace,
    *,
    posted: dict[int, list[float]],
    received: dict[int, list[float]],
    failed: int,
    started: float,
    cpu: float,
) -> dict[str, Any]:
    latencies, missing, extra = [], 0, 0
    for user, times in posted.items():
        answers = received.get(user, [])
        missing += max(0, len(times) - len(answers))
        extra += max(0, len(answers) - len(times))
        latencies += [(answer - sent) * 1000 for sent, answer in zip(times, answers, strict=False)]
    last = max((times[-1] for times in received.values() if times), default=started)
    seconds = last - started
    return {
        "updates": args.updates,
        "users": args.users,
        "processes": args.processes,
        "database": "postgresql" if (args.database or "").startswith("postgresql") else "sqlite",
        "pace": args.pace,
        "rate": args.rate,
        "replies": sum(len(times) for times in received.values()),
        "errors": failed + missing,
        "failed_posts": failed,
        "missing_replies": missing,
        "extra_replies": extra,
        "seconds": round(seconds, 2),
        "per_second": round(args.updates / seconds, 1) if seconds > 0 else 0.0,
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p99_ms": round(percentile(latencies, 99), 1) if latencies else None,
        "max_ms": round(max(latencies), 1) if latencies else None,
        "cpu_ms_per_update": round(cpu * 1000 / args.updates, 2),
        "machine": machine(),
    }


def report(result: dict[str, Any]) -> None:
    print(f"machine: {result['machine']}")
    print(
        f"{result['updates']} updates from {result['users']} users into {result['processes']} processes "
        f"({result['database']}), pace {result['pace']}/s per process, offered "
        f"{'as fast as accepted' if not result['rate'] else str(result['rate']) + '/s'}"
    )
    print(
        f"  throughput {result['per_second']} updates/s ({result['seconds']} s), latency p50 {result['p50_ms']} ms, "
        f"p99 {result['p99_ms']} ms, max {result['max_ms']} ms; bot CPU {result['cpu_ms_per_update']} ms/update"
    )
    print(
        f"  errors {result['errors']} (POSTs not answered 200: {result['failed_posts']}, updates without a reply: "
        f"{result['missing_replies']}, errors logged by the bots: {result['logged_errors']}); "
        f"replies {result['replies']}, extra {result['extra_replies']}"
    )


async def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--updates", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=1_000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--database", default="", help="SQLAlchemy URL (default: a SQLite file in a temp folder)")
    parser.add_argument("--pace", type=float, default=1000.0, help="[telegram] messages_per_second per process")
    parser.add_argument("--rate", type=float, default=0.0, help="updates offered per second (0: as fast as taken)")
    parser.add_argument("--concurrency", type=int, default=64, help="POSTs in flight at most")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON line too")
    args = parser.parse_args()
    # The fake Bot API starts (blocking) once, before anything is measured.
    with (
        telegram_process.in_another_process() as api_url,
        tempfile.TemporaryDirectory(prefix="canhgiac-load-") as folder,
    ):
        result = await measure(args, api_url, Path(folder))
    report(result)
    if args.json:
        print(json.dumps(result))
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
