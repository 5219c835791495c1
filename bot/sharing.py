"""What the processes serving one bot share, chosen by `[sharing] backend`: in memory (one process per bot token)
or in the configured database (several processes behind one webhook URL).

Shared this way: the sessions behind buttons and dialogs, the per-minute check limit, the updates already taken
and the numbered choices Zalo users answer buttons with. The send rate is shared differently, without a database
write per message: bot/pace_sharing.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from bot.config import Settings
from bot.recent import OneProcessUpdates, SeenUpdates
from bot.storage import Database
from bot.storage.sql import sql_shared_state
from handlers.dispatch import FloodLimiter, InMemorySessionStore
from handlers.messages import Button
from handlers.ports.sharing import CheckLimiter, SessionStore


class OfferedChoices(Protocol):
    """Numbered choices offered per chat and member, for every process serving a bot (bot/storage/sql/choices.py);
    each process also keeps its own in memory (bot/zalo/render.py: ChoiceMemory)."""

    async def offer(self, chat: str, member: str | None, choices: tuple[Button, ...]) -> None:
        """`choices` offered to one member of `chat`, or to all of them (`member` None), replacing earlier ones."""
        ...

    async def offered(self, chat: str, member: str) -> list[tuple[str | None, tuple[Button, ...]]]:
        """The live choices offered to `member` and to the whole chat (member None), oldest offer first."""
        ...


@dataclass(frozen=True)
class SharedState:
    """The state of serving a bot that several processes must see alike."""

    sessions: SessionStore
    flood: CheckLimiter
    seen: SeenUpdates
    choices: OfferedChoices | None = None  # None: each process's own memory is enough


def shared_state(settings: Settings, database: Database | None, clock: Callable[[], dt.datetime]) -> SharedState:
    """In memory, or over `database` when `[sharing] backend = "database"` (which then needs one)."""
    limit = settings.limits.checks_per_minute
    if settings.sharing.backend == "memory":
        return SharedState(InMemorySessionStore(clock), FloodLimiter(limit, clock), OneProcessUpdates())
    if database is None:
        raise ValueError('[sharing] backend = "database" needs a database, not in-memory storage')
    sessions, flood, seen, choices = sql_shared_state(database.engine, clock, limit)
    return SharedState(sessions, flood, seen, choices)
