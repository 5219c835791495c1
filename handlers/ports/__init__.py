"""Storage ports: the records handlers read (`handlers/ports/records.py`) and the repository Protocols they call.

The Protocols live by area (`people`, `library`, `activity`, `alerting`) and are re-exported here, so handlers
import everything from `handlers.ports`. `bot/storage` implements every Protocol twice (sqlmodel and in-memory);
one contract suite in `tests/bot/storage` holds both to the same behaviour. Every method is async. Datetimes
are timezone-aware and come back in UTC; time is always passed in (`at`, `now`), never read from a clock here.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.ports.activity import CheckRepo, FeedbackRepo, ReportRepo
from handlers.ports.alerting import AlertRepo, DeliveryRepo, LeaseRepo, SubscriptionRepo
from handlers.ports.library import IndicatorRepo, SignatureRepo
from handlers.ports.people import AuditRepo, ChatRepo, UserRepo
from handlers.ports.records import (
    FORGOTTEN_ACTOR,
    AlertKind,
    AlertRecord,
    AlertStatus,
    AuditRecord,
    ChatKind,
    ChatRecord,
    CheckRecord,
    CheckStats,
    DeliveryRecord,
    DeliveryStatus,
    FeedbackRecord,
    FeedbackStats,
    IndicatorKind,
    IndicatorRecord,
    IndicatorStatus,
    Language,
    Level,
    NewDelivery,
    ReportKind,
    ReportRecord,
    ReportStatus,
    SeedResult,
    SignatureChange,
    SignatureOrigin,
    SignatureRecord,
    SignatureVersionRecord,
    SubscriptionRecord,
    UpsertResult,
    UserRecord,
)
from handlers.ports.retention import PurgeCounts, RetentionCutoffs, RetentionRepo


@dataclass(frozen=True, slots=True)
class Repositories:
    """Every repository, as handed to handlers."""

    users: UserRepo
    chats: ChatRepo
    signatures: SignatureRepo
    indicators: IndicatorRepo
    checks: CheckRepo
    reports: ReportRepo
    feedback: FeedbackRepo
    subscriptions: SubscriptionRepo
    alerts: AlertRepo
    deliveries: DeliveryRepo
    audit: AuditRepo
    leases: LeaseRepo
    retention: RetentionRepo


__all__ = [
    "FORGOTTEN_ACTOR",
    "AlertKind",
    "AlertRecord",
    "AlertRepo",
    "AlertStatus",
    "AuditRecord",
    "AuditRepo",
    "ChatKind",
    "ChatRecord",
    "ChatRepo",
    "CheckRecord",
    "CheckRepo",
    "CheckStats",
    "DeliveryRecord",
    "DeliveryRepo",
    "DeliveryStatus",
    "FeedbackRecord",
    "FeedbackRepo",
    "FeedbackStats",
    "IndicatorKind",
    "IndicatorRecord",
    "IndicatorRepo",
    "IndicatorStatus",
    "Language",
    "LeaseRepo",
    "Level",
    "NewDelivery",
    "PurgeCounts",
    "ReportKind",
    "ReportRecord",
    "ReportRepo",
    "ReportStatus",
    "Repositories",
    "RetentionCutoffs",
    "RetentionRepo",
    "SeedResult",
    "SignatureChange",
    "SignatureOrigin",
    "SignatureRecord",
    "SignatureRepo",
    "SignatureVersionRecord",
    "SubscriptionRecord",
    "SubscriptionRepo",
    "UpsertResult",
    "UserRecord",
    "UserRepo",
]
