"""Records the storage ports exchange: frozen, timezone-aware (UTC on the way out), no behaviour."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

Language = Literal["vi", "en"]
ChatKind = Literal["private", "group", "channel"]
Level = Literal["high", "medium", "low"]
SignatureOrigin = Literal["shipped", "officer"]
IndicatorKind = Literal["phone", "domain", "url", "account"]
IndicatorStatus = Literal["reported", "scam", "safe"]
ReportStatus = Literal["pending", "scam", "not_scam", "unclear"]
# A report is a citizen's own submission, or a message sent for review after pressing "wrong verdict".
ReportKind = Literal["report", "wrong_verdict"]
AlertStatus = Literal["pending", "sent", "cancelled"]
AlertKind = Literal["daily", "broadcast"]
DeliveryStatus = Literal["pending", "sending", "sent", "failed", "unsubscribed"]

FORGOTTEN_ACTOR = "forgotten"
"""Stands in for the person in records kept after `UserRepo.forget` (decided reports, subscriptions, audit)."""


@dataclass(frozen=True, slots=True)
class UserRecord:
    """A person who talked to the bot."""

    actor: str  # "platform:user_id"
    platform: str
    user_id: str
    display_name: str
    language: Language
    is_officer: bool
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class ChatRecord:
    """A chat's settings."""

    chat_key: str  # "platform:chat_id"
    platform: str
    chat_id: str
    kind: ChatKind
    language: Language
    guard: bool
    active: bool
    inactive_reason: str | None
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class SignatureRecord:
    """One scam signature as stored, with where it came from."""

    id: str
    data: dict[str, Any]  # the signature's TOML fields; treat as read-only
    origin: SignatureOrigin
    shipped_hash: str | None
    edited: bool
    enabled: bool
    updated_at: dt.datetime
    updated_by: str | None
    version: int  # 1 for the first stored form; every change adds one


SignatureChange = Literal["shipped", "shipped_update", "created", "edited", "enabled", "disabled", "rolled_back"]


@dataclass(frozen=True, slots=True)
class SignatureVersionRecord:
    """One stored version of a signature: what it was after a change, who made the change and when."""

    signature_id: str
    version: int
    data: dict[str, Any]
    enabled: bool
    change: SignatureChange
    note: str  # e.g. the field an officer edited, or the version a rollback restored
    actor: str | None  # None for the shipped library
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class SeedResult:
    """What `SignatureRepo.seed_shipped` did."""

    added: int
    updated: int
    kept: int


@dataclass(frozen=True, slots=True)
class IndicatorRecord:
    """A reported phone, domain, URL or account, and its verdict."""

    kind: IndicatorKind
    value: str  # normalised
    report_count: int  # distinct reporters
    status: IndicatorStatus
    first_reported_at: dt.datetime | None  # None when nobody reported it (an officer's verdict, a list import)
    last_reported_at: dt.datetime | None
    note: str | None
    decided_by: str | None  # who set the status "scam" or "safe" ("cli" for a list import)
    decided_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class UpsertResult:
    """What `IndicatorRepo.upsert_many` did."""

    added: int
    updated: int  # "reported" indicators given the status
    kept: int  # already listed with that status or with an officer's verdict


@dataclass(frozen=True, slots=True)
class CheckRecord:
    """One check, without the checked text."""

    id: int
    platform: str
    at: dt.datetime
    level: Level
    score: int
    methods: tuple[str, ...]
    text_hash: str


@dataclass(frozen=True, slots=True)
class CheckStats:
    """Check counts over a period."""

    total: int
    by_level: dict[str, int]  # every level, zero included
    by_method: dict[str, int]  # only methods that occurred


@dataclass(frozen=True, slots=True)
class ReportRecord:
    """A message someone reported for review."""

    id: int
    actor: str
    platform: str
    chat_id: str
    text: str
    created_at: dt.datetime
    notify: bool
    status: ReportStatus
    decided_by: str | None
    decided_at: dt.datetime | None
    check_id: int | None
    level: Level | None
    kind: ReportKind = "report"


@dataclass(frozen=True, slots=True)
class FeedbackRecord:
    """Someone's opinion of a verdict."""

    id: int
    check_id: int
    actor: str
    correct: bool
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class FeedbackStats:
    """Feedback totals."""

    correct: int
    incorrect: int


@dataclass(frozen=True, slots=True)
class SubscriptionRecord:
    """A chat's daily-alert subscription."""

    chat_key: str
    platform: str
    chat_id: str
    local_time: str  # "HH:MM" in `timezone`
    timezone: str
    active: bool
    inactive_reason: str | None
    created_by: str
    created_at: dt.datetime
    shown_methods: tuple[str, ...]  # rotation memory, oldest first


@dataclass(frozen=True, slots=True)
class AlertRecord:
    """An alert an officer wrote."""

    id: int
    text: str
    image_url: str | None
    created_by: str
    created_at: dt.datetime
    status: AlertStatus
    kind: AlertKind
    cancelled_by: str | None


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    """One message in the outbox."""

    id: int
    chat_key: str
    platform: str
    chat_id: str
    alert_key: str  # "alert:<id>" or "method:<id>:<yyyy-mm-dd>"
    day: dt.date
    text: str
    image_url: str | None
    status: DeliveryStatus
    attempts: int  # claims so far
    next_attempt_at: dt.datetime
    last_error: str | None
    claimed_by: str | None
    lease_until: dt.datetime | None
    sent_at: dt.datetime | None
    round_id: str


@dataclass(frozen=True, slots=True)
class NewDelivery:
    """One message to put in the outbox (`DeliveryRepo.enqueue_many`)."""

    chat_key: str
    platform: str
    chat_id: str
    alert_key: str
    day: dt.date
    text: str
    image_url: str | None
    round_id: str


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One officer action."""

    id: int
    actor: str
    action: str
    target: str
    detail: str
    at: dt.datetime
