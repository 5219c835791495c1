"""The part of a verdict that is about an image: the first lines read in it, and its QR codes with their risks."""

from __future__ import annotations

from handlers.catalogue import Catalogue
from handlers.messages import quote_user_text
from handlers.ports import IndicatorRecord
from handlers.verdict_view import defang_links, reputation_sentence
from knowledge import Indicator, Reputation
from knowledge.vietqr import QrCode, QrKind, QrRisk

SHOWN_LINES = 8
ALBUM_SHOWN_LINES = 4  # per image of an album: the answer stays readable with ten images
LINE_CHARS = 120


def read_lines(lines: tuple[str, ...], catalogue: Catalogue, lang: str, short: bool = False) -> list[str]:
    """The header and the first lines read (fewer when `short`), each quoted as the citizen's own text."""
    shown = ALBUM_SHOWN_LINES if short else SHOWN_LINES
    out = [catalogue.text("image.read_header", lang)]
    for line in lines[:shown]:
        out.append("› " + quote_user_text(line if len(line) <= LINE_CHARS else line[: LINE_CHARS - 1] + "…"))
    if len(lines) > shown:
        out.append(catalogue.text("image.more_lines", lang, count=len(lines) - shown))
    return out


def qr_lines(
    code: QrCode,
    risks: tuple[QrRisk, ...],
    record: IndicatorRecord | None,
    catalogue: Catalogue,
    lang: str,
) -> list[str]:
    """One QR code: a payment's bank, account, name, amount and note, with its risks; or its link or text."""
    if code.kind is QrKind.LINK:
        return [catalogue.text("image.qr_link", lang, link=quote_user_text(code.raw[:200]))]
    if code.kind is QrKind.TEXT:
        return [catalogue.text("image.qr_text", lang, text=quote_user_text(code.raw[:200]))]
    out = [catalogue.text("image.qr_header", lang)]
    if code.bank is not None:
        bank = code.bank.short if code.bank.short == code.bank.name else f"{code.bank.short} ({code.bank.name})"
        out.append(catalogue.text("image.qr_bank", lang, bank=quote_user_text(bank)))
    if code.account:
        out.append(catalogue.text("image.qr_account", lang, account=quote_user_text(code.account)))
        rep = Reputation(record.status, record.report_count) if record is not None else None
        out.append("  " + reputation_sentence(rep, quote_user_text(code.account), catalogue, lang))
    if code.name:
        out.append(catalogue.text("image.qr_name", lang, name=quote_user_text(code.name)))
    if code.amount is not None:
        out.append(catalogue.text("image.qr_amount", lang, amount=f"{code.amount:,}".replace(",", ".")))
    if code.purpose:
        out.append(catalogue.text("image.qr_purpose", lang, purpose=quote_user_text(code.purpose)))
    out.extend(catalogue.text(f"image.qr_risk.{risk.value}", lang) for risk in risks)
    return out


def image_section(
    lines: list[str],
    indicators: tuple[Indicator, ...],
) -> str:
    """The image part as one block, with the scam links found in it made untappable."""
    return defang_links("\n".join(lines), indicators)
