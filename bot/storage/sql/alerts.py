"""Officers' alerts in SQL: daily tips and broadcasts, pending until sent or cancelled."""

from __future__ import annotations

import datetime as dt

from sqlmodel import col, select

from bot.storage.sql.base import SqlRepo, to_record
from bot.storage.tables import AlertRow
from handlers.ports import AlertKind, AlertRecord, AlertStatus


class SqlAlertRepo(SqlRepo):
    """AlertRepo over sqlmodel."""

    async def add(
        self, *, text: str, image_url: str | None, created_by: str, at: dt.datetime, kind: AlertKind
    ) -> AlertRecord:
        row = AlertRow(
            text=text, image_url=image_url, created_by=created_by, created_at=at, status="pending", kind=kind
        )
        return to_record(AlertRecord, await self._add(row))

    async def get(self, alert_id: int) -> AlertRecord | None:
        return await self._get(AlertRecord, AlertRow, alert_id)

    async def list(self, status: AlertStatus | None = None) -> list[AlertRecord]:
        query = select(AlertRow).order_by(col(AlertRow.created_at), col(AlertRow.id))
        if status is not None:
            query = query.where(col(AlertRow.status) == status)
        return await self._select(AlertRecord, query)

    async def cancel(self, alert_id: int, actor: str) -> AlertRecord | None:
        return await self._finish(alert_id, status="cancelled", cancelled_by=actor)

    async def mark_sent(self, alert_id: int) -> AlertRecord | None:
        return await self._finish(alert_id, status="sent")

    async def next_pending_daily(self) -> AlertRecord | None:
        query = (
            select(AlertRow)
            .where(col(AlertRow.status) == "pending", col(AlertRow.kind) == "daily")
            .order_by(col(AlertRow.created_at), col(AlertRow.id))
            .limit(1)
        )
        return next(iter(await self._select(AlertRecord, query)), None)

    async def _finish(self, alert_id: int, **values: object) -> AlertRecord | None:
        """Move a pending alert to a final status; a finished one is returned unchanged."""
        return await self._edit(AlertRecord, AlertRow, alert_id, values, lock=True, when=_pending)


def _pending(row: AlertRow) -> bool:
    return row.status == "pending"
