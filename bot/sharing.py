"""What the processes serving one bot share, chosen by `[sharing] backend`: in memory (one process per bot token)
or in the configured database (several processes behind one webhook URL).

Shared this way: the sessions behind buttons and dialogs, the per-minute check limit and the updates already
taken. The send rate is shared differently, without a database write per message: bot/pace_sharing.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from bot.config import Settings
from bot.recent import OneProcessUpdates, SeenUpdates
from bot.storage import Database
from bot.storage.sql import sql_shared_state
from handlers.dispatch import FloodLimiter, InMemorySessionStore
from handlers.ports.sharing import CheckLimiter, SessionStore


@dataclass(frozen=True)
class SharedState:
    """The state of serving a bot that several processes must see alike."""

    sessions: SessionStore
    flood: CheckLimiter
    seen: SeenUpdates
    in_database: bool = False


def shared_state(settings: Settings, database: Database | None, clock: Callable[[], dt.datetime]) -> SharedState:
    """In memory, or over `database` when `[sharing] backend = "database"` (which then needs one)."""
    limit = settings.limits.checks_per_minute
    if settings.sharing.backend == "memory":
        return SharedState(InMemorySessionStore(clock), FloodLimiter(limit, clock), OneProcessUpdates())
    if database is None:
        raise ValueError('[sharing] backend = "database" needs a database, not in-memory storage')
    sessions, flood, seen = sql_shared_state(database.engine, clock, limit)
    return SharedState(sessions, flood, seen, in_database=True)
