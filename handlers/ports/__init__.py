"""Storage ports: the records handlers read and the repository Protocols they call.

`bot/storage` implements every Protocol twice (sqlmodel and in-memory); one contract suite in
`tests/storage` holds both to the same behaviour. Datetimes are timezone-aware and come back in UTC;
time is always passed in (`at`, `now`), never read from a clock here.
"""

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
    ReportRecord,
    ReportStatus,
    SeedResult,
    SignatureOrigin,
    SignatureRecord,
    SubscriptionRecord,
    UserRecord,
)
from handlers.ports.repositories import (
    AlertRepo,
    AuditRepo,
    ChatRepo,
    CheckRepo,
    DeliveryRepo,
    FeedbackRepo,
    IndicatorRepo,
    ReportRepo,
    Repositories,
    SignatureRepo,
    SubscriptionRepo,
    UserRepo,
)

__all__ = [
    "FORGOTTEN_ACTOR", "AlertKind", "AlertRecord", "AlertRepo", "AlertStatus", "AuditRecord", "AuditRepo",
    "ChatKind", "ChatRecord", "ChatRepo", "CheckRecord", "CheckRepo", "CheckStats", "DeliveryRecord",
    "DeliveryRepo", "DeliveryStatus", "FeedbackRecord", "FeedbackRepo", "FeedbackStats", "IndicatorKind",
    "IndicatorRecord", "IndicatorRepo", "IndicatorStatus", "Language", "Level", "ReportRecord", "ReportRepo",
    "ReportStatus", "Repositories", "SeedResult", "SignatureOrigin", "SignatureRecord", "SignatureRepo",
    "SubscriptionRecord", "SubscriptionRepo", "UserRecord", "UserRepo",
]
