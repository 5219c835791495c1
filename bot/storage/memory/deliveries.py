"""The in-memory outbox."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import get_args

from bot.storage.memory.state import MemoryRepo, edit, utc
from handlers.ports import DeliveryRecord, DeliveryStatus, NewDelivery

UNFINISHED = ("pending", "sending")  # the statuses a delivery can still leave


class InMemoryDeliveryRepo(MemoryRepo):
    """DeliveryRepo in memory."""

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
        deliveries = self._state.deliveries
        if any((row.chat_key, row.alert_key, row.day) == (chat_key, alert_key, day) for row in deliveries.values()):
            return False
        delivery_id = self._state.next_id("deliveries")
        deliveries[delivery_id] = DeliveryRecord(
            delivery_id,
            chat_key,
            platform,
            chat_id,
            alert_key,
            day,
            text,
            image_url,
            "pending",
            0,
            utc(now),
            None,
            None,
            None,
            None,
            round_id,
        )
        return True

    async def enqueue_many(self, deliveries: Sequence[NewDelivery], now: dt.datetime) -> int:
        now = utc(now)  # checked before anything is queued: all or nothing, like the transaction
        queued = 0
        for d in deliveries:
            fields = dataclasses.asdict(d)
            queued += await self.enqueue(**fields, now=now)
        return queued

    async def get(self, delivery_id: int) -> DeliveryRecord | None:
        return self._state.deliveries.get(delivery_id)

    async def claim(
        self, platform: str, worker_id: str, now: dt.datetime, lease_seconds: float, limit: int
    ) -> list[DeliveryRecord]:
        now = utc(now)

        def due(row: DeliveryRecord) -> bool:
            if row.status == "pending":
                return row.next_attempt_at <= now
            return row.status == "sending" and row.lease_until is not None and row.lease_until <= now

        chosen = sorted(
            (row for row in self._state.deliveries.values() if row.platform == platform and due(row)),
            key=lambda row: (row.next_attempt_at, row.id),
        )[:limit]
        lease_until = now + dt.timedelta(seconds=lease_seconds)
        claimed = [
            replace(row, status="sending", claimed_by=worker_id, attempts=row.attempts + 1, lease_until=lease_until)
            for row in chosen
        ]
        self._state.deliveries.update((row.id, row) for row in claimed)
        return claimed

    async def mark_sent(self, delivery_id: int, worker_id: str, at: dt.datetime) -> bool:
        return self._held(delivery_id, worker_id, status="sent", sent_at=utc(at), lease_until=None)

    async def mark_retry(self, delivery_id: int, worker_id: str, next_at: dt.datetime, error: str) -> bool:
        return self._held(
            delivery_id,
            worker_id,
            status="pending",
            next_attempt_at=utc(next_at),
            last_error=error,
            claimed_by=None,
            lease_until=None,
        )

    async def mark_failed(self, delivery_id: int, error: str) -> bool:
        return self._unfinished(delivery_id, status="failed", last_error=error, lease_until=None)

    async def mark_unsubscribed(self, delivery_id: int, reason: str) -> bool:
        return self._unfinished(delivery_id, status="unsubscribed", last_error=reason, lease_until=None)

    async def round_summary(self, round_id: str) -> dict[str, int]:
        counts = dict.fromkeys(get_args(DeliveryStatus), 0)
        counts.update(Counter(row.status for row in self._state.deliveries.values() if row.round_id == round_id))
        return counts

    async def daily_counts(self, first_day: dt.date) -> dict[tuple[dt.date, DeliveryStatus], int]:
        return dict(Counter((row.day, row.status) for row in self._state.deliveries.values() if row.day >= first_day))

    def _held(self, delivery_id: int, worker_id: str, **values: object) -> bool:
        """Update a delivery only while `worker_id` still holds its lease (fencing off a late worker)."""
        row = self._state.deliveries.get(delivery_id)
        if row is None or row.status != "sending" or row.claimed_by != worker_id:
            return False
        return edit(self._state.deliveries, delivery_id, **values) is not None

    def _unfinished(self, delivery_id: int, **values: object) -> bool:
        row = self._state.deliveries.get(delivery_id)
        if row is None or row.status not in UNFINISHED:
            return False
        return edit(self._state.deliveries, delivery_id, **values) is not None
