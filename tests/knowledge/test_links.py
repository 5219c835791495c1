import pytest

from knowledge.indicators import Flag
from knowledge.links import find_links
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
