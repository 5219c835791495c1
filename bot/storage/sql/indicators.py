"""Reported indicators (phone numbers, domains, links, accounts) in SQL; reporters counted once each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import func, tuple_, update
from sqlmodel import col, select

from bot.storage.sql.base import COUNTED, UNSYNCED, SqlRepo, to_record
from bot.storage.tables import IndicatorReportRow, IndicatorRow
from handlers.ports import IndicatorKind, IndicatorRecord, IndicatorStatus


class SqlIndicatorRepo(SqlRepo):
    """IndicatorRepo over sqlmodel; reporters are counted through the indicator_reports link table."""

    async def lookup(self, kind: IndicatorKind, value: str) -> IndicatorRecord | None:
        return await self._get(IndicatorRecord, IndicatorRow, (kind, value))

    async def lookup_many(self, keys: Iterable[tuple[IndicatorKind, str]]) -> dict[tuple[str, str], IndicatorRecord]:
        wanted = sorted(set(keys))
        if not wanted:
            return {}
        query = select(IndicatorRow).where(tuple_(col(IndicatorRow.kind), col(IndicatorRow.value)).in_(wanted))
        return {(record.kind, record.value): record for record in await self._select(IndicatorRecord, query)}

    async def add_report(self, kind: IndicatorKind, value: str, reporter: str, at: dt.datetime) -> IndicatorRecord:
        new_indicator = self._insert(IndicatorRow).values(
            kind=kind,
            value=value,
            report_count=0,
            status="reported",
            first_reported_at=at,
            last_reported_at=at,
            note=None,
        )
        link = self._insert(IndicatorReportRow).values(kind=kind, value=value, reporter=reporter, at=at)
        this_row = (col(IndicatorRow.kind) == kind, col(IndicatorRow.value) == value)
        async with self._sessions.begin() as session:
            await session.exec(new_indicator.on_conflict_do_nothing(index_elements=["kind", "value"]))
            linked = (await session.exec(link.on_conflict_do_nothing().execution_options(**COUNTED))).rowcount
            count = (
                update(IndicatorRow)
                .where(*this_row)
                .values(
                    report_count=IndicatorRow.report_count + linked,
                    first_reported_at=func.coalesce(IndicatorRow.first_reported_at, at),
                    last_reported_at=at,
                )
            )
            await session.exec(count.execution_options(**UNSYNCED))
            row = (await session.exec(select(IndicatorRow).where(*this_row))).one()
            return to_record(IndicatorRecord, row)

    async def set_status(
        self, kind: IndicatorKind, value: str, status: IndicatorStatus, note: str | None
    ) -> IndicatorRecord:
        indicator = {
            "kind": kind,
            "value": value,
            "report_count": 0,
            "status": status,
            "first_reported_at": None,
            "last_reported_at": None,
            "note": note,
        }
        return await self._upsert(
            IndicatorRecord, IndicatorRow, indicator, key=["kind", "value"], update=["status", "note"]
        )

    async def list(
        self, status: IndicatorStatus | None = None, limit: int = 50, offset: int = 0
    ) -> list[IndicatorRecord]:
        query = select(IndicatorRow).order_by(
            col(IndicatorRow.report_count).desc(), col(IndicatorRow.kind), col(IndicatorRow.value)
        )
        if status is not None:
            query = query.where(col(IndicatorRow.status) == status)
        return await self._select(IndicatorRecord, query.limit(limit).offset(offset))
