"""The verdict: level, score, matched methods, reasons with their contributions, indicators, advice."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from knowledge.indicators import Indicator

HIGH_AT = 60
MEDIUM_AT = 30


class Level(enum.StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @classmethod
    def for_score(cls, score: int) -> Level:
        if score >= HIGH_AT:
            return cls.HIGH
        if score >= MEDIUM_AT:
            return cls.MEDIUM
        return cls.LOW

    @property
    def rank(self) -> int:
        return {"low": 0, "medium": 1, "high": 2}[self.value]


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason a citizen understands, with its contribution to the score."""

    code: str
    text_vi: str
    text_en: str
    points: int
    evidence: str = ""

    def text(self, lang: str) -> str:
        return self.text_en if lang == "en" else self.text_vi


@dataclass(frozen=True, slots=True)
class MethodResult:
    id: str
    title_vi: str
    title_en: str
    similarity: int  # 0–100
    cues: tuple[str, ...]

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_vi


@dataclass(frozen=True, slots=True)
class Reputation:
    """What the reported-indicator list says about one indicator (supplied by the caller)."""

    status: str  # "reported" | "scam" | "safe"
    report_count: int = 0


@dataclass(frozen=True, slots=True)
class Verdict:
    level: Level
    score: int
    methods: tuple[MethodResult, ...]
    reasons: tuple[Reason, ...]
    indicators: tuple[Indicator, ...]
    advice_vi: tuple[str, ...]
    advice_en: tuple[str, ...]
    warning_context: bool = False
    truncated: bool = False
    normalised: str = field(default="", repr=False)  # folded view, for hashing; never stored as text

    def advice(self, lang: str) -> tuple[str, ...]:
        return self.advice_en if lang == "en" else self.advice_vi

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        """JSON-ready form used by `canhgiac check --json/--jsonl`."""
        return {
            "level": self.level.value,
            "score": self.score,
            "methods": [
                {"id": m.id, "title": m.title(lang), "similarity": m.similarity, "cues": list(m.cues)}
                for m in self.methods
            ],
            "reasons": [
                {"code": r.code, "text": r.text(lang), "points": r.points, "evidence": r.evidence} for r in self.reasons
            ],
            "indicators": [i.to_dict() for i in self.indicators],
            "advice": list(self.advice(lang)),
            "warning_context": self.warning_context,
            "truncated": self.truncated,
        }
