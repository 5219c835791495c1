"""Reported indicators (phone numbers, domains, links, accounts) in SQL; reporters counted once each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import bindparam, delete, func, tuple_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.sql.base import COUNTED, UNSYNCED, SqlRepo, to_record
from bot.storage.tables import IndicatorReportRow, IndicatorRow
from handlers.ports import IndicatorKind, IndicatorRecord, IndicatorStatus, UpsertResult

# Values per round trip of a bulk upsert (and per IN list of its UPDATE).
BULK_CHUNK = 500


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
        async with self._sessions.begin() as session:
            return await count_reporter(session, self._insert, kind=kind, value=value, reporter=reporter, at=at)

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
        indicator = {
            "kind": kind,
            "value": value,
            "report_count": 0,
            "status": status,
            "first_reported_at": None,
            "last_reported_at": None,
            "note": note,
            "decided_by": by,
            "decided_at": at,
        }
        return await self._upsert(
            IndicatorRecord,
            IndicatorRow,
            indicator,
            key=["kind", "value"],
            update=["status", "note", "decided_by", "decided_at"],
        )

    async def withdraw_verdict(self, kind: IndicatorKind, value: str) -> IndicatorRecord | None:
        this_row = (col(IndicatorRow.kind) == kind, col(IndicatorRow.value) == value)
        async with self._sessions.begin() as session:
            row = await session.get(IndicatorRow, (kind, value), with_for_update=True)
            if row is None or row.status == "reported":
                return to_record(IndicatorRecord, row) if row else None
            if row.report_count == 0:
                await session.exec(delete(IndicatorRow).where(*this_row).execution_options(**UNSYNCED))
                return None
            row.status, row.note, row.decided_by, row.decided_at = "reported", None, None, None
            await session.flush()
            return to_record(IndicatorRecord, row)

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
        decided_by, decided_at = (None, None) if status == "reported" else (by, at)
        unique = list(dict.fromkeys(values))
        # Core statements with one parameter set per row: compiled once and run as executemany. (A multi-row
        # VALUES clause is compiled anew for every batch, which took longer than writing the rows.)
        table = IndicatorRow.metadata.tables["indicators"]
        insert = self._insert(table).on_conflict_do_nothing(index_elements=["kind", "value"]).returning(table.c.value)
        raise_reported = (
            update(table)
            .where(table.c.kind == kind, table.c.value.in_(bindparam("chunk", expanding=True)))
            .where(table.c.status == "reported")
            .values(status=status, note=note, decided_by=decided_by, decided_at=decided_at)
        )
        row: dict[str, object] = {
            "kind": kind,
            "report_count": 0,
            "status": status,
            "first_reported_at": None,
            "last_reported_at": None,
        }
        row |= {"note": note, "decided_by": decided_by, "decided_at": decided_at}
        added = updated = 0
        async with self._sessions.begin() as session:
            connection = await session.connection()
            for start in range(0, len(unique), BULK_CHUNK):
                chunk = unique[start : start + BULK_CHUNK]
                inserted = await connection.execute(insert, [{**row, "value": value} for value in chunk])
                added += len(inserted.all())  # RETURNING yields only the rows really inserted
                if status != "reported":
                    updated += (await connection.execute(raise_reported, {"chunk": chunk})).rowcount
        return UpsertResult(added=added, updated=updated, kept=len(unique) - added - updated)

    async def list(
        self, status: IndicatorStatus | None = None, limit: int = 50, offset: int = 0
    ) -> list[IndicatorRecord]:
        query = select(IndicatorRow).order_by(
            col(IndicatorRow.report_count).desc(), col(IndicatorRow.kind), col(IndicatorRow.value)
        )
        if status is not None:
            query = query.where(col(IndicatorRow.status) == status)
        return await self._select(IndicatorRecord, query.limit(limit).offset(offset))


async def count_reporter(
    session: AsyncSession, insert: Callable[[Any], Any], *, kind: str, value: str, reporter: str, at: dt.datetime
) -> IndicatorRecord:
    """Within `session`'s transaction: create the indicator if new and count `reporter` on it once.

    `insert` is the repository's dialect INSERT (`SqlRepo._insert`). Shared by `add_report` and by
    `ReportRepo.add`, which files a report and its indicators in one transaction.
    """
    new_indicator = insert(IndicatorRow).values(
        kind=kind,
        value=value,
        report_count=0,
        status="reported",
        first_reported_at=at,
        last_reported_at=at,
        note=None,
    )
    link = insert(IndicatorReportRow).values(kind=kind, value=value, reporter=reporter, at=at)
    this_row = (col(IndicatorRow.kind) == kind, col(IndicatorRow.value) == value)
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
