"""Cross-cutting red flags (OTP requests, pressure, secrecy …) and warning context, from `data/signals.toml`."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


NEGATION_WORDS = 12


@dataclass(frozen=True, slots=True)
class SignalRule:
    id: str
    points: int
    negatable: bool
    hard: bool
    reason_vi: str
    reason_en: str
    patterns: tuple[re.Pattern[str], ...]
    # Per pattern: words one of which must be in the message for the pattern to possibly match (None: no gate).
    gates: tuple[frozenset[str] | None, ...] = ()


@dataclass(frozen=True, slots=True)
class SignalHit:
    """A red flag found in the folded view, with the words that triggered it."""

    rule: SignalRule
    evidence: str


@dataclass(frozen=True, slots=True)
class SignalReport:
    hits: tuple[SignalHit, ...]
    negated: tuple[str, ...]  # rule ids found only as advice ("không cung cấp OTP")
    warning_markers: tuple[str, ...]

    def has(self, rule_id: str) -> bool:
        return any(h.rule.id == rule_id for h in self.hits)


@dataclass(frozen=True, slots=True)
class SignalRules:
    rules: tuple[SignalRule, ...]
    warnings: tuple[re.Pattern[str], ...]
    negation: re.Pattern[str]
    # Folded compounds that contain a negation word by accident: "ứng dụng" folds like "đừng".
    not_negation: re.Pattern[str] | None = None
    warning_gates: tuple[frozenset[str] | None, ...] = ()

    def detect(self, folded: str) -> SignalReport:
        """Find every red flag in a folded view; requests preceded by a negation count as advice."""
        hits: list[SignalHit] = []
        negated: list[str] = []
        words = set(folded.split())
        for rule in self.rules:
            found = None
            was_negated = False
            for pattern, gate in zip(rule.patterns, rule.gates or (None,) * len(rule.patterns)):
                if gate is not None and gate.isdisjoint(words):
                    continue  # none of the words the pattern starts with is in the message
                for match in pattern.finditer(folded):
                    if rule.negatable and self._negated(folded, match.start()):
                        was_negated = True
                        continue
                    found = match.group(0)
                    break
                if found:
                    break
            if found:
                hits.append(SignalHit(rule, found))
            elif was_negated:
                negated.append(rule.id)
        markers = tuple(
            m.group(0) for p, gate in zip(self.warnings, self.warning_gates or (None,) * len(self.warnings))
            if (gate is None or not gate.isdisjoint(words)) and (m := p.search(folded))
        )
        return SignalReport(tuple(hits), tuple(negated), markers)

    def _negated(self, clauses: str, start: int) -> bool:
        """A negation earlier in the same sentence, at most NEGATION_WORDS words back."""
        sentence = clauses[:start].rsplit("|", 1)[-1]
        window = " ".join(sentence.split()[-NEGATION_WORDS:])
        if self.not_negation is not None:
            window = self.not_negation.sub(" ", window)
        return bool(self.negation.search(window))


_LEADING_GROUP = re.compile(r"^\\b\(([^()\[\]\\?*+{}]*)\)")
_PLAIN_WORD = re.compile(r"^[a-z0-9]+$")


def leading_words(pattern: str) -> frozenset[str] | None:
    """The first word of each alternative of a pattern that starts `\\b(a b|c|…)`, if all are plain words.

    A message containing none of them cannot match, so the (comparatively slow) regex scan is skipped.
    """
    match = _LEADING_GROUP.match(pattern)
    if match is None:
        return None
    firsts = {alternative.split(" ")[0] for alternative in match.group(1).split("|")}
    return frozenset(firsts) if all(_PLAIN_WORD.match(w) for w in firsts) else None


@lru_cache(maxsize=1)
def load_signal_rules() -> SignalRules:
    """Compile the shipped red-flag rules."""
    data = tomllib.loads(resources.files("knowledge").joinpath("data/signals.toml").read_text("utf-8"))
    rules = tuple(
        SignalRule(
            id=s["id"],
            points=int(s["points"]),
            negatable=bool(s["negatable"]),
            hard=bool(s["hard"]),
            reason_vi=s["reason_vi"],
            reason_en=s["reason_en"],
            patterns=tuple(re.compile(p) for p in s["patterns"]),
            gates=tuple(leading_words(p) for p in s["patterns"]),
        )
        for s in data["signal"]
    )
    warning = data["warning"]
    negations = "|".join(re.escape(n) for n in warning["negations"])
    look_alikes = "|".join(warning.get("not_negations", []))  # regular expressions, not plain words
    return SignalRules(
        rules=rules,
        warnings=tuple(re.compile(p) for p in warning["patterns"]),
        warning_gates=tuple(leading_words(p) for p in warning["patterns"]),
        negation=re.compile(rf"\b({negations})\b"),
        not_negation=re.compile(rf"\b({look_alikes})\b") if look_alikes else None,
    )
