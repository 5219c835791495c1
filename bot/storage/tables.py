"""SQLModel tables: one per repository, plus the indicator-reporter link table.

Column names match the record fields in `handlers.ports` so rows convert field by field. Datetimes
use sqlmodel's UTCDateTime (aware values only, UTC stored); lists and dicts are JSON columns.
No foreign keys: chat keys move when Telegram migrates a group, and the in-memory twin has none either.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import JSON, Index, MetaData, UniqueConstraint
from sqlmodel import Field, SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Table(SQLModel):
    """Base of every table, with its own metadata so names are predictable for migrations."""

    metadata: ClassVar[MetaData] = MetaData(naming_convention=NAMING_CONVENTION)


class UserRow(Table, table=True):
    """A person who talked to the bot."""

    __tablename__ = "users"

    actor: str = Field(primary_key=True)
    platform: str
    user_id: str
    display_name: str
    language: str
    is_officer: bool = Field(index=True)
    created_at: dt.datetime


class ChatRow(Table, table=True):
    """Per-chat settings."""

    __tablename__ = "chats"

    chat_key: str = Field(primary_key=True)
    platform: str
    chat_id: str
    kind: str
    language: str
    guard: bool
    active: bool
    inactive_reason: str | None = None
    updated_at: dt.datetime


class SignatureRow(Table, table=True):
    """A stored signature."""

    __tablename__ = "signatures"

    id: str = Field(primary_key=True)
    data: dict[str, Any] = Field(sa_type=JSON)
    origin: str
    shipped_hash: str | None = None
    edited: bool
    enabled: bool
    updated_at: dt.datetime
    updated_by: str | None = None
    version: int = 1


class SignatureVersionRow(Table, table=True):
    """One stored version of a signature."""

    __tablename__ = "signature_versions"

    signature_id: str = Field(primary_key=True)
    version: int = Field(primary_key=True)
    data: dict[str, Any] = Field(sa_type=JSON)
    enabled: bool
    change: str
    note: str
    actor: str | None = None
    at: dt.datetime


class IndicatorRow(Table, table=True):
    """A reported indicator."""

    __tablename__ = "indicators"

    kind: str = Field(primary_key=True)
    value: str = Field(primary_key=True)
    report_count: int
    status: str = Field(index=True)
    first_reported_at: dt.datetime | None = None
    last_reported_at: dt.datetime | None = None
    note: str | None = None
    decided_by: str | None = None
    decided_at: dt.datetime | None = None


class IndicatorReportRow(Table, table=True):
    """Who reported which indicator, so each reporter counts once."""

    __tablename__ = "indicator_reports"

    kind: str = Field(primary_key=True)
    value: str = Field(primary_key=True)
    reporter: str = Field(primary_key=True, index=True)
    at: dt.datetime = Field(index=True)  # indexed for the retention purge


class CheckRow(Table, table=True):
    """One check."""

    __tablename__ = "checks"

    id: int | None = Field(default=None, primary_key=True)
    platform: str
    at: dt.datetime = Field(index=True)
    level: str
    score: int
    methods: list[str] = Field(sa_type=JSON)
    text_hash: str


class ReportRow(Table, table=True):
    """A reported message awaiting (or past) review."""

    __tablename__ = "reports"

    id: int | None = Field(default=None, primary_key=True)
    actor: str = Field(index=True)
    platform: str
    chat_id: str
    text: str
    created_at: dt.datetime
    notify: bool
    status: str = Field(index=True)
    decided_by: str | None = None
    decided_at: dt.datetime | None = Field(default=None, index=True)  # indexed for the retention purge
    check_id: int | None = None
    level: str | None = None
    kind: str = "report"


class FeedbackRow(Table, table=True):
    """One person's opinion of one verdict."""

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("check_id", "actor"),)

    id: int | None = Field(default=None, primary_key=True)
    check_id: int
    actor: str = Field(index=True)
    correct: bool
    at: dt.datetime = Field(index=True)  # indexed for the retention purge


class SubscriptionRow(Table, table=True):
    """A chat's daily-alert subscription."""

    __tablename__ = "subscriptions"

    chat_key: str = Field(primary_key=True)
    platform: str
    chat_id: str
    local_time: str
    timezone: str
    active: bool = Field(index=True)
    inactive_reason: str | None = None
    created_by: str
    created_at: dt.datetime
    shown_methods: list[str] = Field(sa_type=JSON)


class AlertRow(Table, table=True):
    """An officer-written alert."""

    __tablename__ = "alerts"

    id: int | None = Field(default=None, primary_key=True)
    text: str
    image_url: str | None = None
    created_by: str
    created_at: dt.datetime
    status: str = Field(index=True)
    kind: str
    cancelled_by: str | None = None


class DeliveryRow(Table, table=True):
    """One outbox message; unique per (chat, alert, day) so enqueueing twice is harmless."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("chat_key", "alert_key", "day"),
        Index("ix_deliveries_claim", "platform", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    chat_key: str
    platform: str
    chat_id: str
    alert_key: str
    day: dt.date = Field(index=True)  # indexed for the retention purge
    text: str
    image_url: str | None = None
    status: str
    attempts: int
    next_attempt_at: dt.datetime
    last_error: str | None = None
    claimed_by: str | None = None
    lease_until: dt.datetime | None = None
    sent_at: dt.datetime | None = None
    round_id: str = Field(index=True)


class AuditRow(Table, table=True):
    """One officer action."""

    __tablename__ = "audit"

    id: int | None = Field(default=None, primary_key=True)
    actor: str
    action: str
    target: str
    detail: str
    at: dt.datetime = Field(index=True)


class LeaseRow(Table, table=True):
    """A named lease and who holds it until when."""

    __tablename__ = "leases"

    name: str = Field(primary_key=True)
    holder: str
    until: dt.datetime


class InstanceSecretRow(Table, table=True):
    """A value created once per installation and shared by every process on the database (the hash salt)."""

    __tablename__ = "instance_secrets"

    name: str = Field(primary_key=True)
    value: bytes


class SessionRow(Table, table=True):
    """A conversation session shared by the processes serving one bot (`[sharing] backend = "database"`).

    Rows are deleted when they expire (at most 6 hours): see bot/storage/sql/sessions.py."""

    __tablename__ = "sessions"

    id: str = Field(primary_key=True)
    owner: str = Field(index=True)
    state: str
    data: dict[str, Any] = Field(sa_type=JSON)
    expires_at: dt.datetime = Field(index=True)
    shared: bool
    dialog: bool  # the owner's open dialog (at most one per owner)


class CheckHitRow(Table, table=True):
    """One check counted against its user's per-minute limit; deleted once it is a minute old."""

    __tablename__ = "check_hits"
    __table_args__ = (Index("ix_check_hits_actor_at", "actor", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    actor: str
    at: dt.datetime = Field(index=True)


class SeenUpdateRow(Table, table=True):
    """An update or event a process took to handle, so its redelivery to another process is dropped."""

    __tablename__ = "seen_updates"

    key: str = Field(primary_key=True)
    seen_at: dt.datetime = Field(index=True)


class OfferedChoiceRow(Table, table=True):
    """Numbered choices (Zalo's form of buttons) offered to a chat member, or to the whole chat (member ""), so a
    number answered to another process serving the bot finds them. Deleted when they expire (6 hours)."""

    __tablename__ = "offered_choices"

    chat: str = Field(primary_key=True)  # platform, bot tag and chat id
    member: str = Field(primary_key=True)
    choices: list[list[str]] = Field(sa_type=JSON)  # per button: label, data, url, deep_link
    offered_at: dt.datetime
    expires_at: dt.datetime = Field(index=True)
