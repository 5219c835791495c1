"""Storage ports, library: the signature library and the reported and verified indicators.

See `handlers.ports` for the conventions every repository follows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from handlers.ports.records import (
    IndicatorKind,
    IndicatorRecord,
    IndicatorStatus,
    SeedResult,
    SignatureRecord,
    SignatureVersionRecord,
    UpsertResult,
)


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
