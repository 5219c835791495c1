"""An inverted index from folded word pairs to cue phrases, so matching cost grows slower than the library.

Each cue is indexed under every pair of adjacent words it contains. A message only has to be scored against
cues that share at least one word pair with it; a cue with a typo in one word still shares its other pairs.

Layout, for a library of 100,000 signatures (close to a million cues) in well under 100 MB:
- words are numbered; a word pair is one 64-bit key (first << 32 | second);
- cues are stored column-wise in numpy arrays of word numbers, not as one object per cue;
- postings (cue << 4 | offset of the pair in the cue) sit in one sorted array with an offset table
  (compressed sparse rows), looked up for all of a message's pairs at once;
- signatures added while the bot runs go to a small pending list that queries scan too, merged into the
  sorted arrays once it grows; removing a signature tombstones its cues, `compact` drops them.
"""

from __future__ import annotations

import itertools
import sys
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from knowledge.columns import Column, rank_in_runs
from knowledge.signature import Signature
from knowledge.text import clean_text, word_views
from knowledge.typos import TypoNeighbours


@dataclass(frozen=True, slots=True)
class Cue:
    signature_id: str
    strong: bool
    folded: tuple[str, ...]
    accented: tuple[str, ...]


@lru_cache(maxsize=1 << 16)
def cue_words(phrase: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The (folded, accented) words of a cue, through the same normalisation as messages.

    Remembered per phrase: every engine built in a process (one per start, one after each library edit)
    normalises the same few thousand cues."""
    views = word_views(clean_text(phrase).text)
    folded = tuple(sys.intern(w) for w in views.folded)
    accented = folded if views.accented == views.folded else tuple(sys.intern(w) for w in views.accented)
    return folded, accented


# A posting packs the cue id and the word offset of the pair inside the cue: cue_id << OFFSET_BITS | offset.
OFFSET_BITS = 4
MAX_OFFSET = (1 << OFFSET_BITS) - 1
MAX_CUE_WORDS = 255
_PAIR_SHIFT = 32
_START_BIAS = MAX_OFFSET + 1  # (cue, start) pairs are packed as cue << 32 | start + bias; starts can be negative
# Queries scan the pending postings, so they stay few while serving; a bulk load merges larger batches.
_RUNTIME_PENDING = 4096
_BULK_PENDING = 1 << 18
_CUE_CACHE = 10_000


@dataclass(frozen=True, slots=True)
class Alignments:
    """For each (cue, start of the cue in the message): how many of the cue's word pairs line up there."""

    cues: np.ndarray
    starts: np.ndarray
    counts: np.ndarray


class CueIndex:
    """Word-pair → (cue, offset) postings over every cue of every signature."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._vocabulary: dict[str, int] = {}
        self._words: list[str] = []
        self.typos = TypoNeighbours()
        # Word numbers of every cue, one after another; two bytes each while the vocabulary allows.
        self._folded = Column(np.uint16)
        self._accented = Column(np.uint16)
        self._starts = Column(np.int32)  # where each cue's words begin in the flat columns
        self._lengths = Column(np.uint8)
        self._strong = Column(np.bool_)
        self._alive = Column(np.bool_)
        self._signature_ids: list[str] = []  # by signature number; a replaced signature gets a new number
        self._live: dict[str, int] = {}  # signature id → its current number
        self._first_cue = Column(np.int32)  # by signature number: a signature's cues are contiguous
        self._cue_count = Column(np.int32)
        self._keys = np.zeros(0, np.int64)  # sorted distinct word-pair keys
        self._offsets = np.zeros(1, np.int64)  # postings of _keys[i] are _postings[_offsets[i]:_offsets[i + 1]]
        self._postings = np.zeros(0, np.int32)
        self._pending_keys = Column(np.int64)
        self._pending_postings = Column(np.int32)
        self._dead = 0
        self._cue_cache: dict[int, Cue] = {}  # cues the matcher scored recently, rebuilt from the columns

    # ---- building -------------------------------------------------------------------------------------

    def add(self, signature: Signature, merge: bool = True) -> None:
        """Index a signature's cues (replacing an earlier version with the same id).

        With `merge=False` (loading a whole library) pending postings pile up further before being merged;
        call `merge()` after the last one.
        """
        if signature.id in self._live:
            self.remove(signature.id)
        first = len(self._starts)
        number = self._new_signature(signature.id, first)
        for strong, phrases in ((False, signature.cues), (True, signature.strong_cues)):
            for phrase in phrases:
                folded, accented = cue_words(phrase)
                if len(folded) >= 2:
                    self._append(strong, folded[:MAX_CUE_WORDS], accented[:MAX_CUE_WORDS])
        self._cue_count[number] = len(self._starts) - first
        if len(self._pending_keys) > (_RUNTIME_PENDING if merge else _BULK_PENDING):
            self.merge()

    def _new_signature(self, signature_id: str, first_cue: int) -> int:
        number = len(self._signature_ids)
        self._signature_ids.append(signature_id)
        self._live[signature_id] = number
        self._first_cue.append(first_cue)
        self._cue_count.append(0)
        return number

    def _number(self, word: str) -> int:
        number = self._vocabulary.get(word)
        if number is None:
            number = self._vocabulary[word] = len(self._words)
            self._words.append(word)
            if number > self._folded.limit:
                self._folded.widen(np.int32)
                self._accented.widen(np.int32)
            self.typos.add(word, number)
        return number

    def reserve(self, cues: int, words: int) -> None:
        """Pre-size the columns before loading a library of about this many cues and cue words."""
        for column in (self._starts, self._lengths, self._strong, self._alive):
            column.reserve(cues)
        for column in (self._folded, self._accented):
            column.reserve(words)

    def _append(self, strong: bool, folded: tuple[str, ...], accented: tuple[str, ...]) -> int:
        cue_id = len(self._starts)
        folded_numbers = [self._number(w) for w in folded]
        self._starts.append(len(self._folded))
        self._lengths.append(len(folded))
        self._folded.extend(folded_numbers)
        self._accented.extend(folded_numbers if accented is folded else [self._number(w) for w in accented])
        self._strong.append(strong)
        self._alive.append(True)
        pairs = list(itertools.pairwise(folded_numbers))[: MAX_OFFSET + 1]
        self._pending_keys.extend(a << _PAIR_SHIFT | b for a, b in pairs)
        self._pending_postings.extend(cue_id << OFFSET_BITS | offset for offset in range(len(pairs)))
        return cue_id

    def merge(self) -> None:
        """Fold the pending postings into the sorted arrays (one copy of the postings, no full re-sort)."""
        if not len(self._pending_keys):
            return
        order = np.argsort(self._pending_keys.values, kind="stable")
        new_keys = self._pending_keys.values[order]
        new_postings = self._pending_postings.values[order]
        self._pending_keys.clear()
        self._pending_postings.clear()
        # Each new posting goes after the existing postings of its key (or where its key's run would start).
        at = self._offsets[np.searchsorted(self._keys, new_keys, side="right")]
        keys = np.union1d(self._keys, new_keys)
        counts = np.zeros(len(keys), np.int64)
        counts[np.searchsorted(keys, self._keys)] = np.diff(self._offsets)
        np.add.at(counts, np.searchsorted(keys, new_keys), 1)
        self._postings = np.insert(self._postings, at, new_postings)
        self._keys = keys
        self._offsets = np.concatenate([[0], np.cumsum(counts)])

    def remove(self, signature_id: str) -> None:
        """Tombstone a signature's cues; they stop matching at once."""
        number = self._live.pop(signature_id, None)
        if number is None:
            return
        first, count = int(self._first_cue[number]), int(self._cue_count[number])
        self._alive[first : first + count] = False
        self._dead += count
        if self._dead > 1000 and self._dead > len(self._starts) // 4:
            self.compact()

    def compact(self) -> None:
        """Rebuild without tombstones."""
        live = [cue for _, cue in self.live_cues]
        self._reset()
        for cue in live:
            number = self._live.get(cue.signature_id)
            if number is None:
                number = self._new_signature(cue.signature_id, len(self._starts))
            self._append(cue.strong, cue.folded, cue.accented)
            self._cue_count[number] += 1
            if len(self._pending_keys) > _BULK_PENDING:
                self.merge()
        self.merge()

    # ---- queries --------------------------------------------------------------------------------------

    def word_numbers(self, words: list[str] | tuple[str, ...]) -> list[int]:
        """The vocabulary number of each word, -1 for words no cue contains."""
        vocabulary = self._vocabulary
        return [vocabulary.get(w, -1) for w in words]

    @property
    def vocabulary_size(self) -> int:
        return len(self._words)

    def align(self, numbers: list[int], max_positions: int) -> Alignments:
        """Every (cue, start) that shares at least one word pair with the message, with its pair count."""
        words = np.array(numbers, np.int64)
        firsts, seconds = words[:-1], words[1:]
        known = np.flatnonzero((firsts >= 0) & (seconds >= 0))
        if not len(known):
            empty = np.zeros(0, np.int64)
            return Alignments(empty, empty, empty)
        keys = firsts[known] << _PAIR_SHIFT | seconds[known]
        # Each distinct pair at its first `max_positions` places only (a repeated phrase is not more evidence).
        order = np.argsort(keys, kind="stable")
        keys, places = keys[order], known[order]
        first = rank_in_runs(keys) < max_positions
        occurrence_keys, occurrence_at = keys[first], places[first]
        found = [_gather(self._keys, self._offsets, self._postings, occurrence_keys, occurrence_at)]
        if len(self._pending_keys):
            found.append(self._gather_pending(occurrence_keys, occurrence_at))
        postings = np.concatenate([f[0] for f in found])
        at = np.concatenate([f[1] for f in found])
        cues = (postings >> OFFSET_BITS).astype(np.int64)
        starts = at - (postings & MAX_OFFSET)
        alive = self._alive.values[cues]
        packed, counts = np.unique(cues[alive] << _PAIR_SHIFT | (starts[alive] + _START_BIAS), return_counts=True)
        return Alignments(packed >> _PAIR_SHIFT, (packed & 0xFFFFFFFF) - _START_BIAS, counts)

    def _gather_pending(self, occurrence_keys: np.ndarray, occurrence_at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        keys = self._pending_keys.values
        chosen = np.flatnonzero(np.isin(keys, occurrence_keys))
        keys = keys[chosen]
        order = np.argsort(keys, kind="stable")
        distinct, offsets = _compress(keys[order])
        return _gather(distinct, offsets, self._pending_postings.values[chosen][order], occurrence_keys, occurrence_at)

    def lengths(self, cue_ids: np.ndarray) -> np.ndarray:
        return self._lengths.values.take(cue_ids)

    def flat_words(self, cue_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The folded word numbers of these cues one after another, and where each cue's words begin."""
        lengths = self._lengths.values[cue_ids].astype(np.int64)
        firsts = np.cumsum(lengths) - lengths
        flat = np.repeat(self._starts.values[cue_ids] - firsts, lengths) + np.arange(int(lengths.sum()))
        return self._folded.values[flat], firsts

    def word(self, number: int) -> str:
        return self._words[number]

    def word_matrix(self, cue_ids: np.ndarray, width: int) -> np.ndarray:
        """The folded word numbers of each cue as one row of `width` columns, padded with -2."""
        columns = np.arange(width)
        valid = columns < self._lengths.values[cue_ids][:, None]
        at = self._starts.values[cue_ids].astype(np.int64)[:, None] + columns
        words = self._folded.values[np.where(valid, at, 0)].astype(np.int64)
        return np.where(valid, words, -2)

    def cue(self, cue_id: int) -> Cue | None:
        """The cue with this id, or None once its signature was removed."""
        if not self._alive.values[cue_id]:
            return None
        cached = self._cue_cache.get(cue_id)
        if cached is not None:
            return cached
        start = int(self._starts.values[cue_id])
        end = start + int(self._lengths.values[cue_id])
        words = self._words
        folded = tuple(words[i] for i in self._folded.values[start:end].tolist())
        accented = tuple(words[i] for i in self._accented.values[start:end].tolist())
        # Signature numbers grow with cue ids: the owner is the last signature whose cues start at or before.
        number = int(np.searchsorted(self._first_cue.values, cue_id, side="right")) - 1
        signature_id = self._signature_ids[number]
        cue = Cue(signature_id, bool(self._strong.values[cue_id]), folded, accented)
        if len(self._cue_cache) >= _CUE_CACHE:
            self._cue_cache.clear()
        self._cue_cache[cue_id] = cue
        return cue

    @property
    def signature_count(self) -> int:
        return len(self._live)

    @property
    def live_cues(self) -> list[tuple[int, Cue]]:
        alive = np.flatnonzero(self._alive.values).tolist()
        return [(i, cue) for i in alive if (cue := self.cue(i)) is not None]


def _compress(sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct keys of a sorted array and the offset where each one's run begins (plus the end)."""
    if not len(sorted_keys):
        return np.zeros(0, np.int64), np.zeros(1, np.int64)
    boundaries = np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1
    offsets = np.concatenate([[0], boundaries, [len(sorted_keys)]]).astype(np.int64)
    return sorted_keys[offsets[:-1]], offsets


def _gather(
    keys: np.ndarray, offsets: np.ndarray, postings: np.ndarray, occurrence_keys: np.ndarray, occurrence_at: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The postings of each occurring key, each paired with the message position where the key occurs."""
    if not len(keys):
        return np.zeros(0, np.int32), np.zeros(0, np.int64)
    slot = np.searchsorted(keys, occurrence_keys)
    slot[slot >= len(keys)] = 0
    hit = keys[slot] == occurrence_keys
    slot, at = slot[hit], occurrence_at[hit]
    lows, counts = offsets[slot], offsets[slot + 1] - offsets[slot]
    total = int(counts.sum())
    firsts = np.cumsum(counts) - counts
    flat = np.repeat(lows - firsts, counts) + np.arange(total)
    return postings[flat], np.repeat(at, counts)
