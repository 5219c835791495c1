"""Risk-engine benchmark: latency and throughput against the shipped and generated libraries.

Run: .venv/bin/python benchmarks/engine_bench.py [--quick]
Each library size runs in its own process so that peak memory (max RSS) is measured per size.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from the checkout

from benchmarks.measuring import machine, percentile
from knowledge.engine import Engine
from knowledge.evaluation import load_corpus
from knowledge.library import Library, load_shipped_library
from knowledge.signature import Signature


def messages(count: int = 400, length: int = 300) -> list[str]:
    """Realistic 300-character messages: corpus texts, joined or cut to length."""
    corpus = [m.text for m in load_corpus(sorted((ROOT / "tests" / "corpus").glob("*.jsonl")))]
    rng = random.Random(7)
    out = []
    while len(out) < count:
        text = rng.choice(corpus)
        while len(text) < length:
            text += " " + rng.choice(corpus)
        out.append(text[:length])
    return out


def generated_library(size: int, seed: int = 11) -> Library:
    """The shipped signatures plus synthetic ones whose cues reuse real Vietnamese words."""
    shipped = load_shipped_library()
    words = sorted({w for s in shipped for c in s.cues for w in c.split()})
    rng = random.Random(seed)
    base = shipped.signatures[0]
    extra = []
    for i in range(max(0, size - len(shipped))):
        cues = tuple(" ".join(rng.choice(words) for _ in range(rng.randint(3, 5))) for _ in range(8))
        extra.append(
            Signature(
                id=f"gen-{i}",
                method="GEN",
                title_vi=f"Thủ đoạn {i}",
                title_en=f"Method {i}",
                summary_vi=base.summary_vi,
                summary_en=base.summary_en,
                weight=1.0,
                cues=cues,
                strong_cues=(),
                advice_vi=base.advice_vi,
                advice_en=base.advice_en,
                examples=cues[:3],
                counter_examples=cues[3:5],
            )
        )
    return Library(shipped.signatures + tuple(extra))


def measure(size: int, baseline: bool, count: int) -> dict:
    start = time.perf_counter()
    library = load_shipped_library() if size == 0 else generated_library(size)
    generated = time.perf_counter() - start
    start = time.perf_counter()
    engine = Engine(library)
    build = time.perf_counter() - start
    gc.freeze()  # as the bot does after loading: the library's objects are never collected, so never scanned
    texts = messages(count)
    for text in texts[:20]:
        engine.check(text)
    latencies = []
    for text in texts:
        t0 = time.perf_counter()
        engine.check(text)
        latencies.append((time.perf_counter() - t0) * 1000)
    result = {
        "signatures": len(library),
        "messages": len(texts),
        "index_build_s": round(build, 3),
        "library_generation_s": round(generated, 3),
        "p50_ms": round(statistics.median(latencies), 3),
        "p99_ms": round(percentile(latencies, 99), 3),
        "checks_per_s": round(len(texts) / (sum(latencies) / 1000), 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    result.update(live_edits(engine, library))
    if baseline:
        sample = texts[:20]  # the full scan takes about a second per message at 10,000 signatures
        t0 = time.perf_counter()
        fast = [engine.analyse(t).matches[:1] for t in sample]
        fast_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        slow = [engine.analyse(t, full_scan=True).matches[:1] for t in sample]
        slow_s = time.perf_counter() - t0
        same = sum([m.signature.id for m in a] == [m.signature.id for m in b] for a, b in zip(fast, slow, strict=True))
        result.update(
            {
                "baseline_messages": len(sample),
                "speedup_vs_full_scan": round(slow_s / fast_s, 1),
                "same_top_match": f"{same}/{len(sample)}",
                "full_scan_ms_per_message": round(slow_s * 1000 / len(sample), 1),
            }
        )
    return result


def live_edits(engine: Engine, library: Library, count: int = 300) -> dict:
    """An officer adding signatures while the bot serves: time per addition (merges included), and the
    new signature found by the very next check."""
    words = sorted({w for s in library.signatures[:30] for c in s.cues for w in c.split()})
    rng = random.Random(99)
    base = library.signatures[0]
    times, found = [], 0
    for i in range(count):
        cues = tuple(" ".join(rng.choice(words) for _ in range(5)) for _ in range(6))
        signature = Signature(
            id=f"live-{i}",
            method="LIVE",
            title_vi=f"Mới {i}",
            title_en=f"New {i}",
            summary_vi=base.summary_vi,
            summary_en=base.summary_en,
            weight=3.0,
            cues=cues,
            strong_cues=(cues[0],),
            advice_vi=base.advice_vi,
            advice_en=base.advice_en,
            examples=cues[:3],
            counter_examples=cues[3:5],
        )
        t0 = time.perf_counter()
        engine.add_signature(signature)
        times.append((time.perf_counter() - t0) * 1000)
        found += any(m.signature.id == signature.id for m in engine.analyse(f"Tin nhắn: {cues[0]}.").matches)
    t0 = time.perf_counter()
    engine.remove_signature("live-0")
    removed = (time.perf_counter() - t0) * 1000
    return {
        "add_signature_p50_ms": round(statistics.median(times), 3),
        "add_signature_max_ms": round(max(times), 1),
        "added_found_next_check": f"{found}/{count}",
        "remove_signature_ms": round(removed, 3),
    }


def jsonl_throughput(count: int, workers: int) -> dict:
    """`canhgiac check --jsonl FILE --workers N` as a real process: whole run, start-up included."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "batch.jsonl"
        with source.open("w", encoding="utf-8") as out:
            for i, text in enumerate(messages(count)):
                out.write(json.dumps({"id": i, "text": text}, ensure_ascii=False) + "\n")
        cli = Path(sys.executable).with_name("canhgiac")
        t0 = time.perf_counter()
        done = subprocess.run(
            [str(cli), "check", "--jsonl", str(source), "--workers", str(workers)],
            capture_output=True,
            text=True,
            check=True,
        )
        elapsed = time.perf_counter() - t0
    lines = done.stdout.count("\n")
    assert lines == count, f"expected {count} output lines, got {lines}"
    return {
        "workers": workers,
        "messages": count,
        "seconds": round(elapsed, 2),
        "messages_per_s": round(count / elapsed),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, help="(internal) measure one library size in this process")
    parser.add_argument("--baseline", action="store_true")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--quick", action="store_true", help="fewer messages, no 100k library")
    parser.add_argument("--batch", type=int, default=20_000, help="messages for the batch (JSON lines) run")
    args = parser.parse_args()
    if args.size is not None:
        print(json.dumps(measure(args.size, args.baseline, args.count)))
        return
    count = 200 if args.quick else args.count
    print(f"machine: {machine()}")
    sizes = [(0, False), (10_000, True)] + ([] if args.quick else [(100_000, True)])
    for size, baseline in sizes:
        cmd = [sys.executable, __file__, "--size", str(size), "--count", str(count)] + (
            ["--baseline"] if baseline else []
        )
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        label = "shipped" if size == 0 else f"{size:,} signatures"
        print(f"{label}: {out.strip()}")
    for workers in (1, os.cpu_count() or 1):
        print(f"batch (canhgiac check --jsonl): {json.dumps(jsonl_throughput(args.batch, workers))}")


if __name__ == "__main__":
    main()
