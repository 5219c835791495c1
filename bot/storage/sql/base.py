"""What every sqlmodel repository shares: a session factory, the dialect's INSERT, row → record."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

Record = TypeVar("Record")
Sessions = async_sessionmaker[AsyncSession]
# Bulk UPDATE/DELETE options: each method uses a fresh session, so there are no loaded objects to refresh.
UNSYNCED = {"synchronize_session": False}
# INSERT … ON CONFLICT DO NOTHING tells what it did through rowcount, which psycopg forgets once the
# cursor closes unless SQLAlchemy is asked to keep it.
COUNTED = {"preserve_rowcount": True}


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


def to_record(record_type: type[Record], row: Any) -> Record:
    """Build a record from a row whose attributes carry the record's field names (JSON lists → tuples)."""
    values = {}
    for field in dataclasses.fields(record_type):  # type: ignore[arg-type]
        value = getattr(row, field.name)
        values[field.name] = tuple(value) if isinstance(value, list) else value
    return record_type(**values)
