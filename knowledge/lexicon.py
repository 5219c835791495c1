"""Tables for undoing how people really type: teencode, abbreviations, leetspeak and look-alike letters."""

from __future__ import annotations

# Abbreviations and teencode, keyed by the lower-case token (accented or not). Values are standard
# Vietnamese with diacritics. Ambiguous short forms are resolved with context in `knowledge.text._expand`.
ABBREVIATIONS: dict[str, str] = {
    "ck": "chuyển khoản",
    "stk": "số tài khoản",
    "tk": "tài khoản",
    "tknh": "tài khoản ngân hàng",
    "ko": "không",
    "k0": "không",
    "kh": "không",
    "hok": "không",
    "hem": "không",
    "dc": "được",
    "đc": "được",
    "dk": "được",
    "đk": "được",
    "sdt": "số điện thoại",
    "sđt": "số điện thoại",
    "đt": "điện thoại",
    "nv": "nhân viên",
    "cty": "công ty",
    "ctv": "cộng tác viên",
    "hh": "hoa hồng",
    "ls": "lãi suất",
    "mxh": "mạng xã hội",
    "cccd": "căn cước công dân",
    "cmnd": "chứng minh nhân dân",
    "cmt": "chứng minh nhân dân",
    "bhxh": "bảo hiểm xã hội",
    "bhyt": "bảo hiểm y tế",
    "csgt": "cảnh sát giao thông",
    "vks": "viện kiểm sát",
    "tmdt": "thương mại điện tử",
    "tmđt": "thương mại điện tử",
    "ib": "nhắn tin",
    "inbox": "nhắn tin",
    "ad": "quản trị viên",
    "j": "gì",
    "z": "vậy",
    "r": "rồi",
    "ae": "anh em",
    "bn": "bao nhiêu",
    "mn": "mọi người",
    "mng": "mọi người",
    "ng": "người",
    "ns": "nói",
    "lm": "làm",
    "trc": "trước",
    "tr": "triệu",
    "củ": "triệu",

    "kt": "kiểm tra",
    "tt": "thanh toán",
    "xn": "xác nhận",
    "vs": "với",
    "ntn": "như thế nào",
    "bít": "biết",
    "bik": "biết",
    "bjt": "biết",
    "nhìu": "nhiều",
    "iu": "yêu",
    "e": "em",
    "a": "anh",
    "mk": "mật khẩu",
    "pass": "mật khẩu",
    "app": "ứng dụng",
    "acc": "tài khoản",
    "tele": "telegram",
    "zl": "zalo",
    "fb": "facebook",
    "vid": "video",
    "cskh": "chăm sóc khách hàng",
}

# Single letters that are words of their own in ordinary Vietnamese or teencode.
SINGLE_LETTER_WORDS = frozenset({"a", "à", "á", "ạ", "ừ", "ơ", "ở", "ý", "e", "k", "j", "r", "v", "z", "t", "m", "c", "o"})

# Leetspeak: symbols and digits standing for letters inside words.
LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s", "!": "i", "|": "l", "€": "e"})
# Units after a number: "500k", "4g", "24h", "2tr" are not leetspeak.
NUMBER_UNITS = frozenset({
    "k", "tr", "h", "g", "p", "m", "d", "đ", "ty", "tỷ", "trieu", "triệu", "ngan", "ngàn", "nghin", "nghìn", "cu", "củ",
    "lit", "kg", "km", "gb", "mb", "x", "s", "t", "vnd", "vnđ", "usd", "th", "ph", "gio", "giờ", "phut", "phút", "ngay", "ngày",
    "lan", "lần", "nam", "năm", "thang", "tháng", "tuoi", "tuổi", "cm", "mm", "kw", "kwh", "w", "v", "st", "nd", "rd",
})

# Look-alike letters from other scripts (Cyrillic, Greek) mapped to Latin; fullwidth and mathematical forms
# are folded by NFKC before this table is used.
HOMOGLYPHS = str.maketrans({
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y", "і": "i", "ј": "j", "ѕ": "s", "һ": "h",
    "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "к": "k", "м": "m", "т": "t", "н": "h", "в": "b", "г": "r", "п": "n",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X",
    "α": "a", "ε": "e", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "ν": "v", "ι": "i", "κ": "k", "χ": "x", "Ο": "O",
    "Α": "A", "Β": "B", "Ε": "E", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ρ": "P", "Τ": "T", "Χ": "X",
})

# Characters that join letters in obfuscated words ("c.h.u.y.e.n", "nh4n_t1en", "D!EU*K!EN").
SEPARATORS = "._-*^~#+/\\|'`"
