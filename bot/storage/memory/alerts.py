"""In-memory subscriptions and officer alerts."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from bot.storage.memory.state import MemoryRepo, utc
from handlers.ports import AlertKind, AlertRecord, AlertStatus, SubscriptionRecord


class InMemorySubscriptionRepo(MemoryRepo):
    """SubscriptionRepo in memory."""

    async def subscribe(
        self,
        chat_key: str,
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
        subscription = self._state.subscriptions.get(chat_key)
        if subscription is None:
            return None
        subscription = self._state.subscriptions[chat_key] = replace(subscription, **values)  # type: ignore[arg-type]
        return subscription


class InMemoryAlertRepo(MemoryRepo):
    """AlertRepo in memory."""

    async def add(
        self, *, text: str, image_url: str | None, created_by: str, at: dt.datetime, kind: AlertKind
    ) -> AlertRecord:
        alert_id = self._state.next_id("alerts")
        alert = AlertRecord(alert_id, text, image_url, created_by, utc(at), "pending", kind, None)
        self._state.alerts[alert_id] = alert
        return alert

    async def get(self, alert_id: int) -> AlertRecord | None:
        return self._state.alerts.get(alert_id)

    async def list(self, status: AlertStatus | None = None) -> list[AlertRecord]:
        chosen = [alert for alert in self._state.alerts.values() if status is None or alert.status == status]
        return sorted(chosen, key=lambda alert: (alert.created_at, alert.id))

    async def cancel(self, alert_id: int, actor: str) -> AlertRecord | None:
        return self._finish(alert_id, status="cancelled", cancelled_by=actor)

    async def mark_sent(self, alert_id: int) -> AlertRecord | None:
        return self._finish(alert_id, status="sent")

    async def next_pending_daily(self) -> AlertRecord | None:
        pending = await self.list("pending")
        return next((alert for alert in pending if alert.kind == "daily"), None)

    def _finish(self, alert_id: int, **values: object) -> AlertRecord | None:
        """Move a pending alert to a final status; a finished one is returned unchanged."""
        alert = self._state.alerts.get(alert_id)
        if alert is None or alert.status != "pending":
            return alert
        alert = self._state.alerts[alert_id] = replace(alert, **values)  # type: ignore[arg-type]
        return alert
