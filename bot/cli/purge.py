"""`canhgiac purge [--dry-run]`: delete or blank what has been kept longer than [retention] allows, now."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import TextIO

from bot.config import Settings
from bot.storage import open_database
from handlers.retention import Retention, purge_expired


def run_purge(settings: Settings, *, dry_run: bool, out: TextIO) -> int:
    """Print what was removed (or, with `dry_run`, what would be): counts per kind of record, never content."""

    async def main() -> int:
        database = await open_database(settings.database.url)
        try:
            now = dt.datetime.now(dt.UTC)
            retention = Retention(**settings.retention.model_dump())
            counts = await purge_expired(database.repos.retention, retention, now, dry_run=dry_run)
        finally:
            await database.close()
        verb = "would remove" if dry_run else "removed"
        print(f"{verb}: {counts.summary()} (total {counts.total})", file=out)
        return 0

    return asyncio.run(main())
