"""The false-alarm guard: would a new or edited signature flag messages known to be genuine?

Before an officer's signature goes live it is run against the genuine messages the project keeps (a sample
shipped as `data/genuine.jsonl.gz`, written by `canhgiac train` from the training corpus) and the messages
officers decided were not scams. A genuine message counts against the signature when, with the signature
in the library, it is rated medium or higher, and higher than it is rated without it: the signature made
the false alarm, not some other rule.

Each message's word views are computed once per guard, and its full analysis (indicators, red flags; the learned
layer is left out, so the count is the signature's own doing) only once the candidate matches it; a run then only
matches the candidate and rescores, so an officer who edits a cue waits well under a second after the first run
(about 2 s for 4,000 messages).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from knowledge.analysis import Analysis
from knowledge.data_files import open_binary
from knowledge.engine import Engine
from knowledge.library import Library
from knowledge.matcher import Matcher, MethodMatch
from knowledge.signature import Signature
from knowledge.text import WordViews
from knowledge.verdict import Level

GENUINE_FILE = "data/genuine.jsonl.gz"
_RANK = {Level.LOW: 0, Level.MEDIUM: 1, Level.HIGH: 2}
MAX_CACHED = 20_000  # analyses kept per guard (officers' "not a scam" decisions grow without bound)


@dataclass(frozen=True, slots=True)
class GuardResult:
    """What a candidate signature would do to genuine messages."""

    checked: int
    flagged: tuple[str, ...]  # genuine texts the candidate would raise to medium or high, in input order

    @property
    def share(self) -> float:
        return len(self.flagged) / self.checked if self.checked else 0.0


class FalseAlarmGuard:
    """Runs candidate signatures against genuine messages; keeps each message's analysis for the next run."""

    def __init__(self, texts: Sequence[str]) -> None:
        self._texts = tuple(dict.fromkeys(t for t in texts if t.strip()))
        self._views: dict[str, WordViews] = {}
        self._analyses: dict[str, Analysis] = {}

    @property
    def size(self) -> int:
        return len(self._texts)

    def run(self, engine: Engine, candidate: Signature, extra: Iterable[str] = ()) -> GuardResult:
        """Rate every genuine message (the shipped ones and `extra`) with and without `candidate`."""
        texts = list(dict.fromkeys((*self._texts, *(t for t in extra if t.strip()))))
        alone = Matcher(Library((candidate,)))
        flagged = []
        for text in texts:
            found = alone.match(self._words(engine, text), limit=1)
            if not found:
                continue  # the candidate does not see this message at all
            # The signature's own effect, judged by the rules: the learned layer may lift a message or hold one
            # back (a genuine-sounding text stays below "suspicious") and changes with each training; a signature
            # that only the model keeps from misfiring is still a bad signature.
            analysis = replace(self._analysis(engine, text), learned=None, nearest=None)
            others = [m for m in engine.matcher.match(analysis.views, limit=4) if m.signature.id != candidate.id]
            before = engine.score(replace(analysis, matches=tuple(others[:3])))
            after = engine.score(replace(analysis, matches=_ranked([*others, *found])))
            if after.level is not Level.LOW and _RANK[after.level] > _RANK[before.level]:
                flagged.append(text)
        return GuardResult(len(texts), tuple(flagged))

    def _words(self, engine: Engine, text: str) -> WordViews:
        views = self._views.get(text)
        if views is None:
            views = engine.words(text)
            if len(self._views) < MAX_CACHED:
                self._views[text] = views
        return views

    def _analysis(self, engine: Engine, text: str) -> Analysis:
        analysis = self._analyses.get(text)
        if analysis is None:
            analysis = engine.analyse(text)
            if len(self._analyses) < MAX_CACHED:
                self._analyses[text] = analysis
        return analysis


def _ranked(matches: list[MethodMatch], limit: int = 3) -> tuple[MethodMatch, ...]:
    return tuple(sorted(matches, key=lambda m: -m.similarity)[:limit])


@lru_cache(maxsize=1)
def load_genuine_sample() -> tuple[str, ...]:
    """The genuine messages shipped with the package (empty when the file is not there)."""
    source = open_binary(GENUINE_FILE)
    if source is None:
        return ()
    with source, gzip.open(source, "rt", encoding="utf-8") as lines:
        return tuple(str(json.loads(line)) for line in lines if line.strip())


@lru_cache(maxsize=1)
def shipped_guard() -> FalseAlarmGuard:
    """One guard over the shipped sample per process: its analyses are kept for every later run."""
    return FalseAlarmGuard(load_genuine_sample())


def write_genuine_sample(texts: Iterable[str], path: Path) -> int:
    """Write genuine texts (deduplicated, in order) as the shipped sample; gzip without a timestamp, so the
    same texts give the same bytes. The number written."""
    unique = list(dict.fromkeys(t for t in texts if t.strip()))
    payload = "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in unique).encode("utf-8")
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as out:
        out.write(payload)
    return len(unique)
