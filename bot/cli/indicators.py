"""`canhgiac indicators import PATH --kind …`: put a public blocklist on the indicator list.

One value per line. Blank lines and `#` comments (a whole line, or after a value and a space) are skipped, and a
hosts-file line ("0.0.0.0 evil.top") is read as its host. Values are normalised as officers' /block normalises
them (handlers/indicator_values.py). A line that holds no value of the kind, or names a genuine organisation, is
counted and reported by its number, and the import goes on. Values go to the database in batches of BATCH, one
transaction each; an officer's verdict already on the list is never overridden, so importing the same file again
changes nothing. The import is one audit row (actor "cli"), not one per line.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from bot.config import Settings
from handlers.indicator_values import IndicatorReader, normalise
from handlers.ports import IndicatorKind, IndicatorStatus, UpsertResult

STATUSES: dict[str, IndicatorStatus] = {"verified": "scam", "reported": "reported"}
ACTOR = "cli"
BATCH = 5_000  # values per transaction
SHOWN_LINES = 10  # invalid lines listed by number; the rest are counted
_COMMENT = re.compile(r"(?:^|\s)#.*$")
_HOSTS_LINE = re.compile(r"^(?:0\.0\.0\.0|127\.0\.0\.1|::1?)\s+(\S+)$")


@dataclass
class Tally:
    """What one import read and did."""

    lines: int = 0
    skipped: int = 0  # blank lines and comments
    repeated: int = 0  # a value an earlier line of the file already gave
    invalid: list[tuple[int, str]] = field(default_factory=list)  # (line number, text)
    official: list[tuple[int, str, str]] = field(default_factory=list)  # (line number, value, organisation)
    stored: UpsertResult = field(default_factory=lambda: UpsertResult(0, 0, 0))

    def add(self, result: UpsertResult) -> None:
        done = self.stored
        self.stored = UpsertResult(done.added + result.added, done.updated + result.updated, done.kept + result.kept)


def run_import(
    settings: Settings, path: Path, *, kind: IndicatorKind, status: str, note: str | None, out: TextIO, err: TextIO
) -> int:
    """Import `path`; 0 when it was read (invalid lines are reported, not fatal), 2 when it cannot be read."""
    try:
        lines = path.read_text("utf-8", errors="replace").splitlines()
    except OSError as exc:
        err.write(f"canhgiac: cannot read {path}: {exc.strerror or exc}\n")
        return 2
    started = time.perf_counter()
    tally = asyncio.run(_import(settings, lines, kind, STATUSES[status], note, source=path.name, err=err))
    _report(tally, f"{path}: {kind}, {status}", time.perf_counter() - started, out=out, err=err)
    return 0


async def _import(
    settings: Settings,
    lines: list[str],
    kind: IndicatorKind,
    status: IndicatorStatus,
    note: str | None,
    *,
    source: str,
    err: TextIO,
) -> Tally:
    from bot.storage import open_database
    from knowledge import Engine, Library

    reader = Engine(Library(()), max_chars=settings.limits.max_text_chars, learned=False)  # only its readers
    tally = Tally(lines=len(lines))
    now = dt.datetime.now(dt.UTC)
    async with await open_database(settings.database.url) as database:
        indicators = database.repos.indicators
        with progress_bar(err, len(lines)) as show:
            batch: list[str] = []
            for number, value in read_values(lines, kind, reader, tally):
                batch.append(value)
                if len(batch) >= BATCH:
                    tally.add(await indicators.upsert_many(kind, batch, status, note=note, by=ACTOR, at=now))
                    batch = []
                    show(number)
            tally.add(await indicators.upsert_many(kind, batch, status, note=note, by=ACTOR, at=now))
            show(len(lines))
        stored = tally.stored
        detail = (
            f"status={status} added={stored.added} updated={stored.updated} kept={stored.kept} "
            f"invalid={len(tally.invalid)} official={len(tally.official)} note={note or ''}"
        )
        await database.repos.audit.add(actor=ACTOR, action="import", target=f"{kind}:{source}", detail=detail, at=now)
    return tally


def read_values(
    lines: list[str], kind: IndicatorKind, reader: IndicatorReader, tally: Tally
) -> Iterator[tuple[int, str]]:
    """(line number, normalised value) for each line's value, the first time the file gives it; the rest is tallied."""
    seen: set[str] = set()
    for number, line in enumerate(lines, 1):
        text = value_text(line, kind)
        if not text:
            tally.skipped += 1
            continue
        listed = normalise(kind, text, reader)
        if listed is None:
            tally.invalid.append((number, text))
        elif listed.official:
            tally.official.append((number, listed.value, listed.official))
        elif listed.value in seen:
            tally.repeated += 1
        else:
            seen.add(listed.value)
            yield number, listed.value


def value_text(line: str, kind: IndicatorKind) -> str:
    """The value a line holds, without its comment; a hosts-file line gives its host."""
    text = _COMMENT.sub("", line).strip()
    hosts = _HOSTS_LINE.match(text) if kind in ("domain", "url") else None
    return hosts.group(1) if hosts else text


@contextmanager
def progress_bar(stream: TextIO, total: int) -> Iterator[Callable[[int], None]]:
    """Show lines done as a rich progress bar when `stream` is a terminal; show nothing otherwise."""
    if not stream.isatty():
        yield lambda done: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TextColumn("lines"), TimeRemainingColumn())
    with Progress(*columns, console=Console(file=stream)) as progress:
        task = progress.add_task("import", total=total)
        yield lambda done: progress.update(task, completed=done)


def _report(tally: Tally, title: str, seconds: float, *, out: TextIO, err: TextIO) -> None:
    stored = tally.stored
    out.write(
        f"{title}: {tally.lines} lines read in {seconds:.1f} s\n"
        f"  {stored.added} added, {stored.updated} raised from reported, {stored.kept} already listed\n"
        f"  {tally.repeated} repeated, {len(tally.invalid)} invalid, {len(tally.official)} genuine (not listed), "
        f"{tally.skipped} blank or comments\n"
    )
    if tally.invalid:
        shown = tally.invalid[:SHOWN_LINES]
        err.write(f"invalid lines ({len(shown)} of {len(tally.invalid)} shown):\n")
        err.writelines(f"  line {number}: {text[:80]}\n" for number, text in shown)
    if tally.official:
        err.write("genuine organisations' addresses or numbers, not listed:\n")
        err.writelines(f"  line {number}: {value} ({owner})\n" for number, value, owner in tally.official[:SHOWN_LINES])
