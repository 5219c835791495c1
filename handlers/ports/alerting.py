"""Storage ports, alerting: subscriptions, officers' alerts, the outbox, and the scheduler's lease.

See `handlers.ports` for the conventions every repository follows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from handlers.ports.records import (
    AlertKind,
    AlertRecord,
    AlertStatus,
    DeliveryRecord,
    DeliveryStatus,
    NewDelivery,
    SubscriptionRecord,
)


class SubscriptionRepo(Protocol):
    """Daily alert subscriptions, one per chat."""

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
        """Create or update the chat's subscription and make it active (rotation memory is kept)."""

    async def unsubscribe(self, chat_key: str, reason: str) -> SubscriptionRecord | None: ...
    async def get(self, chat_key: str) -> SubscriptionRecord | None: ...
    async def list_active(self, platform: str | None = None) -> list[SubscriptionRecord]: ...
    async def record_shown(self, chat_key: str, method_id: str) -> SubscriptionRecord | None: ...
    async def reset_shown(self, chat_key: str) -> SubscriptionRecord | None: ...


class AlertRepo(Protocol):
    """Officer-written alerts waiting to go out."""

    async def add(
        self, *, text: str, image_url: str | None, created_by: str, at: dt.datetime, kind: AlertKind
    ) -> AlertRecord: ...
    async def get(self, alert_id: int) -> AlertRecord | None: ...
    async def list(self, status: AlertStatus | None = None) -> list[AlertRecord]:
        """Oldest first."""

    async def cancel(self, alert_id: int, actor: str) -> AlertRecord | None:
        """Cancel a pending alert; a sent or cancelled one is returned unchanged."""

    async def mark_sent(self, alert_id: int) -> AlertRecord | None: ...
    async def next_pending_daily(self) -> AlertRecord | None:
        """The oldest pending daily alert."""


class DeliveryRepo(Protocol):
    """The outbox: one row per (chat, alert, day), claimed with a lease by sender workers."""

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
        """Queue a delivery; False if (chat_key, alert_key, day) already exists. Safe across processes."""

    async def enqueue_many(self, deliveries: Sequence[NewDelivery], now: dt.datetime) -> int:
        """Queue a whole round in one transaction: every delivery or none (a crash midway queues nothing).
        Deliveries whose (chat_key, alert_key, day) exists are skipped; the number queued."""

    async def get(self, delivery_id: int) -> DeliveryRecord | None: ...
    async def claim(
        self, platform: str, worker_id: str, now: dt.datetime, lease_seconds: float, limit: int
    ) -> list[DeliveryRecord]:
        """Atomically take due pending deliveries and expired leases; no two workers get the same row."""

    async def mark_sent(self, delivery_id: int, worker_id: str, at: dt.datetime) -> bool:
        """False when the worker no longer holds the lease."""

    async def mark_retry(self, delivery_id: int, worker_id: str, next_at: dt.datetime, error: str) -> bool:
        """Put the delivery back for `next_at`; False when the worker no longer holds the lease."""

    async def mark_failed(self, delivery_id: int, error: str) -> bool: ...
    async def mark_unsubscribed(self, delivery_id: int, reason: str) -> bool: ...
    async def round_summary(self, round_id: str) -> dict[str, int]:
        """Deliveries of one round per status (every status present)."""

    async def daily_counts(self, first_day: dt.date) -> dict[tuple[dt.date, DeliveryStatus], int]:
        """Deliveries per alert day (the subscriber's local date) from `first_day` on, and status; no zero counts."""


class LeaseRepo(Protocol):
    """Named leases: one holder at a time across every process on the database (the alert scheduler's, and each
    process's heartbeat for sharing a platform's send rate)."""

    async def acquire(self, name: str, holder: str, now: dt.datetime, seconds: float) -> bool:
        """Take or renew the lease until `now + seconds`: True when `holder` has it (it was free, expired or
        theirs already), False when someone else holds it."""

    async def release(self, name: str, holder: str) -> None:
        """Give the lease up at once (a clean stop), if `holder` has it."""

    async def count_live(self, prefix: str, now: dt.datetime) -> int:
        """How many leases whose name starts with `prefix` are held at `now` (heartbeats: one lease per
        process, named prefix + the process)."""
