"""Phone numbers, bank account numbers and money amounts in text."""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberType

from knowledge.indicators import Flag, Indicator, IndicatorKind
from knowledge.officials import OfficialRegistry
from knowledge.text import CleanText, clean_text
from knowledge.tones import fold

MAX_NUMBERS = 50
# Words after which a run of digits is a bank account: stk, số tài khoản, tk, account, a bank's name.
_ACCOUNT_WORDS = (
    r"stk|s\.t\.k|s[oố] t[aà]i kho[aả]n|s[oố] tk|t[aà]i kho[aả]n|tk|tknh|acc(?:ount)?|a/c|"
    r"vietcombank|vcb|techcombank|tcb|mb ?bank|mbbank|mb|agribank|bidv|vietinbank|acb|tp ?bank|sacombank|vpbank|"
    r"vib|hdbank|msb|ocb|shb|seabank|eximbank|lpbank|nam ?a ?bank|bac ?a ?bank|scb|abbank|kienlongbank|pvcombank|"
    r"momo|zalopay|viettel ?money|ng[aâ]n h[aà]ng"
)
_ACCOUNT = re.compile(
    rf"(?:{_ACCOUNT_WORDS})\b[^\d\n]{{0,24}}?(?P<num>\d(?:[ .\-]?\d){{5,18}})(?!\d)",
    re.IGNORECASE,
)
_EIGHT_DIGITS = re.compile(r"\d(?:[ .\-]?\d){7}")
_DATE = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)?\d{2}(?!\d)")  # "10-12-2025 23:45" is a date, not an account
_ACCOUNT_AFTER = re.compile(rf"(?<![\d+])(?P<num>\d{{8,19}})\s*[-–(]?\s*(?:{_ACCOUNT_WORDS})\b", re.IGNORECASE)
_MONEY = re.compile(
    r"(?<![\w.,])(?P<num>\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?)\s?"
    r"(?P<unit>triệu|trieu|tr|củ|cu|tỷ|tỷ đồng|ty|nghìn|ngàn|nghin|ngan|k|đồng|dong|đ|vnđ|vnd|usd|\$|usdt|d)"
    r"(?![^\W\d_])",
    re.IGNORECASE,
)
_UNIT_VALUE = {
    "triệu": 1_000_000,
    "trieu": 1_000_000,
    "tr": 1_000_000,
    "củ": 1_000_000,
    "cu": 1_000_000,
    "tỷ": 1_000_000_000,
    "ty": 1_000_000_000,
    "tỷ đồng": 1_000_000_000,
    "nghìn": 1000,
    "ngàn": 1000,
    "nghin": 1000,
    "ngan": 1000,
    "k": 1000,
}
# A run glued to letters ("NVVNHCM0049210785", a tracking code) is part of a code, not a phone number.
_DIGIT_RUN = re.compile(r"(?<![^\W_])\d(?:[\s.\-()]{0,3}\d){6,}")
# ... unless the letters are a contact word: "Zalo0912345678", "SĐT0987654321", "goi0912345678".
_GLUED_CONTACT = re.compile(
    r"(?<![^\W_])(?:zalo|sđt|sdt|đt|dt|hotline|lh|tel|gọi|goi|call|phone)(?P<run>\d(?:[\s.\-]{0,3}\d){7,10})",
    re.IGNORECASE,
)
_CODE_WORDS = re.compile(r"otp|mã|ma |code|pin|cvv|mật khẩu", re.IGNORECASE)
_PREFIX = re.compile(r"\+\s?(?:840|882|94|373|216|240|226|224|232|252|231|247|375|381|371|563|255|370)[\d .\-]{6,14}\d")


def find_accounts(clean: CleanText) -> list[Indicator]:
    """Digit runs written next to an account word or a bank name."""
    found: dict[str, Indicator] = {}
    if not _EIGHT_DIGITS.search(clean.text):
        return []  # both patterns need eight digits or more (optionally separated): skip their slow scans
    for pattern in (_ACCOUNT, _ACCOUNT_AFTER):
        for match in pattern.finditer(clean.text):
            digits = re.sub(r"\D", "", match.group("num"))
            if not 8 <= len(digits) <= 19 or digits in found or len(found) >= MAX_NUMBERS:
                continue
            if _DATE.match(match.group("num")):
                continue
            if _CODE_WORDS.search(clean.text[max(0, match.start("num") - 12) : match.start("num")]):
                continue  # "OTP 593716", "mã 12345678": a code, not an account
            start, end = clean.source_span(match.start("num"), match.end("num"))
            found[digits] = Indicator(IndicatorKind.ACCOUNT, digits, clean.original[start:end], (start, end))
    return list(found.values())


def find_phones(clean: CleanText, registry: OfficialRegistry, taken: list[tuple[int, int]]) -> list[Indicator]:
    """Phone numbers in every common Vietnamese and international format, not overlapping `taken` spans."""
    found: dict[str, Indicator] = {}
    for match in _PREFIX.finditer(clean.text):
        start, end = clean.source_span(match.start(), match.end())
        prefixed = _prefixed(match.group(0), clean.original[start:end], (start, end))
        found[prefixed.value] = prefixed
    text = clean.text
    # A money amount ("10.000.000đ") is never a phone number.
    taken = taken + [clean.source_span(m.start(), m.end()) for m in _MONEY.finditer(text)]
    for candidate, offset in _phone_candidates(text):
        if len(found) >= MAX_NUMBERS:
            break
        start, end = clean.source_span(offset + candidate.start, offset + candidate.end)
        if any(s < end and start < e for s, e in taken) or any(
            s < end and start < e for s, e in (i.span for i in found.values())
        ):
            continue
        phone = _judge_phone(candidate.number, registry, clean.original[start:end], (start, end))
        if phone is not None:
            found[phone.value] = phone
    return list(found.values())


def read_phone(text: str, registry: OfficialRegistry) -> Indicator | None:
    """`text` read as one phone number, keyed and flagged as `find_phones` keys and flags the numbers of a message
    (it parses with the same library, without searching): for the numbers officers type and blocklists hold."""
    written = text.strip()
    if _PREFIX.fullmatch(written):
        return _prefixed(written, written, (0, len(written)))
    try:
        number = phonenumbers.parse(clean_text(written).text, "VN")
    except phonenumbers.NumberParseException:
        return None
    return _judge_phone(number, registry, written, (0, len(written)))


def _prefixed(digits: str, written: str, span: tuple[int, int]) -> Indicator:
    """A number with a foreign prefix scammers are known to use."""
    value = "+" + re.sub(r"\D", "", digits)
    return Indicator(IndicatorKind.PHONE, value, written, span, frozenset({Flag.FOREIGN, Flag.SCAM_PREFIX}))


def _judge_phone(
    number: phonenumbers.PhoneNumber, registry: OfficialRegistry, written: str, span: tuple[int, int]
) -> Indicator | None:
    """One parsed number, keyed by its E.164 form and flagged; None when it is too short to be a phone number."""
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    national = phonenumbers.national_significant_number(number)
    flags: set[Flag] = set()
    if number.country_code != 84:
        flags.add(Flag.FOREIGN)
        if any(e164.startswith(p) for p in registry.scam_prefixes):
            flags.add(Flag.SCAM_PREFIX)
    if phonenumbers.number_type(number) is PhoneNumberType.PREMIUM_RATE:
        flags.add(Flag.PREMIUM)
    if not phonenumbers.is_valid_number(number):
        if len(national) < 8:
            return None
        flags.add(Flag.INVALID)
    brand = ""
    local = "0" + national if number.country_code == 84 else e164
    for key in (national, local, e164):
        if key in registry.official_numbers:
            flags.add(Flag.OFFICIAL)
            brand = registry.official_numbers[key].name
    return Indicator(IndicatorKind.PHONE, e164, written, span, frozenset(flags), brand)


def _phone_candidates(text: str) -> Iterator[tuple[phonenumbers.PhoneNumberMatch, int]]:
    """Run the (slow) phonenumbers matcher only around runs of digits, each with room for a "+84" prefix."""
    for run in _DIGIT_RUN.finditer(text):
        offset = max(0, run.start() - 5)
        for match in phonenumbers.PhoneNumberMatcher(
            text[offset : run.end() + 1], "VN", leniency=Leniency.POSSIBLE, max_tries=20
        ):
            yield match, offset
    for glued in _GLUED_CONTACT.finditer(text):
        offset = glued.start("run")
        for match in phonenumbers.PhoneNumberMatcher(
            text[offset : glued.end() + 1], "VN", leniency=Leniency.POSSIBLE, max_tries=5
        ):
            yield match, offset


def find_money(clean: CleanText) -> list[Indicator]:
    """Money amounts ("5tr", "5 triệu", "5.000.000đ", "500k"), valued in đồng."""
    found: list[Indicator] = []
    for match in _MONEY.finditer(clean.text):
        if len(found) >= MAX_NUMBERS:
            break
        unit = match.group("unit").lower()
        raw = match.group("num")
        value = _amount(raw, unit)
        if value is None:
            continue
        start, end = clean.source_span(match.start(), match.end())
        found.append(Indicator(IndicatorKind.MONEY, str(value), clean.original[start:end], (start, end)))
    return found


def _amount(raw: str, unit: str) -> int | None:
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", raw):
        number = float(re.sub(r"[.,]", "", raw))
    else:
        number = float(raw.replace(",", "."))
    if unit in ("usd", "$", "usdt"):
        return int(number * 25_000)
    multiplier = _UNIT_VALUE.get(unit, _UNIT_VALUE.get(fold(unit), 1))
    value = int(number * multiplier)
    return value if value > 0 else None
