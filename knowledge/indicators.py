"""Indicators found in a message: links, phone numbers, bank accounts, money amounts."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

# A page is looked up under itself and its parent paths up to this many segments deep.
MAX_PAGE_DEPTH = 8


class IndicatorKind(enum.StrEnum):
    URL = "url"
    PHONE = "phone"
    ACCOUNT = "account"
    MONEY = "money"


class Flag(enum.StrEnum):
    """What the engine noticed about one indicator."""

    OFFICIAL = "official"  # genuine domain or hotline of a known organisation
    LOOKALIKE = "lookalike"  # imitates an official domain
    HOMOGLYPH = "homoglyph"  # letters from another script in the host name
    SHORTENER = "shortener"
    ABUSED_TLD = "abused_tld"
    BAIT = "bait"  # the domain is named for what the victim is led to do: refund, verify, unlock, pay
    IP_HOST = "ip_host"
    PUNYCODE = "punycode"
    APK = "apk"
    OBFUSCATED = "obfuscated"  # written to dodge filters: "hxxp", "[.]", spaced dots
    FOREIGN = "foreign"
    SCAM_PREFIX = "scam_prefix"
    PREMIUM = "premium"  # a premium-rate number (1900 …): every minute of the call is charged to the caller
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator with the span of the original text it came from."""

    kind: IndicatorKind
    value: str  # normalised lookup key: registrable domain, E.164 number, account digits, amount in VND
    text: str  # as written
    span: tuple[int, int]
    flags: frozenset[Flag] = field(default_factory=frozenset)
    brand: str = ""  # organisation imitated (look-alike) or owning (official)
    host: str = ""
    page: str = ""  # links: host (without "www.") and path, no scheme, query or fragment: one page's address

    def has(self, flag: Flag) -> bool:
        return flag in self.flags

    def pages(self) -> tuple[str, ...]:
        """A link's page and each shorter path of it down to its host, longest first (at most MAX_PAGE_DEPTH
        path segments): a page is blocked with everything beneath it, so these are the keys to look up."""
        host, _, path = self.page.partition("/")
        if not host:
            return ()
        segments = path.split("/") if path else []
        deepest = (self.page,) if len(segments) > MAX_PAGE_DEPTH else ()
        shown = min(len(segments), MAX_PAGE_DEPTH)
        return deepest + tuple("/".join([host, *segments[:depth]]) for depth in range(shown, -1, -1))

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "value": self.value,
            "text": self.text,
            "span": list(self.span),
            "flags": sorted(f.value for f in self.flags),
            "brand": self.brand,
        }
