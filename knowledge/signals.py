"""Cross-cutting red flags (OTP requests, pressure, secrecy …) and warning context, from `data/signals.toml`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from knowledge.data_files import read_toml

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
        starts = _word_starts(folded)
        for rule in self.rules:
            found = None
            was_negated = False
            for pattern, gate in zip(rule.patterns, rule.gates or (None,) * len(rule.patterns), strict=True):
                for match in _matches(pattern, gate, folded, starts):
                    if rule.negatable and self._negated(folded, match.start(), match.group(0)):
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
            m.group(0)
            for p, gate in zip(self.warnings, self.warning_gates or (None,) * len(self.warnings), strict=True)
            if (m := next(_matches(p, gate, folded, starts), None))
        )
        return SignalReport(tuple(hits), tuple(negated), markers)

    def _negated(self, clauses: str, start: int, matched: str = "") -> bool:
        """A negation earlier in the same sentence, at most NEGATION_WORDS words back, or a disclaimer inside the
        match itself ("BHXH không yêu cầu cung cấp mã OTP")."""
        if _DISCLAIMER.search(matched):
            return True
        words = clauses[:start].rsplit("|", 1)[-1].split()  # the sentence so far
        window = " ".join(words[-NEGATION_WORDS:])
        if _DISCLAIMER_BEFORE.search(" ".join(words[-2 * NEGATION_WORDS :])):
            return True  # "Cơ quan thuế không yêu cầu | cung cấp mật khẩu" (read as a question, "có … không", below)
        if self.not_negation is not None:
            # Look-alikes are blanked where they start in the window, but read with the match after it: "không cần"
            # is a selling point ("không cần thẩm định") unless what follows is "… nhập mã OTP" (advice).
            combined = list(window + " " + matched)
            for found in self.not_negation.finditer("".join(combined)):
                if found.start() >= len(window):
                    break
                combined[found.start() : found.end()] = " " * (found.end() - found.start())
            window = "".join(combined)[: len(window)]
        return bool(self.negation.search(window))


_WORD_START = re.compile(r"\S+")
# "never asks", "does not require": an organisation saying what it will not do, wherever in the match it stands.
_DISCLAIMER = re.compile(r"\bkhong (bao gio |he )?(yeu cau|hoi|doi|de nghi)\b")
# ... and just before it, the way banks write it: "không bao giờ gọi điện, nhắn tin yêu cầu cài ứng dụng hay | cung cấp"
_DISCLAIMER_BEFORE = re.compile(
    r"\bkhong (bao gio |he )?((goi dien|goi|nhan tin|gui tin nhan|lien he)( \w+){0,3} )?(yeu cau|hoi|doi|de nghi)"
    r"( \w+){0,5} ?$"
)


def _word_starts(folded: str) -> dict[str, list[int]]:
    """Where each word of the text starts."""
    starts: dict[str, list[int]] = {}
    for match in _WORD_START.finditer(folded):
        starts.setdefault(match.group(0), []).append(match.start())
    return starts


def _matches(
    pattern: re.Pattern[str], gate: frozenset[str] | None, folded: str, starts: dict[str, list[int]]
) -> Iterator[re.Match[str]]:
    """The pattern's non-overlapping matches, left to right, as `finditer` would give them.

    A gated pattern can only match where one of its leading words starts, so it is tried only there.
    """
    if gate is None:
        yield from pattern.finditer(folded)
        return
    present = [starts[word] for word in gate if word in starts]
    if not present:
        return
    positions = present[0] if len(present) == 1 else sorted(p for where in present for p in where)
    resume = 0
    for position in positions:
        if position < resume:
            continue
        match = pattern.match(folded, position)
        if match is not None:
            resume = max(match.end(), position + 1)
            yield match


_PLAIN_WORD = re.compile(r"[a-z0-9]+")
_REPEATED_WORDS = re.compile(r"\( \\w\+\)\{\d*,\d+\} ")  # "( \w+){0,3} " between two words


def leading_words(pattern: str) -> frozenset[str] | None:
    r"""The words one of which a message must contain for the pattern to match, or None if unsure.

    Handles patterns that start with `\b`, optional look-behinds, then a plain word or a group of
    alternatives that each start with a plain, whole word ("\b(?<!da )(chuyen|nop)( \w+){0,3} tien").
    A message containing none of those words cannot match, so the (comparatively slow) scan is skipped.
    """
    if not pattern.startswith("\\b"):
        return None
    rest = pattern[2:]
    while rest.startswith(("(?<!", "(?<=")) and (end := _group_end(rest)):
        rest = rest[end:]
    if rest.startswith("("):
        end = _group_end(rest)
        if end == 0 or rest[1:2] == "?":
            return None
        alternatives, after = _split_alternatives(rest[1 : end - 1]), rest[end:]
        if after[:1] in ("?", "*", "{", "+"):
            return None  # the group itself is optional
    else:
        alternatives, after = [rest], ""
    words = set()
    for alternative in alternatives:
        word = _PLAIN_WORD.match(alternative)
        if word is None:
            return None
        tail = alternative[word.end() :]
        followed = not tail  # what follows the word is what follows the group
        tail = tail or after
        while tail.startswith(("(?!", "(?=")) and (end := _group_end(tail)):
            tail = tail[end:]  # a look-ahead consumes nothing
            if not tail and not followed:
                tail, followed = after, True
        whole = (
            tail.startswith("\\b")
            or (tail.startswith(" ") and tail[1:2] not in ("?", "*", "{", "+"))
            or _REPEATED_WORDS.match(tail) is not None
        )
        if not whole:
            return None
        words.add(word.group(0))
    return frozenset(words)


def _scan(pattern: str) -> Iterator[tuple[int, str, int]]:
    """(index, character or escape, group depth after it) along a regular expression."""
    depth, i = 0, 0
    while i < len(pattern):
        piece = pattern[i : i + 2] if pattern[i] == "\\" else pattern[i]
        depth += (piece == "(") - (piece == ")")
        yield i, piece, depth
        i += len(piece)


def _group_end(text: str) -> int:
    """Index just after the parenthesis closing the group that opens text[0] (0 if unbalanced)."""
    for i, piece, depth in _scan(text):
        if piece == ")" and depth == 0:
            return i + 1
    return 0


def _split_alternatives(body: str) -> list[str]:
    """Split a group body on its top-level |."""
    parts: list[str] = []
    current: list[str] = []
    for _, piece, depth in _scan(body):
        if piece == "|" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(piece)
    parts.append("".join(current))
    return parts


@lru_cache(maxsize=1)
def load_signal_rules() -> SignalRules:
    """Compile the shipped red-flag rules."""
    data = read_toml("data/signals.toml")
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
