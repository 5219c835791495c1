"""The learned layer: features, training, the saved arrays, and what the scorer lets it change."""

import time
from pathlib import Path

import numpy as np
import pytest

from knowledge.data_files import open_binary
from knowledge.engine import Engine
from knowledge.evaluation import LabelledMessage
from knowledge.features import FEATURE_SPACE, feature_ids
from knowledge.learned import MODEL_FILE, LearnedModel, LearnedResult, load_model, load_shipped_model
from knowledge.library import load_shipped_library
from knowledge.training import library_messages, train
from knowledge.verdict import Level

RULES_ONLY = Engine(learned=False)
LURE = "Nhà cái uy tín, nạp đầu tặng 100%, rút tiền siêu tốc. Liên hệ Zalo 0912 345 678"


def folded(text: str) -> tuple[str, ...]:
    return RULES_ONLY.analyse(text).views.folded


def test_obfuscated_and_plain_spellings_give_the_same_features():
    plain = feature_ids(folded("nhà cái uy tín nạp đầu"))
    assert np.array_equal(plain, feature_ids(folded("n.h.a c.a.i uy tin nap dau")))
    assert np.array_equal(plain, feature_ids(folded("NHÀ CÁI UY TÍN NẠP ĐẦU")))


def test_features_are_sorted_distinct_bounded_and_digit_blind():
    ids = feature_ids(folded("mã 123456 hết hạn sau 5 phút"))
    assert ids.dtype == np.int64 and np.all(np.diff(ids) > 0)
    assert ids.min() >= 0 and ids.max() < FEATURE_SPACE
    assert np.array_equal(ids, feature_ids(folded("mã 987654 hết hạn sau 3 phút")))
    assert feature_ids(()).size == 0
    huge = feature_ids(folded("lừa " * 50_000))
    assert huge.size < 100  # a long message is represented by its first words


@pytest.fixture(scope="module")
def small_model() -> LearnedModel:
    """Trained on the signature library's examples and counter-examples only: seconds, and deterministic."""
    model, _report = train(library_messages(load_shipped_library()), RULES_ONLY)
    return model


@pytest.mark.slow
def test_training_is_deterministic(small_model):
    again, report = train(library_messages(load_shipped_library()), RULES_ONLY)
    assert np.array_equal(again.weights, small_model.weights) and again.threshold == small_model.threshold
    assert report.scams > 0 and report.genuine > 0 and 0.5 <= report.threshold < 1
    assert 0 <= report.genuine_above <= 0.05 and set(report.by_family) <= {s.id for s in load_shipped_library()}


@pytest.mark.slow
def test_save_and_load_give_the_same_answers(small_model, tmp_path):
    path = tmp_path / "model.npz"
    small_model.save(path)
    loaded = load_model(path)
    assert loaded.methods == small_model.methods and loaded.method_counts == small_model.method_counts
    for text in (LURE, "Mẹ ơi tối nay con về ăn cơm", "Vietcombank: ma OTP 123456, KHONG chia se cho ai"):
        before, after = small_model.assess(folded(text)), loaded.assess(folded(text))
        assert after.method == before.method
        assert after.probability == pytest.approx(before.probability, abs=0.01)  # weights stored as float16


def test_a_model_file_holding_objects_or_wrong_shapes_is_refused(tmp_path):
    pickled = tmp_path / "pickled.npz"
    np.savez(pickled, weights=np.array([object()], dtype=object))
    with pytest.raises(ValueError):
        load_model(pickled)
    small = tmp_path / "small.npz"
    np.savez(small, weights=np.zeros(10, dtype=np.float16))
    with pytest.raises(ValueError, match="expected"):
        load_model(small)


def test_an_empty_message_is_not_scam_like():
    model = load_shipped_model()
    assert model is not None and model.assess(()) == LearnedResult(0.0, None, 0)


def test_learned_layer_lifts_to_suspicious_and_never_to_high():
    """A model that calls everything a scam can add a reason and lift a message to medium, no further."""
    zeros = np.zeros(FEATURE_SPACE, dtype=np.float32)
    methods = ("gambling",)
    certain = LearnedModel(zeros, 50.0, 0.5, np.zeros((1, 1 << 15), np.float32), np.zeros(1, np.float32), methods, (9,))
    engine = Engine(learned=certain)
    for text in ("Chiều nay họp lớp lúc 3 giờ nhé", "Cho mình hỏi giá bộ bàn ghế này"):
        verdict = engine.check(text)
        assert verdict.level is Level.MEDIUM, text
        reason = next(r for r in verdict.reasons if r.code == "learned")
        assert "«Cờ bạc" in reason.text_vi and "9 tin mẫu" in reason.text_vi and "9 examples" in reason.text_en
        assert RULES_ONLY.check(text).level is Level.LOW
    # High still needs hard evidence: a known method with no request stays "suspicious" whatever the model says.
    method_only = "Nhà cái uy tín nạp đầu tặng 100%"
    assert RULES_ONLY.check(method_only).level is Level.MEDIUM
    verdict = engine.check(method_only)
    assert verdict.level is Level.MEDIUM and verdict.score == RULES_ONLY.check(method_only).score


def test_shipped_model_is_small_loads_fast_and_is_used_by_default():
    source = open_binary(MODEL_FILE)
    assert source is not None, "knowledge/data/learned.npz is missing: run `canhgiac train`"
    with source:
        size = len(source.read())
    assert size <= 5_000_000
    started = time.perf_counter()
    model = load_shipped_model()
    assert model is not None and time.perf_counter() - started < 1.0
    assert Engine().learned is not None and len(model.methods) >= 20
    assert model.assess(folded(LURE)).scam_like and not model.assess(folded("Mẹ ơi tối con về ăn cơm")).scam_like


def test_training_messages_are_not_evaluation_messages():
    """No text of an evaluation set is in the training corpus (the numbers would mean nothing)."""
    from knowledge.evaluation import load_corpus

    corpus = Path(__file__).resolve().parents[1] / "corpus"
    evaluation = {m.text for m in load_corpus([*corpus.glob("*.jsonl"), *(corpus / "unseen").glob("*.jsonl")])}
    training = load_corpus(sorted((corpus / "train").glob("*.jsonl")))
    assert len(training) >= 6000
    assert not [m.id for m in training if m.text in evaluation]
    assert {m.label for m in training} == {"scam", "legit"}


@pytest.mark.slow
def test_reviewed_reports_train_like_any_labelled_message():
    extra = [LabelledMessage(f"report:{i}", f"Tin nhắn người dân gửi số {i}", "legit") for i in range(3)]
    _model, report = train(library_messages(load_shipped_library()) + extra, RULES_ONLY)
    _base, base_report = train(library_messages(load_shipped_library()), RULES_ONLY)
    assert report.genuine == base_report.genuine + 3
