"""Chats in memory, with `migrate`, which moves a group's settings, subscription and unfinished deliveries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from bot.storage.memory.deliveries import UNFINISHED
from bot.storage.memory.state import MemoryRepo, edit, upsert, utc
from handlers.ports import ChatKind, ChatRecord, Language


class InMemoryChatRepo(MemoryRepo):
    """ChatRepo in memory."""

    async def get(self, chat_key: str) -> ChatRecord | None:
        return self._state.chats.get(chat_key)

    async def get_many(self, chat_keys: Iterable[str]) -> dict[str, ChatRecord]:
        chats = self._state.chats
        return {key: chats[key] for key in chat_keys if key in chats}

    async def ensure(self, platform: str, chat_id: str, kind: ChatKind, at: dt.datetime) -> ChatRecord:
        chat_key = f"{platform}:{chat_id}"
        new = ChatRecord(chat_key, platform, chat_id, kind, "vi", False, True, None, utc(at))
        return upsert(self._state.chats, chat_key, new, kind=kind)

    async def set_language(self, chat_key: str, language: Language, at: dt.datetime) -> ChatRecord | None:
        return self._change(chat_key, at, language=language)

    async def set_guard(self, chat_key: str, guard: bool, at: dt.datetime) -> ChatRecord | None:
        return self._change(chat_key, at, guard=guard)

    async def mark_inactive(self, chat_key: str, reason: str, at: dt.datetime) -> ChatRecord | None:
        return self._change(chat_key, at, active=False, inactive_reason=reason)

    async def mark_active(self, chat_key: str, at: dt.datetime) -> ChatRecord | None:
        return self._change(chat_key, at, active=True, inactive_reason=None)

    async def migrate(self, old_key: str, new_key: str, at: dt.datetime) -> ChatRecord | None:
        platform, _, new_chat_id = new_key.partition(":")
        if old_key.partition(":")[0] != platform:
            raise ValueError(f"cannot migrate {old_key!r} to another platform ({new_key!r})")
        at = utc(at)
        state = self._state
        if (chat := state.chats.pop(old_key, None)) is not None:
            state.chats[new_key] = replace(chat, chat_key=new_key, chat_id=new_chat_id, updated_at=at)
        if (subscription := state.subscriptions.pop(old_key, None)) is not None:
            state.subscriptions[new_key] = replace(subscription, chat_key=new_key, chat_id=new_chat_id)
        already_there = {(row.alert_key, row.day) for row in state.deliveries.values() if row.chat_key == new_key}
        for key, delivery in list(state.deliveries.items()):
            if delivery.chat_key != old_key or delivery.status not in UNFINISHED:
                continue
            if (delivery.alert_key, delivery.day) in already_there:
                del state.deliveries[key]
            else:
                state.deliveries[key] = replace(delivery, chat_key=new_key, chat_id=new_chat_id)
        return state.chats.get(new_key)

    def _change(self, chat_key: str, at: dt.datetime, **values: object) -> ChatRecord | None:
        return edit(self._state.chats, chat_key, updated_at=utc(at), **values)
