"""Blocklist import benchmark: `canhgiac indicators import` on a generated list, as a real process.

Run: .venv/bin/python benchmarks/indicators_bench.py [--lines 100000] [--kind domain|url|phone|account] [--database URL]

What runs: a list of N lines written like public blocklists are (a header of `#` comments, one value per line,
some with a trailing comment, some blank, some repeated, some invalid, some in hosts-file form) is imported into a
fresh SQLite file (or `--database`) by the installed `canhgiac` console script, twice. The first run adds
everything; the second must add nothing. Start-up (imports, migrations) is included. Reported: wall time, the
process's CPU time and the load average (on a shared machine the wall time mostly measures the neighbours).

Target: 100,000 lines in under 30 s on SQLite.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from the checkout

from benchmarks.measuring import machine

CANHGIAC = Path(sys.executable).parent / "canhgiac"


def value(kind: str, n: int) -> str:
    """The n-th distinct value of a kind, written the various ways lists write them."""
    if kind == "phone":
        digits = f"9{n:08d}"
        return (
            "0" + digits,
            f"+84 {digits[:2]} {digits[2:5]} {digits[5:]}",
            f"0{digits[:3]}.{digits[3:6]}.{digits[6:]}",
        )[n % 3]
    if kind == "account":
        return f"{1903_0000_0000 + n}"
    host = f"scam-{n}-{('shop', 'bank', 'gift')[n % 3]}.{('top', 'xyz', 'vip', 'com', 'info')[n % 5]}"
    if kind == "url":
        return f"https://{host}/login/{n % 97}?ref={n}"
    return (host, f"0.0.0.0 {host}", f"https://www.{host}/")[n % 3]


def write_list(path: Path, kind: str, lines: int) -> None:
    random.seed(7)
    out = ["# generated blocklist", f"# {lines} lines", ""]
    n = 0
    while len(out) < lines:
        roll = random.random()
        if roll < 0.01:
            out.append("")
        elif roll < 0.02:
            out.append("this line is not a value")
        elif roll < 0.04 and n:
            out.append(value(kind, random.randrange(n)))  # a repeat
        else:
            out.append(value(kind, n) + ("  # seen 2026-11" if roll > 0.95 else ""))
            n += 1
    path.write_text("\n".join(out) + "\n", "utf-8")


def run(path: Path, kind: str, url: str) -> tuple[float, float, str]:
    """Wall and CPU seconds of one import process (CPU time tells a busy machine from a slow import), and its report."""
    env = {**os.environ, "CANHGIAC_DATABASE__URL": url, "CANHGIAC_PRIVACY__HASH_SALT": "bench"}
    cpu_before = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(
        [str(CANHGIAC), "indicators", "import", str(path), "--kind", kind, "--note", "benchmark"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - started, _children_cpu() - cpu_before, done.stdout


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--kind", choices=("domain", "url", "phone", "account"), default="domain")
    parser.add_argument("--database", default=None, help="a database URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{args.kind}s.txt"
        write_list(path, args.kind, args.lines)
        url = args.database or f"sqlite:///{folder}/bench.sqlite3"
        size = path.stat().st_size / 1e6
        print(f"{machine()}\n{args.lines:,} {args.kind} lines ({size:.1f} MB) into {url.split(':')[0]}")
        for name in ("first import", "same file again"):
            seconds, cpu, report = run(path, args.kind, url)
            load = os.getloadavg()[0]
            print(
                f"{name}: {seconds:.1f} s wall ({cpu:.1f} s CPU, load {load:.1f}), {args.lines / seconds:,.0f} lines/s"
            )
            print("  " + report.strip().replace("\n", "\n  "))


if __name__ == "__main__":
    main()
