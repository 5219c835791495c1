"""Storage ports, people: people and chats, and the officers' audit trail.

See `handlers.ports` for the conventions every repository follows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol

from handlers.ports.records import (
    AuditRecord,
    ChatKind,
    ChatRecord,
    Language,
    UserRecord,
)


class UserRepo(Protocol):
    """People who talked to the bot; `forget` erases one of them."""

    async def get(self, actor: str) -> UserRecord | None: ...
    async def ensure(self, platform: str, user_id: str, display_name: str, at: dt.datetime) -> UserRecord:
        """Create the user if missing, otherwise refresh the display name."""

    async def set_language(self, actor: str, language: Language) -> UserRecord | None: ...
    async def set_officer(self, actor: str, is_officer: bool) -> UserRecord | None:
        """Grant or revoke the officer role; None if the user never talked to the bot."""

    async def list_officers(self) -> list[UserRecord]: ...
    async def forget(self, actor: str) -> int:
        """Erase the user and their personal data; return the number of rows deleted or anonymised.

        Deletes the user, their feedback, their indicator reports (counts stay), their pending reports
        and their private chat with its subscription and deliveries; decided reports lose text, chat and
        actor; subscriptions they created and audit rows naming them (as actor or target) keep the row with
        `FORGOTTEN_ACTOR` in their place. Officers' work (alerts, decisions, signature versions) is kept as
        it was, on purpose. On SQLite, deleted rows are zeroed in the file and the write-ahead log is emptied
        afterwards, so nothing erased stays on disk.
        """


class ChatRepo(Protocol):
    """Per-chat settings."""

    async def get(self, chat_key: str) -> ChatRecord | None: ...
    async def get_many(self, chat_keys: Iterable[str]) -> dict[str, ChatRecord]:
        """The chats among `chat_keys` that have settings, by key (one query, for a whole round)."""

    async def ensure(self, platform: str, chat_id: str, kind: ChatKind, at: dt.datetime) -> ChatRecord:
        """Create the chat if missing (Vietnamese, guard off, active), otherwise refresh its kind."""

    async def set_language(self, chat_key: str, language: Language, at: dt.datetime) -> ChatRecord | None: ...
    async def set_guard(self, chat_key: str, guard: bool, at: dt.datetime) -> ChatRecord | None: ...
    async def mark_inactive(self, chat_key: str, reason: str, at: dt.datetime) -> ChatRecord | None: ...
    async def mark_active(self, chat_key: str, at: dt.datetime) -> ChatRecord | None: ...
    async def migrate(self, old_key: str, new_key: str, at: dt.datetime) -> ChatRecord | None:
        """Move settings, subscription and unfinished deliveries to a new chat id, in one transaction.

        What the old chat had wins over anything already stored under the new key. Returns the chat
        under its new key, or None when there were no settings to move.
        """


class AuditRepo(Protocol):
    """What officers did."""

    async def add(self, *, actor: str, action: str, target: str, detail: str, at: dt.datetime) -> AuditRecord: ...
    async def list(self, limit: int = 50) -> list[AuditRecord]:
        """Newest first."""
