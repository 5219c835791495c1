import unicodedata

import pytest

from knowledge.text import Segmenter, clean_text, word_views
from knowledge.tones import canonical_tones, fold


def views(text, vocab=None):
    return word_views(clean_text(text).text, Segmenter(vocab) if vocab else None)


@pytest.mark.parametrize("a,b", [("hoà", "hòa"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"), ("Hoà Bình", "Hòa Bình")])
def test_tone_placement_variants_compare_equal(a, b):
    assert canonical_tones(a.lower()) == canonical_tones(b.lower())
    assert views(a).accented == views(b).accented


def test_nfd_input_equals_nfc():
    nfd = unicodedata.normalize("NFD", "chuyển khoản")
    assert views(nfd).accented_text == "chuyển khoản"


def test_invisible_and_format_characters_are_removed():
    text = "c\u200bh\u200cu\u200dy\u2060e\ufeffn k\u00adhoan \u202etien"
    assert views(text).folded_text == "chuyen khoan tien"


def test_stylised_letters_fold_with_nfkc():
    assert views("𝚝𝚒𝚗 𝚗𝚑ắ𝚗").accented_text == "tin nhắn"
    assert views("ｃｈｕｙｅｎ").folded_text == "chuyen"


def test_cyrillic_lookalikes_become_latin():
    assert views("сhuyển khоản").folded_text == "chuyen khoan"  # Cyrillic с and о


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("nh4n t1en", "nhan tien"),
        ("nh4n_T1EN", "nhan tien"),
        ("c.h.u.y.ể.n k.h.o.ả.n", "chuyen khoan"),
        ("D!EU*K!EN", "dieu kien"),
        ("0TP", "otp"),
        ("nhaaaanh lên", "nhanh len"),
    ],
)
def test_obfuscation_is_undone(typed, expected):
    assert views(typed).folded_text == expected


def test_spaced_letters_are_joined_and_segmented():
    assert views("c h u y e n k h o a n ngay", {"chuyển", "khoản"}).folded_text == "chuyen khoan ngay"


def test_numbers_with_units_are_not_leetspeak():
    assert views("500k 4G 24h 2tr").folded_text == "500k 4g 24h 2tr"


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("ck cho e 5tr", "chuyen khoan cho em 5tr"),
        ("ck khoản", "chuyen khoan"),
        ("stk", "so tai khoan"),
        ("ko dc noi", "khong duoc noi"),
        ("hok biet", "khong biet"),
        ("sdt nv cty", "so dien thoai nhan vien cong ty"),
        ("500 k", "500 nghin"),
    ],
)
def test_teencode_is_expanded(typed, expected):
    assert views(typed).folded_text == expected


def test_folded_view_maps_d_stroke():
    assert fold("Được đấy") == "Duoc day"
    assert views("Đơn hàng ĐÃ giao").folded_text == "don hang da giao"


def test_clean_text_keeps_offsets_into_the_original():
    clean = clean_text("a\u200bbc")
    assert clean.text == "abc"
    assert clean.source_span(1, 3) == (2, 4)


@pytest.mark.parametrize("raw", ["", "\x00\x01\x02", "\ud800 lone surrogate", "🙂" * 50, "\u0301\u0301 marks"])
def test_bad_input_never_raises(raw):
    views(raw)


def test_teencode_j_for_i_is_read_as_i_where_the_word_is_known():
    segmenter = Segmenter({"bị", "chị", "người", "giữ", "triệu", "ơi"})
    views = word_views("chj ơj, con bj giữ, ngườj ta đòi 8 trjeu; vé vietjet, job", segmenter)
    assert views.folded_text == "chi oi con bi giu nguoi ta doi 8 trieu ve vietjet job"


def test_an_amount_in_dong_typed_with_accents_is_not_the_verb_to_pay():
    views = word_views("Số tiền cần thanh toán là 2.940.000 đồng gồm phí phạt, 5 triệu đồng nhé. Đồng ý đóng phí")
    assert "2 940 000 d gom" in views.clauses and "5 trieu d nhe" in views.clauses
    assert "dong y dong phi" in views.clauses  # "đồng ý" and "đóng phí" are words, not amounts
