"""Values as officers type them and lists hold them, normalised the way checks look indicators up."""

import pytest

from handlers.indicator_values import ListedValue, blockable, normalise, split_value
from knowledge import Engine

ENGINE = Engine(learned=False)


@pytest.mark.parametrize(
    "raw", ["0912345678", "0912 345 678", "0912.345.678", "+84 912 345 678", "(+84) 912-345-678", "84912345678"]
)
def test_a_vietnamese_phone_number_in_any_format(raw):
    assert normalise("phone", raw, ENGINE) == ListedValue("phone", "+84912345678")


@pytest.mark.parametrize("raw", ["", "12", "abc", "0912345678 0987654321", "gọi 0912345678", "0912345678/0987654321"])
def test_not_one_phone_number(raw):
    assert normalise("phone", raw, ENGINE) is None


def test_an_official_hotline_is_named_as_such():
    assert normalise("phone", "1900 545 413", ENGINE) == ListedValue("phone", "+841900545413", "Vietcombank")


@pytest.mark.parametrize(
    "raw,domain,page",
    [
        ("https://www.Shop-QuanAo.vn/khuyen-mai?utm=1#top", "shop-quanao.vn", "shop-quanao.vn/khuyen-mai"),
        ("hxxps://vpbank-update[.]vip/app", "vpbank-update.vip", "vpbank-update.vip/app"),
        ("vietcombank-xacthuc[.]top", "vietcombank-xacthuc.top", "vietcombank-xacthuc.top"),
        ("login.evil-shop.top/", "evil-shop.top", "login.evil-shop.top"),
    ],
)
def test_a_link_becomes_its_registrable_domain_or_its_page(raw, domain, page):
    assert normalise("domain", raw, ENGINE) == ListedValue("domain", domain)
    assert normalise("url", raw, ENGINE) == ListedValue("url", page)


@pytest.mark.parametrize("raw", ["not-a-domain", "mail@evil-shop.top", "xem evil-shop.top", "evil-shop.top nhé"])
def test_not_one_address(raw):
    assert normalise("domain", raw, ENGINE) is None
    assert normalise("url", raw, ENGINE) is None


def test_a_genuine_site_is_official_but_a_page_on_it_is_not():
    assert normalise("domain", "https://vietcombank.com.vn/", ENGINE) == ListedValue(
        "domain", "vietcombank.com.vn", "Vietcombank"
    )
    assert normalise("url", "sites.google.com", ENGINE) == ListedValue("url", "sites.google.com", "Google")
    assert normalise("url", "sites.google.com/view/x", ENGINE) == ListedValue("url", "sites.google.com/view/x")


@pytest.mark.parametrize(
    "raw,digits",
    [
        ("19031234567890", "19031234567890"),
        ("1903 1234 5678 90", "19031234567890"),
        ("0011-0044-55667", "0011004455667"),
    ],
)
def test_an_account_is_its_digits(raw, digits):
    assert normalise("account", raw, ENGINE) == ListedValue("account", digits)


@pytest.mark.parametrize("raw", ["12345", "12ab34", "STK 19031234567890", "1" * 20])
def test_not_an_account_number(raw):
    assert normalise("account", raw, ENGINE) is None


@pytest.mark.parametrize(
    "kind,text,value,note",
    [
        ("phone", "0912 345 678 giả danh công an", "+84912345678", "giả danh công an"),
        ("phone", "+84 912 345 678", "+84912345678", ""),
        ("phone", "0912345678 2 lần gọi", "+84912345678", "2 lần gọi"),  # a whole number, then a note
        ("account", "1903 1234 5678 90 nhận tiền", "19031234567890", "nhận tiền"),
        ("domain", "evil-shop.top bán hàng giả", "evil-shop.top", "bán hàng giả"),
    ],
)
def test_split_value_reads_a_grouped_number_whole_and_keeps_the_note(kind, text, value, note):
    assert split_value(kind, text, ENGINE) == (ListedValue(kind, value), note)


def test_split_value_without_a_value():
    assert split_value("phone", "", ENGINE) == (None, "")
    assert split_value("phone", "abc def", ENGINE)[0] is None


@pytest.mark.parametrize(
    "text,listed",
    [
        ("gọi 0912 345 678 ngay", ListedValue("phone", "+84912345678")),
        ("vào https://evil-shop.top/login", ListedValue("domain", "evil-shop.top")),
        ("nhắn t.me/hotro_vcb_247", ListedValue("url", "t.me/hotro_vcb_247")),  # a page on a platform, not the platform
        ("STK 19031234567890", ListedValue("account", "19031234567890")),
        ("xem vietcombank.com.vn", None),  # the bank's own site
        ("gọi 1900 545 413", None),  # the bank's own hotline
        ("chuyển 5 triệu", None),  # money is not listed
    ],
)
def test_blockable_lists_a_found_indicator_as_block_would(text, listed):
    (found,) = ENGINE.find_indicators(text)
    assert blockable(found, ENGINE) == listed
