"""Near-duplicate grouping: the same scam message sent in by several people, with small differences (a name,
a number, a link, accents or none) is one item to review, not many.

Texts are compared folded (no accents, lower case) with digits and links blanked, by rapidfuzz's
token_sort_ratio, which ignores word order. Groups are the connected components of
"at least THRESHOLD similar" (single linkage), found with one all-pairs matrix: a few hundred pending reports
take milliseconds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process

from knowledge.text import clean_text
from knowledge.tones import fold

THRESHOLD = 80.0
_LINK = re.compile(r"\S+\.\S+/?\S*|https?://\S+")
_DIGITS = re.compile(r"\d[\d .,-]*\d|\d")


def comparable(text: str) -> str:
    """The form two copies of one message share: folded, links and numbers blanked, spaces collapsed."""
    folded = fold(clean_text(text).text).lower()
    return " ".join(_DIGITS.sub(" 0 ", _LINK.sub(" link ", folded)).split())


def group_near_duplicates(texts: Sequence[str], threshold: float = THRESHOLD) -> list[list[int]]:
    """Indexes of `texts` grouped by near-duplicate similarity; each group in input order, groups by their
    first member."""
    if not texts:
        return []
    forms = [comparable(t) for t in texts]
    scores = process.cdist(forms, forms, scorer=fuzz.token_sort_ratio, score_cutoff=threshold, dtype=np.uint8)
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in zip(*np.nonzero(scores), strict=True):
        if i < j and forms[i] and forms[j]:
            parent[root(int(j))] = root(int(i))
    groups: dict[int, list[int]] = {}
    for i in range(len(texts)):
        groups.setdefault(root(i), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])
