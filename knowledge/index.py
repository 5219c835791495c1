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


class CueIndex:
    """Bigram → cue ids postings over every cue of every signature."""

    def __init__(self) -> None:
        self.cues: list[Cue | None] = []
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
                if len(folded) < 2:
                    continue
                cue_id = len(self.cues)
                self.cues.append(Cue(signature.id, strong, folded, accented))
                ids.append(cue_id)
                for gram in set(bigrams(folded)):
                    postings = self._postings.get(gram)
                    if postings is None:
                        postings = self._postings[gram] = array("i")
                    postings.append(cue_id)
        self._by_signature[signature.id] = ids

    def remove(self, signature_id: str) -> None:
        """Tombstone a signature's cues; they stop matching at once."""
        for cue_id in self._by_signature.pop(signature_id, []):
            self.cues[cue_id] = None
            self._dead += 1
        if self._dead > 1000 and self._dead > len(self.cues) // 4:
            self.compact()

    def compact(self) -> None:
        """Rebuild postings without tombstones."""
        live = [c for c in self.cues if c is not None]
        self.cues, self._postings, self._by_signature, self._dead = [], {}, {}, 0
        for cue in live:
            cue_id = len(self.cues)
            self.cues.append(cue)
            self._by_signature.setdefault(cue.signature_id, []).append(cue_id)
            for gram in set(bigrams(cue.folded)):
                self._postings.setdefault(gram, array("i")).append(cue_id)

    def postings(self, gram: str) -> array | None:
        return self._postings.get(gram)

    def candidates(self, message_bigrams: dict[str, list[int]]) -> dict[int, list[int]]:
        """Cue ids sharing a bigram with the message, each with the message positions of the shared bigrams."""
        found: dict[int, list[int]] = {}
        for gram, positions in message_bigrams.items():
            postings = self._postings.get(gram)
            if postings is None:
                continue
            for cue_id in postings:
                if self.cues[cue_id] is not None:
                    found.setdefault(cue_id, []).extend(positions)
        return found

    @property
    def signature_count(self) -> int:
        return len(self._by_signature)

    @property
    def live_cues(self) -> list[tuple[int, Cue]]:
        return [(i, c) for i, c in enumerate(self.cues) if c is not None]
