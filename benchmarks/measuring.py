"""What the benchmarks share: the line describing the machine a result was measured on, and percentiles.

Imported as `benchmarks.measuring` once a script has put the checkout on sys.path.
"""

from __future__ import annotations

import contextlib
import os
import platform
from pathlib import Path


def machine() -> str:
    """CPU model, cores, memory, OS, Python: the one line every result is printed with."""
    parts = [_cpu_model(), f"{os.cpu_count()} cores"]
    with contextlib.suppress(AttributeError, OSError, ValueError):  # no sysconf, or no such name here: left out
        parts.append(f"{os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.0f} GiB")
    try:
        parts.append(platform.freedesktop_os_release()["PRETTY_NAME"])  # "Debian GNU/Linux 12 (bookworm)"
    except (OSError, KeyError):
        parts.append(f"{platform.system()} {platform.release()}")
    parts.append(f"Python {platform.python_version()}")
    return ", ".join(parts)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def percentile(values: list[float], pct: float) -> float:
    """The value `pct` % of the way through the sorted values (nearest rank, no interpolation); values not empty."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]
