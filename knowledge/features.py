"""Hashed text features for the learned layer: words, word pairs and letter n-grams of the folded view.

The engine's folded view has diacritics removed, obfuscation undone, teencode expanded and links, phone and
account numbers replaced by placeholder words, so "n.h.a c.a.i", "nha cai" and "nhà cái" give the same
features. Each feature string is hashed (CRC-32, stable across processes and versions) into FEATURE_BITS bits;
a message becomes a sorted array of distinct feature ids. Training and checking use this one function.
"""

from __future__ import annotations

import itertools
import zlib
from functools import lru_cache

import numpy as np
import numpy.typing as npt

FEATURE_BITS = 18
FEATURE_SPACE = 1 << FEATURE_BITS
CHAR_NGRAMS = (3, 4, 5)
MAX_WORDS = 400  # a long message is represented by its first words: features per check stay bounded
# Every digit reads as 0: amounts, codes and numbers differ in value, not in what they say about the message.
_DIGITS = str.maketrans("123456789", "000000000")


def feature_ids(folded_words: tuple[str, ...] | list[str]) -> npt.NDArray[np.int64]:
    """Distinct hashed feature ids of a message's folded words, sorted."""
    words = [word.translate(_DIGITS) for word in folded_words[:MAX_WORDS]]
    hashed: set[int] = set()
    for word in words:
        hashed.update(_word_ids(word))
    hashed.update(_hash(f"{a} {b}") for a, b in itertools.pairwise(words))
    return np.fromiter(sorted(hashed), dtype=np.int64, count=len(hashed))


@lru_cache(maxsize=1 << 17)
def _word_ids(word: str) -> tuple[int, ...]:
    """The ids of a word and of its letter n-grams: words recur across messages, so they are hashed once."""
    grams = {word}
    padded = f"<{word}>"
    for size in CHAR_NGRAMS:
        if len(padded) > size:
            grams.update(f"#{padded[i : i + size]}" for i in range(len(padded) - size + 1))
    return tuple({_hash(gram) for gram in grams})


def _hash(gram: str) -> int:
    return zlib.crc32(gram.encode("utf-8")) & (FEATURE_SPACE - 1)
