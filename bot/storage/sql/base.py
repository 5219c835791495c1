"""What every sqlmodel repository shares: a session factory, the dialect's INSERT, and the usual round trips."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

from sqlalchemy import ColumnElement, Integer, cast, extract, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

log = logging.getLogger(__name__)
Record = TypeVar("Record")
Row = TypeVar("Row")
Sessions = async_sessionmaker[AsyncSession]
# Bulk UPDATE/DELETE options: each method uses a fresh session, so there are no loaded objects to refresh.
UNSYNCED = {"synchronize_session": False}
# INSERT … ON CONFLICT DO NOTHING tells what it did through rowcount, which psycopg forgets once the
# cursor closes unless SQLAlchemy is asked to keep it.
COUNTED = {"preserve_rowcount": True}
# Rows per statement when a method reads or writes many (bounded IN lists and multi-row INSERTs; SQLite allows
# 32,766 parameters per statement).
BATCH = 500
# Per-day counts are grouped by UTC quarter-hour in the database and folded into local days in Python: every time
# zone's offset from UTC is a whole number of quarter-hours, so no quarter-hour straddles a local midnight, and
# SQLite has no time zones to do it in SQL.
QUARTER_HOUR = 900  # seconds


class SqlRepo:
    """Base of the sqlmodel repositories: one short transaction per method."""

    def __init__(self, sessions: Sessions, dialect: str) -> None:
        self._sessions = sessions
        self._dialect = dialect

    def _insert(self, table: Any) -> Any:
        """INSERT with ON CONFLICT support (`on_conflict_do_nothing` / `_do_update`) for this dialect."""
        if self._dialect == "postgresql":
            return postgresql.insert(table)
        return sqlite.insert(table)

    async def _get(self, record_type: type[Record], table: type[Any], key: object) -> Record | None:
        """The row with primary key `key`, as a record."""
        async with self._sessions() as session:
            row = await session.get(table, key)
            return to_record(record_type, row) if row else None

    async def _select(self, record_type: type[Record], query: Any) -> list[Record]:
        """Every row `query` selects, as records."""
        async with self._sessions() as session:
            return [to_record(record_type, row) for row in await session.exec(query)]

    async def _upsert(
        self,
        record_type: type[Record],
        table: type[Any],
        values: Mapping[str, object],
        *,
        key: Sequence[str],
        update: Sequence[str],
    ) -> Record:
        """Insert a row of `values`; where one with the same `key` columns exists, set its `update` columns to
        `values` instead. The row as it then is."""
        insert = self._insert(table).values(**values)
        statement = insert.on_conflict_do_update(
            index_elements=list(key), set_={name: insert.excluded[name] for name in update}
        ).returning(table)
        async with self._sessions.begin() as session:
            return to_record(record_type, (await session.exec(statement)).scalars().one())

    async def _add(self, row: Row) -> Row:
        """Insert a new row; it comes back with its generated id."""
        async with self._sessions.begin() as session:
            session.add(row)
            await session.flush()
            return row

    async def _edit(
        self,
        record_type: type[Record],
        table: type[Any],
        key: object,
        values: Mapping[str, object],
        *,
        lock: bool = False,
        when: Callable[[Any], bool] = lambda row: True,
    ) -> Record | None:
        """Set `values` on one row (locked FOR UPDATE when `lock`) if `when(row)`; the row as it then is."""
        async with self._sessions.begin() as session:
            row = await session.get(table, key, with_for_update=True if lock else None)
            if row is None:
                return None
            if when(row):
                for name, value in values.items():
                    setattr(row, name, value)
                await session.flush()
            return to_record(record_type, row)

    async def _per_local_day(
        self,
        at: Any,
        since: dt.datetime,
        zone: dt.tzinfo,
        keys: Sequence[Any] = (),
        where: Sequence[ColumnElement[bool]] = (),
    ) -> Counter[tuple[Any, ...]]:
        """Rows whose `at` is at or after `since`, counted per (local day in `zone`, *`keys` values).

        At most 96 groups per day and key leave the database, however many rows there are.
        """
        quarter = self._quarter_hour(at)
        query = select(quarter, *keys, func.count()).where(at >= since, *where).group_by(quarter, *keys)
        async with self._sessions() as session:
            # A core query: its plain rows are much cheaper than the ORM's, and they are handled on the event loop.
            rows = (await (await session.connection()).execute(query)).all()
        days: dict[int, dt.date] = {}  # each quarter-hour comes once per key value
        counts: Counter[tuple[Any, ...]] = Counter()
        for row in rows:
            number = int(row[0])
            day = days.get(number) or days.setdefault(number, _local_date(number, zone))
            counts[(day, *row[1:-1])] += row[-1]
        return counts

    def _quarter_hour(self, at: Any) -> Any:
        """The number of whole quarter-hours from the epoch to a stored UTC instant, computed by the database."""
        if self._dialect == "postgresql":
            return func.floor(extract("epoch", at) / QUARTER_HOUR)
        # SQLite stores UTC as text, "YYYY-MM-DD HH:MM:SS.ffffff"; strftime('%s') reads it as UTC but rounds to the
        # millisecond (23:59:59.9999 would become the next day), so the fraction is cut off first.
        return cast(func.strftime("%s", func.substr(at, 1, 19)), Integer) // QUARTER_HOUR

    async def _empty_write_ahead_log(self) -> None:
        """SQLite: copy the write-ahead log into the database file and truncate it to nothing.

        Rows just deleted are zeroed in the database file (secure_delete, set on connect: see
        bot/storage/database.py) but older copies of their pages stay in the log until a checkpoint. This runs
        outside any transaction (a checkpoint cannot run inside one), on the driver's own connection.
        """
        if self._dialect != "sqlite":
            return
        engine: AsyncEngine = self._sessions.kw["bind"]
        async with engine.connect() as connection:
            driver = (await connection.get_raw_connection()).driver_connection  # aiosqlite's, with no BEGIN
            assert driver is not None
            async with driver.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor:
                busy, _, _ = await cursor.fetchone()
        if busy:
            log.warning("the write-ahead log could not be emptied now (readers busy); the next checkpoint will")

    async def _counts(self, counts: dict[str, int], query: Any) -> dict[str, int]:
        """`counts` (every status at 0) updated with the (status, count) pairs `query` groups."""
        async with self._sessions() as session:
            counts.update(dict((await session.exec(query)).all()))
        return counts


def _local_date(quarter: int, zone: dt.tzinfo) -> dt.date:
    return dt.datetime.fromtimestamp(quarter * QUARTER_HOUR, zone).date()


class Identified(Protocol):
    """A row whose id the database generates."""

    id: int | None


def new_id(row: Identified) -> int:
    """The id the database gave a row it just inserted."""
    assert row.id is not None
    return row.id


def to_record(record_type: type[Record], row: Any) -> Record:
    """Build a record from a row whose attributes carry the record's field names (JSON lists → tuples)."""
    values = {}
    for field in dataclasses.fields(record_type):  # type: ignore[arg-type]
        value = getattr(row, field.name)
        values[field.name] = tuple(value) if isinstance(value, list) else value
    return record_type(**values)
