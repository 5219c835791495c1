"""Conversation sessions in the database, for several processes serving one bot (`[sharing] backend = "database"`).

A button under a message one process sent may be pressed while another serves the press, so the session behind
it must be where both can read it. What is stored is only what the buttons and dialogs need: the state, the owner,
and the session's data (for a verdict's buttons: the check's id and as much of the checked text as a report would
keep, so "report this" can submit it; for a group warning: the details shown). Every row has an expiry (at most
6 hours); an expired row is never returned, and `purge` (every scheduler tick, 20 s, in every process) deletes
them, so a checked text is gone from the database within seconds of its expiry. Deleted rows are overwritten on
SQLite (secure_delete, bot/storage/database.py); PostgreSQL reclaims them at its next vacuum.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import col, select

from bot.storage.sql.base import COUNTED, Sessions, SqlRepo
from bot.storage.tables import SessionRow
from handlers.dispatch.sessions import DEFAULT_TTL, new_session_id
from handlers.ports.sharing import Session


class SqlSessionStore(SqlRepo):
    """SessionStore over sqlmodel: one short transaction per call."""

    def __init__(
        self,
        sessions: Sessions,
        dialect: str,
        clock: Callable[[], dt.datetime],
        ttl: dt.timedelta = DEFAULT_TTL,
    ) -> None:
        super().__init__(sessions, dialect)
        self._clock = clock
        self._ttl = ttl

    async def create(
        self,
        owner: str,
        state: str,
        data: dict[str, Any] | None = None,
        ttl: dt.timedelta | None = None,
        *,
        shared: bool = False,
    ) -> Session:
        """A new session; `shared` ones may be opened by anyone holding a link to them (`get_shared`)."""
        return await self._add_session(owner, state, data, ttl, shared=shared, dialog=False)

    async def _add_session(
        self,
        owner: str,
        state: str,
        data: dict[str, Any] | None,
        ttl: dt.timedelta | None,
        *,
        shared: bool,
        dialog: bool,
    ) -> Session:
        session = Session(new_session_id(), owner, state, dict(data or {}), self._clock() + (ttl or self._ttl), shared)
        row = SessionRow(
            id=session.id,
            owner=owner,
            state=state,
            data=session.data,
            expires_at=session.expires_at,
            shared=shared,
            dialog=dialog,
        )
        async with self._sessions.begin() as transaction:
            if dialog:  # one open dialog per user: the new one replaces any other
                await transaction.exec(delete(SessionRow).where(col(SessionRow.owner) == owner, col(SessionRow.dialog)))
            transaction.add(row)
        return session

    async def get(self, session_id: str, owner: str) -> Session | None:
        """The live session with this id and owner, or None when unknown, expired or someone else's."""
        return await self._first(col(SessionRow.id) == session_id, col(SessionRow.owner) == owner)

    async def get_shared(self, session_id: str) -> Session | None:
        """The live session with this id if it was created `shared`, whoever asks; None otherwise."""
        return await self._first(col(SessionRow.id) == session_id, col(SessionRow.shared))

    async def dialog(self, owner: str) -> Session | None:
        """The user's open dialog, if any and still live."""
        return await self._first(col(SessionRow.owner) == owner, col(SessionRow.dialog))

    async def _first(self, *where: Any) -> Session | None:
        query = select(SessionRow).where(*where, col(SessionRow.expires_at) > self._clock()).limit(1)
        async with self._sessions() as transaction:
            row = (await transaction.exec(query)).first()
        if row is None:
            return None
        return Session(row.id, row.owner, row.state, dict(row.data), row.expires_at, row.shared)

    async def save(self, session: Session) -> None:
        """Keep the session's data as it now is, if the session still exists (a dropped one stays dropped)."""
        statement = update(SessionRow).where(col(SessionRow.id) == session.id).values(data=session.data)
        async with self._sessions.begin() as transaction:
            await transaction.exec(statement)

    async def drop(self, session_id: str) -> None:
        """Forget one session."""
        await self._delete(col(SessionRow.id) == session_id)

    async def open_dialog(self, owner: str, state: str, data: dict[str, Any] | None = None) -> Session:
        """Start a dialog for a user, replacing any dialog they had open."""
        return await self._add_session(owner, state, data, None, shared=False, dialog=True)

    async def forget_owner(self, owner: str) -> None:
        """Forget every session of one user."""
        await self._delete(col(SessionRow.owner) == owner)

    async def purge(self, now: dt.datetime | None = None) -> int:
        """Delete every session expired at `now` (by default the clock's time); how many there were."""
        return await self._delete(col(SessionRow.expires_at) <= (self._clock() if now is None else now))

    async def _delete(self, where: Any) -> int:
        async with self._sessions.begin() as transaction:
            result = await transaction.exec(delete(SessionRow).where(where).execution_options(**COUNTED))
            return int(result.rowcount)
