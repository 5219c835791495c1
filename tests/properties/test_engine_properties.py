"""Property-based tests (hypothesis) of the risk engine: whatever text arrives (any Unicode, obfuscation, lone
surrogates, control characters, huge runs of digits or dots) normalisation, extraction, matching and scoring
never raise, indicator spans point into the text, and a check stays within a bounded time.

The time bound is generous on purpose (a shared 2-core machine): it catches pathological, super-linear cases,
not a regression of milliseconds, which the benchmarks in benchmarks/ measure."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge import Engine, Level
from knowledge.text import clean_text, word_views

ENGINE = Engine()
SECONDS_PER_CHECK = 2.0  # the engine's p99 is a few milliseconds; only a pathological input comes near this

# Pieces scam texts are made of, so generated texts reach the interesting code paths (links, numbers, cues).
PIECES = st.sampled_from(
    [
        "vietcombank-xacthuc.top",
        "hxxp://bit[.]ly/abc",
        "https://vcb.com.vn",
        "0912 345 678",
        "+84 (0) 912.345.678",
        "STK 0123456789",
        "5tr",
        "500k",
        "OTP",
        "mã OTP 123 456",
        "n.h.a c.a.i",
        "ch.u.y.ể.n kh0ản",
        "Zalo",
        "chuyển khoản gấp",
        "không được nói với ai",
        "http://",
        ".",
        "@",
        "/start d_x",
        "\u200b",
        "\ufeff",
        "️",
        "Đ",
        "ở",
        "ạ",
        "x" * 200,
        "9" * 60,
        ". " * 100,
        "\n",
        "\u202e",
        "\ud800",
    ]
)
TEXTS = st.one_of(
    st.text(max_size=2_000),
    st.lists(st.one_of(PIECES, st.text(max_size=30)), max_size=120).map(" ".join),
)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(TEXTS)
def test_a_check_never_raises_and_stays_bounded(text: str) -> None:
    started = time.perf_counter()
    verdict = ENGINE.check(text)
    assert time.perf_counter() - started < SECONDS_PER_CHECK
    assert verdict.level in (Level.LOW, Level.MEDIUM, Level.HIGH) and 0 <= verdict.score <= 100
    for reason in verdict.reasons:
        assert reason.text_vi and reason.text_en


@FAST
@given(TEXTS)
def test_normalisation_keeps_offsets_into_the_original(text: str) -> None:
    clean = clean_text(text)
    views = word_views(clean.text)
    assert len(views.accented) == len(views.folded)
    for indicator in ENGINE.find_indicators(text):
        start, end = indicator.span
        assert 0 <= start < end <= len(text)
        assert indicator.text == text[start:end]


@FAST
@given(st.text(max_size=300), st.text(max_size=300))
def test_a_message_and_its_copy_score_alike(prefix: str, text: str) -> None:
    """Determinism: the same text gives the same verdict, whatever was checked before it."""
    ENGINE.check(prefix)
    first = ENGINE.check(text)
    ENGINE.check(prefix + text)
    assert ENGINE.check(text) == first
