"""Ports for the state several processes serving one bot must share: conversation sessions and the check limit.

Each has an in-memory implementation for one process (handlers/dispatch/sessions.py, handlers/dispatch/flood.py)
and one in the database for several (bot/storage/sql/sessions.py, bot/storage/sql/flood.py), chosen by
`[sharing] backend`. Every method is async, as the database's are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol

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


class SessionStore(Protocol):
    """Sessions with expiry. What a handler changes in `Session.data` is kept by `save` (the router calls it
    after every step), so the next step sees it whichever process serves it."""

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
        ...

    async def get(self, session_id: str, owner: str) -> Session | None:
        """The live session with this id and owner, or None when unknown, expired or someone else's."""
        ...

    async def get_shared(self, session_id: str) -> Session | None:
        """The live session with this id if it was created `shared`, whoever asks; None otherwise."""
        ...

    async def save(self, session: Session) -> None:
        """Keep the session's data as it now is, if the session still exists (a dropped one stays dropped)."""
        ...

    async def drop(self, session_id: str) -> None:
        """Forget one session (nothing when it is gone already)."""
        ...

    async def open_dialog(self, owner: str, state: str, data: dict[str, Any] | None = None) -> Session:
        """Start a dialog for a user, replacing any dialog they had open."""
        ...

    async def dialog(self, owner: str) -> Session | None:
        """The user's open dialog, if any and still live."""
        ...

    async def forget_owner(self, owner: str) -> None:
        """Forget every session of one user (/forgetme)."""
        ...

    async def purge(self, now: dt.datetime | None = None) -> int:
        """Forget every session expired at `now` (by default the clock's time); how many there were."""
        ...


class CheckLimiter(Protocol):
    """At most N checks per user in any one-minute window."""

    async def allow(self, actor: str) -> bool:
        """Count one check for `actor`; False when they are over the limit (the refused one is not counted)."""
        ...

    async def purge(self, now: dt.datetime | None = None) -> int:
        """Forget the counts older than the window; how many there were."""
        ...
