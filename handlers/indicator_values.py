"""Indicator values as officers type them and blocklists hold them, put in the form the reported list keys them.

Phone numbers become E.164 as the engine finds them in messages, a domain becomes its registrable domain, a URL
its page (host and path: a blocked page covers the pages beneath it), an account its digits. The engine's own
readers do the work, so a value typed here and the same value inside a checked message meet under one key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from handlers.messages import quote_user_text
from handlers.ports import IndicatorKind
from handlers.risk import STORAGE_KIND
from handlers.verdict_view import defang
from knowledge import Flag, Indicator

# What an officer may type before the value: the list's kinds, and the words Vietnamese officers use for them.
KINDS: dict[str, IndicatorKind] = {
    "phone": "phone",
    "sdt": "phone",
    "url": "url",
    "domain": "domain",
    "account": "account",
    "stk": "account",
}
MAX_VALUE_CHARS = 2_000
_NUMBER_TEXT = re.compile(r"^[+\d\s().\-]+$")
_NUMBER_TOKEN = re.compile(r"^[+\d().\-]+$")
# Numbers are often typed in groups ("0912 345 678", "+84 912 345 678"): a number whose first group is this short
# may go on in the next tokens, up to this many in all.
_MAX_GROUP_CHARS = 5
_MAX_NUMBER_TOKENS = 6


class IndicatorReader(Protocol):
    """What reads indicators out of text: the engine, or the risk service in front of it."""

    def read_link(self, text: str) -> Indicator | None: ...
    def read_phone(self, text: str) -> Indicator | None: ...


@dataclass(frozen=True, slots=True)
class ListedValue:
    """A value in the form the list keys it."""

    kind: IndicatorKind
    value: str
    official: str = ""  # the genuine organisation whose domain, host or hotline this is: never blocked

    @property
    def key(self) -> str:
        """How officers and the audit log name it: "phone:+84912345678"."""
        return f"{self.kind}:{self.value}"


def normalise(kind: IndicatorKind, raw: str, reader: IndicatorReader) -> ListedValue | None:
    """`raw` as the list keys it; None when it is not one well-formed value of that kind."""
    raw = raw.strip()
    if not raw or len(raw) > MAX_VALUE_CHARS:
        return None
    if kind == "account":
        digits = re.sub(r"\D", "", raw)
        return ListedValue(kind, digits) if _NUMBER_TEXT.match(raw) and 6 <= len(digits) <= 19 else None
    if kind == "phone":
        if not _NUMBER_TEXT.match(raw):
            return None
        phone = reader.read_phone(raw)
        if phone is None or phone.has(Flag.INVALID):
            return None
        return ListedValue(kind, phone.value, phone.brand if phone.has(Flag.OFFICIAL) else "")
    link = reader.read_link(raw)
    if link is None or link.text != raw:  # the whole value must be the address, nothing around it
        return None
    official = link.brand if link.has(Flag.OFFICIAL) else ""
    if kind == "domain":
        return ListedValue(kind, link.value, official)
    # A path on a genuine site may be blocked (a scam page on a platform anyone publishes on), the site itself not.
    return ListedValue(kind, link.page, official if "/" not in link.page else "")


def blockable(indicator: Indicator, reader: IndicatorReader) -> ListedValue | None:
    """How /block would list an indicator found in a message: under its domain, number or account, or, on a
    genuine organisation's site, under its page; None for a genuine organisation's site or number (and money)."""
    kind = STORAGE_KIND.get(indicator.kind)
    listed = normalise(kind, indicator.text, reader) if kind else None
    if listed is None or not listed.official:
        return listed
    page = normalise("url", indicator.text, reader) if kind == "domain" else None
    return page if page is not None and not page.official else None


def split_value(kind: IndicatorKind, text: str, reader: IndicatorReader) -> tuple[ListedValue | None, str]:
    """The value at the start of `text` and what follows it (an officer's note). A number typed in groups is read
    whole: the longest run of number tokens that reads as one valid value."""
    tokens = text.split()
    if not tokens:
        return None, ""
    run = 1
    if kind in ("phone", "account") and len(tokens[0]) <= _MAX_GROUP_CHARS:  # "0912 345 678", not "0912345678 2…"
        while run < min(len(tokens), _MAX_NUMBER_TOKENS) and _NUMBER_TOKEN.match(tokens[run]):
            run += 1
    for length in range(run, 0, -1):
        value = normalise(kind, " ".join(tokens[:length]), reader)
        if value is not None:
            return value, " ".join(tokens[length:])
    return None, " ".join(tokens[1:])


def shown(listed: ListedValue) -> str:
    """The normalised value as a reply shows it: quoted, and a link never left clickable."""
    value = defang(listed.value) if listed.kind in ("domain", "url") else listed.value
    return quote_user_text(value)
