"""Storage ports: the records handlers read (`handlers/ports/records.py`) and the repository Protocols they call.

`bot/storage` implements every Protocol twice (sqlmodel and in-memory); one contract suite in
`tests/bot/storage` holds both to the same behaviour. Every method is async. Datetimes are timezone-aware and
come back in UTC; time is always passed in (`at`, `now`), never read from a clock here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

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


class UserRepo(Protocol):
    """People who talked to the bot; `forget` erases one of them."""

    async def get(self, actor: str) -> UserRecord | None: ...
    async def ensure(self, platform: str, user_id: str, display_name: str, at: dt.datetime) -> UserRecord:
        """Create the user if missing, otherwise refresh the display name."""

    async def set_language(self, actor: str, language: Language) -> UserRecord | None: ...
    async def set_officer(self, actor: str, is_officer: bool) -> UserRecord | None:
        """Grant or revoke the officer role; None if the user never talked to the bot."""

    async def list_officers(self) -> list[UserRecord]: ...
    async def forget(self, actor: str) -> int:
        """Erase the user and their personal data; return the number of rows deleted or anonymised.

        Deletes the user, their feedback, their indicator reports (counts stay), their pending reports
        and their private chat with its subscription and deliveries; decided reports lose text, chat and
        actor; subscriptions they created and audit rows naming them (as actor or target) keep the row with
        `FORGOTTEN_ACTOR` in their place. Officers' work (alerts, decisions, signature versions) is kept as
        it was, on purpose. On SQLite, deleted rows are zeroed in the file and the write-ahead log is emptied
        afterwards, so nothing erased stays on disk.
        """


class ChatRepo(Protocol):
    """Per-chat settings."""

    async def get(self, chat_key: str) -> ChatRecord | None: ...
    async def get_many(self, chat_keys: Iterable[str]) -> dict[str, ChatRecord]:
        """The chats among `chat_keys` that have settings, by key (one query, for a whole round)."""

    async def ensure(self, platform: str, chat_id: str, kind: ChatKind, at: dt.datetime) -> ChatRecord:
        """Create the chat if missing (Vietnamese, guard off, active), otherwise refresh its kind."""

    async def set_language(self, chat_key: str, language: Language, at: dt.datetime) -> ChatRecord | None: ...
    async def set_guard(self, chat_key: str, guard: bool, at: dt.datetime) -> ChatRecord | None: ...
    async def mark_inactive(self, chat_key: str, reason: str, at: dt.datetime) -> ChatRecord | None: ...
    async def mark_active(self, chat_key: str, at: dt.datetime) -> ChatRecord | None: ...
    async def migrate(self, old_key: str, new_key: str, at: dt.datetime) -> ChatRecord | None:
        """Move settings, subscription and unfinished deliveries to a new chat id, in one transaction.

        What the old chat had wins over anything already stored under the new key. Returns the chat
        under its new key, or None when there were no settings to move.
        """


class SignatureRepo(Protocol):
    """The signature library as stored: shipped files seeded in, officer edits kept.

    Every change (seeding, an edit, enabling or disabling, a rollback) stores a new numbered version in the
    same transaction, so `history` is the whole trail and `rollback` can restore any earlier form.
    """

    async def list_all(self) -> list[SignatureRecord]: ...
    async def get(self, signature_id: str) -> SignatureRecord | None: ...
    async def seed_shipped(self, items: Iterable[tuple[str, Mapping[str, Any], str]], at: dt.datetime) -> SeedResult:
        """Insert new shipped (id, data, hash) items, update changed ones, never touch officer edits."""

    async def save_officer_edit(
        self, signature_id: str, data: Mapping[str, Any], actor: str, at: dt.datetime, note: str = ""
    ) -> SignatureRecord:
        """Store an officer's version (creating an officer signature if the id is new)."""

    async def set_enabled(
        self, signature_id: str, enabled: bool, actor: str, at: dt.datetime
    ) -> SignatureRecord | None: ...

    async def history(self, signature_id: str, limit: int = 20) -> list[SignatureVersionRecord]:
        """The signature's versions, newest first."""

    async def get_version(self, signature_id: str, version: int) -> SignatureVersionRecord | None: ...
    async def rollback(self, signature_id: str, version: int, actor: str, at: dt.datetime) -> SignatureRecord | None:
        """Make the data and enabled state of an earlier version current again, as a new version (an officer
        edit: the shipped library will not overwrite it). None when the signature or version is unknown."""

    async def stamps(self) -> list[tuple[str, bool, dt.datetime]]:
        """(id, enabled, updated_at) of every signature, by id: cheap to read, and different after any change."""


class IndicatorRepo(Protocol):
    """Phones, domains, URLs and accounts people reported, with officer verdicts."""

    async def lookup(self, kind: IndicatorKind, value: str) -> IndicatorRecord | None: ...
    async def lookup_many(self, keys: Iterable[tuple[IndicatorKind, str]]) -> dict[tuple[str, str], IndicatorRecord]:
        """Return the known indicators among `keys`, keyed by (kind, value)."""

    async def add_report(self, kind: IndicatorKind, value: str, reporter: str, at: dt.datetime) -> IndicatorRecord:
        """Record a report; the same reporter counts once."""

    async def set_status(
        self,
        kind: IndicatorKind,
        value: str,
        status: IndicatorStatus,
        note: str | None,
        *,
        by: str | None = None,
        at: dt.datetime | None = None,
    ) -> IndicatorRecord:
        """Set an officer verdict (`by` whom, `at` when), creating the indicator if nobody reported it."""

    async def withdraw_verdict(self, kind: IndicatorKind, value: str) -> IndicatorRecord | None:
        """Take back an officer verdict: an indicator people reported is "reported" again, with no note or officer;
        one nobody reported is removed (None). A "reported" or unknown indicator is left as it is."""

    async def upsert_many(
        self,
        kind: IndicatorKind,
        values: Sequence[str],
        status: IndicatorStatus,
        *,
        note: str | None,
        by: str,
        at: dt.datetime,
    ) -> UpsertResult:
        """List many normalised values with `status` in one transaction (a bulk import): new ones are added, and
        "reported" ones given an officer status take it; every other is kept, so an officer's verdict is never
        overridden and importing the same values again changes nothing."""

    async def list(
        self, status: IndicatorStatus | None = None, limit: int = 50, offset: int = 0
    ) -> list[IndicatorRecord]:
        """Most reported first."""


class CheckRepo(Protocol):
    """Anonymous log of checks (a hash of the text, never the text)."""

    async def add(
        self, *, platform: str, at: dt.datetime, level: Level, score: int, methods: Sequence[str], text_hash: str
    ) -> int: ...
    async def get(self, check_id: int) -> CheckRecord | None: ...
    async def stats(self, since: dt.datetime) -> CheckStats:
        """Counts of checks made at or after `since`."""

    async def daily_counts(self, since: dt.datetime, zone: dt.tzinfo) -> dict[tuple[dt.date, Level], int]:
        """Checks made at or after `since` per local day (the date in `zone`) and level; zero counts left out."""


class ReportRepo(Protocol):
    """The officers' review queue."""

    async def add(
        self,
        *,
        actor: str,
        platform: str,
        chat_id: str,
        text: str,
        at: dt.datetime,
        notify: bool,
        check_id: int | None = None,
        level: Level | None = None,
        kind: ReportKind = "report",
    ) -> int: ...
    async def add_with_indicators(
        self,
        *,
        actor: str,
        platform: str,
        chat_id: str,
        text: str,
        at: dt.datetime,
        notify: bool,
        check_id: int | None = None,
        level: Level | None = None,
        kind: ReportKind = "report",
        indicators: Iterable[tuple[IndicatorKind, str]] = (),
    ) -> int:
        """Add a report and count its reporter once on each of its indicators (as `IndicatorRepo.add_report`)
        in one transaction: a failure or a crash midway leaves neither the report nor any of the counts."""

    async def get(self, report_id: int) -> ReportRecord | None: ...
    async def list_pending(self, limit: int = 20, offset: int = 0) -> list[ReportRecord]:
        """Oldest first."""

    async def list_pending_by_reporter(self, limit: int = 10, per_reporter: int = 2) -> list[tuple[ReportRecord, int]]:
        """The oldest pending reports, but at most `per_reporter` of any one reporter's (their oldest), oldest
        first; each with the number of pending reports its reporter has in all."""

    async def count_since(self, actor: str, since: dt.datetime) -> int:
        """How many reports `actor` filed at or after `since`, whatever became of them."""

    async def decide(self, report_id: int, status: ReportStatus, officer: str, at: dt.datetime) -> ReportRecord | None:
        """Record (or change) a decision; `status` must not be "pending"."""

    async def list_decided(self, statuses: Sequence[ReportStatus] = ("scam", "not_scam")) -> list[ReportRecord]:
        """Every report decided with one of `statuses`, in the order they were reported (training data)."""

    async def count_by_status(self) -> dict[str, int]: ...
    async def daily_received(self, since: dt.datetime, zone: dt.tzinfo) -> dict[dt.date, int]:
        """Reports created at or after `since` per local day (the date in `zone`); zero counts left out."""

    async def daily_decisions(self, since: dt.datetime, zone: dt.tzinfo) -> dict[tuple[dt.date, ReportStatus], int]:
        """Reports whose latest decision was made at or after `since`, per local day of that decision and status."""


class FeedbackRepo(Protocol):
    """Was this verdict right? One answer per (check, person); a second press replaces the first."""

    async def add(self, *, check_id: int, actor: str, correct: bool, at: dt.datetime) -> FeedbackRecord: ...
    async def stats(self, since: dt.datetime | None = None) -> FeedbackStats:
        """Answers given (or last changed) at or after `since`; every answer when `since` is None."""


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
    """Named leases: one holder at a time across every process on the database (the alert scheduler's)."""

    async def acquire(self, name: str, holder: str, now: dt.datetime, seconds: float) -> bool:
        """Take or renew the lease until `now + seconds`: True when `holder` has it (it was free, expired or
        theirs already), False when someone else holds it."""

    async def release(self, name: str, holder: str) -> None:
        """Give the lease up at once (a clean stop), if `holder` has it."""


class AuditRepo(Protocol):
    """What officers did."""

    async def add(self, *, actor: str, action: str, target: str, detail: str, at: dt.datetime) -> AuditRecord: ...
    async def list(self, limit: int = 50) -> list[AuditRecord]:
        """Newest first."""


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
    "ReportKind",
    "ReportRecord",
    "ReportRepo",
    "ReportStatus",
    "Repositories",
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
