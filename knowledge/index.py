"""An inverted index from folded word bigrams to cue phrases, so matching cost grows slower than the library.

Each cue is indexed under every pair of adjacent words it contains. A message only has to be scored against
cues that share at least one word pair with it; a cue with a typo in one word still shares its other pairs.
Adding a signature appends to the postings (officers add signatures while the bot runs); removing one
tombstones its cues, and `compact` rebuilds when too many tombstones pile up.
"""

from __future__ import annotations

import sys
from array import array
from dataclasses import dataclass

from knowledge.signature import Signature
from knowledge.text import clean_text, word_views


@dataclass(frozen=True, slots=True)
class Cue:
    signature_id: str
    strong: bool
    folded: tuple[str, ...]
    accented: tuple[str, ...]


def cue_words(phrase: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The (folded, accented) words of a cue, through the same normalisation as messages."""
    views = word_views(clean_text(phrase).text)
    folded = tuple(sys.intern(w) for w in views.folded)
    accented = folded if views.accented == views.folded else tuple(sys.intern(w) for w in views.accented)
    return folded, accented


def bigrams(words: tuple[str, ...]) -> list[str]:
    return [f"{a} {b}" for a, b in zip(words, words[1:])]


# A posting packs the cue id and the word offset of the pair inside the cue: cue_id << OFFSET_BITS | offset.
OFFSET_BITS = 4
MAX_OFFSET = (1 << OFFSET_BITS) - 1


class CueIndex:
    """Word-pair → (cue, offset) postings over every cue of every signature.

    Cues are stored column-wise in flat arrays of word numbers (a few bytes per word) rather than as one
    object per cue: a library of 100,000 signatures holds close to a million cues. `cue(i)` builds the
    `Cue` view of one of them when the matcher needs it.
    """

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._vocabulary: dict[str, int] = {}
        self._words: list[str] = []
        self._folded = array("I")  # word numbers of every cue, one after another
        self._accented = array("I")
        self._starts = array("I")  # where each cue's words begin in the flat arrays
        self._lengths = array("B")
        self._strong = bytearray()
        self._alive = bytearray()
        self._signature_of = array("I")
        self._signature_ids: list[str] = []
        self._signature_numbers: dict[str, int] = {}
        self._postings: dict[str, array] = {}
        self._by_signature: dict[str, list[int]] = {}
        self._dead = 0

    def add(self, signature: Signature) -> None:
        """Index a signature's cues (replacing an earlier version with the same id)."""
        if signature.id in self._by_signature:
            self.remove(signature.id)
        ids: list[int] = []
        for strong, phrases in ((False, signature.cues), (True, signature.strong_cues)):
            for phrase in phrases:
                folded, accented = cue_words(phrase)
                if len(folded) >= 2:
                    ids.append(self._append(Cue(signature.id, strong, folded[:255], accented[:255])))
        self._by_signature[signature.id] = ids

    def _number(self, word: str) -> int:
        number = self._vocabulary.get(word)
        if number is None:
            number = self._vocabulary[word] = len(self._words)
            self._words.append(word)
        return number

    def _append(self, cue: Cue) -> int:
        cue_id = len(self._starts)
        self._starts.append(len(self._folded))
        self._lengths.append(len(cue.folded))
        self._folded.extend(self._number(w) for w in cue.folded)
        self._accented.extend(self._number(w) for w in cue.accented)
        self._strong.append(cue.strong)
        self._alive.append(1)
        number = self._signature_numbers.get(cue.signature_id)
        if number is None:
            number = self._signature_numbers[cue.signature_id] = len(self._signature_ids)
            self._signature_ids.append(cue.signature_id)
        self._signature_of.append(number)
        for offset, gram in enumerate(bigrams(cue.folded)[: MAX_OFFSET + 1]):
            postings = self._postings.get(gram)
            if postings is None:
                postings = self._postings[gram] = array("q")
            postings.append(cue_id << OFFSET_BITS | offset)
        return cue_id

    def cue(self, cue_id: int) -> Cue | None:
        """The cue with this id, or None once its signature was removed."""
        if not self._alive[cue_id]:
            return None
        start, end = self._starts[cue_id], self._starts[cue_id] + self._lengths[cue_id]
        words = self._words
        folded = tuple(words[i] for i in self._folded[start:end])
        accented = tuple(words[i] for i in self._accented[start:end])
        return Cue(self._signature_ids[self._signature_of[cue_id]], bool(self._strong[cue_id]), folded, accented)

    def word_numbers(self, words: set[str]) -> set[int]:
        """The vocabulary numbers of those words the index knows."""
        vocabulary = self._vocabulary
        return {vocabulary[w] for w in words if w in vocabulary}

    def missing(self, cue_id: int, present: set[int]) -> int:
        """How many of a cue's words are not among `present` (word numbers)."""
        start = self._starts[cue_id]
        return sum(1 for n in self._folded[start : start + self._lengths[cue_id]] if n not in present)

    def length(self, cue_id: int) -> int:
        """Number of words of a live cue (0 when removed), without building it."""
        return self._lengths[cue_id] if self._alive[cue_id] else 0

    def remove(self, signature_id: str) -> None:
        """Tombstone a signature's cues; they stop matching at once."""
        for cue_id in self._by_signature.pop(signature_id, []):
            self._alive[cue_id] = 0
            self._dead += 1
        if self._dead > 1000 and self._dead > len(self._starts) // 4:
            self.compact()

    def compact(self) -> None:
        """Rebuild without tombstones."""
        live = [cue for _, cue in self.live_cues]
        self._reset()
        for cue in live:
            self._by_signature.setdefault(cue.signature_id, []).append(self._append(cue))

    def postings(self, gram: str) -> array | None:
        return self._postings.get(gram)

    @property
    def signature_count(self) -> int:
        return len(self._by_signature)

    @property
    def live_cues(self) -> list[tuple[int, Cue]]:
        return [(i, cue) for i in range(len(self._starts)) if (cue := self.cue(i)) is not None]
