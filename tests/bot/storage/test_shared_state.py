"""Contract: the state processes serving one bot share (sessions, check limit, updates taken), in memory and in SQL.

The same tests run on the in-memory stores and on SQLite and PostgreSQL (`[sharing] backend`); the two-process
tests open two `Database`s on one SQL database, as two processes would.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.storage.database import Database
from bot.storage.sql import sql_shared_state
from bot.storage.sql.updates import KEEP
from handlers.dispatch import FloodLimiter, InMemorySessionStore
from handlers.messages import Button
from handlers.ports.sharing import CheckLimiter, SessionStore
from tests.databases import empty_databases
from tests.factories import OpenDatabase
from tests.fakes.clocks import FrozenClock

LIMIT = 3


@dataclass
class Stores:
    sessions: SessionStore
    flood: CheckLimiter
    database: Database | None = None


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
async def stores(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_url: str | None, clock: FrozenClock
) -> AsyncIterator[Stores]:
    if request.param == "memory":
        yield Stores(InMemorySessionStore(clock), FloodLimiter(LIMIT, clock))
        return
    async with empty_databases(request.param, tmp_path, postgres_url) as open_one:
        database = await open_one()
        sessions, flood, _, _ = sql_shared_state(database.engine, clock, LIMIT)
        yield Stores(sessions, flood, database)


async def rows(database: Database, table: str) -> int:
    async with database.engine.connect() as connection:
        return int((await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())


async def test_a_session_is_its_owners_until_it_expires(stores: Stores, clock: FrozenClock) -> None:
    sessions = stores.sessions
    made = await sessions.create("telegram:1", "verdict.shown", {"check_id": 7, "text": "Đây là tin nhắn"})
    got = await sessions.get(made.id, "telegram:1")
    assert got is not None and (got.state, got.data, got.shared) == ("verdict.shown", made.data, False)
    assert await sessions.get(made.id, "telegram:2") is None  # someone else's button
    assert await sessions.get_shared(made.id) is None  # a button's session is never opened by a link
    clock.advance(minutes=29)
    assert await sessions.get(made.id, "telegram:1") is not None
    clock.advance(minutes=1)  # the default time to live: 30 minutes
    assert await sessions.get(made.id, "telegram:1") is None


async def test_shared_sessions_open_for_anyone_until_their_own_expiry(stores: Stores, clock: FrozenClock) -> None:
    sessions = stores.sessions
    made = await sessions.create("telegram:1", "details", {"text": "chi tiết"}, dt.timedelta(hours=2), shared=True)
    shared = await sessions.get_shared(made.id)
    assert shared is not None and shared.data == {"text": "chi tiết"} and shared.expires_at == made.expires_at
    clock.advance(hours=2)
    assert await sessions.get_shared(made.id) is None


async def test_saved_data_is_seen_by_the_next_lookup_and_a_dropped_session_stays_dropped(stores: Stores) -> None:
    sessions = stores.sessions
    made = await sessions.create("telegram:1", "s", {"draft": {}, "at": 0})
    made.data["draft"]["title"] = "Giả danh công an"
    made.data["at"] += 1
    await sessions.save(made)
    again = await sessions.get(made.id, "telegram:1")
    assert again is not None and again.data == {"draft": {"title": "Giả danh công an"}, "at": 1}
    await sessions.drop(made.id)
    await sessions.save(made)
    assert await sessions.get(made.id, "telegram:1") is None


async def test_one_dialog_per_user_replaced_by_the_next(stores: Stores) -> None:
    sessions = stores.sessions
    first = await sessions.open_dialog("telegram:1", "report.awaiting_text")
    second = await sessions.open_dialog("telegram:1", "alert.awaiting_text", {"n": 1})
    other = await sessions.open_dialog("telegram:2", "report.awaiting_text")
    dialog = await sessions.dialog("telegram:1")
    assert dialog is not None and (dialog.id, dialog.state, dialog.data) == (second.id, "alert.awaiting_text", {"n": 1})
    assert await sessions.get(first.id, "telegram:1") is None
    await sessions.forget_owner("telegram:1")
    assert await sessions.dialog("telegram:1") is None
    assert await sessions.get(second.id, "telegram:1") is None
    assert (await sessions.dialog("telegram:2") or other).id == other.id


async def test_purge_forgets_exactly_the_expired_sessions(stores: Stores, clock: FrozenClock) -> None:
    sessions = stores.sessions
    short = await sessions.create("telegram:1", "s", {"text": "tin đã kiểm tra"}, dt.timedelta(minutes=5))
    long = await sessions.create("telegram:2", "s", {"text": "giữ lại"}, dt.timedelta(hours=6))
    clock.advance(minutes=10)
    assert await sessions.purge() == 1
    assert await sessions.get(short.id, "telegram:1") is None
    assert await sessions.get(long.id, "telegram:2") is not None
    if stores.database is not None:  # the checked text is gone from the database, not only hidden
        assert await rows(stores.database, "sessions") == 1
    clock.advance(hours=6)
    assert await sessions.purge() == 1 and await sessions.purge() == 0
    if stores.database is not None:
        assert await rows(stores.database, "sessions") == 0


async def test_the_check_limit_slides_over_one_minute(stores: Stores, clock: FrozenClock) -> None:
    flood = stores.flood
    assert [await flood.allow("telegram:1") for _ in range(LIMIT)] == [True] * LIMIT
    assert await flood.allow("telegram:1") is False
    assert await flood.allow("telegram:2") is True  # per user
    clock.advance(seconds=59)
    assert await flood.allow("telegram:1") is False  # the refused ones were not counted, the first still is
    clock.advance(seconds=1)
    assert await flood.allow("telegram:1") is True
    clock.advance(minutes=2)
    assert await flood.purge() == 2  # both users' counts are past their minute
    if stores.database is not None:
        assert await rows(stores.database, "check_hits") == 0


async def test_sessions_made_by_one_process_work_in_the_other(open_sql: OpenDatabase, clock: FrozenClock) -> None:
    one, two = [sql_shared_state((await open_sql()).engine, clock, LIMIT)[0] for _ in range(2)]
    made = await one.create("zalo:9", "verdict.shown", {"check_id": 1})
    got = await two.get(made.id, "zalo:9")
    assert got is not None
    got.data["kind"] = "wrong_verdict"
    await two.save(got)
    back = await one.get(made.id, "zalo:9")
    assert back is not None and back.data == {"check_id": 1, "kind": "wrong_verdict"}
    dialog = await two.open_dialog("zalo:9", "report.awaiting_text")
    assert (await one.dialog("zalo:9") or made).id == dialog.id


async def test_the_check_limit_holds_across_processes_checking_at_once(
    open_sql: OpenDatabase, clock: FrozenClock
) -> None:
    limiters = [sql_shared_state((await open_sql()).engine, clock, 20)[1] for _ in range(2)]
    answers = await asyncio.gather(*(limiters[i % 2].allow("telegram:1") for i in range(40)))
    assert answers.count(True) == 20  # not 21: no two processes both took the last place


async def test_an_update_is_taken_by_exactly_one_process(open_sql: OpenDatabase, clock: FrozenClock) -> None:
    databases = [await open_sql(), await open_sql()]
    seen = [sql_shared_state(d.engine, clock, LIMIT)[2] for d in databases]
    keys = [f"telegram:abc:{n}" for n in range(30)]
    answers = await asyncio.gather(*(seen[i % 2].first(key) for key in keys for i in range(2)))
    assert answers.count(True) == len(keys)
    assert [answers[2 * n] or answers[2 * n + 1] for n in range(len(keys))] == [True] * len(keys)
    clock.advance(seconds=KEEP.total_seconds() + 60)
    assert await seen[0].first("telegram:abc:new") is True  # and the day-old keys went with that purge
    assert await rows(databases[0], "seen_updates") == 1


async def test_choices_offered_by_one_process_are_found_by_the_other_until_they_expire(
    open_sql: OpenDatabase, clock: FrozenClock
) -> None:
    databases = [await open_sql(), await open_sql()]
    one, two = [sql_shared_state(d.engine, clock, LIMIT)[3] for d in databases]
    mine = (Button("Đúng", "fb:abc:y"), Button("Sai", "fb:abc:n"))
    details = (Button("Chi tiết", deep_link="d_xyz"),)
    await one.offer("zalo:bot:g1", "u1", mine)
    clock.advance(seconds=1)
    await two.offer("zalo:bot:g1", None, details)  # to the whole group, later
    assert await two.offered("zalo:bot:g1", "u1") == [("u1", mine), (None, details)]  # oldest first
    assert await one.offered("zalo:bot:g1", "u2") == [(None, details)]  # not u1's
    clock.advance(hours=6)
    assert await one.offered("zalo:bot:g1", "u1") == []
    assert await rows(databases[0], "offered_choices") == 0  # deleted, not only hidden
