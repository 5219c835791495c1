"""Which known words a typed word could be a one-letter typo of (symmetric-deletion lookup).

Two words are one edit apart only if deleting at most one letter from each gives the same string, so every
known word is filed under itself and each of its one-letter deletions. Looking a word up costs a handful of
dictionary probes whatever the vocabulary size; candidates are then confirmed with a real edit distance.
"""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

MIN_TYPED = 4  # the matcher tolerates a typo only in words of four letters or more
_CACHE_LIMIT = 50_000


def _deletions(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


class TypoNeighbours:
    """Vocabulary words within one edit of a typed word."""

    def __init__(self) -> None:
        self._words: dict[int, str] = {}
        self._keys: dict[str, list[int]] = {}
        self._cache: dict[str, tuple[int, ...]] = {}

    def add(self, word: str, number: int) -> None:
        if len(word) < MIN_TYPED - 1:
            return  # cannot be within one edit of a word of MIN_TYPED letters
        self._words[number] = word
        for key in _deletions(word):
            self._keys.setdefault(key, []).append(number)
        self._cache.clear()

    def near(self, typed: str) -> tuple[int, ...]:
        """Numbers of the known words one edit (or zero) away from `typed`; empty for short words."""
        if len(typed) < MIN_TYPED:
            return ()
        found = self._cache.get(typed)
        if found is None:
            candidates: set[int] = set()
            for key in _deletions(typed):
                candidates.update(self._keys.get(key, ()))
            found = tuple(n for n in candidates if Levenshtein.distance(typed, self._words[n], score_cutoff=1) <= 1)
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[typed] = found
        return found

    def near_all(self, typed: set[str]) -> list[int]:
        """Numbers of the known words one edit (or zero) away from any of the typed words."""
        cache = self._cache
        found: list[int] = []
        for word in typed:
            if len(word) >= MIN_TYPED:
                hit = cache.get(word)
                found.extend(hit if hit is not None else self.near(word))
        return found
