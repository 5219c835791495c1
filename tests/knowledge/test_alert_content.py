"""The method of the day: rotation without repeats until all were shown, seasonal preference, warning cues."""

from __future__ import annotations

import datetime as dt

from knowledge.alert_content import SEASONS, choose_method, seasons_on, warning_cues
from knowledge.library import load_shipped_library

LIBRARY = list(load_shipped_library())
QUIET_DAY = dt.date(2026, 10, 5)  # autumn, only the flood season
PLAIN_DAY = dt.date(2026, 1, 5)  # no season at all


def test_every_method_is_shown_once_before_any_repeats():
    shown: list[str] = []
    day = PLAIN_DAY
    for _ in range(len(LIBRARY)):
        choice = choose_method(LIBRARY, shown, day)
        assert not choice.restart and choice.signature.id not in shown
        shown.append(choice.signature.id)
        day += dt.timedelta(days=1)
    assert sorted(shown) == sorted(s.id for s in LIBRARY)
    again = choose_method(LIBRARY, shown, day)
    assert again.restart


def test_the_choice_is_deterministic_for_a_chat_and_a_day():
    assert choose_method(LIBRARY, ["romance"], PLAIN_DAY) == choose_method(LIBRARY, ["romance"], PLAIN_DAY)


def test_seasonal_methods_come_first_among_those_not_shown():
    tet_eve = dt.date(2026, 2, 10)  # a week before Tết 2026 (17 February)
    assert [s.name for s in seasons_on(tet_eve)] == ["tet"]
    first = choose_method(LIBRARY, [], tet_eve)
    assert first.signature.id == "prize-gift" and first.season == "tet"
    second = choose_method(LIBRARY, ["prize-gift"], tet_eve)
    assert second.signature.id == "advance-purchase"
    tet_ids = next(s for s in SEASONS if s.name == "tet").method_ids
    after_season = choose_method(LIBRARY, list(tet_ids), tet_eve)
    assert after_season.season is None and after_season.signature.id not in tet_ids
    assert choose_method(LIBRARY, [], QUIET_DAY).signature.id == "charity"  # flood season
    assert choose_method(LIBRARY, [], dt.date(2026, 3, 20)).signature.id == "fake-state-app"  # tax season


def test_seasons_move_with_the_lunar_new_year():
    assert seasons_on(dt.date(2027, 1, 20))[0].name == "tet"  # Tết 2027 is 6 February
    assert all(s.name != "tet" for s in seasons_on(dt.date(2026, 1, 20)))  # Tết 2026 is 17 February


def test_warning_cues_are_accented_and_not_repeats_of_each_other():
    for signature in LIBRARY:
        cues = warning_cues(signature)
        assert 1 <= len(cues) <= 3
        for cue in cues:
            assert not any(cue != other and cue in other for other in cues)


def test_an_empty_library_gives_nothing():
    assert choose_method([], [], PLAIN_DAY) is None
