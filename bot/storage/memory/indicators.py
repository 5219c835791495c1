"""Reported indicators (phone numbers, domains, links, accounts) in memory; reporters counted once each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from bot.storage.memory.state import MemoryRepo, upsert, utc
from handlers.ports import IndicatorKind, IndicatorRecord, IndicatorStatus


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
        new = IndicatorRecord(kind, value, 0, status, None, None, note)
        return upsert(self._state.indicators, (kind, value), new, status=status, note=note)

    async def list(
        self, status: IndicatorStatus | None = None, limit: int = 50, offset: int = 0
    ) -> list[IndicatorRecord]:
        chosen = [row for row in self._state.indicators.values() if status is None or row.status == status]
        chosen.sort(key=lambda row: (-row.report_count, row.kind, row.value))
        return chosen[offset : offset + limit]
