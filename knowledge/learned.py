"""The learned layer: a linear model over hashed text features, trained from labelled messages in the repository.

Two parts, both plain arrays in one `.npz` file (no pickled objects; `canhgiac train` writes it):
- a scam-or-not model (logistic regression over `features.feature_ids`, binary features scaled to unit length):
  the probability that a message is written like the confirmed scams it was trained on;
- a method model (one linear scorer per method over the same features folded into METHOD_BITS bits): which
  method's confirmed examples the message reads most like.

The scorer is pure numpy and costs well under a millisecond per check. It explains itself as one reason in the
verdict; `knowledge.scoring` decides what that reason may change (never low to high on its own).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO

import numpy as np
import numpy.typing as npt

from knowledge.data_files import open_binary
from knowledge.features import FEATURE_SPACE, feature_ids

METHOD_BITS = 15
# Beside rules that already found something (a score of at least SUPPORTED_BASE), a message counts as scam-like
# from this probability; alone it needs the model's own threshold. Measured by leaving each independent writer's
# set out of training (benchmarks/cross_writer.py; docs/quality.md).
SUPPORTED_PROBABILITY = 0.6
METHOD_SPACE = 1 << METHOD_BITS
MODEL_FILE = "data/learned.npz"


@dataclass(frozen=True, slots=True)
class LearnedResult:
    """What the model says about one message."""

    probability: float  # that the message is a scam, as the training data would have it
    method: str | None  # the method whose confirmed examples it reads most like
    examples: int  # how many confirmed examples of that method the model learned from
    scam_like: bool = False  # the probability reaches the model's threshold
    supporting: bool = False  # high enough to count beside red flags the rules found (SUPPORTED_PROBABILITY)


@dataclass(frozen=True)
class LearnedModel:
    """A trained model: weights, bias, the probability from which a message counts as scam-like, methods."""

    weights: npt.NDArray[np.float32]
    bias: float
    threshold: float
    method_weights: npt.NDArray[np.float32]
    method_bias: npt.NDArray[np.float32]
    methods: tuple[str, ...]
    method_counts: tuple[int, ...]
    description: str = ""

    def assess(self, folded_words: tuple[str, ...] | list[str]) -> LearnedResult:
        """The scam probability and the closest method of a message (its folded words)."""
        ids = feature_ids(folded_words)
        if ids.size == 0:
            return LearnedResult(0.0, None, 0)
        scale = 1.0 / math.sqrt(ids.size)
        logit = float(self.weights[ids].sum()) * scale + self.bias
        probability = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, logit))))
        method, examples = None, 0
        supporting = probability >= min(self.threshold, SUPPORTED_PROBABILITY)
        if self.methods and supporting:  # the method is named only in the reason it gives
            folded = np.unique(ids & (METHOD_SPACE - 1))
            scores = self.method_weights[:, folded].sum(axis=1) / math.sqrt(folded.size) + self.method_bias
            best = int(np.argmax(scores))
            method, examples = self.methods[best], self.method_counts[best]
        return LearnedResult(probability, method, examples, probability >= self.threshold, supporting)

    def save(self, path: Path) -> None:
        """Write the model as plain arrays (float16 weights keep the file small)."""
        np.savez_compressed(
            path,
            weights=self.weights.astype(np.float16),
            bias=np.float32(self.bias),
            threshold=np.float32(self.threshold),
            method_weights=self.method_weights.astype(np.float16),
            method_bias=self.method_bias.astype(np.float32),
            methods=np.array(self.methods, dtype=np.str_),
            method_counts=np.array(self.method_counts, dtype=np.int32),
            description=np.array(self.description, dtype=np.str_),
        )


def load_model(source: Path | IO[bytes]) -> LearnedModel:
    """Read a model written by `LearnedModel.save` (arrays only: allow_pickle stays off)."""
    with np.load(source, allow_pickle=False) as data:
        weights = data["weights"].astype(np.float32)
        weights.flags.writeable = False  # one model may serve many engines: nobody writes to it
        if weights.shape != (FEATURE_SPACE,):
            raise ValueError(f"learned model: weights for {weights.shape} features, expected {FEATURE_SPACE}")
        return LearnedModel(
            weights=weights,
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            method_weights=data["method_weights"].astype(np.float32),
            method_bias=data["method_bias"].astype(np.float32),
            methods=tuple(str(m) for m in data["methods"]),
            method_counts=tuple(int(c) for c in data["method_counts"]),
            description=str(data["description"]),
        )


@lru_cache(maxsize=1)
def load_shipped_model() -> LearnedModel | None:
    """The model shipped in the package, or None when none has been trained (read once: its arrays are never
    written to)."""
    source = open_binary(MODEL_FILE)
    if source is None:
        return None
    with source:
        return load_model(source)
