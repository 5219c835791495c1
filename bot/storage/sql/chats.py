"""Chats in SQL, with `migrate`, which moves a group's settings, subscription and unfinished deliveries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import and_, delete, exists, update
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from bot.storage.sql.base import BATCH, UNSYNCED, SqlRepo, to_record
from bot.storage.sql.deliveries import UNFINISHED
from bot.storage.tables import ChatRow, DeliveryRow, SubscriptionRow
from handlers.ports import ChatKind, ChatRecord, Language


class SqlChatRepo(SqlRepo):
    """ChatRepo over sqlmodel."""

    async def get(self, chat_key: str) -> ChatRecord | None:
        return await self._get(ChatRecord, ChatRow, chat_key)

    async def get_many(self, chat_keys: Iterable[str]) -> dict[str, ChatRecord]:
        keys, found = list(dict.fromkeys(chat_keys)), {}
        for start in range(0, len(keys), BATCH):  # bounded IN lists
            query = select(ChatRow).where(col(ChatRow.chat_key).in_(keys[start : start + BATCH]))
            found.update({c.chat_key: c for c in await self._select(ChatRecord, query)})
        return found

    async def ensure(self, platform: str, chat_id: str, kind: ChatKind, at: dt.datetime) -> ChatRecord:
        chat = {
            "chat_key": f"{platform}:{chat_id}",
            "platform": platform,
            "chat_id": chat_id,
            "kind": kind,
            "language": "vi",
            "guard": False,
            "active": True,
            "inactive_reason": None,
            "updated_at": at,
        }
        return await self._upsert(ChatRecord, ChatRow, chat, key=["chat_key"], update=["kind"])

    async def set_language(self, chat_key: str, language: Language, at: dt.datetime) -> ChatRecord | None:
        return await self._change(chat_key, at, language=language)

    async def set_guard(self, chat_key: str, guard: bool, at: dt.datetime) -> ChatRecord | None:
        return await self._change(chat_key, at, guard=guard)

    async def mark_inactive(self, chat_key: str, reason: str, at: dt.datetime) -> ChatRecord | None:
        return await self._change(chat_key, at, active=False, inactive_reason=reason)

    async def mark_active(self, chat_key: str, at: dt.datetime) -> ChatRecord | None:
        return await self._change(chat_key, at, active=True, inactive_reason=None)

    async def migrate(self, old_key: str, new_key: str, at: dt.datetime) -> ChatRecord | None:
        platform, _, new_chat_id = new_key.partition(":")
        if old_key.partition(":")[0] != platform:
            raise ValueError(f"cannot migrate {old_key!r} to another platform ({new_key!r})")
        moved = {"chat_key": new_key, "chat_id": new_chat_id}
        newer = aliased(DeliveryRow)
        already_there = exists().where(
            col(newer.chat_key) == new_key,
            col(newer.alert_key) == col(DeliveryRow.alert_key),
            col(newer.day) == col(DeliveryRow.day),
        )
        old_delivery = and_(col(DeliveryRow.chat_key) == old_key, col(DeliveryRow.status).in_(UNFINISHED))
        async with self._sessions.begin() as session:
            for table, values in ((ChatRow, dict(moved, updated_at=at)), (SubscriptionRow, moved)):
                key = col(table.chat_key)
                if (await session.exec(select(key).where(key == old_key))).first() is None:
                    continue
                await session.exec(delete(table).where(key == new_key).execution_options(**UNSYNCED))
                await session.exec(update(table).where(key == old_key).values(**values).execution_options(**UNSYNCED))
            await session.exec(delete(DeliveryRow).where(old_delivery, already_there).execution_options(**UNSYNCED))
            await session.exec(update(DeliveryRow).where(old_delivery).values(**moved).execution_options(**UNSYNCED))
            row = await session.get(ChatRow, new_key)
            return to_record(ChatRecord, row) if row else None

    async def _change(self, chat_key: str, at: dt.datetime, **values: object) -> ChatRecord | None:
        return await self._edit(ChatRecord, ChatRow, chat_key, dict(values, updated_at=at))
