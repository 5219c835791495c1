"""`canhgiac stats [--days N] --out FILE.png [--lang vi|en]`: officers' statistics from the configured database.

Prints the summary /stats gives and writes the same chart, days taken in `[alerts] timezone`.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import TextIO

from bot.config import Settings


def run_stats(settings: Settings, days_text: str, path: Path, lang: str, *, out: TextIO, err: TextIO) -> int:
    """Exit status 0 when the chart is written, 2 on bad arguments."""
    from handlers.stats import MAX_DAYS, parse_days

    days = parse_days(days_text)
    if days is None or not days_text.strip():
        print(f"canhgiac stats: --days must be a whole number from 1 to {MAX_DAYS}, not {days_text!r}", file=err)
        return 2
    if path.suffix.lower() != ".png":
        print(f"canhgiac stats: --out must name a .png file, not {str(path)!r}", file=err)
        return 2
    if not path.parent.is_dir():
        print(f"canhgiac stats: --out: there is no folder {str(path.parent)!r}", file=err)
        return 2
    started = time.monotonic()
    text, png = asyncio.run(_report(settings, days, lang))
    path.write_bytes(png)
    from bot.markup.plain import render_plain

    print(render_plain(text), file=out)
    print(f"{path} ({len(png) // 1024} kB) in {time.monotonic() - started:.1f} s", file=out)
    return 0


async def _report(settings: Settings, days: int, lang: str) -> tuple[str, bytes]:
    from bot.app import build_app
    from handlers.stats import stats_report

    # Nothing is checked here, so no text is hashed: no salt is needed, and none is created beside the database.
    app = await build_app(settings, salt=b"")
    try:
        return await stats_report(app.deps, days, lang)
    finally:
        await app.close()
