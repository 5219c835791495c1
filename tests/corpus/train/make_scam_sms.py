# ruff: noqa: E501, SIM905
"""Deterministic generator of templated Vietnamese scam SMS for TRAINING (not evaluation).

Covers the high-volume bulk families: gambling lures, bank/brand phishing with look-alike domains,
fake payouts, traffic fines, easy loans, premium call-backs, fake prizes, plus bulk job, telco/EVN,
sex-service and fake-document spam. Standard library only; the same seed gives the same file.

    python3 tests/corpus/train/make_scam_sms.py                 # seed 20250611 -> scam-templated.jsonl
    python3 tests/corpus/train/make_scam_sms.py --seed 7 --out /tmp/x.jsonl

Templates live in scam-sms-templates.txt, one per line: ``method | category | text``. ``[[a|b|c]]`` picks one wording, ``{slot}`` is filled
by SLOTS (the same slot name gets the same value inside one message). Each message is then rendered as
one variant: accented, unaccented (diacritics removed), teencode or obfuscated.
"""

import argparse
import json
import random
import re
import string
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATE_FILE = HERE / "scam-sms-templates.txt"
SEED = 20250611

# fmt: off

# Messages per family (the written file adds the conversational share; see README.md).
COUNTS = {
    "bank-phishing": 560, "gambling": 520, "fake-payout": 180, "traffic-fine": 110, "easy-loan": 130,
    "premium-callback": 45, "fake-prize": 130, "job-task": 120, "impersonation": 80, "sex-deposit": 30,
    "fake-documents": 35,
}
# Variant weights per family: accented, unaccented, teencode, obfuscated.
VARIANT_W = {
    "gambling": (0.34, 0.16, 0.11, 0.39), "bank-phishing": (0.60, 0.20, 0.03, 0.17),
    "job-task": (0.44, 0.16, 0.14, 0.26), "easy-loan": (0.42, 0.20, 0.16, 0.22),
    "sex-deposit": (0.36, 0.10, 0.20, 0.34), "fake-documents": (0.46, 0.20, 0.12, 0.22),
    "fake-payout": (0.56, 0.26, 0.02, 0.16),
}
DEFAULT_W = (0.66, 0.26, 0.04, 0.04)


FIRST = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trương".split()
MID = "Văn Thị Minh Ngọc Thanh Quốc Hữu Đức Thu Hồng Gia Anh Xuân Bảo".split()
GIVEN = "Hùng Lan Hoa Nam Tuấn Hương Dũng Linh Trang Phúc Khoa Long Mai Hải Quang Yến Tâm Thảo Sơn Vy Đạt Huy Nhung Hiếu".split()
CITIES = "Hà Nội|TP.HCM|Đà Nẵng|Hải Phòng|Cần Thơ|Bình Dương|Đồng Nai|Nghệ An|Thanh Hóa|Khánh Hòa|Quảng Ninh|Bắc Ninh|Vũng Tàu".split("|")
DISTRICTS = "Cầu Giấy|Đống Đa|Hai Bà Trưng|Thanh Xuân|Long Biên|Quận 1|Quận 3|Quận 7|Bình Thạnh|Gò Vấp|Tân Bình|Thủ Đức|Hải Châu|Ninh Kiều".split("|")
BANKS = [("Vietcombank", "VCB", "vietcombank"), ("BIDV", "BIDV", "bidv"), ("Agribank", "Agribank", "agribank"),
         ("VietinBank", "VietinBank", "vietinbank"), ("Techcombank", "TCB", "techcombank"), ("MB Bank", "MB", "mbbank"),
         ("VPBank", "VPBank", "vpbank"), ("ACB", "ACB", "acb"), ("TPBank", "TPBank", "tpbank"), ("Sacombank", "STB", "sacombank"),
         ("VIB", "VIB", "vib"), ("HDBank", "HDBank", "hdbank"), ("SHB", "SHB", "shb"), ("MSB", "MSB", "msb"), ("OCB", "OCB", "ocb"),
         ("SeABank", "SeABank", "seabank"), ("LPBank", "LPBank", "lpbank"), ("Eximbank", "EIB", "eximbank"), ("Nam A Bank", "NAB", "namabank")]
TLDS = ".top .vip .cc .xyz .online .site .icu .shop .live .info .club .asia .tk .one .pro .link .click .buzz .cfd .sbs .com .net".split()
BANK_WORDS = "xacthuc online khdn vn sinhtrachoc capnhat baomat ebank ibanking dinhdanh hotro smartotp thechip doidiem uudai care digital id secure".split()
GOV_BASES = "dichvucong dichvucongg dvcquocgia csgt phatnguoi nopphat-csgt vneid vn-eid baohiemxahoi bhxh-vn bhtn-hotro hoanthue etax thue-tncn vssid dulieudancu congdvc".split()
GOV_WORDS = "hotro tracuu gov vn online quocgia capnhat nhantien chitra xacnhan".split()
SHOPS = "Shopee|Lazada|TikTok Shop|Điện Máy Xanh|Thế Giới Di Động|ZaloPay|MoMo|Viettel|Vinamilk|Tiki|Co.opmart|FPT Shop|VinMart|Honda Việt Nam".split("|")
PRIZES = "iPhone 16 Pro Max|xe SH 150i|xe Vision|tivi Samsung 55 inch|100.000.000đ|laptop Dell|tủ lạnh Panasonic|50 chỉ vàng SJC|iPad Air|xe Air Blade".split("|")
TELCOS = "Viettel VinaPhone MobiFone Vietnamobile iTel".split()
PLATFORMS = "Shopee|Lazada|TikTok Shop|Tiki|Agoda|Traveloka|YouTube|Amazon|Sendo".split("|")
GIRLS = "Linh Ngọc Vy Trâm My Thảo Hân Nhi Chi Quỳnh Mai Ly".split()


# fmt: on


def rand_digits(r, n):
    return "".join(r.choice(string.digits) for _ in range(n))


def rand_token(r, n):
    return "".join(r.choice(string.ascii_letters + string.digits) for _ in range(n))


def strip_accents(s):
    s = s.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize(
        "NFC", "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    )


def has_accents(s):
    return strip_accents(s) != s


def money(r, v):
    style = r.random()
    if style < 0.35:
        return f"{v:,}".replace(",", ".") + r.choice(["đ", "đ", " VND", "d"])
    if style < 0.6:
        return f"{v:,} VND"
    if style < 0.75:
        return f"{v:,}".replace(",", ".") + " VNĐ"
    if v >= 1_000_000 and v % 100_000 == 0:
        tr, rest = divmod(v, 1_000_000)
        return (
            f"{tr}tr{rest // 100_000 or ''}"
            if r.random() < 0.5
            else f"{tr}{',' + str(rest // 100_000) if rest else ''} triệu"
        )
    return f"{v // 1000}k" if v % 1000 == 0 else f"{v}đ"


def phone(r):
    p = r.choice(
        "032 033 034 035 036 037 038 039 052 056 058 059 070 076 077 078 079 081 082 083 084 085 086 088 089 090 091 093 094 096 097 098 099".split()
    )
    num = p + rand_digits(r, 7)
    x = r.random()
    if x < 0.6:
        return num
    if x < 0.72:
        return f"{num[:4]} {num[4:7]} {num[7:]}"
    if x < 0.82:
        return f"{num[:4]}.{num[4:7]}.{num[7:]}"
    if x < 0.92:
        return "+84" + num[1:]
    return f"{num[:4]}xxx{num[7:]}"


def lookalike(r, base, words):
    w, tld, n = r.choice(words), r.choice(TLDS), r.randint(1, 999)
    host = r.choice(
        [
            f"{base}-{w}{tld}",
            f"{w}-{base}{tld}",
            f"{base}{w}{tld}",
            f"{base}.com.vn-{w}{tld}",
            f"{base}.vn-{rand_token(r, 3).lower()}{tld}",
            f"{w}{base}{n}{tld}",
            f"{base}{n}{tld}",
            f"{base.replace('i', '1', 1).replace('o', '0', 1)}{tld}",
            f"{base}-vn{tld}",
            f"{w}.{base}-vn{tld}",
            f"{base}{w}24h{tld}",
            f"{base}{base[-1]}{tld}",
        ]
    )
    pre = r.choice(["", "", "", "https://", "http://", "www."])
    path = r.choice(["", "", "", "", "/vn", "/login", "/xacthuc", f"?id={rand_token(r, 6)}", f"/{rand_token(r, 5)}"])
    return pre + host + path


def gambling_name(r):
    pre = r.choice("kw hi go sun rik b mb vn fi j k ok new tai f v win xo lux nh one u s tp 8x za ku".split())
    return (
        pre
        + r.choice("88 99 68 789 79 86 365 777 888 168 66 55 69 8 333 247".split())
        + r.choice(["", "", "", "bet", "win", "vip", "club", "game", "live"])
    )


def handle(r, ctx):
    stem = r.choice("cskh hotro tuyendung hr admin support kenh vip linh ngoc thao my trang nhom daily ctv".split())
    tail = r.choice([ctx.get("gname", "").lower(), "vn", "hn", "sg", rand_digits(r, 2), "official", "247"])
    return "@" + f"{stem}_{tail}".strip("_") + r.choice(["", rand_digits(r, 2)])


def bank_ctx(ctx, r):
    if "_bank" not in ctx:
        ctx["_bank"] = r.choice(BANKS)
    return ctx["_bank"]


def person(r):
    return f"{r.choice(FIRST)} {r.choice(MID)} {r.choice(GIVEN)}"


# fmt: off
SLOTS = {
    "bank": lambda r, c: bank_ctx(c, r)[0],
    "bk": lambda r, c: bank_ctx(c, r)[1],
    "btag": lambda r, c: r.choice([f"{bank_ctx(c, r)[1]}:", f"[{bank_ctx(c, r)[1]}]", f"{bank_ctx(c, r)[0]}:", f"[{bank_ctx(c, r)[0]}] TB:", f"{bank_ctx(c, r)[1]} TB:", "[TB]", "TB:", f"{bank_ctx(c, r)[1].upper()}_TB"]),
    "url": lambda r, c: lookalike(r, bank_ctx(c, r)[2], BANK_WORDS),
    "meta": lambda r, c: lookalike(r, r.choice(["meta", "facebook", "fb", "business-meta", "metahelp", "page-support"]), ["help", "appeal", "support", "review", "policy", "verify"]),
    "gov": lambda r, c: lookalike(r, r.choice(GOV_BASES), GOV_WORDS),
    "air": lambda r, c: lookalike(r, r.choice(["vietnamairlines", "vietjet", "bamboo", "hoanve", "vemaybay"]), ["hoanve", "refund", "hotro", "boithuong"]),
    "telcourl": lambda r, c: lookalike(r, r.choice(["viettel", "vinaphone", "mobifone", "chuanhoa-sim", "esim"]), ["chuanhoa", "esim", "5g", "kichhoat", "tb"]),
    "evnurl": lambda r, c: lookalike(r, r.choice(["evn", "evnhanoi", "evnhcmc", "evnspc", "dienluc"]), ["hoantien", "app", "hoadon", "cskh"]),
    "loanurl": lambda r, c: lookalike(r, r.choice(["vayngay", "vaynhanh", "tienmat", "vaytien", "camdo"]), ["24h", "online", "app", "vn"]),
    "prizeurl": lambda r, c: lookalike(r, r.choice(["shopee", "lazada", "tiki", "momo", "zalopay", "dienmayxanh", "tri-an"]), ["trian", "quatang", "vongquay", "nhanqua", "event"]),
    "apk": lambda r, c: r.choice(["app.apk", "setup.apk", "v2.apk", "install", "download", "tai-app"]),
    "gname": lambda r, c: c.setdefault("gname", gambling_name(r)),
    "site": lambda r, c: c.setdefault("gname", gambling_name(r)).lower() + r.choice(["", "", str(r.randint(1, 99)), "vn", "-vip"]) + r.choice(TLDS),
    "handle": handle,
    "handle_bare": lambda r, c: handle(r, c)[1:],
    "bonus": lambda r, c: r.choice(["58K", "88K", "68k", "100K", "128K", "188k", "50K", "200.000đ", "888K", "99k"]),
    "code": lambda r, c: rand_token(r, r.choice([4, 5, 6])).upper(),
    "pct": lambda r, c: str(r.choice([10, 15, 20, 25, 30, 35, 40, 50])),
    "pct1": lambda r, c: r.choice(["1.2", "1.5", "1.8", "2", "3"]),
    "pct2": lambda r, c: str(r.choice([100, 150, 200, 300])),
    "jackpot": lambda r, c: r.choice(["1 tỷ", "2,5 tỷ", "500 triệu", "888 triệu"]),
    "minimum": lambda r, c: r.choice(["50k", "100k", "20k", "10k"]),
    "amt": lambda r, c: money(r, r.choice([1, 2, 3, 5, 8, 10, 15, 18, 25, 30, 49, 50]) * 1_000_000 + r.choice([0, 0, 500_000, 250_000, 100_000])),
    "small": lambda r, c: money(r, r.choice([15, 22, 30, 35, 49, 50, 99, 150, 199, 200, 250, 300, 350, 500]) * 1000),
    "fee": lambda r, c: money(r, r.choice([500, 990, 1200, 1500, 2000, 2500, 3000, 5000]) * 1000),
    "fine": lambda r, c: money(r, r.choice([800, 1200, 1800, 2000, 3500, 4000, 6000, 10000]) * 1000),
    "daily": lambda r, c: r.choice(["300-900k", "500k-1tr", "400k-1,5tr", "1-3 triệu", "800k", "200-500k", "1tr"]),
    "salary": lambda r, c: r.choice(["25-40 triệu", "1.500 USD", "30tr", "2.000$", "35 triệu", "1000-2000 USD"]),
    "loanamt": lambda r, c: r.choice(["10-100tr", "5-50 triệu", "20-300tr", "10tr-500tr", "3-30 triệu", "50-200tr"]),
    "rate_loan": lambda r, c: r.choice(["0,8", "0.9", "1", "0,5", "1,2"]),
    "points": lambda r, c: f"{r.randint(1, 9)}.{rand_digits(r, 3)}.000" if r.random() < 0.5 else f"{r.randint(100, 999)}.{rand_digits(r, 3)}",
    "hrs": lambda r, c: str(r.choice([2, 12, 24, 24, 48])),
    "h": lambda r, c: str(r.choice([3, 4, 5, 6])),
    "n": lambda r, c: str(r.choice([2, 3, 4, 5, 10])),
    "time": lambda r, c: f"{r.randint(7, 23):02d}:{r.choice([0, 15, 30, 45, 59]):02d}",
    "date": lambda r, c: f"{r.randint(1, 28):02d}/{r.randint(1, 12):02d}" + r.choice(["", "/2025", "/2026"]),
    "year": lambda r, c: r.choice(["2025", "2026"]),
    "year0": lambda r, c: r.choice(["2023", "2024", "2025"]),
    "month": lambda r, c: f"{r.randint(1, 12):02d}/{r.choice(['2025', '2026'])}",
    "acc": lambda r, c: rand_digits(r, r.choice([9, 10, 12, 13, 14])),
    "accm": lambda r, c: r.choice([rand_digits(r, 4) + "xxxx" + rand_digits(r, 3), "..." + rand_digits(r, 4), "****" + rand_digits(r, 4)]),
    "accname": lambda r, c: strip_accents(person(r)).upper(),
    "bshort": lambda r, c: r.choice(["VCB", "MB", "TCB", "ACB", "VPB", "BIDV", "Agribank", "TPB", "Sacombank", "VietinBank", "MSB", "OCB"]),
    "name": lambda r, c: person(r),
    "girl": lambda r, c: r.choice(GIRLS),
    "yob": lambda r, c: r.choice(["2k3", "2k4", "2k5", "2k2", "2k6", "2003", "2005"]),
    "phone": lambda r, c: phone(r),
    "msisdn": lambda r, c: "09" + r.choice(["xx", "x", ""]) + rand_digits(r, 3) + "xxx" + rand_digits(r, 2),
    "intl": lambda r, c: r.choice(["+224", "+231", "+252", "+371", "+373", "+216", "+240", "+226", "+232", "+375", "+381", "+882", "+247"]) + rand_digits(r, 8),
    "h1900": lambda r, c: "1900" + (rand_digits(r, 4) if r.random() < 0.6 else f" {rand_digits(r, 2)} {rand_digits(r, 2)} {rand_digits(r, 2)}"),
    "rate": lambda r, c: r.choice(["3.000", "5.000", "2.000", "15.000", "8.000"]),
    "plate": lambda r, c: f"{r.randint(11, 99)}{r.choice('ABCDEFGHKLMNPSTUVXY')}{r.choice(['', '1', '2', 'A'])}-{rand_digits(r, 3)}.{rand_digits(r, 2)}",
    "street": lambda r, c: r.choice(["ngã tư Láng Hạ", "QL1A", "cầu Sài Gòn", "đường Nguyễn Trãi", "nút giao Pháp Vân", "vòng xoay Lăng Cha Cả", "đường Lê Duẩn"]),
    "pts": lambda r, c: str(r.choice([2, 4, 6, 10, 12])),
    "qd": lambda r, c: f"{rand_digits(r, 4)}/QĐ-XPHC",
    "city": lambda r, c: r.choice(CITIES),
    "district": lambda r, c: r.choice(DISTRICTS),
    "case": lambda r, c: r.choice(["rửa tiền", "ma túy", "lừa đảo chiếm đoạt tài sản", "buôn lậu", "đánh bạc qua mạng"]),
    "tail": lambda r, c: rand_token(r, 4),
    "flight": lambda r, c: r.choice(["VN", "VJ", "QH", "VU"]) + str(r.randint(100, 1999)),
    "airline": lambda r, c: r.choice(["Vietnam Airlines", "Vietjet Air", "Bamboo Airways", "Vietravel Airlines"]),
    "pnr": lambda r, c: rand_token(r, 6).upper(),
    "fin": lambda r, c: r.choice(["FE Credit", "Home Credit", "HD Saison", "Shinhan Finance", "Mcredit", "Tài chính Việt", "VayNhanh247"]),
    "shop": lambda r, c: r.choice(SHOPS),
    "prize": lambda r, c: r.choice(PRIZES),
    "show": lambda r, c: r.choice(["Ai là triệu phú", "Vua tiếng Việt", "Chiếc nón kỳ diệu", "Tri ân khách hàng", "Hành trình kết nối"]),
    "telco": lambda r, c: r.choice(TELCOS),
    "platform": lambda r, c: r.choice(PLATFORMS),
    "company": lambda r, c: r.choice(["Vạn Phát", "Toàn Cầu Media", "Sao Việt", "Hưng Thịnh", "Agoda VN", "Global Review"]),
    "country": lambda r, c: r.choice(["Campuchia", "Myanmar", "Lào", "Dubai", "Malaysia", "Philippines"]),
}

TEEN = [("chuyển khoản", "ck"), ("số tài khoản", "stk"), ("số điện thoại", "sđt"), ("tài khoản", "tk"), ("liên hệ", "lh"),
        ("nhắn tin", "ib"), ("inbox", "ib"), ("Telegram", "tele"), ("Zalo", "zl"), ("không", "ko"), ("không", "k"),
        ("được", "đc"), ("được", "dc"), ("triệu", "tr"), ("nhé", "nha"), ("anh", "a"), ("em", "e"), ("chị", "c"),
        ("rồi", "r"), ("gì", "j"), ("vậy", "z"), ("với", "vs"), ("bạn", "b"), ("mọi người", "mn"), ("trước", "trc"),
        ("hôm nay", "hnay"), ("thông tin", "tt"), ("hỗ trợ", "ht"), ("miễn phí", "free"), ("cộng tác viên", "ctv"),
        ("nhiệm vụ", "nv"), ("đăng ký", "đk"), ("khuyến mãi", "km"), ("luôn", "lun"), ("phút", "p"), ("ngân hàng", "nh")]
LEET = {"o": "0", "i": "1", "a": "@", "e": "3", "s": "5", "g": "9", "u": "v"}
SEPS = [".", ".", ".", " ", " ", "-", "_", "*", "'", "~"]
EMOJI = ["🔥", "💰", "👉", "✅", "🎁", "💎", "⚡"]
# fmt: on
DOMAIN_RE = re.compile(r"\b([a-z0-9][a-z0-9.-]*)\.(" + "|".join(t[1:] for t in TLDS) + r")\b", re.IGNORECASE)


def teencode(text, r):
    for long, short in TEEN:
        if r.random() < 0.75:
            text = re.sub(rf"(?<!\w){re.escape(long)}(?!\w)", short, text, flags=re.IGNORECASE)
    if r.random() < 0.7:
        text = strip_accents(text)
    return text.lower() if r.random() < 0.6 else text


def obfuscate(text, r):
    if r.random() < 0.5:
        text = strip_accents(text)
    # Whole URL tokens (host and path) keep their spelling here; only the "domain" op spaces them out.
    protected = {m.span() for m in re.finditer(r"\S+", text) if DOMAIN_RE.search(m.group())}
    words = [m for m in re.finditer(r"[^\W\d_]{3,}", text) if not any(a <= m.start() < b for a, b in protected)]
    ops = r.sample(["dots", "dots", "leet", "leet", "domain", "emoji", "phone", "zw", "tail"], k=r.randint(2, 3))
    if "dots" not in ops and "leet" not in ops:
        ops.append(r.choice(["dots", "leet"]))
    picked = sorted(r.sample(words, k=min(len(words), r.randint(2, 5))), key=lambda m: m.start(), reverse=True)
    sep = r.choice(SEPS)
    for m in picked:
        w = m.group()
        if "dots" in ops and ("leet" not in ops or r.random() < 0.5):
            w = sep.join(w)
        elif "leet" in ops:
            w = "".join(LEET.get(ch.lower(), ch) if r.random() < 0.6 else ch for ch in w)
        if "zw" in ops and r.random() < 0.4:
            w = w[:1] + "\u200b" + w[1:]
        text = text[: m.start()] + w + text[m.end() :]
    if "domain" in ops:
        text = DOMAIN_RE.sub(
            lambda m: m.group(1) + r.choice([" . ", " chấm ", "(.)", "[.]", " .", ". "]) + m.group(2), text
        )
    if "emoji" in ops:
        text = re.sub(r" ", lambda _: f" {r.choice(EMOJI)} " if r.random() < 0.15 else " ", text)
    if "phone" in ops:
        text = re.sub(r"\b0\d{9}\b", lambda m: " ".join(m.group()[i : i + 2] for i in range(0, 10, 2)), text)
    if "tail" in ops:
        text += " " + rand_token(r, 4)
    return text


def parse_templates(path=TEMPLATE_FILE):
    family, out = None, []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# family:"):
            family = line.split(":", 1)[1].strip()
        elif line.strip() and not line.startswith("#"):
            method, category, text = (p.strip() for p in line.split("|", 2))
            out.append({"family": family, "method": method, "category": category, "text": text})
    return out


def fill(text, r):
    ctx = {}
    text = re.sub(r"\[\[(.+?)\]\]", lambda m: r.choice(m.group(1).split("|")), text)

    def slot(m):
        key = m.group(1)
        if key not in ctx:
            ctx[key] = SLOTS[key](r, ctx)
        return ctx[key]

    return re.sub(r"\{(\w+)\}", slot, text).replace("  ", " ").strip()


def render(tpl, family, r):
    text = fill(tpl["text"], r)
    variant = r.choices(["accented", "unaccented", "teencode", "obfuscated"], weights=VARIANT_W.get(family, DEFAULT_W))[
        0
    ]
    if variant == "unaccented":
        text = strip_accents(text)
    elif variant == "teencode":
        text = teencode(text, r)
    elif variant == "obfuscated":
        text = obfuscate(text, r)
    if variant == "accented" and not has_accents(text):
        variant = "unaccented"
    return text, variant


def generate(seed):
    r = random.Random(seed)
    templates = parse_templates()
    rows, seen = [], set()
    for family, n in COUNTS.items():
        pool = [t for t in templates if t["family"] == family]
        made, tries = 0, 0
        while made < n and tries < n * 50:
            tries += 1
            tpl = pool[(made + tries) % len(pool)] if r.random() < 0.5 else r.choice(pool)
            text, variant = render(tpl, family, r)
            if text in seen:
                continue
            seen.add(text)
            made += 1
            rows.append(
                {
                    "text": text,
                    "label": "scam",
                    "method": tpl["method"],
                    "family": family,
                    "variant": variant,
                    "category": tpl["category"],
                    "source": "template",
                }
            )
    r.shuffle(rows)
    for i, row in enumerate(rows, 1):
        row["id"] = f"scam-templated-{i:05d}"
    return [{"id": row.pop("id"), **row} for row in rows], len(templates)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--out", type=Path, default=HERE / "scam-templated.jsonl")
    args = ap.parse_args()
    rows, n_templates = generate(args.seed)
    with args.out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} messages from {n_templates} templates -> {args.out}")


if __name__ == "__main__":
    main()
