"""Scoring of what the reported list says: an officer's verdict decides, citizens' reports only nudge."""

import pytest

from knowledge.engine import Engine
from knowledge.library import load_shipped_library
from knowledge.scoring import REPORTS_MAX_POINTS
from knowledge.verdict import HIGH_AT, Level, Reputation

ENGINE = Engine(load_shipped_library())
PHONES = [f"+8491234567{n}" for n in range(8)]
EVERYDAY_WITH = {
    ("phone", "+84912345678"): "Tối nay gọi anh số 0912 345 678 nhé, anh đón ở cổng trường.",
    ("url", "shop-quanao.vn"): "Áo đẹp lắm, chị xem ở shop-quanao.vn/ao-khoac rồi đặt giúp em nhé.",
    ("account", "19031234567890"): "Tiền học thêm tháng này chuyển vào STK 19031234567890 Techcombank nhé cô.",
}


@pytest.mark.parametrize("key", sorted(EVERYDAY_WITH))
def test_a_verified_indicator_alone_makes_an_everyday_message_high(key):
    text = EVERYDAY_WITH[key]
    assert ENGINE.check(text).level is not Level.HIGH
    verdict = ENGINE.check(text, {key: Reputation("scam")})
    assert verdict.level is Level.HIGH and verdict.score >= HIGH_AT
    assert [r.code for r in verdict.reasons if r.code == "verified_scam"] == ["verified_scam"]


def test_a_verified_indicator_counts_in_full_even_in_a_warning():
    text = "Cảnh báo: số 0912 345 678 giả danh công an gọi lừa đảo, mọi người đừng nghe máy nhé."
    assert ENGINE.check(text, {("phone", "+84912345678"): Reputation("scam")}).level is Level.HIGH


def test_reports_alone_never_make_a_verdict_high():
    text = "Danh bạ lớp: " + ", ".join("0" + p.removeprefix("+84") for p in PHONES) + "."
    reputation = {("phone", p): Reputation("reported", 50) for p in PHONES}
    plain, reported = ENGINE.check(text), ENGINE.check(text, reputation)
    assert reported.level is not Level.HIGH
    report_reasons = [r for r in reported.reasons if r.code == "reported"]
    assert len(report_reasons) == len(PHONES)  # each one is counted and shown…
    assert sum(r.points for r in report_reasons) == REPORTS_MAX_POINTS < HIGH_AT  # …but together they stay capped
    assert reported.score <= plain.score + REPORTS_MAX_POINTS


def test_a_few_reports_count_nothing():
    text = EVERYDAY_WITH["phone", "+84912345678"]
    verdict = ENGINE.check(text, {("phone", "+84912345678"): Reputation("reported", 2)})
    assert [r.points for r in verdict.reasons if r.code == "reported"] == [0]
