"""Short-lived conversation state kept in memory only: dialogs, button sessions, group verdict details.

Nothing here is written to the database; entries expire after their time to live, so a message a citizen
checked is forgotten unless they choose to submit it as a report.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

MAX_ENTRIES = 50_000
NEVER = dt.datetime.max.replace(tzinfo=dt.UTC)


@dataclass
class Session:
    """One dialog or button context: its state (a member of the dialog's enum), data and owner."""

    id: str
    owner: str  # actor "platform:user_id"
    state: str
    data: dict[str, Any] = field(default_factory=dict)
    expires_at: dt.datetime = NEVER
    shared: bool = False  # others may open it by a link (a group warning's details); never a button's session


class SessionStore:
    """In-memory sessions with expiry; the oldest are dropped beyond MAX_ENTRIES."""

    def __init__(self, clock: Callable[[], dt.datetime], ttl: dt.timedelta = dt.timedelta(minutes=30)) -> None:
        self._clock = clock
        self._ttl = ttl
        self._items: OrderedDict[str, Session] = OrderedDict()
        self._dialogs: dict[str, str] = {}  # actor → session id of their open dialog

    def create(
        self,
        owner: str,
        state: str,
        data: dict[str, Any] | None = None,
        ttl: dt.timedelta | None = None,
        *,
        shared: bool = False,
    ) -> Session:
        """A new session; `shared` ones may be opened by anyone holding a link to them (`get_shared`)."""
        expires_at = self._clock() + (ttl or self._ttl)
        session = Session(secrets.token_urlsafe(6), owner, state, dict(data or {}), expires_at, shared)
        self._items[session.id] = session
        while len(self._items) > MAX_ENTRIES:
            self._items.popitem(last=False)
        return session

    def get(self, session_id: str, owner: str) -> Session | None:
        """The live session with this id and owner, or None when unknown, expired or someone else's."""
        session = self._live(session_id)
        return session if session is not None and session.owner == owner else None

    def get_shared(self, session_id: str) -> Session | None:
        """The live session with this id if it was created `shared`, whoever asks; None otherwise."""
        session = self._live(session_id)
        return session if session is not None and session.shared else None

    def _live(self, session_id: str) -> Session | None:
        session = self._items.get(session_id)
        if session is not None and session.expires_at <= self._clock():
            self.drop(session_id)
            return None
        return session

    def drop(self, session_id: str) -> None:
        session = self._items.pop(session_id, None)
        if session is not None and self._dialogs.get(session.owner) == session_id:
            del self._dialogs[session.owner]

    def open_dialog(self, owner: str, state: str, data: dict[str, Any] | None = None) -> Session:
        """Start a dialog for a user, replacing any dialog they had open."""
        previous = self._dialogs.get(owner)
        if previous:
            self.drop(previous)
        session = self.create(owner, state, data)
        self._dialogs[owner] = session.id
        return session

    def dialog(self, owner: str) -> Session | None:
        session_id = self._dialogs.get(owner)
        return self.get(session_id, owner) if session_id else None

    def forget_owner(self, owner: str) -> None:
        for session_id in [s.id for s in self._items.values() if s.owner == owner]:
            self.drop(session_id)
