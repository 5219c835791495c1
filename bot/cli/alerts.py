"""`canhgiac alerts run-due [--now ISO-TIME]`: queue the alerts due now and send them with the configured tokens."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from typing import TextIO

from bot.alerts.delivery import configured_platforms, run_alerts_once
from bot.config import Settings


def run_due_command(settings: Settings, now_text: str | None, out: TextIO, err: TextIO) -> int:
    """`canhgiac alerts run-due [--now ISO-TIME]`: exit 0 when every round settled, 1 otherwise, 2 on bad input."""
    from bot.app import build_app

    try:
        now = _parse_now(now_text)
    except ValueError as exc:
        print(f"canhgiac: {exc}", file=err)
        return 2
    platforms = configured_platforms(settings)
    if not platforms:
        print(
            "canhgiac: no Telegram or Zalo token is configured, so there is nowhere to send alerts; "
            "set [telegram] token or [zalo] token (or CANHGIAC_TELEGRAM__TOKEN / CANHGIAC_ZALO__TOKEN).",
            file=err,
        )
        return 1

    async def main() -> int:
        app = await build_app(settings)
        try:
            started = time.monotonic()
            rounds, settled = await run_alerts_once(app.deps, settings, now, platforms=platforms)
            for round_id in rounds:
                summary = await app.deps.repos.deliveries.round_summary(round_id)
                print(f"{round_id}: " + " ".join(f"{k}={v}" for k, v in summary.items()), file=out)
            print(
                f"{len(rounds)} round(s) at {now.isoformat()} on {', '.join(platforms)} in "
                f"{time.monotonic() - started:.1f} s" + ("" if settled else " (some deliveries still waiting)"),
                file=out,
            )
            return 0 if settled else 1
        finally:
            await app.close()

    return asyncio.run(main())


def _parse_now(text: str | None) -> dt.datetime:
    """An ISO time; without an offset it is taken in UTC (say +07:00 for Vietnam)."""
    if not text:
        return dt.datetime.now(dt.UTC)
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--now: not an ISO time: {text!r} (e.g. 2026-05-01T08:00+07:00)") from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
