"""Sessions live in memory only, and are forgotten when they expire, whether anyone looks them up or not."""

from __future__ import annotations

import datetime as dt

from handlers.dispatch import SessionStore
from tests.fakes.clocks import FrozenClock


def test_expired_sessions_are_forgotten_when_the_next_one_is_created(clock: FrozenClock) -> None:
    store = SessionStore(clock, ttl=dt.timedelta(minutes=30))
    short = store.create("telegram:1", "s", {"text": "checked text"})
    long = store.create("telegram:2", "s", {"text": "kept"}, ttl=dt.timedelta(hours=6))
    clock.advance(minutes=31)
    newer = store.create("telegram:3", "s")
    assert {s.id for s in store} == {long.id, newer.id}  # nobody looked `short` up, and it is gone all the same
    assert store.get(short.id, "telegram:1") is None


def test_sessions_are_forgotten_in_the_order_they_expire_not_the_order_they_came(clock: FrozenClock) -> None:
    store = SessionStore(clock)
    early_long = store.create("telegram:1", "s", ttl=dt.timedelta(hours=6))
    late_short = store.create("telegram:2", "s", ttl=dt.timedelta(minutes=5))
    clock.advance(minutes=10)
    assert store.purge() == 1
    assert [s.id for s in store] == [early_long.id]
    assert store.get(late_short.id, "telegram:2") is None


def test_dropped_and_replaced_sessions_leave_nothing_behind(clock: FrozenClock) -> None:
    store = SessionStore(clock)
    for _ in range(3000):
        store.drop(store.create("telegram:1", "s").id)
        store.open_dialog("telegram:2", "d")
    assert len(store) == 1 and store.dialog("telegram:2") is not None
    clock.advance(hours=1)
    assert store.purge() == 1 and len(store) == 0 and store.dialog("telegram:2") is None
