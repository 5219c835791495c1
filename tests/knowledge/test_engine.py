import time

import pytest

from knowledge.engine import MAX_INPUT_CHARS, Engine
from knowledge.library import load_shipped_library
from knowledge.signature import signature_from_dict
from knowledge.verdict import Level, Reputation

ENGINE = Engine(load_shipped_library())

FAKE_POLICE = (
    "Tôi là cán bộ công an quận Hoàn Kiếm. Chị có liên quan đến đường dây rửa tiền, phải chuyển toàn bộ tiền "
    "vào tài khoản tạm giữ STK 0123456789 Vietcombank để chứng minh trong sạch. Không được nói với ai."
)


def test_scam_is_high_with_explained_score():
    verdict = ENGINE.check(FAKE_POLICE)
    assert verdict.level is Level.HIGH
    assert verdict.methods[0].id == "fake-authority"
    assert 0 < verdict.methods[0].similarity <= 100
    assert verdict.score == min(100, sum(r.points for r in verdict.reasons))
    codes = {r.code for r in verdict.reasons}
    assert {"secrecy", "authority_with_request"} <= codes
    assert any("113" in a for a in verdict.advice_vi)


def test_otp_and_lookalike_reasons():
    verdict = ENGINE.check(
        "Vietcombank: TK cua quy khach bi khoa. Xac thuc tai vietcombank-xacthuc.top va doc ma OTP cho nhan vien"
    )
    texts = " | ".join(r.text_vi for r in verdict.reasons)
    assert "OTP" in texts and "giả mạo Vietcombank" in texts
    assert verdict.level is Level.HIGH


@pytest.mark.parametrize(
    "text",
    [
        "Ma OTP cua Quy khach la 482913. Tuyet doi KHONG cung cap OTP cho bat ky ai, ke ca nhan vien ngan hang.",
        "Công an phường cảnh báo: đối tượng giả danh công an gọi điện yêu cầu chuyển tiền vào tài khoản tạm giữ. "
        "Người dân tuyệt đối không làm theo, hãy báo ngay 113.",
        "Mọi người ơi Facebook của mình bị hack rồi, ai nhắn mượn tiền thì đừng chuyển nhé!",
        "VCB: TK 0011004455667 +5,000,000VND luc 10:15 27/11. SD: 12,345,678VND. ND: me chuyen tien hoc",
        "Mẹ ơi con chuyển 2 triệu tiền học rồi nhé, tối con gọi.",
        "EVNHCMC thông báo tiền điện kỳ 11/2026 của khách hàng là 456.000đ. "
        "Thanh toán qua ứng dụng EVNHCMC hoặc evnhcmc.vn.",
    ],
)
def test_warnings_and_everyday_messages_are_low(text):
    assert ENGINE.check(text).level is Level.LOW


def test_low_never_says_safe():
    verdict = ENGINE.check("Chiều nay 5h họp phụ huynh ở lớp 3A nhé.")
    assert verdict.level is Level.LOW
    assert all("an toàn" not in a for a in verdict.advice_vi)


def test_reputation_from_the_reported_list_adds_evidence():
    text = "Liên hệ em qua số 0912 345 678 để nhận hàng nhé"
    base = ENGINE.check(text)
    confirmed = ENGINE.check(text, {("phone", "+84912345678"): Reputation("scam", 12)})
    # The floors (first contact, learned layer) only lift a message to "suspicious": evidence is counted above them.
    evidence = sum(r.points for r in base.reasons if r.code not in ("first_contact", "learned"))
    assert confirmed.score >= evidence + 40
    one_report = ENGINE.check(text, {("phone", "+84912345678"): Reputation("reported", 1)})
    assert one_report.score == base.score  # a single citizen report never makes it "scam"


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "🙂🙂🙂🙂",
        "\x00\x07\x1b[31m",
        "\ud800\udfff lone surrogates \udc00",
        "a" * 100_000,
        "chuyển khoản ngay " * 6000,
        " ".join(f"http://s{i}.top/x" for i in range(10_000)),
        "<b>bold</b> &amp; <script>alert(1)</script>",
    ],
)
def test_bad_input_never_raises_and_is_bounded(text):
    start = time.perf_counter()
    verdict = ENGINE.check(text)
    assert verdict.level in Level
    assert time.perf_counter() - start < 10  # generous: a hang, not a timing assertion
    assert verdict.truncated == (len(text) > MAX_INPUT_CHARS)


def test_index_and_full_scan_agree_on_the_top_match():
    for sig in load_shipped_library():
        for text in sig.examples:
            fast = ENGINE.analyse(text).matches
            slow = ENGINE.analyse(text, full_scan=True).matches
            assert [m.signature.id for m in fast[:1]] == [m.signature.id for m in slow[:1]], text


def test_signatures_can_be_added_and_removed_while_running():
    engine = Engine(load_shipped_library())
    text = "Chúc mừng bạn nhận được vé xem bóng đá miễn phí trận chung kết, chỉ cần đóng phí giữ chỗ"
    data = engine.signatures[0].to_dict() | {
        "id": "free-football-tickets",
        "cues": ["vé xem bóng đá miễn phí", "phí giữ chỗ", "trận chung kết", "nhận được vé"],
        "strong_cues": ["vé xem bóng đá miễn phí"],
    }
    engine.add_signature(signature_from_dict(data))
    assert engine.check(text).methods[0].id == "free-football-tickets"
    engine.remove_signature("free-football-tickets")
    assert "free-football-tickets" not in [m.id for m in engine.check(text).methods]


def test_advice_always_covers_the_basics():
    for sig in load_shipped_library():
        for text in sig.examples:
            advice = " ".join(ENGINE.check(text).advice_vi).lower()
            for topic in ("chuyển tiền", "otp", "113", "156"):
                assert topic in advice, (sig.id, topic)
