"""How well a reading matches the ground truth: character error rate, diacritic-word recall, exact entities."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz.distance import Levenshtein

_ASCII = re.compile(r"^[\x00-\x7f]*$")


def collapse(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def cer(truth: str, read: str) -> float:
    """Levenshtein distance over the reference length, whitespace collapsed."""
    reference = collapse(truth)
    return Levenshtein.distance(reference, collapse(read)) / max(1, len(reference))


def diacritic_words(truth: str) -> list[str]:
    return [w.strip(".,:!?") for w in collapse(truth).split() if not _ASCII.match(w)]


def found_words(truth: str, read: str) -> tuple[int, int]:
    """(found verbatim, total) of the truth's words that carry Vietnamese diacritics."""
    words, seen = diacritic_words(truth), set(collapse(read).replace(".", " ").replace(",", " ").split())
    seen |= {w.strip(".,:!?") for w in collapse(read).split()}
    return sum(w in seen for w in words), len(words)


def found_entities(entities: list[str], read: str) -> tuple[int, int]:
    text = collapse(read)
    return sum(e in text for e in entities), len(entities)
