"""Official organisations: their domains, brand tokens and hotlines (data in `data/official.toml`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import tldextract

from knowledge.data_files import read_toml
from knowledge.indicators import Flag, Indicator, IndicatorKind

# Kinds of organisation whose domains host anyone's content (t.me/…, facebook.com/…): a link there is no
# sign that the message is a genuine notice.
_OPEN_PLATFORMS = ("platform",)


@dataclass(frozen=True, slots=True)
class Organisation:
    name: str
    kind: str
    domains: tuple[str, ...]
    tokens: tuple[str, ...]
    hotlines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OfficialRegistry:
    """Everything the engine knows about genuine organisations and risky link and number patterns."""

    organisations: tuple[Organisation, ...]
    shorteners: frozenset[str]
    abused_tlds: frozenset[str]
    scam_prefixes: tuple[str, ...]
    remote_apps: tuple[str, ...]
    # Built once: they are consulted for every link and number of every check (and every line of a list import).
    official_domains: dict[str, Organisation] = field(init=False, repr=False, compare=False, hash=False)
    official_numbers: dict[str, Organisation] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        domains = {d: org for org in self.organisations for d in org.domains}
        object.__setattr__(self, "official_domains", domains)
        object.__setattr__(self, "official_numbers", {n: org for org in self.organisations for n in org.hotlines})

    def owner_of(self, host: str) -> Organisation | None:
        """The organisation whose official domain is `host` or a parent of it."""
        domains = self.official_domains
        parts = host.split(".")
        for i in range(len(parts) - 1):
            org = domains.get(".".join(parts[i:]))
            if org is not None:
                return org
        return None


@lru_cache(maxsize=1)
def load_officials() -> OfficialRegistry:
    """Load the shipped registry of official organisations."""
    data = read_toml("data/official.toml")
    orgs = tuple(
        Organisation(
            name=o["name"],
            kind=o["kind"],
            domains=tuple(d.lower() for d in o["domains"]),
            tokens=tuple(t.lower() for t in o.get("tokens", ())),
            hotlines=tuple(o.get("hotlines", ())),
        )
        for o in data["org"]
    )
    lists = data["lists"]
    return OfficialRegistry(
        organisations=orgs,
        shorteners=frozenset(lists["shorteners"]),
        abused_tlds=frozenset(lists["abused_tlds"]),
        scam_prefixes=tuple(lists["scam_prefixes"]),
        remote_apps=tuple(lists["remote_apps"]),
    )


@lru_cache(maxsize=1)
def domain_extractor() -> tldextract.TLDExtract:
    """A tldextract instance that only uses its bundled Public Suffix List snapshot (no network, no cache)."""
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=False)


@lru_cache(maxsize=256)
def _kind(brand: str) -> str:
    """The kind of organisation (bank, platform …) that owns an official domain."""
    return next((o.kind for o in load_officials().organisations if o.name == brand), "")


def is_genuine(indicator: Indicator) -> bool:
    """A link or number of a known organisation (not a platform that hosts anyone's page)."""
    return indicator.has(Flag.OFFICIAL) and _kind(indicator.brand) not in _OPEN_PLATFORMS


def only_official_contacts(indicators: tuple[Indicator, ...]) -> bool:
    """Every link and phone number belongs to a known organisation: how genuine notices are written."""
    contacts = [i for i in indicators if i.kind in (IndicatorKind.URL, IndicatorKind.PHONE)]
    return bool(contacts) and all(is_genuine(i) for i in contacts)
