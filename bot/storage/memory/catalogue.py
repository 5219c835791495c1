"""In-memory signatures and reported indicators."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from bot.storage.memory.state import MemoryRepo, json_copy, utc
from handlers.ports import IndicatorKind, IndicatorRecord, IndicatorStatus, SeedResult, SignatureRecord


class InMemorySignatureRepo(MemoryRepo):
    """SignatureRepo in memory; `data` is copied through JSON both ways, like the JSON column."""

    async def list_all(self) -> list[SignatureRecord]:
        return [self._out(self._state.signatures[key]) for key in sorted(self._state.signatures)]

    async def get(self, signature_id: str) -> SignatureRecord | None:
        signature = self._state.signatures.get(signature_id)
        return self._out(signature) if signature else None

    async def seed_shipped(self, items: Iterable[tuple[str, Mapping[str, Any], str]], at: dt.datetime) -> SeedResult:
        at = utc(at)
        shipped = {signature_id: (json_copy(data), digest) for signature_id, data, digest in items}
        added = updated = kept = 0
        for signature_id, (data, digest) in shipped.items():
            existing = self._state.signatures.get(signature_id)
            if existing is None:
                self._state.signatures[signature_id] = SignatureRecord(
                    signature_id, data, "shipped", digest, False, True, at, None
                )
                added += 1
            elif existing.edited or existing.origin != "shipped" or existing.shipped_hash == digest:
                kept += 1
            else:
                self._state.signatures[signature_id] = replace(
                    existing, data=data, shipped_hash=digest, updated_at=at, updated_by=None
                )
                updated += 1
        return SeedResult(added=added, updated=updated, kept=kept)

    async def save_officer_edit(
        self, signature_id: str, data: Mapping[str, Any], actor: str, at: dt.datetime
    ) -> SignatureRecord:
        existing = self._state.signatures.get(signature_id)
        stored = json_copy(data)
        signature = (
            replace(existing, data=stored, edited=True, updated_at=utc(at), updated_by=actor)
            if existing
            else SignatureRecord(signature_id, stored, "officer", None, True, True, utc(at), actor)
        )
        self._state.signatures[signature_id] = signature
        return self._out(signature)

    async def set_enabled(
        self, signature_id: str, enabled: bool, actor: str, at: dt.datetime
    ) -> SignatureRecord | None:
        existing = self._state.signatures.get(signature_id)
        if existing is None:
            return None
        signature = replace(existing, enabled=enabled, updated_at=utc(at), updated_by=actor)
        self._state.signatures[signature_id] = signature
        return self._out(signature)

    @staticmethod
    def _out(signature: SignatureRecord) -> SignatureRecord:
        return replace(signature, data=json_copy(signature.data))


class InMemoryIndicatorRepo(MemoryRepo):
    """IndicatorRepo in memory."""

    async def lookup(self, kind: IndicatorKind, value: str) -> IndicatorRecord | None:
        return self._state.indicators.get((kind, value))

    async def lookup_many(self, keys: Iterable[tuple[IndicatorKind, str]]) -> dict[tuple[str, str], IndicatorRecord]:
        known = self._state.indicators
        return {(kind, value): known[kind, value] for kind, value in set(keys) if (kind, value) in known}

    async def add_report(self, kind: IndicatorKind, value: str, reporter: str, at: dt.datetime) -> IndicatorRecord:
        at = utc(at)
        indicator = self._state.indicators.get((kind, value)) or IndicatorRecord(
            kind, value, 0, "reported", at, at, None
        )
        new_reporter = (kind, value, reporter) not in self._state.indicator_reports
        if new_reporter:
            self._state.indicator_reports[kind, value, reporter] = at
        indicator = replace(
            indicator,
            report_count=indicator.report_count + new_reporter,
            first_reported_at=indicator.first_reported_at or at,
            last_reported_at=at,
        )
        self._state.indicators[kind, value] = indicator
        return indicator

    async def set_status(
        self, kind: IndicatorKind, value: str, status: IndicatorStatus, note: str | None
    ) -> IndicatorRecord:
        existing = self._state.indicators.get((kind, value))
        indicator = (
            replace(existing, status=status, note=note)
            if existing
            else IndicatorRecord(kind, value, 0, status, None, None, note)
        )
        self._state.indicators[kind, value] = indicator
        return indicator

    async def list(
        self, status: IndicatorStatus | None = None, limit: int = 50, offset: int = 0
    ) -> list[IndicatorRecord]:
        chosen = [row for row in self._state.indicators.values() if status is None or row.status == status]
        chosen.sort(key=lambda row: (-row.report_count, row.kind, row.value))
        return chosen[offset : offset + limit]
