"""Daily-alert subscriptions in SQL, with the methods each chat has been shown (for the rotation)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import col, select

from bot.storage.sql.base import SqlRepo, to_record
from bot.storage.tables import SubscriptionRow
from handlers.ports import SubscriptionRecord


class SqlSubscriptionRepo(SqlRepo):
    """SubscriptionRepo over sqlmodel."""

    async def subscribe(
        self,
        chat_key: str,
        *,
        platform: str,
        chat_id: str,
        local_time: str,
        timezone: str,
        actor: str,
        at: dt.datetime,
    ) -> SubscriptionRecord:
        subscription = {
            "chat_key": chat_key,
            "platform": platform,
            "chat_id": chat_id,
            "local_time": local_time,
            "timezone": timezone,
            "active": True,
            "inactive_reason": None,
            "created_by": actor,
            "created_at": at,
            "shown_methods": [],
        }
        # A chat subscribing again keeps when it first did and the methods it has been shown.
        changed = ["platform", "chat_id", "local_time", "timezone", "active", "inactive_reason", "created_by"]
        return await self._upsert(SubscriptionRecord, SubscriptionRow, subscription, key=["chat_key"], update=changed)

    async def unsubscribe(self, chat_key: str, reason: str) -> SubscriptionRecord | None:
        return await self._change(chat_key, active=False, inactive_reason=reason)

    async def get(self, chat_key: str) -> SubscriptionRecord | None:
        return await self._get(SubscriptionRecord, SubscriptionRow, chat_key)

    async def list_active(self, platform: str | None = None) -> list[SubscriptionRecord]:
        query = select(SubscriptionRow).where(col(SubscriptionRow.active)).order_by(col(SubscriptionRow.chat_key))
        if platform is not None:
            query = query.where(col(SubscriptionRow.platform) == platform)
        return await self._select(SubscriptionRecord, query)

    async def record_shown(self, chat_key: str, method_id: str) -> SubscriptionRecord | None:
        async with self._sessions.begin() as session:
            row = await session.get(SubscriptionRow, chat_key, with_for_update=True)
            if row is None:
                return None
            if method_id not in row.shown_methods:
                row.shown_methods = [*row.shown_methods, method_id]
                await session.flush()
            return to_record(SubscriptionRecord, row)

    async def reset_shown(self, chat_key: str) -> SubscriptionRecord | None:
        return await self._change(chat_key, shown_methods=[])

    async def _change(self, chat_key: str, **values: object) -> SubscriptionRecord | None:
        return await self._edit(SubscriptionRecord, SubscriptionRow, chat_key, values, lock=True)
