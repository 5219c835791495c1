"""The "method of the day": which scam method a chat hears about next, with seasonal emphasis. Pure; no I/O.

Rotation: a chat does not see a method again until it has seen every method in the library (the memory of
what it saw is the caller's, passed in as `shown`). Among the methods it has not seen yet, those that scammers
lean on at this time of year (Tết, exam season, tax season…) come first; otherwise the pick moves with the
date, so chats that subscribed on different days do not all walk the library in the same order.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from knowledge.signature import Signature

# Lunar New Year (mùng 1 Tết) in the Gregorian calendar; outside this table Tết is taken as 1 February.
TET_DAYS = {
    2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17),
    2027: dt.date(2027, 2, 6),
    2028: dt.date(2028, 1, 26),
    2029: dt.date(2029, 2, 13),
    2030: dt.date(2030, 2, 3),
    2031: dt.date(2031, 1, 23),
    2032: dt.date(2032, 2, 11),
    2033: dt.date(2033, 1, 31),
    2034: dt.date(2034, 2, 19),
    2035: dt.date(2035, 2, 8),
}
TET_BEFORE = dt.timedelta(days=21)  # the shopping, travel and gift weeks before Tết
TET_AFTER = dt.timedelta(days=10)


@dataclass(frozen=True, slots=True)
class Season:
    """A time of year and the methods scammers favour then (first = most favoured)."""

    name: str
    method_ids: tuple[str, ...]
    start: tuple[int, int] = (0, 0)  # (month, day), inclusive; (0, 0) for Tết, which moves
    end: tuple[int, int] = (0, 0)

    def covers(self, day: dt.date) -> bool:
        if self.name == "tet":
            tet = TET_DAYS.get(day.year, dt.date(day.year, 2, 1))
            return tet - TET_BEFORE <= day <= tet + TET_AFTER
        return self.start <= (day.month, day.day) <= self.end


SEASONS: tuple[Season, ...] = (
    Season("tet", ("prize-gift", "advance-purchase", "fake-shipper", "online-loan", "relative-emergency", "charity")),
    Season("tax", ("fake-state-app", "fake-authority", "vneid-assist"), (3, 1), (4, 30)),
    Season("exams", ("scholarship", "task-job", "advance-purchase"), (5, 15), (7, 31)),
    Season("summer", ("flight-refund", "advance-purchase", "job-abroad"), (6, 1), (8, 31)),
    Season("school", ("scholarship", "relative-emergency", "online-loan"), (8, 15), (9, 30)),
    Season("floods", ("charity", "bhxh-benefit"), (9, 1), (11, 30)),
    Season("shopping", ("fake-shipper", "customs-parcel", "advance-purchase", "prize-gift"), (11, 1), (12, 31)),
)


def seasons_on(day: dt.date) -> list[Season]:
    """The seasons a local date falls in, Tết first."""
    return [season for season in SEASONS if season.covers(day)]


@dataclass(frozen=True, slots=True)
class MethodChoice:
    """The method picked for a chat today."""

    signature: Signature
    restart: bool  # the chat had seen every method: its rotation starts again with this one
    season: str | None  # the season that made this method the preference, if any


def choose_method(signatures: Iterable[Signature], shown: Iterable[str], day: dt.date) -> MethodChoice | None:
    """The next method for a chat that has already seen `shown` (ids), on local date `day`."""
    library = sorted(signatures, key=lambda signature: signature.id)
    if not library:
        return None
    seen = set(shown)
    fresh = [signature for signature in library if signature.id not in seen]
    restart = not fresh
    candidates = fresh or library
    by_id = {signature.id: signature for signature in candidates}
    for season in seasons_on(day):
        for method_id in season.method_ids:
            if method_id in by_id:
                return MethodChoice(by_id[method_id], restart, season.name)
    return MethodChoice(candidates[day.toordinal() % len(candidates)], restart, None)


def warning_cues(signature: Signature, count: int = 3) -> tuple[str, ...]:
    """A few cue phrases to quote as warning signs, in the library's order; accented ones when there are enough."""
    phrases = _unique([*signature.cues, *signature.strong_cues])
    accented = [phrase for phrase in phrases if _has_diacritics(phrase)]
    pool = accented if len(accented) >= count else phrases
    picked: list[str] = []
    for phrase in pool:  # skip near-repeats ("thu mua tài khoản" after "thu mua tài khoản ngân hàng")
        if not any(phrase in other or other in phrase or _opening(phrase) == _opening(other) for other in picked):
            picked.append(phrase)
    return tuple(picked[:count])


def _opening(phrase: str) -> tuple[str, ...]:
    return tuple(phrase.split()[:2])


def _has_diacritics(text: str) -> bool:
    return any(unicodedata.decomposition(char) or char in "đĐ" for char in text if not char.isascii())


def _unique(items: Sequence[str]) -> list[str]:
    """The items without repeats that differ only in case; the first spelling is kept."""
    first: dict[str, str] = {}
    for item in items:
        first.setdefault(item.lower(), item)
    return list(first.values())
