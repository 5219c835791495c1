"""Telegram adapter benchmark: updates per second and update → reply latency, through the real
python-telegram-bot (long polling) against the local fake Bot API server from the tests.

Run: .venv/bin/python benchmarks/telegram_bench.py [--updates 1000] [--paced 500] [--rate 100]

The fake server runs in its own process (in production the Bot API is another machine), reached on
127.0.0.1; updates are queued through its control routes. Two handler set-ups are measured:
  real  - the whole bot: router, risk engine, in-memory storage (the engine dominates the cost);
  stub  - the adapter and PTB alone: App.handle returns a fixed verdict-sized reply.
and two phases each, bounded in count and time:
  burst - `--updates` messages queued at once; throughput = updates / time until the last reply arrived.
  paced - `--paced` messages at `--rate` per second; latency = reply seen by the fake server minus the
          moment the update was queued (includes the long-poll pickup). Both processes read CLOCK_MONOTONIC.
The burst line also gives the CPU time the bot's process spent per update (the benchmark's own polling of the
fake server included): unlike updates/s, it hardly moves when other work shares the cores.
Telegram allows about 30 messages per second per bot; the production AIORateLimiter would cap the
benchmark there, so it is replaced by one with a high ceiling to measure the adapter, not the policy.
Each update comes from its own chat so that the per-user flood limit does not interfere.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import statistics
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from the checkout

from telegram.ext import AIORateLimiter

from benchmarks.measuring import machine, percentile
from bot.app import build_memory_app
from bot.config import TelegramSettings
from bot.telegram.adapter import TelegramAdapter
from handlers.messages import Incoming, Reply
from tests import factories
from tests.fakes import telegram_api, telegram_process

PHASE_TIMEOUT = 90.0


def corpus_texts(limit: int = 200) -> list[str]:
    lines = (ROOT / "tests" / "corpus" / "dev.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines[:limit]]


class Control:
    """The fake server's control routes: queue updates, read the replies it received."""

    def __init__(self, url: str) -> None:
        self._client = httpx.AsyncClient(base_url=url, timeout=30)
        self._seen = 0

    async def push(self, updates: list[dict]) -> None:
        (await self._client.post("/__control/push", json=updates)).raise_for_status()

    async def replies(self, chats: set[int], found: dict[int, float]) -> None:
        rows = (await self._client.get("/__control/calls", params={"since": self._seen})).json()
        self._seen += len(rows)
        for method, chat_id, at in rows:
            if method == "sendMessage" and chat_id in chats:
                found.setdefault(chat_id, at)

    async def close(self) -> None:
        await self._client.aclose()


async def run_phase(
    control: Control, texts: list[str], count: int, first_chat: int, rate: float | None
) -> dict[str, float]:
    pushed: dict[int, float] = {}
    start, cpu_start = time.monotonic(), time.process_time()
    batch: list[dict] = []
    for i in range(count):
        chat_id = first_chat + i
        update = factories.message(texts[i % len(texts)], chat_id=chat_id, sender=factories.user(chat_id))
        if rate:
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            pushed[chat_id] = time.monotonic()
            await control.push([update])
        else:
            batch.append(update)
    if batch:
        pushed = {first_chat + i: time.monotonic() for i in range(count)}
        await control.push(batch)
    done: dict[int, float] = {}
    deadline = time.monotonic() + PHASE_TIMEOUT
    while len(done) < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"only {len(done)} of {count} replies")
        await asyncio.sleep(0.05)
        await control.replies(set(pushed), done)
    latencies = [(done[chat] - pushed[chat]) * 1000 for chat in pushed]
    cpu_ms = (time.process_time() - cpu_start) * 1000 / count
    elapsed = max(done.values()) - start
    return {
        "updates": count,
        "seconds": elapsed,
        "per_second": count / elapsed,
        "cpu_ms": cpu_ms,
        "p50_ms": statistics.median(latencies),
        "p99_ms": percentile(latencies, 99),
        "max_ms": max(latencies),
    }


async def measure(url: str, args: argparse.Namespace, stub: bool, first_chat: int) -> tuple[dict, dict]:
    app = await build_memory_app()
    if stub:
        reply = Reply("*🔴 NGUY CƠ LỪA ĐẢO CAO*\nMức rủi ro: 93/100\n" + "• Không chuyển tiền cho người lạ.\n" * 8)

        async def fixed(_: Incoming) -> list[Reply]:
            return [reply]

        app.handle = fixed  # type: ignore[method-assign]
    settings = TelegramSettings(token=telegram_api.TOKEN, api_base_url=url, concurrent_updates=64)
    limiter = AIORateLimiter(overall_max_rate=100_000, overall_time_period=1, max_retries=3)
    adapter = TelegramAdapter(app, settings, rate_limiter=limiter)
    control = Control(url)
    texts = corpus_texts()
    try:
        await adapter.start()
        await run_phase(control, texts, 50, first_chat, None)  # warm-up
        burst = await run_phase(control, texts, args.updates, first_chat + 1_000_000, None)
        paced = await run_phase(control, texts, args.paced, first_chat + 2_000_000, args.rate)
    finally:
        await control.close()
        await adapter.stop()
        await app.close()
    return burst, paced


def report(name: str, burst: dict, paced: dict, rate: float) -> None:
    print(f"{name}:")
    print(
        f"  burst : {burst['updates']} updates in {burst['seconds']:.2f} s = {burst['per_second']:.0f} updates/s, "
        f"bot process CPU {burst['cpu_ms']:.2f} ms/update"
    )
    print(
        f"  paced : {paced['updates']} updates at {rate:.0f}/s: p50 {paced['p50_ms']:.1f} ms, "
        f"p99 {paced['p99_ms']:.1f} ms, max {paced['max_ms']:.1f} ms"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--updates", type=int, default=1000, help="burst size (throughput)")
    parser.add_argument("--paced", type=int, default=500, help="paced updates (latency)")
    parser.add_argument("--rate", type=float, default=100.0, help="paced updates per second")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with telegram_process.in_another_process() as url:  # started (blocking) once, before anything is measured
        real = await measure(url, args, stub=False, first_chat=10_000_000)
        stub = await measure(url, args, stub=True, first_chat=20_000_000)
    print(f"machine: {machine()}")
    report("whole bot (router + risk engine + in-memory storage)", *real, args.rate)
    report("adapter + python-telegram-bot only (fixed reply)", *stub, args.rate)
    for name, (burst, paced) in (("whole bot", real), ("adapter only", stub)):
        ok = burst["per_second"] >= 200 and paced["p99_ms"] <= 50
        print(f"targets (>= 200 updates/s, p99 <= 50 ms), {name}: {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    asyncio.run(main())
