import pytest

from knowledge.indicators import Flag
from knowledge.links import find_links, read_link
from knowledge.officials import load_officials
from knowledge.text import clean_text


def links(text):
    return find_links(clean_text(text), load_officials())


def one(text):
    found = links(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "text,host",
    [
        ("Vao https://vietcombank-xacthuc.top/login ngay", "vietcombank-xacthuc.top"),
        ("truy cap online.acb.com.vn-inc.life de xac thuc", "online.acb.com.vn-inc.life"),
        ("link: v1etcombank.com", "v1etcombank.com"),
        ("nộp phạt tại dichvucongg.top/vn", "dichvucongg.top"),
        ("hxxps://vpbank-update[.]vip/app", "vpbank-update.vip"),
        (
            "ủng hộ qua quy-tu-thien[.]org[.]vn-donate.top",
            "quy-tu-thien.org.vn-donate.top",
        ),  # no brand: a .org.vn disguise
        ("xem tại hocbong.edu.vn.thongtin.site", "hocbong.edu.vn.thongtin.site"),
    ],
)
def test_lookalike_domains(text, host):
    ind = one(text)
    assert ind.host == host
    assert ind.has(Flag.LOOKALIKE)
    assert ind.brand


def test_span_points_at_the_original_text():
    text = "Xin chào, vào https://vietcombank-xacthuc.top/a nhé"
    ind = one(text)
    assert text[ind.span[0] : ind.span[1]] == "https://vietcombank-xacthuc.top/a"


@pytest.mark.parametrize("text", ["https://vietcombank.com.vn/khuyen-mai", "xem tại dichvucong.gov.vn", "evnhcmc.vn"])
def test_official_domains_add_no_risk(text):
    ind = one(text)
    assert ind.has(Flag.OFFICIAL)
    assert not ind.has(Flag.LOOKALIKE)


def test_spaced_domain_is_found_and_marked_obfuscated():
    ind = one("vao vcb . com . vn de nhan")
    assert ind.value == "vcb.com.vn"
    assert ind.has(Flag.OBFUSCATED)


def test_shortener_ip_and_apk():
    assert one("bấm bit.ly/3abcd").has(Flag.SHORTENER)
    assert one("http://103.77.12.9/login").has(Flag.IP_HOST)
    assert one("tai http://evn-app.online/EVN.apk").has(Flag.APK)


def test_punycode_and_homoglyph_hosts():
    assert one("http://xn--vietcombnk-8ib.com").has(Flag.PUNYCODE)
    cyrillic = one("https://vіetcombank.com.vn/login")  # Cyrillic і
    assert cyrillic.has(Flag.HOMOGLYPH) and not cyrillic.has(Flag.OFFICIAL)


@pytest.mark.parametrize("text", ["Giá 5.000.000đ", "version 1.2.3", "hôm nay.Mai đi", "email me at an@gmail.com"])
def test_not_links(text):
    assert links(text) == []


def test_many_links_are_capped():
    text = " ".join(f"http://site{i}.xyz" for i in range(10_000))
    assert len(links(text)) == 200


def test_a_vietnamese_ending_inside_a_host_is_named_in_the_reason():
    assert one("quy-tu-thien.org.vn-donate.top").brand == ".org.vn"
    assert one("online.acb.com.vn-inc.life").brand != ".com.vn"  # a known brand is named instead
    assert not one("https://www.hcmus.edu.vn/tin-tuc").has(Flag.LOOKALIKE)


@pytest.mark.parametrize(
    "text,page",
    [
        ("vào https://www.Sites.Google.com/view/Hoan-Tien/?utm=zalo#top nhé", "sites.google.com/view/Hoan-Tien"),
        ("hxxps://vpbank-update[.]vip/app.", "vpbank-update.vip/app"),
        ("evil-shop.top/", "evil-shop.top"),
        ("http://103.77.12.9/login?id=7", "103.77.12.9/login"),
    ],
)
def test_a_link_is_keyed_by_its_page_without_scheme_query_or_fragment(text, page):
    assert one(text).page == page


def test_pages_run_from_the_page_down_to_its_host():
    assert one("t.me/s/lua-dao/123").pages() == ("t.me/s/lua-dao/123", "t.me/s/lua-dao", "t.me/s", "t.me")
    deep = one("evil.top/" + "/".join("abcdefghij"))
    assert deep.pages()[0] == deep.page and deep.pages()[1] == "evil.top/a/b/c/d/e/f/g/h" and len(deep.pages()) == 10


@pytest.mark.parametrize(
    "text",
    [
        "https://www.Sites.Google.com/view/Hoan-Tien/?utm=zalo",
        "hxxps://vpbank-update[.]vip/app",
        "xem tại dichvucong.gov.vn",
        "http://103.77.12.9/login",
        "vcb . com . vn",
    ],
)
def test_read_link_keys_an_address_as_the_engine_does(text):
    read = read_link(text, load_officials())
    assert read is not None
    assert (read.value, read.page, read.has(Flag.OFFICIAL)) == (
        one(text).value,
        one(text).page,
        one(text).has(Flag.OFFICIAL),
    )


def test_read_link_calls_a_look_alike_spelling_of_a_genuine_domain_official():
    # The engine maps look-alike letters to Latin ones, so this address is keyed as the bank's own domain:
    # blocking it would block the bank.
    read = read_link("vіetcombank.com.vn", load_officials())  # Cyrillic і
    assert read is not None and read.value == "vietcombank.com.vn" and read.has(Flag.OFFICIAL)
    assert read_link("no address here", load_officials()) is None
