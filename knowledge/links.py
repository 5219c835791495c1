"""Find links in text (including obfuscated forms) and judge their domains against the official registry."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

import idna
from rapidfuzz.distance import Levenshtein

from knowledge.indicators import Flag, Indicator, IndicatorKind
from knowledge.officials import OfficialRegistry, domain_extractor
from knowledge.text import CleanText, clean_text

_LETTER = r"0-9a-z\u00c0-\u024f\u1e00-\u1eff"
_LABEL = rf"[{_LETTER}](?:[{_LETTER}\-]{{0,61}}[{_LETTER}])?"
_DOT = r"(?:\s?[\[\(\{]\s?(?:\.|dot)\s?[\]\)\}]\s?| \. |\.)"
_SCHEME = r"(?:h[xt]{2}ps?|ftp)\s?(?::|\[:\])\s?//"
_URL = re.compile(
    rf"(?P<scheme>{_SCHEME})?(?P<host>{_LABEL}(?:{_DOT}{_LABEL})+)(?P<port>:\d{{2,5}})?(?P<path>[/?#][^\s<>\"'\]\)]*)?",
    re.IGNORECASE,
)
_DOT_SUB = re.compile(_DOT, re.IGNORECASE)
_EMAIL_BEFORE = re.compile(r"[\w.+-]@$")
# Suffixes accepted for a bare domain written with spaced or bracketed dots ("vcb . com . vn").
# Words a scam site is named after, in the domain or a sub-domain ("vna-hoanve.com", "agoda-vn-payment.com"):
# genuine organisations put these pages under their own domain, which the registry knows.
_BAIT_WORDS = re.compile(
    r"hoantien|hoanve|hoantra|hoanphi|xacminh|xacthuc|xacnhan|mokhoa|nhanthuong|nhanqua|giaingan|capnhat"
    r"|refund|payment|verify|verification|unlock|walletconnect|claim|reward"
)
_COMMON_SUFFIXES = {"com", "vn", "com.vn", "net", "org", "gov.vn", "net.vn", "edu.vn", "info", "io", "me", "ly", "co"}
MAX_LINKS = 200
# A page's address ends before its query or fragment; punctuation closing the sentence is not part of it.
_PAGE_END = re.compile(r"[?#]")
_PAGE_TRAIL = ".,;:!/"
# A link typed with a space between every character to dodge filters: "v n a - h o a n t i e n [.] t o p".
_SPACED_RUN = re.compile(r"(?<!\S)(?:[0-9a-z\-/]|\[\.\]|\.)(?: (?:[0-9a-z\-/]|\[\.\]|\.)){5,}(?!\S)", re.IGNORECASE)


def find_links(clean: CleanText, registry: OfficialRegistry) -> list[Indicator]:
    """Every link or bare domain in the text, judged; at most MAX_LINKS."""
    found: list[Indicator] = []
    for match in _URL.finditer(clean.text):
        if len(found) >= MAX_LINKS:
            break
        if _EMAIL_BEFORE.search(clean.text, max(0, match.start() - 64), match.start()):
            continue
        indicator = _judge(match, clean, registry)
        if indicator is not None:
            found.append(indicator)
    for run in _SPACED_RUN.finditer(clean.text):
        if len(found) >= MAX_LINKS:
            break
        if "." not in run.group(0) or any(s < run.end() and run.start() < e for s, e in (i.span for i in found)):
            continue
        despaced = _URL.fullmatch(run.group(0).replace(" ", ""))
        if despaced is not None:
            indicator = _judge(despaced, clean, registry, span=(run.start(), run.end()))
            if indicator is not None:
                found.append(indicator)
    return found


def read_link(text: str, registry: OfficialRegistry) -> Indicator | None:
    """The first link or bare domain in `text`, keyed exactly as `find_links` keys it (registrable domain, page)
    and marked official when an organisation owns the address it is keyed under, but not judged further: for the
    addresses officers type and blocklists hold, read by the hundred thousand."""
    clean = clean_text(text)
    for match in _URL.finditer(clean.text):
        if _EMAIL_BEFORE.search(clean.text, max(0, match.start() - 64), match.start()):
            continue
        address = _address(match, given=True)
        if address is None:
            continue
        start, end = clean.source_span(match.start(), match.end())
        written = clean.original[start:end]
        flags, brand = set(address.flags), ""
        # Official by its key, however it was written: a look-alike letter maps to the genuine address.
        owner = registry.owner_of(address.host)
        if owner is not None:
            flags.add(Flag.OFFICIAL)
            brand = owner.name
        return Indicator(
            IndicatorKind.URL,
            address.registrable,
            written.strip(),
            (start, end),
            frozenset(flags),
            brand,
            address.host,
            address.page,
        )
    return None


@dataclass(frozen=True, slots=True)
class _Address:
    """What a link's text says, before any judgement: where it leads and how it was written."""

    host: str  # lower case, ASCII (punycode) form; or an IP address
    registrable: str  # the domain a registrant owns ("vietcombank.com.vn"); the IP address itself for an IP
    suffix: str  # the public suffix ("com.vn"); "" for an IP address
    path: str
    page: str  # host without "www." and path without query, fragment or trailing punctuation
    flags: frozenset[Flag]  # only OBFUSCATED, IP_HOST, PUNYCODE


def _address(match: re.Match[str], despaced: bool = False, given: bool = False) -> _Address | None:
    """Parse one match of _URL; None when it is no usable address. `despaced`: the match ran on a copy of a link
    typed with a space between every character. `given`: the text was given as an address, not found in a message.
    Either way it is meant as an address, so a bare domain with bracketed dots ("evil[.]top") counts whatever its
    ending."""
    raw_host = match.group("host")
    host = _DOT_SUB.sub(".", raw_host).lower().strip(".")
    obfuscated = (host.count(".") and raw_host.count(".") != host.count(".")) or " " in raw_host or despaced
    scheme = match.group("scheme") or ""
    flags: set[Flag] = set()
    if obfuscated or "xx" in scheme.lower() or "[" in scheme:
        flags.add(Flag.OBFUSCATED)
    path = match.group("path") or ""
    suffix = ""
    if _is_ip(host):
        flags.add(Flag.IP_HOST)
        registrable = host
    else:
        ascii_host, unicode_host = _idna_forms(host)
        if ascii_host is None:
            return None
        parts = domain_extractor()(ascii_host)
        if not parts.suffix or not parts.domain:
            return None
        if parts.domain.isdigit() and not scheme:
            return None  # "MBVCB.64061641.853949.LY": a bank's transfer reference, not an address
        meant = despaced or given or scheme or path
        if not meant and obfuscated and parts.suffix not in _COMMON_SUFFIXES:
            return None
        if ascii_host != unicode_host or "xn--" in ascii_host:
            flags.add(Flag.PUNYCODE)
        registrable, suffix, host = f"{parts.domain}.{parts.suffix}", parts.suffix, ascii_host
    page = host.removeprefix("www.") + _PAGE_END.split(path, maxsplit=1)[0].rstrip(_PAGE_TRAIL)
    return _Address(host, registrable, suffix, path, page, frozenset(flags))


def _judge(
    match: re.Match[str],
    clean: CleanText,
    registry: OfficialRegistry,
    span: tuple[int, int] | None = None,
) -> Indicator | None:
    """Judge one link; `span` is where it was written when `match` ran on a de-spaced copy."""
    address = _address(match, despaced=span is not None)
    if address is None:
        return None
    host, registrable, path = address.host, address.registrable, address.path
    flags = set(address.flags)
    if address.suffix and address.suffix.rsplit(".", 1)[-1] in registry.abused_tlds:
        flags.add(Flag.ABUSED_TLD)
    start, end = clean.source_span(*(span or (match.start(), match.end())))
    written = clean.original[start:end]
    if _has_foreign_letters(clean.original[start:end]):
        flags.add(Flag.HOMOGLYPH)
    if path.lower().split("?")[0].endswith(".apk"):
        flags.add(Flag.APK)
    brand = ""
    owner = registry.owner_of(host)
    if owner is not None and Flag.HOMOGLYPH not in flags and Flag.PUNYCODE not in flags:
        flags.add(Flag.OFFICIAL)
        brand = owner.name
    elif host in registry.shorteners or registrable in registry.shorteners:
        flags.add(Flag.SHORTENER)
    elif Flag.IP_HOST not in flags:
        imitated = _imitated_brand(host, registrable, registry)
        if imitated or Flag.HOMOGLYPH in flags:
            flags.add(Flag.LOOKALIKE)
            brand = imitated or (owner.name if owner else "")
        # One link, one sign: a bait name counts only for a link that otherwise looks clean.
        clean_so_far = not flags & {Flag.LOOKALIKE, Flag.ABUSED_TLD, Flag.HOMOGLYPH, Flag.PUNYCODE}
        if clean_so_far and _BAIT_WORDS.search(host.removesuffix(registrable.partition(".")[2]).replace("-", "")):
            flags.add(Flag.BAIT)
    return Indicator(
        kind=IndicatorKind.URL,
        value=registrable,
        text=written.strip(),
        span=(start, end),
        flags=frozenset(flags),
        brand=brand,
        host=host,
        page=address.page,
    )


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _idna_forms(host: str) -> tuple[str | None, str]:
    """(ASCII punycode form, Unicode form) of a host name; None when it is not a valid name."""
    try:
        if host.isascii():
            unicode_host = idna.decode(host) if "xn--" in host else host
            return host, unicode_host
        return idna.encode(host, uts46=True).decode("ascii"), host
    except (idna.IDNAError, UnicodeError, ValueError):
        return None, host


def _has_foreign_letters(written: str) -> bool:
    """Letters from Cyrillic or Greek in a host name are a classic look-alike trick."""
    return any("\u0370" <= ch <= "\u04ff" for ch in written)


_VN_SUFFIX_INSIDE = re.compile(r"\.((?:com|org|gov|edu|net|info|biz)\.vn|vn)[.\-]")


def _imitated_brand(host: str, registrable: str, registry: OfficialRegistry) -> str:
    """Name of the organisation a non-official host imitates, or ''."""
    labels = re.split(r"[.\-]", host)
    disguised = _VN_SUFFIX_INSIDE.search(host)
    if disguised:  # a Vietnamese ending in the middle of the host: "acb.com.vn-inc.life"
        for org in registry.organisations:
            if any(host.startswith(d) or f".{d}" in host for d in org.domains):
                return org.name
        return f".{disguised.group(1)}"  # "quy-tu-thien.org.vn-donate.top": dressed up as a .org.vn address
    for org in registry.organisations:
        for token in org.tokens:
            if token in labels or (len(token) >= 6 and token in host):
                return org.name
    name = registrable.split(".", 1)[0]
    for org in registry.organisations:
        for domain in org.domains:
            official_name = domain.split(".", 1)[0]
            limit = 1 if len(official_name) < 7 else 2
            if len(official_name) >= 5 and Levenshtein.distance(name, official_name, score_cutoff=limit) <= limit:
                return org.name
            # The whole address one or two edits away ("acb.com.vm", "acb.co.vn"), but not a different short name
            # under the same ending ("pvi.com.vn" is not "vib.com.vn"): three letters one edit apart are another
            # organisation's initials ("pti.com.vn" is not "pvi.com.vn"), so a short name must be kept exactly.
            if (
                len(domain) >= 8
                and Levenshtein.distance(registrable, domain, score_cutoff=2) <= 2
                and Levenshtein.distance(name, official_name, score_cutoff=1) <= (1 if len(official_name) > 3 else 0)
            ):
                return org.name
    return ""
