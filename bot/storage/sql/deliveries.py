"""The outbox in SQL: race-safe enqueue and lease-based claiming, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any, get_args

from sqlalchemy import ColumnElement, and_, func, or_, update
from sqlmodel import col, select

from bot.storage.sql.base import BATCH, COUNTED, UNSYNCED, SqlRepo, to_record
from bot.storage.tables import DeliveryRow
from handlers.ports import DeliveryRecord, DeliveryStatus, NewDelivery

UNFINISHED = ("pending", "sending")  # the statuses a delivery can still leave


class SqlDeliveryRepo(SqlRepo):
    """DeliveryRepo over sqlmodel."""

    async def enqueue(
        self,
        *,
        chat_key: str,
        platform: str,
        chat_id: str,
        alert_key: str,
        day: dt.date,
        text: str,
        image_url: str | None,
        round_id: str,
        now: dt.datetime,
    ) -> bool:
        insert = self._insert(DeliveryRow).values(
            chat_key=chat_key,
            platform=platform,
            chat_id=chat_id,
            alert_key=alert_key,
            day=day,
            text=text,
            image_url=image_url,
            status="pending",
            attempts=0,
            next_attempt_at=now,
            round_id=round_id,
        )
        unique = insert.on_conflict_do_nothing(index_elements=["chat_key", "alert_key", "day"])
        async with self._sessions.begin() as session:
            inserted: int = (await session.exec(unique.execution_options(**COUNTED))).rowcount
            return inserted == 1

    async def enqueue_many(self, deliveries: Sequence[NewDelivery], now: dt.datetime) -> int:
        rows = [
            {**dataclasses.asdict(d), "status": "pending", "attempts": 0, "next_attempt_at": now} for d in deliveries
        ]
        queued = 0
        async with self._sessions.begin() as session:  # one transaction: the whole round or nothing
            for start in range(0, len(rows), BATCH):
                insert = self._insert(DeliveryRow).values(rows[start : start + BATCH])
                unique = insert.on_conflict_do_nothing(index_elements=["chat_key", "alert_key", "day"])
                queued += (await session.exec(unique.execution_options(**COUNTED))).rowcount
        return queued

    async def get(self, delivery_id: int) -> DeliveryRecord | None:
        return await self._get(DeliveryRecord, DeliveryRow, delivery_id)

    async def claim(
        self, platform: str, worker_id: str, now: dt.datetime, lease_seconds: float, limit: int
    ) -> list[DeliveryRecord]:
        # One UPDATE … WHERE id IN (SELECT … LIMIT n) RETURNING: on PostgreSQL the inner SELECT locks its
        # rows with FOR UPDATE SKIP LOCKED, so a concurrent claimer passes over them; SQLite ignores FOR
        # UPDATE, and the statement is atomic there because it runs under the database's write lock.
        due = or_(
            and_(col(DeliveryRow.status) == "pending", col(DeliveryRow.next_attempt_at) <= now),
            and_(col(DeliveryRow.status) == "sending", col(DeliveryRow.lease_until) <= now),
        )
        picked = (
            select(DeliveryRow.id)
            .where(col(DeliveryRow.platform) == platform, due)
            .order_by(col(DeliveryRow.next_attempt_at), col(DeliveryRow.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        claim = (
            update(DeliveryRow)
            .where(col(DeliveryRow.id).in_(picked.scalar_subquery()))
            .values(
                status="sending",
                claimed_by=worker_id,
                attempts=col(DeliveryRow.attempts) + 1,
                lease_until=now + dt.timedelta(seconds=lease_seconds),
            )
            .returning(DeliveryRow)
            .execution_options(**UNSYNCED)
        )
        async with self._sessions.begin() as session:
            rows = (await session.exec(claim)).scalars().all()
            records = [to_record(DeliveryRecord, row) for row in rows]
        return sorted(records, key=lambda record: (record.next_attempt_at, record.id))

    async def mark_sent(self, delivery_id: int, worker_id: str, at: dt.datetime) -> bool:
        return await self._held(delivery_id, worker_id, status="sent", sent_at=at, lease_until=None)

    async def mark_retry(self, delivery_id: int, worker_id: str, next_at: dt.datetime, error: str) -> bool:
        return await self._held(
            delivery_id,
            worker_id,
            status="pending",
            next_attempt_at=next_at,
            last_error=error,
            claimed_by=None,
            lease_until=None,
        )

    async def mark_failed(self, delivery_id: int, error: str) -> bool:
        return await self._unfinished(delivery_id, status="failed", last_error=error, lease_until=None)

    async def mark_unsubscribed(self, delivery_id: int, reason: str) -> bool:
        return await self._unfinished(delivery_id, status="unsubscribed", last_error=reason, lease_until=None)

    async def round_summary(self, round_id: str) -> dict[str, int]:
        query = (
            select(DeliveryRow.status, func.count())
            .where(col(DeliveryRow.round_id) == round_id)
            .group_by(col(DeliveryRow.status))
        )
        return await self._counts(dict.fromkeys(get_args(DeliveryStatus), 0), query)

    async def daily_counts(self, first_day: dt.date) -> dict[tuple[dt.date, DeliveryStatus], int]:
        query = (
            select(col(DeliveryRow.day), col(DeliveryRow.status), func.count())
            .where(col(DeliveryRow.day) >= first_day)
            .group_by(col(DeliveryRow.day), col(DeliveryRow.status))
        )
        async with self._sessions() as session:
            rows: list[Any] = list((await session.exec(query)).all())  # statuses come back as plain strings
        return {(day, status): count for day, status, count in rows}

    async def _held(self, delivery_id: int, worker_id: str, **values: object) -> bool:
        """Update a delivery only while `worker_id` still holds its lease (fencing off a late worker)."""
        held = (
            col(DeliveryRow.id) == delivery_id,
            col(DeliveryRow.status) == "sending",
            col(DeliveryRow.claimed_by) == worker_id,
        )
        return await self._update(held, values)

    async def _unfinished(self, delivery_id: int, **values: object) -> bool:
        unfinished = (col(DeliveryRow.id) == delivery_id, col(DeliveryRow.status).in_(UNFINISHED))
        return await self._update(unfinished, values)

    async def _update(self, where: tuple[ColumnElement[bool], ...], values: dict[str, object]) -> bool:
        statement = update(DeliveryRow).where(*where).values(**values).execution_options(**UNSYNCED)
        async with self._sessions.begin() as session:
            changed: int = (await session.exec(statement)).rowcount
            return changed == 1
