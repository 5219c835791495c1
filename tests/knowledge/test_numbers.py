import pytest

from knowledge.indicators import Flag
from knowledge.numbers import find_accounts, find_money, find_phones, read_phone
from knowledge.officials import load_officials
from knowledge.text import clean_text


def phones(text):
    return find_phones(clean_text(text), load_officials(), [])


@pytest.mark.parametrize(
    "text", ["0912345678", "0912 345 678", "0912.345.678", "+84 912 345 678", "84912345678", "(+84) 912-345-678"]
)
def test_vietnamese_phone_formats(text):
    found = phones(f"Gọi {text} ngay")
    assert [p.value for p in found] == ["+84912345678"]


@pytest.mark.parametrize(
    "text", ["kb Zalo0912345678 nhé", "SĐT0912345678", "goi0912.345.678 ngay", "LH:Zalo0912345678"]
)
def test_a_number_glued_to_a_contact_word_is_a_phone(text):
    assert [p.value for p in phones(text)] == ["+84912345678"]


def test_a_number_glued_to_other_letters_is_a_code():
    found = phones("Mã vận đơn NVVNHCM0049210785, hotline19006092")
    assert [p.text for p in found] == ["19006092"]  # the tracking code is not read; the glued hotline is


@pytest.mark.parametrize("text", ["+882 1234 5678", "+373 6012 3456", "+840 912 345 678"])
def test_scam_prefixes(text):
    found = phones(f"cuộc gọi từ {text}")
    assert found and found[0].has(Flag.SCAM_PREFIX)


def test_official_hotline_is_marked():
    found = phones("Tổng đài Viettel 1800 8098")
    assert found and found[0].has(Flag.OFFICIAL)


@pytest.mark.parametrize(
    "text,value",
    [
        ("STK: 0123456789 Vietcombank", "0123456789"),
        ("số tài khoản 1903 5566 7788 01", "19035566778801"),
        ("chuyển vào tk 9704 1234 5678 Techcombank", "970412345678"),
        ("MB Bank 0987654321 - Nguyen Van A", "0987654321"),
        ("1234567890 - Agribank", "1234567890"),
    ],
)
def test_accounts(text, value):
    assert [a.value for a in find_accounts(clean_text(text))] == [value]


def test_account_is_not_also_a_phone():
    clean = clean_text("STK 0912345678 MB Bank")
    accounts = find_accounts(clean)
    assert find_phones(clean, load_officials(), [a.span for a in accounts]) == []


@pytest.mark.parametrize(
    "text,value",
    [
        ("5tr", 5_000_000),
        ("5 triệu", 5_000_000),
        ("5.000.000đ", 5_000_000),
        ("500k", 500_000),
        ("1,5 tỷ", 1_500_000_000),
        ("20 USD", 500_000),
    ],
)
def test_money(text, value):
    assert [int(m.value) for m in find_money(clean_text(f"chuyển {text} ngay"))] == [value]


@pytest.mark.parametrize(
    "text",
    [
        "0912345678",
        "0912 345 678",
        "+84 912 345 678",
        "84912345678",
        "(+84) 912-345-678",
        "+882 1234 5678",
        "1800 8098",
        "1900 545 413",
        "+1 415 555 2671",
    ],
)
def test_read_phone_keys_and_flags_a_number_as_find_phones_does(text):
    read = read_phone(text, load_officials())
    (found,) = phones(f"Gọi {text} ngay")
    assert read is not None and (read.value, read.flags, read.brand) == (found.value, found.flags, found.brand)


@pytest.mark.parametrize("text", ["", "12", "abc", "0912"])
def test_read_phone_refuses_what_is_no_phone_number(text):
    assert read_phone(text, load_officials()) is None
