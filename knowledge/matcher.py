"""Fuzzy matching of a message against the signature library, behind the bigram prefilter."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from knowledge.index import Cue, CueIndex, bigrams
from knowledge.library import Library
from knowledge.signature import Signature
from knowledge.text import WordViews

CUE_THRESHOLD = 88.0  # partial_ratio (0–100) at which a cue counts as present
CUE_POINTS = 15.0
STRONG_CUE_POINTS = 35.0
FULL_SIMILARITY = 30.0  # raw cue points at which a message "fully" resembles a method
MAX_POSITIONS = 6


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
        self.index = CueIndex()
        for signature in library:
            self.add(signature)

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
        """Best-matching methods for a message, most similar first."""
        positions: dict[str, list[int]] = {}
        for i, gram in enumerate(bigrams(views.folded)):
            positions.setdefault(gram, []).append(i)
        scored: list[tuple[Cue, float]] = []
        for cue_id, where in self.index.candidates(positions).items():
            cue = self.index.cues[cue_id]
            assert cue is not None
            score = score_cue(cue, views, where)
            if score >= CUE_THRESHOLD:
                scored.append((cue, score))
        return self._aggregate(scored, limit)

    def match_full_scan(self, views: WordViews, limit: int = 3) -> list[MethodMatch]:
        """Baseline without the prefilter: every live cue scored against the whole message."""
        text = " ".join(views.folded)
        scored = []
        for _, cue in self.index.live_cues:
            score = fuzz.partial_ratio(" ".join(cue.folded), text, score_cutoff=CUE_THRESHOLD)
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


def score_cue(cue: Cue, views: WordViews, positions: list[int]) -> float:
    """Similarity of a cue to the message around the positions where they share a word pair."""
    phrase = " ".join(cue.folded)
    size = len(cue.folded)
    best = 0.0
    for pos in positions[:MAX_POSITIONS]:
        lo, hi = max(0, pos - size), min(len(views.folded), pos + size + 1)
        window = " ".join(views.folded[lo:hi])
        score = 100.0 if f" {phrase} " in f" {window} " else fuzz.partial_ratio(phrase, window, score_cutoff=CUE_THRESHOLD)
        if score >= CUE_THRESHOLD:
            score = _accent_check(cue, views, lo, hi, score)
        best = max(best, score)
        if best == 100.0:
            break
    return best


def _accent_check(cue: Cue, views: WordViews, lo: int, hi: int, folded_score: float) -> float:
    """When the message is typed with accents, words that differ only by accents are different words."""
    window_accented = views.accented[lo:hi]
    if window_accented == views.folded[lo:hi]:
        return folded_score  # typed without diacritics: the folded view decides
    accented_score = fuzz.partial_ratio(" ".join(cue.accented), " ".join(window_accented))
    return max(min(folded_score, accented_score + 8.0), 0.0)
