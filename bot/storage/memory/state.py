"""The in-memory twin's shared state: one dict per table, so cross-table operations (forget, migrate) work."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar, overload

from handlers.ports import (
    AlertRecord,
    AuditRecord,
    ChatRecord,
    CheckRecord,
    DeliveryRecord,
    FeedbackRecord,
    IndicatorRecord,
    ReportRecord,
    SignatureRecord,
    SignatureVersionRecord,
    SubscriptionRecord,
    UserRecord,
)


@dataclass
class MemoryState:
    """Every in-memory table. Methods never await, so each repository call is atomic on the event loop."""

    users: dict[str, UserRecord] = field(default_factory=dict)
    chats: dict[str, ChatRecord] = field(default_factory=dict)
    signatures: dict[str, SignatureRecord] = field(default_factory=dict)
    signature_versions: dict[str, dict[int, SignatureVersionRecord]] = field(default_factory=dict)
    indicators: dict[tuple[str, str], IndicatorRecord] = field(default_factory=dict)
    indicator_reports: dict[tuple[str, str, str], dt.datetime] = field(default_factory=dict)
    checks: dict[int, CheckRecord] = field(default_factory=dict)
    reports: dict[int, ReportRecord] = field(default_factory=dict)
    feedback: dict[int, FeedbackRecord] = field(default_factory=dict)
    subscriptions: dict[str, SubscriptionRecord] = field(default_factory=dict)
    alerts: dict[int, AlertRecord] = field(default_factory=dict)
    deliveries: dict[int, DeliveryRecord] = field(default_factory=dict)
    audit: dict[int, AuditRecord] = field(default_factory=dict)
    leases: dict[str, tuple[str, dt.datetime]] = field(default_factory=dict)
    last_ids: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))

    def next_id(self, table: str) -> int:
        """The next identity value of `table`, starting at 1 like the databases."""
        self.last_ids[table] += 1
        return self.last_ids[table]


Key = TypeVar("Key")
Record = TypeVar("Record")


class MemoryRepo:
    """Base of the in-memory repositories."""

    def __init__(self, state: MemoryState) -> None:
        self._state = state


def edit(table: dict[Key, Record], key: Key, **values: object) -> Record | None:
    """Replace fields of the record at `key` (a record is frozen: the table gets a new one); None if absent."""
    record = table.get(key)
    if record is None:
        return None
    record = table[key] = replace(record, **values)  # type: ignore[type-var]
    return record


def upsert(table: dict[Key, Record], key: Key, new: Record, **changes: object) -> Record:
    """Store `new` at `key`; where a record is there already, apply `changes` to it instead. What is stored."""
    return edit(table, key, **changes) or table.setdefault(key, new)


@overload
def utc(value: dt.datetime) -> dt.datetime: ...
@overload
def utc(value: None) -> None: ...
def utc(value: dt.datetime | None) -> dt.datetime | None:
    """Reject naive datetimes and return aware ones in UTC, exactly as sqlmodel's UTCDateTime does."""
    if value is None:
        return None
    if value.utcoffset() is None:
        raise ValueError("Datetime values must have timezone information.")
    return value.astimezone(dt.UTC)


def json_copy(data: Any) -> Any:
    """A copy that went through JSON, as a JSON column would store and return it."""
    return json.loads(json.dumps(data))
