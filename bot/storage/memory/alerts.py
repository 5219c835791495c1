"""Officers' alerts in memory: daily tips and broadcasts, pending until sent or cancelled."""

from __future__ import annotations

import datetime as dt

from bot.storage.memory.state import MemoryRepo, edit, utc
from handlers.ports import AlertKind, AlertRecord, AlertStatus


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
        return edit(self._state.alerts, alert_id, **values)
