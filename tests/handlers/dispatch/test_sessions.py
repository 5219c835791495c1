"""In-memory sessions (`[sharing] backend = "memory"`) are forgotten when they expire, looked up or not."""

from __future__ import annotations

import datetime as dt

from handlers.dispatch import InMemorySessionStore
from tests.fakes.clocks import FrozenClock


async def test_expired_sessions_are_forgotten_when_the_next_one_is_created(clock: FrozenClock) -> None:
    store = InMemorySessionStore(clock, ttl=dt.timedelta(minutes=30))
    short = await store.create("telegram:1", "s", {"text": "checked text"})
    long = await store.create("telegram:2", "s", {"text": "kept"}, ttl=dt.timedelta(hours=6))
    clock.advance(minutes=31)
    newer = await store.create("telegram:3", "s")
    assert {s.id for s in store} == {long.id, newer.id}  # nobody looked `short` up, and it is gone all the same
    assert await store.get(short.id, "telegram:1") is None


async def test_sessions_are_forgotten_in_the_order_they_expire_not_the_order_they_came(clock: FrozenClock) -> None:
    store = InMemorySessionStore(clock)
    early_long = await store.create("telegram:1", "s", ttl=dt.timedelta(hours=6))
    late_short = await store.create("telegram:2", "s", ttl=dt.timedelta(minutes=5))
    clock.advance(minutes=10)
    assert await store.purge() == 1
    assert [s.id for s in store] == [early_long.id]
    assert await store.get(late_short.id, "telegram:2") is None


async def test_dropped_and_replaced_sessions_leave_nothing_behind(clock: FrozenClock) -> None:
    store = InMemorySessionStore(clock)
    for _ in range(3000):
        await store.drop((await store.create("telegram:1", "s")).id)
        await store.open_dialog("telegram:2", "d")
    assert len(store) == 1 and await store.dialog("telegram:2") is not None
    clock.advance(hours=1)
    assert await store.purge() == 1 and len(store) == 0 and await store.dialog("telegram:2") is None
