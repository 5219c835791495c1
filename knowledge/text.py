"""Normalisation of Vietnamese as people really type it.

Two stages:
1. `clean_text` keeps the text readable for indicator extraction: NFC, invisible and format characters
   removed, NFKC for stylised letters, look-alike letters from other scripts mapped to Latin. Every character
   of the clean text remembers its offset in the original, so indicators can point back to their span.
2. `word_views` turns clean text (with indicators masked) into matching views: lower case, obfuscation undone
   (leetspeak, split letters, repeated letters), canonical tone placement, teencode expanded; an accented
   view and a diacritic-folded view of the same words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from knowledge.lexicon import ABBREVIATIONS, HOMOGLYPHS, LEET, NUMBER_UNITS, SEPARATORS, SINGLE_LETTER_WORDS
from knowledge.tones import canonical_syllable, fold_word

# Characters removed outright besides category Cf (format): combining grapheme joiner, Mongolian vowel separator.
_EXTRA_INVISIBLE = {"\u034f", "\u180e", "\u115f", "\u1160", "\u3164", "\uffa0"}
# Combining marks Vietnamese uses; other stacked marks ("l̼ừa̼") are decoration and dropped.
_VIETNAMESE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"}
_SEP_CLASS = re.escape(SEPARATORS)
# Single letters joined by separators: c.h.u.y.ể.n, k_h_o_a_n
_SPLIT_LETTERS = re.compile(rf"(?<![^\W\d_])(?:[^\W\d_][{_SEP_CLASS}]){{1,}}[^\W\d_](?![^\W\d_])")
# Single letters separated by single spaces, at least five: "c h u y e n"
_SPACED_LETTERS = re.compile(r"(?<!\S)(?:[^\W\d_] ){4,}[^\W\d_](?!\S)")
# A leet symbol between two letters: D!EU, l@i
_LEET_SYMBOL = re.compile(r"(?<=[^\W\d_])[@$!|€](?=[^\W\d_])")
_TOKEN = re.compile(r"[^\W_]+|[.!?;:](?=\s|$)|\n")
CLAUSE_MARK = "|"
_REPEATS = re.compile(r"([^\W\d_])\1{2,}")
_NUMBER_UNIT = re.compile(r"^\d+([^\W\d_]*)$")
_MAX_WORD = 40


@dataclass(frozen=True, slots=True)
class CleanText:
    """Text after character-level clean-up, with each character's offset in the original."""

    original: str
    text: str
    offsets: tuple[int, ...] | range  # a range when nothing moved

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the clean text back to the original text."""
        if not self.offsets:
            return (0, 0)
        start = min(start, len(self.offsets) - 1)
        last = min(max(end - 1, start), len(self.offsets) - 1)
        return (self.offsets[start], self.offsets[last] + 1)


# Characters that never need per-character clean-up: printable ASCII and precomposed Latin letters.
_PLAIN = re.compile(r"[\t\n\x20-\x7e\u00c0-\u024f\u1e00-\u1eff]*")


def clean_text(raw: str) -> CleanText:
    """NFC, drop invisible/format characters and decoration marks, NFKC letters, map look-alike letters."""
    original = unicodedata.normalize("NFC", raw.encode("utf-8", "replace").decode("utf-8"))
    if _PLAIN.fullmatch(original):
        return CleanText(original=original, text=original, offsets=range(len(original)))
    out: list[str] = []
    offsets: list[int] = []
    for i, char in enumerate(original):
        cat = unicodedata.category(char)
        if cat == "Cf" or char in _EXTRA_INVISIBLE or cat == "Cs":
            continue
        if cat == "Mn" and char not in _VIETNAMESE_MARKS:
            continue
        ch = " " if cat == "Cc" and char not in "\n\t" else char
        folded = unicodedata.normalize("NFKC", ch) if ord(ch) > 0x7F else ch
        for piece in folded.translate(HOMOGLYPHS):
            out.append(piece)
            offsets.append(i)
    text = "".join(out)
    # Stylised letters followed by combining marks only compose after NFKC; recompose when lengths agree.
    composed = unicodedata.normalize("NFC", text)
    if len(composed) != len(text):
        text, offsets = _recompose(out, offsets)
    return CleanText(original=original, text=text, offsets=tuple(offsets))


def _recompose(chars: list[str], offsets: list[int]) -> tuple[str, list[int]]:
    """NFC per grapheme (base + marks) keeping the base character's offset."""
    text: list[str] = []
    new_offsets: list[int] = []
    i = 0
    while i < len(chars):
        j = i + 1
        while j < len(chars) and unicodedata.combining(chars[j]):
            j += 1
        piece = unicodedata.normalize("NFC", "".join(chars[i:j]))
        for ch in piece:
            text.append(ch)
            new_offsets.append(offsets[i])
        i = j
    return "".join(text), new_offsets


# Number words an amount in đồng ends with: "5 triệu đồng", "hai trăm nghìn đồng".
_AMOUNT_WORDS = frozenset({"triệu", "nghìn", "ngàn", "tỷ", "tỉ", "trăm", "chục", "mươi", "mười", "củ", "lít", "xị"})
# A text counts as typed with accents when at least this share of its (at least this many) words carry one.
ACCENTED_SHARE = 0.4
ACCENTED_MIN_WORDS = 4


@dataclass(frozen=True, slots=True)
class WordViews:
    """The matching views of a text: the same words accented and diacritic-folded."""

    accented: tuple[str, ...]
    folded: tuple[str, ...]
    # The folded words with "|" between sentences: red-flag patterns never reach across a sentence end.
    clauses: str = ""
    # Most words were typed with their accents: then a word typed bare ("lo") is that word, not a folded
    # spelling of an accented one ("lỗ").
    typed_with_accents: bool = False

    @property
    def accented_text(self) -> str:
        return " ".join(self.accented)

    @property
    def folded_text(self) -> str:
        return " ".join(self.folded)


def _deobfuscate(text: str, glued: set[str]) -> str:
    """Undo leet symbols between letters and letters split by separators; remember the glued words."""
    text = _LEET_SYMBOL.sub(lambda m: m.group(0).translate(LEET), text)
    text = _SPLIT_LETTERS.sub(_join_split_letters, text)

    def join(match: re.Match[str]) -> str:
        letters = match.group(0).split(" ")
        if all(letter in SINGLE_LETTER_WORDS for letter in letters):
            return match.group(0)
        word = "".join(letters)
        glued.add(word)
        return word

    return _SPACED_LETTERS.sub(join, text)


def _join_split_letters(match: re.Match[str]) -> str:
    """ "c.h.u.y.ể.n" → "chuyển"; two letters ("T.K", "c.k") only when they form a known abbreviation."""
    joined = re.sub(rf"[{_SEP_CLASS}]", "", match.group(0))
    if len(joined) >= 3 or joined.lower() in ABBREVIATIONS:
        return joined
    return match.group(0)


@lru_cache(maxsize=65536)
def _fix_token(token: str) -> str:
    """Undo leetspeak and repeated letters in one token, and canonicalise its tone mark."""
    if any(c.isdigit() for c in token) and any(c.isalpha() for c in token):
        unit = _NUMBER_UNIT.match(token)
        if not (unit and unit.group(1) in NUMBER_UNITS) and sum(c.isalpha() for c in token) >= 2:
            token = token.translate(LEET)
    if token not in ABBREVIATIONS:  # "cccd" is an abbreviation, not a stretched word
        token = _REPEATS.sub(r"\1", token)
    return canonical_syllable(token[:_MAX_WORD])


def _expand(tokens: list[str]) -> list[str]:
    """Expand teencode and abbreviations, using neighbours for ambiguous short forms."""
    out: list[str] = []
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        prev = tokens[i - 1] if i else ""
        if tok == "k" and prev.isdigit():
            out.append("nghìn")
        elif tok == "ck" and fold_word(nxt) == "khoan":
            out.append("chuyển")
        elif tok == "tk" and fold_word(nxt) == "khoan":
            out.append("tài")
        elif tok == "k":
            out.append("không")
        elif tok in ABBREVIATIONS:
            out.extend(ABBREVIATIONS[tok].split(" "))
        else:
            out.append(tok)
    return out


def word_views(text: str, segmenter: Segmenter | None = None) -> WordViews:
    """Build the accented and folded word views of clean text (indicators already masked)."""
    glued: set[str] = set()
    lowered = _deobfuscate(text.lower(), glued)
    tokens: list[str] = []
    for raw in _TOKEN.findall(lowered):
        if raw[0].isalnum():
            pieces = segmenter.split(raw) if segmenter is not None and raw in glued else [raw]
            fixed = (_fix_token(p) for p in pieces)
            tokens.extend(segmenter.i_for_j(t) if segmenter is not None and "j" in t else t for t in fixed)
        elif tokens and tokens[-1] != CLAUSE_MARK:
            tokens.append(CLAUSE_MARK)
    expanded = _expand(tokens)
    accented = tuple(t for t in expanded if t != CLAUSE_MARK)
    folded_all = [t if t == CLAUSE_MARK else fold_word(t) for t in expanded]
    for i in range(1, len(expanded)):
        # "2.940.000 đồng gồm phí" is an amount: typed with its accents, the currency does not fold into "đóng" (pay).
        if expanded[i] == "đồng" and (expanded[i - 1][-1:].isdigit() or expanded[i - 1] in _AMOUNT_WORDS):
            folded_all[i] = "d"
    folded = tuple(t for t in folded_all if t != CLAUSE_MARK)
    words = [t for t in tokens if t.isalpha()]
    marked = sum(1 for t in words if not t.isascii())
    with_accents = len(words) >= ACCENTED_MIN_WORDS and marked >= ACCENTED_SHARE * len(words)
    return WordViews(accented=accented, folded=folded, clauses=" ".join(folded_all), typed_with_accents=with_accents)


class Segmenter:
    """Split words glued together by de-obfuscation ("chuyenkhoan") into known syllables."""

    def __init__(self, vocabulary: set[str]) -> None:
        self._vocab = {fold_word(w) for w in vocabulary if w}
        self._longest = max((len(w) for w in self._vocab), default=1)

    def i_for_j(self, token: str) -> str:
        """Teencode writes "i" as "j" ("bj" bị, "chj" chị, "ngườj" người): Vietnamese has no "j", so a word that
        is unknown with it and known with "i" is that word. Names and English words ("vietjet", "job") stay."""
        if fold_word(token) in self._vocab:
            return token
        candidate = token.replace("j", "i")
        return candidate if fold_word(candidate) in self._vocab else token

    def split(self, token: str) -> list[str]:
        """Return the token itself when known or short, else its best split into known syllables."""
        folded = fold_word(token)
        if len(token) < 7 or folded in self._vocab or not token.isalpha():
            return [token]
        n = len(folded)
        best: list[list[int] | None] = [None] * (n + 1)
        best[0] = []
        for end in range(1, n + 1):
            for start in range(max(0, end - self._longest), end):
                prev, current = best[start], best[end]
                if (
                    prev is not None
                    and folded[start:end] in self._vocab
                    and (current is None or len(prev) + 1 < len(current))
                ):
                    best[end] = [*prev, end]
        cuts = best[n]
        if not cuts:
            return [token]
        pieces, start = [], 0
        for end in cuts:
            pieces.append(token[start:end])
            start = end
        return pieces
