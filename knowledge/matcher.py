"""Fuzzy matching of a message against the signature library, behind the bigram prefilter."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from knowledge.columns import rank_in_runs
from knowledge.index import MAX_CUE_WORDS, Cue, CueIndex
from knowledge.library import Library
from knowledge.signature import Signature
from knowledge.text import WordViews
from knowledge.typos import MIN_TYPED

CUE_THRESHOLD = 88.0  # partial_ratio (0–100) at which a cue counts as present
CUE_POINTS = 15.0
STRONG_CUE_POINTS = 35.0
FULL_SIMILARITY = 30.0  # raw cue points at which a message "fully" resembles a method
MAX_POSITIONS = 6
MISSING_WORD = 0.6
EXTRA_WORD = 0.4
TYPO_SIMILARITY = 0.9  # a word one edit away from the cue's word (four letters or more)
GAPPED_MIN_WORDS = 4  # (n - EXTRA_WORD) / n reaches the threshold only from four words on
WINDOW_BOUND_WORDS = 16  # cues up to this many words are bounded by their window before scoring
WINDOW_BOUND_MIN_STARTS = 48
CHUNK_WORDS = 600  # long messages are matched in chunks of this many words ...
CHUNK_OVERLAP = 32  # ... overlapping by this many, so a cue on a boundary is still seen whole
PREFILTER_RATIO = 75.0  # full-scan baseline: character-level partial_ratio before the word-level check


@dataclass(frozen=True, slots=True)
class CueHit:
    phrase: str
    strong: bool
    score: float  # 0–100


@dataclass(frozen=True, slots=True)
class MethodMatch:
    """How closely a message resembles one method, and which cue phrases showed it."""

    signature: Signature
    similarity: float  # 0–1
    raw_points: float
    hits: tuple[CueHit, ...]


class Matcher:
    """Scores messages against a library; signatures can be added or removed while it serves."""

    def __init__(self, library: Library) -> None:
        self._signatures: dict[str, Signature] = {}
        self.window_bound_min_starts = WINDOW_BOUND_MIN_STARTS  # a speed setting: results are the same either way
        self.index = CueIndex()
        phrases = [p for signature in library for p in (*signature.cues, *signature.strong_cues)]
        self.index.reserve(len(phrases), sum(p.count(" ") + 1 for p in phrases))
        del phrases
        for signature in library:
            self._signatures[signature.id] = signature
            self.index.add(signature, merge=False)
        self.index.merge()

    def add(self, signature: Signature) -> None:
        self._signatures[signature.id] = signature
        self.index.add(signature)

    def remove(self, signature_id: str) -> None:
        self._signatures.pop(signature_id, None)
        self.index.remove(signature_id)

    @property
    def signatures(self) -> list[Signature]:
        return list(self._signatures.values())

    def match(self, views: WordViews, limit: int = 3) -> list[MethodMatch]:
        """Best-matching methods for a message, most similar first.

        A long message is matched in overlapping chunks of words, so the memory a check needs stays bounded
        whatever the message (a 20,000-character text against 100,000 signatures would otherwise need
        about 100 MB of intermediate arrays). Cues longer than the overlap are rare; they match within a chunk.
        """
        size = len(views.folded)
        if size <= CHUNK_WORDS:
            return self._aggregate(self._scored(views), limit)
        scored: list[tuple[Cue, float]] = []
        for start in range(0, size - CHUNK_OVERLAP, CHUNK_WORDS - CHUNK_OVERLAP):
            end = start + CHUNK_WORDS
            scored += self._scored(
                WordViews(
                    views.accented[start:end], views.folded[start:end], typed_with_accents=views.typed_with_accents
                )
            )
        return self._aggregate(scored, limit)

    def _scored(self, views: WordViews) -> list[tuple[Cue, float]]:
        """Every cue that reaches the threshold somewhere in these words, with its best score."""
        index = self.index
        numbers = index.word_numbers(views.folded)
        # Every (cue, start in the message) and how many of the cue's word pairs line up there.
        aligned = index.align(numbers, MAX_POSITIONS)
        if not len(aligned.cues):
            return []
        lengths = index.lengths(aligned.cues)
        enough = aligned.counts >= _REQUIRED_PAIRS[lengths]
        cues, starts = aligned.cues[enough], aligned.starts[enough]
        near = np.zeros(index.vocabulary_size, np.bool_)
        near[index.typos.near_all(set(views.folded))] = True
        possible = self._could_score(np.unique(cues), numbers, near)
        if not len(possible):
            return []
        slots = np.searchsorted(possible, cues)  # both sorted
        chosen = possible[np.minimum(slots, len(possible) - 1)] == cues
        cues, starts = cues[chosen], starts[chosen]
        if len(cues) > self.window_bound_min_starts:  # for a handful, scoring them directly is cheaper
            # score_cue tries a cue's first MAX_POSITIONS starts (sorted); each can only score with the words
            # inside its window, so drop the starts whose window cannot reach the threshold.
            first = rank_in_runs(cues) < MAX_POSITIONS
            cues, starts = cues[first], starts[first]
            hopeful = self._window_bounds(cues, starts, numbers, near) >= CUE_THRESHOLD
            cues, starts = cues[hopeful], starts[hopeful]
        starts_of: dict[int, list[int]] = {}
        for cue_id, start in zip(cues.tolist(), starts.tolist(), strict=True):
            starts_of.setdefault(cue_id, []).append(start)
        scored: list[tuple[Cue, float]] = []
        for cue_id, cue_starts in starts_of.items():
            cue = index.cue(cue_id)
            assert cue is not None
            score = score_cue(cue, views, cue_starts)
            if score >= CUE_THRESHOLD:
                scored.append((cue, score))
        return scored

    def _could_score(self, candidates: np.ndarray, numbers: list[int], near: np.ndarray) -> np.ndarray:
        """The candidate cues whose words can all be there: no more inexact words than allowed, and even with
        every present word scoring fully and every near word as a typo, able to reach the threshold."""
        index = self.index
        exact = np.zeros(index.vocabulary_size, np.bool_)
        exact[[n for n in numbers if n >= 0]] = True
        words, firsts = index.flat_words(candidates)
        inexact_words = ~exact[words]
        inexact = np.add.reduceat(inexact_words, firsts)
        absent = np.add.reduceat(inexact_words & ~near[words], firsts)
        sizes = index.lengths(candidates).astype(np.int64)
        best = sizes - absent - (1.0 - TYPO_SIMILARITY) * (inexact - absent)
        return candidates[(inexact <= _INEXACT_ALLOWED[sizes]) & (100.0 * best >= CUE_THRESHOLD * sizes)]

    def _window_bounds(self, cues: np.ndarray, starts: np.ndarray, numbers: list[int], near: np.ndarray) -> np.ndarray:
        """Upper bound (0–100) of score_cue for each (cue, start): words of the cue found exactly within the
        window score_cue looks at (one word either side) count fully, near words as typos, others nothing."""
        bounds = np.full(len(cues), 100.0)
        sizes = self.index.lengths(cues).astype(np.int64)
        short = np.flatnonzero(sizes <= WINDOW_BOUND_WORDS)  # longer cues are rare: left to score_cue
        if not len(short):
            return bounds
        sizes = sizes[short]
        width = int(sizes.max())
        words = self.index.word_matrix(cues[short], width)  # -2 pads
        message = np.array([*numbers, -1], np.int64)  # -1: unknown word, or outside the message
        columns = np.arange(width + 2)
        at = starts[short, None] - 1 + columns
        inside = (at >= 0) & (at < len(numbers)) & (columns < sizes[:, None] + 2)
        window = np.where(inside, message[np.where(inside, at, len(numbers))], -1)
        exact = (words[:, :, None] == window[:, None, :]).any(axis=2)
        typo = near[np.maximum(words, 0)] & (words >= 0)
        points = np.where(exact, 1.0, np.where(typo, TYPO_SIMILARITY, 0.0)).sum(axis=1)
        bounds[short] = 100.0 * points / sizes
        return bounds

    def match_full_scan(self, views: WordViews, limit: int = 3) -> list[MethodMatch]:
        """Baseline without the prefilter: every live cue scored against the whole message."""
        text = " ".join(views.folded)
        scored = []
        for _, cue in self.index.live_cues:
            if not fuzz.partial_ratio(" ".join(cue.folded), text, score_cutoff=PREFILTER_RATIO):
                continue
            starts = [i - k for i, word in enumerate(views.folded) for k in range(2) if word == cue.folded[k]]
            score = score_cue(cue, views, starts, cap=None)
            if score >= CUE_THRESHOLD:
                scored.append((cue, score))
        return self._aggregate(scored, limit)

    def _aggregate(self, scored: list[tuple[Cue, float]], limit: int) -> list[MethodMatch]:
        by_signature: dict[str, dict[tuple[str, ...], CueHit]] = {}
        for cue, score in scored:
            hits = by_signature.setdefault(cue.signature_id, {})
            phrase = " ".join(cue.accented)
            previous = hits.get(cue.folded)
            if previous is None or previous.score < score:
                hits[cue.folded] = CueHit(phrase, cue.strong, score)
        matches = []
        for signature_id, hits in by_signature.items():
            signature = self._signatures.get(signature_id)
            if signature is None:
                continue
            raw = sum((STRONG_CUE_POINTS if h.strong else CUE_POINTS) * h.score / 100 for h in hits.values())
            ordered = tuple(sorted(hits.values(), key=lambda h: (-h.strong, -h.score)))
            matches.append(MethodMatch(signature, min(1.0, raw / FULL_SIMILARITY), raw, ordered))
        matches.sort(key=lambda m: (-m.raw_points * m.signature.weight, m.signature.id))
        return matches[:limit]


def inexact_allowed(words: int) -> int:
    """How many of a cue's words may differ from the message (a typo) or be absent: the match rule."""
    return 1 if words <= 4 else 2


def _required_pairs(words: int) -> int:
    """Aligned word pairs a matching cue always has: each inexact word breaks two, an extra word one more."""
    return max(1, words - 2 - 2 * inexact_allowed(words))


_INEXACT_ALLOWED = np.array([inexact_allowed(n) for n in range(MAX_CUE_WORDS + 1)])
_REQUIRED_PAIRS = np.array([_required_pairs(n) if n >= 2 else 1 << 30 for n in range(MAX_CUE_WORDS + 1)])


def score_cue(cue: Cue, views: WordViews, starts: list[int], cap: int | None = MAX_POSITIONS) -> float:
    """Word-level similarity (0–100) of a cue to the message, trying windows that start near `starts`.

    Each cue word must appear, in order: a typo inside a longer word is tolerated, a different word is
    not, and words that differ only by their accents ("bán" / "bạn") count as different when the message
    was typed with accents.
    """
    size = len(cue.folded)
    allowed = inexact_allowed(size)
    words = set(cue.folded)
    best = 0.0
    for start in sorted(set(starts))[:cap]:
        if start >= 0 and views.folded[start : start + size] == cue.folded and _accents_agree(cue, views, start):
            return 100.0
        if start >= 0 and start + size <= len(views.folded):
            # Word by word in place: catches typos and accent differences without the alignment below.
            total, inexact = 0.0, 0
            for i in range(size):
                similarity = _word_similarity(cue, i, views, start + i)
                total += similarity
                if similarity < 1.0:
                    inexact += 1
                    if inexact > allowed:
                        break
            else:
                best = max(best, 100.0 * total / size)
                if best >= CUE_THRESHOLD:
                    continue
        if size < GAPPED_MIN_WORDS:
            continue  # a missing or extra word can never keep a short cue above the threshold
        lo, hi = max(0, start - 1), min(len(views.folded), start + size + 1)
        window = views.folded[lo:hi]
        exact = sum(1 for w in words if w in window)
        # Best case for a gapped alignment: the other words are typos and there is a single extra word.
        if (
            size - exact > allowed
            or 100.0 * (exact + TYPO_SIMILARITY * (size - exact) - EXTRA_WORD) / size < CUE_THRESHOLD
        ):
            continue
        best = max(best, _align(cue, views, lo, hi))
        if best >= 100.0:
            break
    return best


def _accents_agree(cue: Cue, views: WordViews, start: int) -> bool:
    """True unless a word differs from the cue's only by its accents, where the message was typed with them (a
    bare word in a message typed with accents counts as typed with accents)."""
    for i, typed in enumerate(views.accented[start : start + len(cue.folded)]):
        bare = typed == views.folded[start + i] and not views.typed_with_accents
        if typed != cue.accented[i] and not bare and cue.accented[i] != cue.folded[i]:
            return False
    return True


def _word_similarity(cue: Cue, i: int, views: WordViews, j: int) -> float:
    folded = views.folded[j]
    if folded == cue.folded[i]:
        typed = views.accented[j]
        bare = typed == folded and not views.typed_with_accents
        if not bare and cue.accented[i] != cue.folded[i] and typed != cue.accented[i]:
            return 0.6
        return 1.0
    if len(folded) >= MIN_TYPED and Levenshtein.distance(folded, cue.folded[i], score_cutoff=1) <= 1:
        return TYPO_SIMILARITY
    return 0.0


def _align(cue: Cue, views: WordViews, lo: int, hi: int) -> float:
    """Best alignment of every cue word to a run of message words in [lo, hi), as a percentage."""
    n, m = len(cue.folded), hi - lo
    previous = [0.0] * (m + 1)  # aligning zero cue words costs nothing wherever it starts
    for i in range(1, n + 1):
        current = [float("-inf")] * (m + 1)
        for j in range(1, m + 1):
            current[j] = max(
                previous[j - 1] + _word_similarity(cue, i - 1, views, lo + j - 1),
                previous[j] - MISSING_WORD,
                current[j - 1] - EXTRA_WORD if i > 1 else float("-inf"),
            )
        current[0] = previous[0] - MISSING_WORD
        previous = current
    return max(0.0, max(previous) / n * 100.0)
