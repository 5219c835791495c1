"""Screenshot-reading benchmark: seconds per image (mean, worst), peak memory, images per minute with the pool.

Run: .venv/bin/python benchmarks/image_bench.py [--tier fast|careful] [--workers N]
Reads the synthetic screenshot set (4 screens x light/dark x original/Telegram/re-forwarded = 24 images) once
one at a time, then all at once through the bot's ImageService with N worker threads.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from the checkout

from bot.images import ImageService
from bot.images.ocr import TextReader, find_tessdata
from bot.images.reading import ScreenshotReader
from tests.screenshots import ALL_SCREENS, variant


def images() -> list[bytes]:
    return [
        variant(make(dark).image, kind)
        for make in ALL_SCREENS
        for dark in (False, True)
        for kind in ("orig", "tg", "heavy")
    ]


async def pooled(reader: ScreenshotReader, data: list[bytes], workers: int) -> float:
    service = ImageService(reader, workers=workers, queue=len(data), timeout=120)
    by_ref = dict(enumerate(data))

    async def fetch(ref: str, max_bytes: int) -> bytes:
        return by_ref[int(ref)]

    service.add_fetcher("bench", fetch)
    start = time.perf_counter()
    await asyncio.gather(*(service.read("bench", str(i)) for i in by_ref))
    elapsed = time.perf_counter() - start
    service.close()
    return len(data) / elapsed * 60


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tier", choices=("fast", "careful"), default="fast")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    tessdata = find_tessdata()
    if tessdata is None:
        sys.exit("Tesseract's Vietnamese data is missing: make system-deps")
    data = images()
    reader = ScreenshotReader(TextReader(tessdata), args.tier)
    reader(data[0])  # load the model once: start-up is not per image
    seconds = []
    for item in data:
        start = time.perf_counter()
        reader(item)
        seconds.append(time.perf_counter() - start)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    machine = platform.processor() or platform.machine()
    print(f"machine: {machine}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"tier {args.tier}: {len(data)} images, {statistics.mean(seconds):.2f} s mean, {max(seconds):.2f} s worst")
    print(f"peak RSS after one-at-a-time reading: {rss:.0f} MB")
    for workers in sorted({1, args.workers}):
        print(f"pool of {workers}: {asyncio.run(pooled(reader, data, workers)):.0f} images per minute")
    print(f"peak RSS overall: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
