"""Users in memory, with `forget`, which reaches into every table that holds something of a person's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from bot.storage.memory.state import MemoryRepo, edit, upsert, utc
from handlers.ports import FORGOTTEN_ACTOR, Language, UserRecord

Key = TypeVar("Key")
Row = TypeVar("Row")


class InMemoryUserRepo(MemoryRepo):
    """UserRepo in memory."""

    async def get(self, actor: str) -> UserRecord | None:
        return self._state.users.get(actor)

    async def ensure(self, platform: str, user_id: str, display_name: str, at: dt.datetime) -> UserRecord:
        actor = f"{platform}:{user_id}"
        new = UserRecord(actor, platform, user_id, display_name, "vi", False, utc(at))
        return upsert(self._state.users, actor, new, display_name=display_name)

    async def set_language(self, actor: str, language: Language) -> UserRecord | None:
        return edit(self._state.users, actor, language=language)

    async def set_officer(self, actor: str, is_officer: bool) -> UserRecord | None:
        return edit(self._state.users, actor, is_officer=is_officer)

    async def list_officers(self) -> list[UserRecord]:
        return sorted((user for user in self._state.users.values() if user.is_officer), key=lambda u: u.actor)

    async def forget(self, actor: str) -> int:
        state = self._state
        dropped = _drop(state.users, lambda key, _: key == actor)
        dropped += _drop(state.feedback, lambda _, row: row.actor == actor)
        dropped += _drop(state.indicator_reports, lambda key, _: key[2] == actor)
        dropped += _drop(state.reports, lambda _, row: row.actor == actor and row.status == "pending")
        changed = 0
        for report_id, report in list(state.reports.items()):
            if report.actor == actor:
                state.reports[report_id] = replace(report, actor=FORGOTTEN_ACTOR, text="", chat_id="", notify=False)
                changed += 1
        # A chat keyed by the user's own actor is their private chat with the bot.
        dropped += _drop(state.chats, lambda key, _: key == actor)
        dropped += _drop(state.subscriptions, lambda key, _: key == actor)
        dropped += _drop(state.deliveries, lambda _, row: row.chat_key == actor)
        for chat_key, subscription in list(state.subscriptions.items()):
            if subscription.created_by == actor:
                state.subscriptions[chat_key] = replace(subscription, created_by=FORGOTTEN_ACTOR)
                changed += 1
        for audit_id, row in list(state.audit.items()):
            if actor in (row.actor, row.target):
                state.audit[audit_id] = replace(
                    row,
                    actor=FORGOTTEN_ACTOR if row.actor == actor else row.actor,
                    target=FORGOTTEN_ACTOR if row.target == actor else row.target,
                )
                changed += 1
        return changed + dropped


def _drop(table: dict[Key, Row], doomed: Callable[[Key, Row], bool]) -> int:
    """Delete the entries `doomed(key, value)` picks; how many there were."""
    keys = [key for key, value in table.items() if doomed(key, value)]
    for key in keys:
        del table[key]
    return len(keys)
