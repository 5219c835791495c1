"""Reported indicators (phone numbers, domains, links, accounts) in memory; reporters counted once each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace

from bot.storage.memory.state import MemoryRepo, MemoryState, edit, upsert, utc
from handlers.ports import IndicatorKind, IndicatorRecord, IndicatorStatus, UpsertResult


class InMemoryIndicatorRepo(MemoryRepo):
    """IndicatorRepo in memory."""

    async def lookup(self, kind: IndicatorKind, value: str) -> IndicatorRecord | None:
        return self._state.indicators.get((kind, value))

    async def lookup_many(self, keys: Iterable[tuple[IndicatorKind, str]]) -> dict[tuple[str, str], IndicatorRecord]:
        known = self._state.indicators
        return {(kind, value): known[kind, value] for kind, value in set(keys) if (kind, value) in known}

    async def add_report(self, kind: IndicatorKind, value: str, reporter: str, at: dt.datetime) -> IndicatorRecord:
        return count_reporter(self._state, kind, value, reporter, utc(at))

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
        at = utc(at)
        new = IndicatorRecord(kind, value, 0, status, None, None, note, by, at)
        changes = {"status": status, "note": note, "decided_by": by, "decided_at": at}
        return upsert(self._state.indicators, (kind, value), new, **changes)

    async def withdraw_verdict(self, kind: IndicatorKind, value: str) -> IndicatorRecord | None:
        indicator = self._state.indicators.get((kind, value))
        if indicator is None or indicator.status == "reported":
            return indicator
        if indicator.report_count == 0:
            del self._state.indicators[kind, value]
            return None
        return edit(
            self._state.indicators, (kind, value), status="reported", note=None, decided_by=None, decided_at=None
        )

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
        decided_by, decided_at = (None, None) if status == "reported" else (by, utc(at))
        added = updated = 0
        unique = list(dict.fromkeys(values))
        for value in unique:
            known = self._state.indicators.get((kind, value))
            if known is None:
                record = IndicatorRecord(kind, value, 0, status, None, None, note, decided_by, decided_at)
                self._state.indicators[kind, value] = record
                added += 1
            elif known.status == "reported" and status != "reported":
                self._state.indicators[kind, value] = replace(
                    known, status=status, note=note, decided_by=decided_by, decided_at=decided_at
                )
                updated += 1
        return UpsertResult(added=added, updated=updated, kept=len(unique) - added - updated)

    async def list(
        self, status: IndicatorStatus | None = None, limit: int = 50, offset: int = 0
    ) -> list[IndicatorRecord]:
        chosen = [row for row in self._state.indicators.values() if status is None or row.status == status]
        chosen.sort(key=lambda row: (-row.report_count, row.kind, row.value))
        return chosen[offset : offset + limit]


def count_reporter(
    state: MemoryState, kind: IndicatorKind, value: str, reporter: str, at: dt.datetime
) -> IndicatorRecord:
    """Create the indicator if new and count `reporter` on it once (`at` already in UTC). Never fails for valid
    arguments, so `ReportRepo.add` can call it after checking them and stay all-or-nothing."""
    indicator = state.indicators.get((kind, value)) or IndicatorRecord(
        kind, value, 0, "reported", at, at, None, None, None
    )
    new_reporter = (kind, value, reporter) not in state.indicator_reports
    if new_reporter:
        state.indicator_reports[kind, value, reporter] = at
    indicator = replace(
        indicator,
        report_count=indicator.report_count + new_reporter,
        first_reported_at=indicator.first_reported_at or at,
        last_reported_at=at,
    )
    state.indicators[kind, value] = indicator
    return indicator
