"""Daily-alert subscriptions in memory, with the methods each chat has been shown (for the rotation)."""

from __future__ import annotations

import datetime as dt

from bot.storage.memory.state import MemoryRepo, edit, utc
from handlers.ports import SubscriptionRecord


class InMemorySubscriptionRepo(MemoryRepo):
    """SubscriptionRepo in memory."""

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
        existing = self._state.subscriptions.get(chat_key)
        at = utc(at)
        subscription = SubscriptionRecord(
            chat_key,
            platform,
            chat_id,
            local_time,
            timezone,
            True,
            None,
            actor,
            existing.created_at if existing else at,
            existing.shown_methods if existing else (),
        )
        self._state.subscriptions[chat_key] = subscription
        return subscription

    async def unsubscribe(self, chat_key: str, reason: str) -> SubscriptionRecord | None:
        return self._change(chat_key, active=False, inactive_reason=reason)

    async def get(self, chat_key: str) -> SubscriptionRecord | None:
        return self._state.subscriptions.get(chat_key)

    async def list_active(self, platform: str | None = None) -> list[SubscriptionRecord]:
        return sorted(
            (
                row
                for row in self._state.subscriptions.values()
                if row.active and (platform is None or row.platform == platform)
            ),
            key=lambda row: row.chat_key,
        )

    async def record_shown(self, chat_key: str, method_id: str) -> SubscriptionRecord | None:
        subscription = self._state.subscriptions.get(chat_key)
        if subscription is None or method_id in subscription.shown_methods:
            return subscription
        return self._change(chat_key, shown_methods=(*subscription.shown_methods, method_id))

    async def reset_shown(self, chat_key: str) -> SubscriptionRecord | None:
        return self._change(chat_key, shown_methods=())

    def _change(self, chat_key: str, **values: object) -> SubscriptionRecord | None:
        return edit(self._state.subscriptions, chat_key, **values)
