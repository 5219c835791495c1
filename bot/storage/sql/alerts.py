"""Daily-alert subscriptions and officer alerts in SQL."""

from __future__ import annotations

import datetime as dt

from sqlmodel import col, select

from bot.storage.sql.base import SqlRepo, to_record
from bot.storage.tables import AlertRow, SubscriptionRow
from handlers.ports import AlertKind, AlertRecord, AlertStatus, SubscriptionRecord


class SqlSubscriptionRepo(SqlRepo):
    """SubscriptionRepo over sqlmodel."""

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
        insert = self._insert(SubscriptionRow).values(
            chat_key=chat_key,
            platform=platform,
            chat_id=chat_id,
            local_time=local_time,
            timezone=timezone,
            active=True,
            inactive_reason=None,
            created_by=actor,
            created_at=at,
            shown_methods=[],
        )
        changed = ("platform", "chat_id", "local_time", "timezone", "active", "inactive_reason", "created_by")
        upsert = insert.on_conflict_do_update(
            index_elements=["chat_key"], set_={name: insert.excluded[name] for name in changed}
        ).returning(SubscriptionRow)
        async with self._sessions.begin() as session:
            return to_record(SubscriptionRecord, (await session.exec(upsert)).scalars().one())

    async def unsubscribe(self, chat_key: str, reason: str) -> SubscriptionRecord | None:
        return await self._change(chat_key, active=False, inactive_reason=reason)

    async def get(self, chat_key: str) -> SubscriptionRecord | None:
        async with self._sessions() as session:
            row = await session.get(SubscriptionRow, chat_key)
            return to_record(SubscriptionRecord, row) if row else None

    async def list_active(self, platform: str | None = None) -> list[SubscriptionRecord]:
        query = select(SubscriptionRow).where(col(SubscriptionRow.active)).order_by(col(SubscriptionRow.chat_key))
        if platform is not None:
            query = query.where(col(SubscriptionRow.platform) == platform)
        async with self._sessions() as session:
            return [to_record(SubscriptionRecord, row) for row in await session.exec(query)]

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
        async with self._sessions.begin() as session:
            row = await session.get(SubscriptionRow, chat_key, with_for_update=True)
            if row is None:
                return None
            for name, value in values.items():
                setattr(row, name, value)
            await session.flush()
            return to_record(SubscriptionRecord, row)


class SqlAlertRepo(SqlRepo):
    """AlertRepo over sqlmodel."""

    async def add(
        self, *, text: str, image_url: str | None, created_by: str, at: dt.datetime, kind: AlertKind
    ) -> AlertRecord:
        row = AlertRow(
            text=text, image_url=image_url, created_by=created_by, created_at=at, status="pending", kind=kind
        )
        async with self._sessions.begin() as session:
            session.add(row)
            await session.flush()
            return to_record(AlertRecord, row)

    async def get(self, alert_id: int) -> AlertRecord | None:
        async with self._sessions() as session:
            row = await session.get(AlertRow, alert_id)
            return to_record(AlertRecord, row) if row else None

    async def list(self, status: AlertStatus | None = None) -> list[AlertRecord]:
        query = select(AlertRow).order_by(col(AlertRow.created_at), col(AlertRow.id))
        if status is not None:
            query = query.where(col(AlertRow.status) == status)
        async with self._sessions() as session:
            return [to_record(AlertRecord, row) for row in await session.exec(query)]

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
        async with self._sessions() as session:
            row = (await session.exec(query)).first()
            return to_record(AlertRecord, row) if row else None

    async def _finish(self, alert_id: int, **values: object) -> AlertRecord | None:
        """Move a pending alert to a final status; a finished one is returned unchanged."""
        async with self._sessions.begin() as session:
            row = await session.get(AlertRow, alert_id, with_for_update=True)
            if row is None:
                return None
            if row.status == "pending":
                for name, value in values.items():
                    setattr(row, name, value)
                await session.flush()
            return to_record(AlertRecord, row)
