"""`canhgiac check` and `canhgiac eval`: the risk engine from the command line."""

from __future__ import annotations

import functools
import itertools
import json
import sys
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TextIO

from bot.markup.plain import render_plain
from handlers.catalogue import load_catalogue
from handlers.verdict_view import render_verdict
from knowledge import Engine, Report, Tally, evaluate, load_corpus

BATCH_CHUNK = 200  # lines sent to a worker process at a time
DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "tests" / "corpus"  # bot/cli/engine.py → the checkout


def run_check(engine: Engine, text: str | None, as_json: bool, lang: str, out: TextIO) -> int:
    """Check one text (argument or stdin) and print the verdict."""
    if text is None:
        text = sys.stdin.read()
    verdict = engine.check(text)
    if as_json:
        out.write(json.dumps(verdict.to_dict(lang), ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(render_plain(render_verdict(verdict, load_catalogue(), lang, read_limit=engine.max_chars)) + "\n")
    return 0


def _process_line(number: int, line: str, engine: Engine, lang: str) -> tuple[bool, str]:
    """One batch line → (ok, output line). Whatever is wrong with the line becomes its error object: one line
    must never stop the batch (nor, in a worker process, lose the other lines of its chunk)."""
    try:
        row = json.loads(line, parse_constant=_refuse_constant)
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise ValueError('expected an object with a string "text"')
    except (ValueError, RecursionError) as exc:  # RecursionError: nested deeper than the parser goes
        return False, _error_line(number, f"invalid input line: {exc}")
    try:
        verdict = engine.check(row["text"])
        return True, _json_line({"id": row.get("id", number), **verdict.to_dict(lang)})
    except (ValueError, RecursionError) as exc:  # an id that cannot be written back as JSON in UTF-8
        return False, _error_line(number, f"unusable id or text: {type(exc).__name__}")
    except Exception as exc:  # noqa: BLE001 - a defect in checking this one text must not end the batch
        return False, _error_line(number, f"could not check this line: {type(exc).__name__}")


def _refuse_constant(name: str) -> None:
    """NaN and Infinity: Python's parser reads them, but they are not JSON and could not be echoed as JSON."""
    raise ValueError(f"{name} is not a JSON value")


def _json_line(value: object) -> str:
    """Standard JSON (no NaN or Infinity) that encodes as UTF-8 (no lone surrogates): ValueError otherwise."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    text.encode("utf-8")  # UnicodeEncodeError (a ValueError) now rather than when the line is written out
    return text


def _error_line(number: int, message: str) -> str:
    return json.dumps({"line": number, "error": message}, ensure_ascii=True)


@functools.cache
def _worker_engine(max_chars: int) -> Engine:
    """One engine per worker process, built for its first chunk."""
    return Engine(max_chars=max_chars)


def _worker_chunk(args: tuple[list[tuple[int, str]], str, int]) -> list[tuple[bool, str]]:
    chunk, lang, max_chars = args
    engine = _worker_engine(max_chars)
    return [_process_line(n, line, engine, lang) for n, line in chunk]


def _numbered(source: TextIO) -> Iterator[tuple[int, str]]:
    """The non-blank lines with their numbers; a byte-order mark at the start of the input is not part of line 1."""
    for number, line in enumerate(source, 1):
        text = line.removeprefix("\ufeff") if number == 1 else line
        if text.strip():
            yield number, text


def run_jsonl(engine: Engine, source: TextIO, out: TextIO, lang: str = "vi", workers: int = 1) -> int:
    """Batch interface: one `{"id", "text"}` per input line, one verdict object per output line, in order.

    With workers > 1 the lines are checked in that many processes (each with its own engine, same `max_chars`).
    """
    errors = 0
    if workers <= 1:
        results: Iterable[tuple[bool, str]] = (_process_line(n, line, engine, lang) for n, line in _numbered(source))
        for ok, text in results:
            errors += not ok
            out.write(text + "\n")
        return 1 if errors else 0
    with ProcessPoolExecutor(workers) as pool:
        chunks = ((list(chunk), lang, engine.max_chars) for chunk in _batched(_numbered(source), BATCH_CHUNK))
        for results in pool.map(_worker_chunk, chunks):
            for ok, text in results:
                errors += not ok
                out.write(text + "\n")
    return 1 if errors else 0


def _batched(items: Iterator[tuple[int, str]], size: int) -> Iterator[list[tuple[int, str]]]:
    while batch := list(itertools.islice(items, size)):
        yield batch


def run_eval(engine: Engine, files: list[Path], out: TextIO, show_errors: bool = False) -> Report:
    """Evaluate the engine on labelled corpus files and print the table."""
    if not files:
        files = sorted(DEFAULT_CORPUS.glob("*.jsonl"))
        if not files:
            raise FileNotFoundError(f"no labelled corpus in {DEFAULT_CORPUS}: name the files to evaluate")
    messages = load_corpus(files)
    start = time.perf_counter()
    report = evaluate(engine, messages)
    elapsed = time.perf_counter() - start
    out.write(f"{len(messages)} messages from {', '.join(str(f) for f in files)} in {elapsed:.2f}s\n\n")
    out.write(_table("overall", {"all": report.overall}))
    out.write(_table("split", report.by_split))
    out.write(_table("variant", report.by_variant))
    out.write(_table("method", report.by_method))
    if report.by_family:
        out.write(_table("family", report.by_family))
    if show_errors:
        for title, rows in (("missed scams", report.misses), ("false alarms", report.false_alarms)):
            out.write(f"\n{title}:\n")
            for msg, level, score in rows:
                out.write(f"  {msg.id} [{msg.method or msg.category}] {level.value} {score}: {msg.text[:110]!r}\n")
    return report


def _table(title: str, tallies: dict[str, Tally]) -> str:
    head = (
        f"{title:<22} {'scams':>5} {'recall':>7} {'high':>6} {'method':>7} "
        f"{'legit':>5} {'FPR>=med':>9} {'FPR high':>9}\n"
    )
    rows = []
    for name in sorted(tallies):
        t = tallies[name]
        high = t.caught_high / t.scams if t.scams else 0.0
        rows.append(
            f"{name:<22} {t.scams:>5} {t.recall:>7.3f} {high:>6.3f} {t.method_accuracy:>7.3f} {t.legit:>5} "
            f"{t.fpr_medium:>9.3f} {t.fpr_high:>9.3f}\n"
        )
    return head + "".join(rows) + "\n"
