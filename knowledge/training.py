"""Training the learned layer (`canhgiac train`): deterministic, from labelled messages, with scikit-learn.

Only training needs scikit-learn and scipy (the `train` extra); checking needs the arrays it writes. The same
inputs give the same model: messages are sorted by id, solvers are deterministic, folds are seeded.

The threshold from which a message counts as "written like confirmed scams" is set from out-of-fold
probabilities on the genuine messages, so that at most GENUINE_BUDGET of them would cross it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from knowledge.engine import Engine
from knowledge.evaluation import LabelledMessage
from knowledge.features import FEATURE_SPACE, feature_ids
from knowledge.learned import METHOD_SPACE, LearnedModel
from knowledge.library import Library

MIN_THRESHOLD = 0.5
SEED = 20261201
C_METHOD = 8.0


@dataclass(frozen=True)
class TrainingOptions:
    """The scam-or-not model's settings (the defaults are what `canhgiac train` ships)."""

    c_scam: float = 32.0  # inverse regularisation strength
    genuine_budget: float = 0.01  # share of genuine training messages allowed above the threshold (out of fold)
    folds: int = 5


@dataclass(frozen=True)
class TrainingReport:
    """What training saw and how the model did out of fold."""

    scams: int
    genuine: int
    methods: int
    threshold: float
    recall: float  # scams at or above the threshold, out of fold
    genuine_above: float  # genuine messages at or above it, out of fold
    by_family: dict[str, tuple[int, int]]  # family → (scams, of which at or above the threshold)


def library_messages(library: Library) -> list[LabelledMessage]:
    """Every signature's examples (scams of its method) and counter-examples (genuine), as training data."""
    out = []
    for sig in library:
        out += [LabelledMessage(f"sig:{sig.id}:{i}", t, "scam", sig.id) for i, t in enumerate(sig.examples)]
        out += [LabelledMessage(f"sig:{sig.id}:c{i}", t, "legit") for i, t in enumerate(sig.counter_examples)]
    return out


def train(
    messages: Iterable[LabelledMessage],
    engine: Engine,
    options: TrainingOptions = TrainingOptions(),
    folded_cache: dict[str, tuple[str, ...]] | None = None,
) -> tuple[LearnedModel, TrainingReport]:
    """Fit both models on `messages` (labels "scam"/"legit"; scams carry a method id where known).

    `folded_cache` (text → folded words) spares repeated analysis when one caller trains several times."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    ordered = sorted({m.id: m for m in messages}.values(), key=lambda m: m.id)
    cache = folded_cache if folded_cache is not None else {}
    for m in ordered:
        if m.text not in cache:
            cache[m.text] = engine.analyse(m.text).views.folded
    words = [cache[m.text] for m in ordered]
    labels = np.array([m.label == "scam" for m in ordered], dtype=np.int8)
    matrix = _matrix([feature_ids(w) for w in words], FEATURE_SPACE)
    out_of_fold = np.zeros(len(ordered))
    for fit, held in StratifiedKFold(options.folds, shuffle=True, random_state=SEED).split(matrix, labels):
        model = LogisticRegression(C=options.c_scam, solver="liblinear", random_state=SEED).fit(
            matrix[fit], labels[fit]
        )
        out_of_fold[held] = model.predict_proba(matrix[held])[:, 1]
    genuine = np.sort(out_of_fold[labels == 0])
    cut = (
        genuine[min(len(genuine) - 1, math.ceil(len(genuine) * (1 - options.genuine_budget)))] if len(genuine) else 0.5
    )
    threshold = max(MIN_THRESHOLD, float(cut) + 1e-6)
    final = LogisticRegression(C=options.c_scam, solver="liblinear", random_state=SEED).fit(matrix, labels)

    scam_rows = [i for i, m in enumerate(ordered) if m.label == "scam" and m.method]
    method_names = sorted({ordered[i].method or "" for i in scam_rows})
    method_matrix = _matrix([np.unique(feature_ids(words[i]) & (METHOD_SPACE - 1)) for i in scam_rows], METHOD_SPACE)
    method_labels = np.array([method_names.index(ordered[i].method or "") for i in scam_rows])
    by_method = LogisticRegression(C=C_METHOD, max_iter=300).fit(method_matrix, method_labels)
    counts = Counter(ordered[i].method for i in scam_rows)

    model = LearnedModel(
        weights=final.coef_[0].astype(np.float32),
        bias=float(final.intercept_[0]),
        threshold=threshold,
        method_weights=by_method.coef_.astype(np.float32),
        method_bias=by_method.intercept_.astype(np.float32),
        methods=tuple(method_names),
        method_counts=tuple(counts[name] for name in method_names),
        description=f"{int(labels.sum())} scams, {int((labels == 0).sum())} genuine, {len(method_names)} methods",
    )
    return model, _report(ordered, labels, out_of_fold, threshold, len(method_names))


def _matrix(rows: list[npt.NDArray[np.int64]], width: int) -> Any:
    """A CSR matrix of binary features scaled to unit length per row (as `LearnedModel.assess` scales them)."""
    from scipy.sparse import csr_matrix

    lengths = np.array([len(r) for r in rows], dtype=np.int64)
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    indices = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    values = np.repeat(1.0 / np.sqrt(np.maximum(lengths, 1)), lengths)
    return csr_matrix((values, indices, indptr), shape=(len(rows), width))


def _report(
    ordered: list[LabelledMessage],
    labels: npt.NDArray[np.int8],
    scores: npt.NDArray[np.float64],
    threshold: float,
    methods: int,
) -> TrainingReport:
    above = scores >= threshold
    scams, genuine = int(labels.sum()), int((labels == 0).sum())
    families: dict[str, list[int]] = {}
    for message, is_scam, hit in zip(ordered, labels, above, strict=True):
        if is_scam:
            tally = families.setdefault(message.family or message.method or "?", [0, 0])
            tally[0] += 1
            tally[1] += int(hit)
    return TrainingReport(
        scams=scams,
        genuine=genuine,
        methods=methods,
        threshold=threshold,
        recall=float(above[labels == 1].mean()) if scams else 0.0,
        genuine_above=float(above[labels == 0].mean()) if genuine else 0.0,
        by_family={name: (n, hit) for name, (n, hit) in sorted(families.items())},
    )
