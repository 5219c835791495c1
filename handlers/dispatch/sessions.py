"""Short-lived conversation state kept in the process's memory: dialogs, button sessions, group verdict details.

This is the `[sharing] backend = "memory"` store (one process per bot); bot/storage/sql/sessions.py is its twin
in the database for several. Nothing here is written to the database; entries expire after their time to live, so
a message a citizen checked is forgotten unless they choose to submit it as a report. Expired entries leave memory
when the next one is created (in the order they expire, each at most once: amortised), and `purge` forgets them on
a schedule when nobody talks to the bot, so a text is not kept past its time to live whether or not anyone looks it up.
"""

from __future__ import annotations

import datetime as dt
import heapq
import secrets
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

from handlers.ports.sharing import NEVER, Session

MAX_ENTRIES = 50_000
DEFAULT_TTL = dt.timedelta(minutes=30)

__all__ = ["DEFAULT_TTL", "MAX_ENTRIES", "NEVER", "InMemorySessionStore", "Session", "new_session_id"]


def new_session_id() -> str:
    """A short unguessable id for button payloads (8 characters, 48 random bits)."""
    return secrets.token_urlsafe(6)


class InMemorySessionStore:
    """SessionStore in memory, with expiry; the oldest are dropped beyond MAX_ENTRIES."""

    def __init__(self, clock: Callable[[], dt.datetime], ttl: dt.timedelta = DEFAULT_TTL) -> None:
        self._clock = clock
        self._ttl = ttl
        self._items: OrderedDict[str, Session] = OrderedDict()
        self._dialogs: dict[str, str] = {}  # actor → session id of their open dialog
        # (expires_at, id) of every session created, the next to expire on top. Entries of sessions dropped
        # meanwhile stay until their time comes (or the heap is rebuilt), and are skipped.
        self._expiry: list[tuple[dt.datetime, str]] = []

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
        return self._create(owner, state, data, ttl, shared)

    def _create(
        self, owner: str, state: str, data: dict[str, Any] | None, ttl: dt.timedelta | None, shared: bool
    ) -> Session:
        now = self._clock()
        self._purge(now)
        session = Session(new_session_id(), owner, state, dict(data or {}), now + (ttl or self._ttl), shared)
        self._items[session.id] = session
        heapq.heappush(self._expiry, (session.expires_at, session.id))
        while len(self._items) > MAX_ENTRIES:
            self._drop(next(iter(self._items)))
        if len(self._expiry) > 2 * len(self._items) + 1024:  # mostly dropped sessions: keep the heap in proportion
            self._expiry = [(s.expires_at, s.id) for s in self._items.values()]
            heapq.heapify(self._expiry)
        return session

    async def purge(self, now: dt.datetime | None = None) -> int:
        """Forget every session expired at `now` (by default the clock's time); how many there were."""
        return self._purge(now)

    def _purge(self, now: dt.datetime | None) -> int:
        now = self._clock() if now is None else now
        forgotten = 0
        while self._expiry and self._expiry[0][0] <= now:
            expires_at, session_id = heapq.heappop(self._expiry)
            session = self._items.get(session_id)
            if session is not None and session.expires_at == expires_at:  # not dropped (and its id not reused)
                self._drop(session_id)
                forgotten += 1
        return forgotten

    async def get(self, session_id: str, owner: str) -> Session | None:
        """The live session with this id and owner, or None when unknown, expired or someone else's."""
        session = self._live(session_id)
        return session if session is not None and session.owner == owner else None

    async def get_shared(self, session_id: str) -> Session | None:
        """The live session with this id if it was created `shared`, whoever asks; None otherwise."""
        session = self._live(session_id)
        return session if session is not None and session.shared else None

    def _live(self, session_id: str) -> Session | None:
        session = self._items.get(session_id)
        if session is not None and session.expires_at <= self._clock():
            self._drop(session_id)
            return None
        return session

    async def save(self, session: Session) -> None:
        """Nothing to do: the handler changed the very object held here."""

    async def drop(self, session_id: str) -> None:
        self._drop(session_id)

    def _drop(self, session_id: str) -> None:
        session = self._items.pop(session_id, None)
        if session is not None and self._dialogs.get(session.owner) == session_id:
            del self._dialogs[session.owner]

    async def open_dialog(self, owner: str, state: str, data: dict[str, Any] | None = None) -> Session:
        """Start a dialog for a user, replacing any dialog they had open."""
        previous = self._dialogs.get(owner)
        if previous:
            self._drop(previous)
        session = self._create(owner, state, data, None, False)
        self._dialogs[owner] = session.id
        return session

    async def dialog(self, owner: str) -> Session | None:
        session_id = self._dialogs.get(owner)
        return await self.get(session_id, owner) if session_id else None

    def __len__(self) -> int:
        """Sessions held in memory."""
        return len(self._items)

    def __iter__(self) -> Iterator[Session]:
        """Every session held in memory."""
        return iter(list(self._items.values()))

    async def forget_owner(self, owner: str) -> None:
        for session_id in [s.id for s in self._items.values() if s.owner == owner]:
            self._drop(session_id)
