"""In-memory users and chats."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from bot.storage.memory.state import MemoryRepo, utc
from handlers.ports import FORGOTTEN_ACTOR, ChatKind, ChatRecord, Language, UserRecord

UNFINISHED = ("pending", "sending")


class InMemoryUserRepo(MemoryRepo):
    """UserRepo in memory."""

    async def get(self, actor: str) -> UserRecord | None:
        return self._state.users.get(actor)

    async def ensure(self, platform: str, user_id: str, display_name: str, at: dt.datetime) -> UserRecord:
        actor = f"{platform}:{user_id}"
        existing = self._state.users.get(actor)
        user = (
            replace(existing, display_name=display_name)
            if existing
            else UserRecord(actor, platform, user_id, display_name, "vi", False, utc(at))
        )
        self._state.users[actor] = user
        return user

    async def set_language(self, actor: str, language: Language) -> UserRecord | None:
        return self._change(actor, language=language)

    async def set_officer(self, actor: str, is_officer: bool) -> UserRecord | None:
        return self._change(actor, is_officer=is_officer)

    async def list_officers(self) -> list[UserRecord]:
        return sorted((user for user in self._state.users.values() if user.is_officer), key=lambda u: u.actor)

    async def forget(self, actor: str) -> int:
        state = self._state
        dropped = [state.users.pop(actor, None)]
        dropped += [state.feedback.pop(key) for key, row in list(state.feedback.items()) if row.actor == actor]
        dropped += [state.indicator_reports.pop(key) for key in list(state.indicator_reports) if key[2] == actor]
        dropped += [
            state.reports.pop(key)
            for key, row in list(state.reports.items())
            if row.actor == actor and row.status == "pending"
        ]
        changed = 0
        for key, report in list(state.reports.items()):
            if report.actor == actor:
                state.reports[key] = replace(report, actor=FORGOTTEN_ACTOR, text="", chat_id="", notify=False)
                changed += 1
        # A chat keyed by the user's own actor is their private chat with the bot.
        dropped += [state.chats.pop(actor, None), state.subscriptions.pop(actor, None)]
        dropped += [state.deliveries.pop(key) for key, row in list(state.deliveries.items()) if row.chat_key == actor]
        for key, subscription in list(state.subscriptions.items()):
            if subscription.created_by == actor:
                state.subscriptions[key] = replace(subscription, created_by=FORGOTTEN_ACTOR)
                changed += 1
        return changed + sum(row is not None for row in dropped)

    def _change(self, actor: str, **values: object) -> UserRecord | None:
        user = self._state.users.get(actor)
        if user is None:
            return None
        user = self._state.users[actor] = replace(user, **values)  # type: ignore[arg-type]
        return user


class InMemoryChatRepo(MemoryRepo):
    """ChatRepo in memory."""

    async def get(self, chat_key: str) -> ChatRecord | None:
        return self._state.chats.get(chat_key)

    async def ensure(self, platform: str, chat_id: str, kind: ChatKind, at: dt.datetime) -> ChatRecord:
        chat_key = f"{platform}:{chat_id}"
        existing = self._state.chats.get(chat_key)
        chat = (
            replace(existing, kind=kind)
            if existing
            else ChatRecord(chat_key, platform, chat_id, kind, "vi", False, True, None, utc(at))
        )
        self._state.chats[chat_key] = chat
        return chat

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
        chat = self._state.chats.get(chat_key)
        if chat is None:
            return None
        chat = self._state.chats[chat_key] = replace(chat, updated_at=utc(at), **values)  # type: ignore[arg-type]
        return chat
