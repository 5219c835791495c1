"""Screenshot-reading benchmark: accuracy, seconds per image (mean, worst), peak memory, images per minute.

Run: .venv/bin/python benchmarks/image_bench.py [--tier fast|careful|accurate] [--workers N]
Reads the synthetic screenshot set (8 screens x light/dark x original/Telegram/re-forwarded = 48 images) once
one at a time, scoring each reading against its ground truth (character error rate, words with diacritics,
exact entities; overall, for the coloured screens, and per variant), then all at once through the bot's
ImageService with N worker threads.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from the checkout

from benchmarks.measuring import machine
from bot.images import ImageService
from bot.images.ocr import TextReader, find_tessdata
from bot.images.reading import ScreenshotReader
from tests.bot.images.scoring import cer, found_entities, found_words
from tests.screenshots import ALL_SCREENS, COLOURED_SCREENS, Screen, variant

KINDS = ("orig", "tg", "heavy")


def screens() -> list[tuple[Screen, str, bytes]]:
    out = []
    for make in ALL_SCREENS:
        for dark in (False, True):
            screen = make(dark)
            out += [(screen, kind, variant(screen.image, kind)) for kind in KINDS]
    return out


def images() -> list[bytes]:
    return [data for _, _, data in screens()]


def accuracy(rows: list[tuple[Screen, str, str]], label: str) -> None:
    """Print CER mean/worst, diacritic-word recall and exact entities for (screen, variant, text read) rows."""
    if not rows:
        return
    rates = [cer(screen.text, text) for screen, _, text in rows]
    words = [found_words(screen.text, text) for screen, _, text in rows]
    entities = [found_entities(screen.entities, text) for screen, _, text in rows]
    word_hits, word_total = sum(h for h, _ in words), sum(t for _, t in words)
    ent_hits, ent_total = sum(h for h, _ in entities), sum(t for _, t in entities)
    worst = max(range(len(rows)), key=lambda i: rates[i])
    print(
        f"  {label}: {len(rows)} images, CER {100 * statistics.mean(rates):.1f} % mean, "
        f"{100 * rates[worst]:.1f} % worst ({rows[worst][0].name} {rows[worst][1]}); "
        f"diacritic words {word_hits}/{word_total} ({100 * word_hits / max(1, word_total):.1f} %); "
        f"entities {ent_hits}/{ent_total}"
    )


async def pooled(reader: ScreenshotReader, data: list[bytes], workers: int) -> float:
    service = ImageService(reader, workers=workers, queue=len(data), timeout=3600)  # queued images wait too
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
    parser.add_argument("--tier", choices=("fast", "careful", "accurate"), default="fast")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    tessdata = find_tessdata()
    if tessdata is None:
        sys.exit("Tesseract's Vietnamese data is missing: make system-deps")
    rows = screens()
    data = [item for _, _, item in rows]
    reader = ScreenshotReader(TextReader(tessdata), args.tier)
    reader(data[0])  # load the model once: start-up is not per image
    seconds, cpu, read = [], [], []
    for screen, kind, item in rows:
        start, start_cpu = time.perf_counter(), time.process_time()
        reading = reader(item)
        seconds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)  # less sensitive to a shared machine's load than wall time
        read.append((screen, kind, "\n".join((reading.text, *reading.extra))))
    coloured = {make(dark).name for make in COLOURED_SCREENS for dark in (False, True)}
    print(f"accuracy, tier {args.tier}:")
    accuracy(read, "all")
    accuracy([r for r in read if r[0].name in coloured], "coloured screens (Messenger, Facebook, transfer)")
    accuracy([r for r in read if r[0].name not in coloured], "the other screens")
    for kind in KINDS:
        accuracy([r for r in read if r[1] == kind], kind)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"machine: {machine()}")
    print(f"tier {args.tier}: {len(data)} images, {statistics.mean(seconds):.2f} s mean, {max(seconds):.2f} s worst")
    print(
        f"CPU time per image: {statistics.mean(cpu):.2f} s mean, {max(cpu):.2f} s worst; load {os.getloadavg()[0]:.1f}"
    )
    print(f"peak RSS after one-at-a-time reading: {rss:.0f} MB")
    for workers in sorted({1, args.workers}):
        print(f"pool of {workers}: {asyncio.run(pooled(reader, data, workers)):.0f} images per minute")
    print(f"peak RSS overall: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
