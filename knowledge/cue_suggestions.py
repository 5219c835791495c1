"""Cue phrases suggested from messages an officer has confirmed as scams: the start of a new signature.

Each message is cut into clauses at punctuation; clauses of two words or more without numbers are candidates,
kept to their first CUE_WORDS words. Copies of one message that differ only in accents count once, in their
most accented form (the cue then matches both, as matching folds accents). The longest come first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from knowledge.tones import fold

CUE_WORDS = 10
_CLAUSE = re.compile(r"[.,;:!?\n()\[\]\"“”]+")
_WORD = re.compile(r"[^\W_]+")


def suggest_cues(texts: Iterable[str], limit: int = 6) -> list[str]:
    """Up to `limit` cue phrases from `texts`, longest first."""
    clauses: dict[str, str] = {}  # folded → the copy with the most accents
    for text in texts:
        for clause in _CLAUSE.split(text):
            words = _WORD.findall(clause)
            if len(words) >= 2 and not any(w.isdigit() for w in words):
                phrase = " ".join(words[:CUE_WORDS]).lower()
                kept = clauses.setdefault(fold(phrase), phrase)
                if _accents(phrase) > _accents(kept):
                    clauses[fold(phrase)] = phrase
    return sorted(clauses.values(), key=len, reverse=True)[:limit]


def _accents(text: str) -> int:
    return sum(1 for a, b in zip(text, fold(text), strict=False) if a != b)
