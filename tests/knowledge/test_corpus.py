"""The labelled corpus: targets on the development set, an honest floor on the held-out set."""

from pathlib import Path

import pytest

from knowledge.engine import Engine
from knowledge.evaluation import evaluate, load_corpus

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
ENGINE = Engine()


def _report(*names):
    files = [CORPUS / n for n in names if (CORPUS / n).exists()]
    if not files:
        pytest.fail(f"corpus files missing: {names}")
    return evaluate(ENGINE, load_corpus(files))


def test_corpus_size_and_coverage():
    messages = load_corpus(sorted(CORPUS.glob("*.jsonl")))
    scams = [m for m in messages if m.label == "scam"]
    legit = [m for m in messages if m.label == "legit"]
    assert len(scams) >= 250 and len(legit) >= 250
    methods = {s.id for s in ENGINE.signatures}
    assert methods <= {m.method for m in scams}
    assert {"unaccented", "obfuscated", "teencode"} <= {m.variant for m in messages}


def test_whole_corpus_meets_targets():
    report = _report("dev.jsonl", "holdout.jsonl")
    assert report.overall.recall >= 0.95
    assert report.overall.fpr_medium <= 0.03
    assert report.overall.fpr_high <= 0.01


def test_development_split_meets_targets():
    report = _report("dev.jsonl")
    assert report.overall.recall >= 0.95
    assert report.overall.fpr_medium <= 0.03
    assert report.overall.fpr_high <= 0.01


def test_held_out_split_does_not_regress():
    """The held-out split was never used for tuning; this floor only guards against regressions.

    Measured when it was set: recall 0.880, FPR(>= medium) 0.036, FPR(high) 0.009 (see README).
    """
    report = _report("holdout.jsonl")
    assert report.overall.recall >= 0.85
    assert report.overall.fpr_medium <= 0.05
    assert report.overall.fpr_high <= 0.02


def test_unseen_corpus_does_not_regress():
    """Written on 2026-11-28 by someone who never saw the signatures or the other corpora (tests/corpus/unseen).

    The tuning half was used for error analysis; the blind half never was (measured before and after only).
    Measured when the floors were set: tuning half recall 0.900, FPR(>= medium) 0.017; blind half recall 0.600,
    FPR(>= medium) 0.017, FPR(high) 0.000 — many of its scams are first-contact openers with no request yet.
    """
    tuning = _report("unseen/tune.jsonl").overall
    assert tuning.recall >= 0.85 and tuning.fpr_medium <= 0.05 and tuning.fpr_high <= 0.02
    blind = _report("unseen/blind.jsonl").overall
    assert blind.recall >= 0.55 and blind.fpr_medium <= 0.05 and blind.fpr_high <= 0.02


def test_every_method_is_caught_on_development_messages():
    report = _report("dev.jsonl")
    weak = {m: round(t.recall, 2) for m, t in report.by_method.items() if t.recall < 0.8}
    assert not weak, weak
