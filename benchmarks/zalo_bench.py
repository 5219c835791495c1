"""Zalo adapter throughput and latency through the real zalo_bot library against the local fake Bot API.

Usage: python benchmarks/zalo_bench.py [--events 1000] [--concurrency 16] [--rate 50]

Throughput: all events are queued at once and the clock runs until every reply was accepted by the fake.
Latency: events arrive at a steady `--rate`; each one is timed from arrival to its reply (p50, p99).
Both sides run in one process and one event loop, so the numbers are a floor, not a capacity plan.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from the checkout

from benchmarks.measuring import percentile
from bot.app import build_memory_app
from bot.config import ZaloSettings
from bot.zalo.adapter import ZaloAdapter
from tests.fakes.zalo_api import FakeZaloApi, text_event

TEXTS = [
    "Agribank thong bao: the ATM cua quy khach da het han su dung va bi khoa chuc nang rut tien. "
    "Gia han online mien phi tai agribank-vn.xyz/giahan, nhap so the, ma PIN va OTP de hoan tat.",
    "Con oi me gui 3 trieu vao the con roi do, mua them ao am di hoc nhe.",
    "Chúc mừng bạn hoàn thành nhiệm vụ 1, nhận 50.000đ hoa hồng! Nhiệm vụ 2 là đơn combo: bạn thanh toán trước "
    "3 đơn Shopee trị giá 2.400.000đ, hệ thống hoàn gốc + 15% hoa hồng.",
    "Tối nay 7h họp lớp ở quán cũ nhé, nhớ mang theo ảnh kỷ yếu.",
]


class Replies:
    """Chat id → when its first reply was accepted, read incrementally from the fake's request log."""

    def __init__(self, fake: FakeZaloApi) -> None:
        self._fake = fake
        self._read = 0
        self.at: dict[str, float] = {}

    def count(self, prefix: str) -> int:
        for record in self._fake.requests[self._read :]:
            if record.method == "sendMessage" and record.params.get("accepted") == "yes":
                self.at.setdefault(record.params["chat_id"], record.at)
        self._read = len(self._fake.requests)
        return sum(1 for chat in self.at if chat.startswith(prefix))


async def throughput(fake: FakeZaloApi, replies: Replies, events: int) -> float:
    started = time.monotonic()
    await fake.push(*(text_event(f"t{i}", TEXTS[i % len(TEXTS)]) for i in range(events)))
    await fake.wait_for(lambda: replies.count("t") >= events, timeout=600)
    return events / (time.monotonic() - started)


async def latency(fake: FakeZaloApi, replies: Replies, events: int, rate: float) -> list[float]:
    arrived: dict[str, float] = {}
    for i in range(events):
        arrived[f"l{i}"] = time.monotonic()
        await fake.push(text_event(f"l{i}", TEXTS[i % len(TEXTS)]))
        await asyncio.sleep(1 / rate)
    await fake.wait_for(lambda: replies.count("l") >= events, timeout=600)
    return [replies.at[chat] - arrived[chat] for chat in arrived]


async def main(events: int, concurrency: int, rate: float) -> None:
    logging.basicConfig(level=logging.WARNING)
    fake = FakeZaloApi()
    await fake.start()
    app = await build_memory_app()
    settings = ZaloSettings(
        token=fake.token,
        api_base_url=fake.base_url,
        poll_timeout=1,
        concurrency=concurrency,
        messages_per_second=1_000_000,
    )
    adapter = ZaloAdapter(app, settings)
    await adapter.start()
    try:
        replies = Replies(fake)
        per_second = await throughput(fake, replies, events)
        print(f"throughput: {events} events, {per_second:.0f} events/s (concurrency {concurrency})")
        times = await latency(fake, replies, min(events, 500), rate)
        p50, p99 = statistics.median(times), percentile(times, 99)
        print(
            f"latency at {rate:.0f} events/s: p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, "
            f"max {max(times) * 1000:.1f} ms"
        )
    finally:
        await adapter.stop()
        await app.close()
        await fake.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rate", type=float, default=50.0)
    args = parser.parse_args()
    asyncio.run(main(args.events, args.concurrency, args.rate))
