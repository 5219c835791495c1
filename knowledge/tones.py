"""Canonical tone-mark placement for Vietnamese syllables, and diacritic folding.

Old-style and new-style spellings put the tone on different vowels (hòa / hoà, thủy / thuỷ, khỏe / khoẻ);
NFC does not unify them. We strip the tone from each syllable and put it back by one fixed rule.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Combining tone marks: grave, acute, tilde, hook above, dot below.
TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
# Vowels carrying a quality mark take the tone before any other vowel.
_MODIFIED = set("ăâêôơư")
_VOWELS = set("aăâeêioôơuưy")
# Two-vowel open endings whose tone goes on the second vowel (new style).
_SECOND = {"oa", "oe", "uy", "uê", "ue"}
_WORD = re.compile(r"[^\W\d_]+")
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "D"})


def _split_tone(syllable: str) -> tuple[str, str | None]:
    """Return the syllable without its tone mark, and the mark (or None)."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tone = None
    kept = []
    for ch in decomposed:
        if ch in TONE_MARKS:
            tone = ch
        else:
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def _tone_position(base: str) -> int | None:
    """Index in `base` of the vowel that carries the tone, by the new-style rule."""
    lower = base.lower()
    start = 0
    if (lower.startswith("qu") and len(lower) > 2 and lower[2] in _VOWELS) or (
        lower.startswith("gi") and len(lower) > 2 and lower[2] in _VOWELS
    ):
        start = 2
    positions = [i for i in range(start, len(lower)) if lower[i] in _VOWELS]
    if not positions:
        positions = [i for i in range(len(lower)) if lower[i] in _VOWELS]
        if not positions:
            return None
    modified = [i for i in positions if lower[i] in _MODIFIED]
    if modified:
        return modified[-1]
    nucleus = "".join(lower[i] for i in positions)
    has_final = positions[-1] < len(lower) - 1
    if has_final or len(positions) == 1:
        return positions[-1]
    if len(positions) == 2:
        return positions[1] if nucleus in _SECOND else positions[0]
    return positions[1]


@lru_cache(maxsize=65536)
def canonical_syllable(syllable: str) -> str:
    """One spelling per syllable: 'hòa' and 'hoà' both become 'hoà'."""
    base, tone = _split_tone(syllable)
    if tone is None:
        return syllable
    pos = _tone_position(base)
    if pos is None:
        return syllable
    marked = base[: pos + 1] + tone + base[pos + 1 :]
    return unicodedata.normalize("NFC", marked)


def canonical_tones(text: str) -> str:
    """Apply canonical tone placement to every word of a text."""
    return _WORD.sub(lambda m: canonical_syllable(m.group(0)), text)


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """Remove every diacritic (đ → d): 'Được' → 'Duoc'."""
    decomposed = unicodedata.normalize("NFD", word.translate(_FOLD_EXTRA))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Diacritic-folded view of a text."""
    return " ".join(fold_word(w) for w in text.split(" ")) if " " in text else fold_word(text)
