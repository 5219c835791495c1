"""What a QR code says: a VietQR (EMVCo merchant-presented) payment, a link, or plain text, and its risks.

A VietQR payload is ASCII TLV (two-digit id, two-digit length, value), ending with tag 63, a CRC-16/CCITT-FALSE
over everything before its value. Tag 38 with the NAPAS GUID A000000727 holds the beneficiary: bank BIN (38/01/00)
and account or card number (38/01/01). Written here rather than taken from a package: the format is 60 lines,
the packages drop templates they do not know, and a valid CRC only proves the code was read intact.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass

from knowledge.data_files import read_toml
from knowledge.numbers import find_accounts
from knowledge.text import clean_text
from knowledge.tones import fold
from knowledge.verdict import Reason, Reputation

NAPAS_GUID = "A000000727"
_URL = re.compile(r"^(?:https?://|www\.)\S+$|^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/\S*)?$", re.IGNORECASE)
# Words that present a payment code as a way to *receive* money: paying a QR never brings money in.
# "để nhận hàng" (to get the goods one pays for) is a purchase, not a promise of money.
_RECEIVE = re.compile(
    r"\b(?:nhan (?:tien|thuong|qua|giai|hoan|lai|luong|khoan|ho tro|tro cap|\d+\w*)|hoan (?:tien|phi|lai|tra)|"
    r"(?:de|duoc) nhan(?! (?:hang|don|ve|phong|xe|ban|hoa don))|giai ngan|rut tien|refund|receive|claim)\b"
)
REPORTED_AT = 3  # reports before a reported account counts (as in scoring.py's reported reason)


class QrKind(enum.StrEnum):
    PAYMENT = "payment"  # an EMVCo/VietQR payment code
    LINK = "link"
    TEXT = "text"


class QrRisk(enum.StrEnum):
    """Why a QR code is worrying; each has its text in the catalogue as `image.qr_risk.<value>`."""

    ACCOUNT_DIFFERS = "account_differs"  # the text names an account, the code pays another one
    TO_RECEIVE = "to_receive"  # presented as a way to receive money
    DAMAGED = "damaged"  # the checksum does not match: edited or misread


@dataclass(frozen=True, slots=True)
class Bank:
    bin: str
    short: str
    name: str


@dataclass(frozen=True, slots=True)
class QrCode:
    """One decoded QR code, read for what matters to a citizen."""

    kind: QrKind
    raw: str
    crc_valid: bool = False
    bank: Bank | None = None
    account: str = ""
    amount: int | None = None
    currency: str = ""
    country: str = ""
    name: str = ""
    purpose: str = ""


class PayloadError(ValueError):
    """Not a well-formed EMVCo TLV payload."""


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final xor."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def parse_tlv(payload: str) -> dict[str, str]:
    """The top-level objects of a TLV string, by id (a repeated id keeps its first value)."""
    out: dict[str, str] = {}
    i = 0
    while i < len(payload):
        head = payload[i : i + 4]
        if len(head) < 4 or not head.isdigit():
            raise PayloadError(f"bad object header at {i}")
        length = int(head[2:])
        value = payload[i + 4 : i + 4 + length]
        if len(value) != length:
            raise PayloadError(f"object {head[:2]} runs past the end")
        out.setdefault(head[:2], value)
        i += 4 + length
    return out


def _bank(bin_: str) -> Bank | None:
    entry = read_toml("data/vietqr_banks.toml")["banks"].get(bin_)
    return Bank(bin_, str(entry["short"]), str(entry["name"])) if entry else None


def bank_by_bin(bin_: str) -> Bank | None:
    """The bank with this NAPAS BIN, or None when the shipped table does not list it."""
    return _bank(bin_)


def _payment(raw: str) -> QrCode:
    top = parse_tlv(raw)
    if top.get("00") != "01":
        raise PayloadError("payload format indicator is not 01")
    crc_valid = False
    if raw[-8:-4] == "6304":
        crc_valid = f"{crc16_ccitt_false(raw[:-4].encode('ascii', 'replace')):04X}" == raw[-4:].upper()
    bin_ = account = ""
    napas = parse_tlv(top["38"]) if "38" in top else {}
    if napas.get("00", "").upper() == NAPAS_GUID and "01" in napas:
        beneficiary = parse_tlv(napas["01"])
        bin_, account = beneficiary.get("00", ""), beneficiary.get("01", "")
    amount_text = top.get("54", "")
    amount = int(float(amount_text)) if re.fullmatch(r"\d+(?:\.\d+)?", amount_text) else None
    extra = parse_tlv(top["62"]) if "62" in top else {}
    bank = (_bank(bin_) or Bank(bin_, bin_, bin_)) if bin_ else None
    return QrCode(
        QrKind.PAYMENT,
        raw,
        crc_valid=crc_valid,
        bank=bank,
        account=account,
        amount=amount,
        currency=top.get("53", ""),
        country=top.get("58", ""),
        name=top.get("59", ""),
        purpose=extra.get("08", ""),
    )


def read_qr(text: str) -> QrCode:
    """Classify a decoded QR text: an EMVCo payment (when it parses), a link, or plain text."""
    raw = text.strip()
    if raw.startswith("000201"):
        try:
            return _payment(raw)
        except (PayloadError, ValueError):
            pass  # starts like a payment code but is not one: judged as text below
    if _URL.match(raw):
        return QrCode(QrKind.LINK, raw)
    return QrCode(QrKind.TEXT, raw)


def qr_risks(code: QrCode, text: str) -> tuple[QrRisk, ...]:
    """What is worrying about a payment code shown with this text (the screenshot's or the message's)."""
    if code.kind is not QrKind.PAYMENT:
        return ()
    risks: list[QrRisk] = []
    if not code.crc_valid:
        risks.append(QrRisk.DAMAGED)
    claimed = _claimed_accounts(text)
    if code.account and claimed and not any(_same_account(code.account, other) for other in claimed):
        risks.append(QrRisk.ACCOUNT_DIFFERS)
    if _RECEIVE.search(fold(f"{text}\n{code.purpose}".lower())):
        risks.append(QrRisk.TO_RECEIVE)
    return tuple(risks)


def _claimed_accounts(text: str) -> set[str]:
    return {indicator.value for indicator in find_accounts(clean_text(text))}


def _same_account(code_account: str, written: str) -> bool:
    """The same number, allowing one misread digit: the written one comes from OCR, and a code swapped by a
    scammer pays an unrelated account, not one a digit away."""
    if len(code_account) != len(written):
        return False
    return sum(a != b for a, b in zip(code_account, written, strict=True)) <= 1


def qr_evidence(code: QrCode, risks: tuple[QrRisk, ...], reputation: Reputation | None = None) -> tuple[Reason, ...]:
    """The hard evidence a payment code adds to a verdict (`Scorer.verdict`'s `evidence`): presented as a way to
    receive money, paying another account than the text names, or paying a verified or reported account. Each
    reason names the bank, the masked account and the amount. A damaged code is shown, not scored."""
    if code.kind is not QrKind.PAYMENT:
        return ()
    found: list[tuple[str, dict[str, object]]] = []
    if QrRisk.TO_RECEIVE in risks:
        found.append(("qr_to_receive", {}))
    if QrRisk.ACCOUNT_DIFFERS in risks:
        found.append(("qr_account_differs", {}))
    if reputation is not None and reputation.status == "scam":
        found.append(("verified_scam", {}))
    elif reputation is not None and reputation.status == "reported" and reputation.report_count >= REPORTED_AT:
        found.append(("reported", {"count": reputation.report_count}))
    return tuple(_qr_reason(code, reason, params) for reason, params in found)


def mask_account(account: str) -> str:
    """An account number as reasons and logs show it: its last four digits."""
    return "***" + account[-4:] if len(account) > 4 else account


def _qr_reason(code: QrCode, reason: str, params: dict[str, object]) -> Reason:
    data = read_toml("data/qr_reasons.toml")
    spec = data["reasons"][reason]
    bank = code.bank.short if code.bank is not None else ""
    payee = " ".join(part for part in (bank, mask_account(code.account)) if part)
    amount_vi = data["amount_vi"].format(amount=f"{code.amount:,}".replace(",", ".")) if code.amount else ""
    amount_en = data["amount_en"].format(amount=f"{code.amount:,}") if code.amount else ""
    return Reason(
        code=reason,
        text_vi=spec["vi"].format(payee=payee, amount=amount_vi, **params),
        text_en=spec["en"].format(payee=payee, amount=amount_en, **params),
        points=int(spec["points"]),
        evidence=payee,
    )


def build_payload(objects: Iterable[tuple[str, str]]) -> str:
    """A signed EMVCo payload from (id, value) pairs in order; used to make examples and tests."""
    body = "".join(f"{tag}{len(value):02d}{value}" for tag, value in objects) + "6304"
    return body + f"{crc16_ccitt_false(body.encode('ascii')):04X}"
