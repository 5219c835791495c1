"""Evaluation of the engine on a labelled corpus: recall, false-positive rates, per method and per variant."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.engine import Engine
from knowledge.verdict import Level


@dataclass(frozen=True, slots=True)
class LabelledMessage:
    id: str
    text: str
    label: str  # "scam" | "legit"
    method: str | None = None
    variant: str = "accented"
    category: str = ""
    split: str = ""
    family: str = ""  # the real-world family a scam belongs to (bank-phishing, gambling …), where labelled


@dataclass
class Tally:
    """Counts for one slice of the corpus."""

    scams: int = 0
    caught: int = 0  # scams rated medium or high
    caught_high: int = 0
    method_right: int = 0  # scams whose top method is the labelled one
    legit: int = 0
    fp_medium: int = 0  # legit rated medium or high
    fp_high: int = 0

    @property
    def recall(self) -> float:
        return self.caught / self.scams if self.scams else 1.0

    @property
    def fpr_medium(self) -> float:
        return self.fp_medium / self.legit if self.legit else 0.0

    @property
    def fpr_high(self) -> float:
        return self.fp_high / self.legit if self.legit else 0.0

    @property
    def method_accuracy(self) -> float:
        return self.method_right / self.scams if self.scams else 1.0


@dataclass
class Report:
    overall: Tally = field(default_factory=Tally)
    by_method: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_variant: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_split: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_family: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    misses: list[tuple[LabelledMessage, Level, int]] = field(default_factory=list)
    false_alarms: list[tuple[LabelledMessage, Level, int]] = field(default_factory=list)


def load_corpus(paths: Iterable[Path]) -> list[LabelledMessage]:
    """Read JSON-lines corpus files; the split is the file's stem unless a line names one."""
    messages = []
    for path in paths:
        for number, line in enumerate(Path(path).read_text("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                messages.append(
                    LabelledMessage(
                        id=str(row["id"]),
                        text=row["text"],
                        label=row["label"],
                        method=row.get("method"),
                        variant=row.get("variant", "accented"),
                        category=row.get("category", ""),
                        split=row.get("split") or Path(path).stem,
                        family=row.get("family") or "",
                    )
                )
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{number}: not a corpus line ({exc})") from exc
    return messages


def evaluate(engine: Engine, messages: Iterable[LabelledMessage]) -> Report:
    """Run every message through the engine and tally the results."""
    report = Report()
    for msg in messages:
        verdict = engine.check(msg.text)
        slices = [report.overall, report.by_variant[msg.variant], report.by_split[msg.split]]
        if msg.label == "scam":
            slices.append(report.by_method[msg.method or "?"])
            if msg.family:
                slices.append(report.by_family[msg.family])
            caught = verdict.level is not Level.LOW
            right = bool(verdict.methods) and verdict.methods[0].id == msg.method
            for t in slices:
                t.scams += 1
                t.caught += caught
                t.caught_high += verdict.level is Level.HIGH
                t.method_right += right
            if not caught:
                report.misses.append((msg, verdict.level, verdict.score))
        else:
            flagged = verdict.level is not Level.LOW
            for t in slices:
                t.legit += 1
                t.fp_medium += flagged
                t.fp_high += verdict.level is Level.HIGH
            if flagged:
                report.false_alarms.append((msg, verdict.level, verdict.score))
    return report
