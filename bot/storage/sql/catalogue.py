"""Signatures and reported indicators in SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func, tuple_, update
from sqlmodel import col, select

from bot.storage.sql.base import COUNTED, UNSYNCED, SqlRepo, to_record
from bot.storage.tables import IndicatorReportRow, IndicatorRow, SignatureRow
from handlers.ports import IndicatorKind, IndicatorRecord, IndicatorStatus, SeedResult, SignatureRecord


class SqlSignatureRepo(SqlRepo):
    """SignatureRepo over sqlmodel."""

    async def list_all(self) -> list[SignatureRecord]:
        async with self._sessions() as session:
            rows = await session.exec(select(SignatureRow).order_by(col(SignatureRow.id)))
            return [to_record(SignatureRecord, row) for row in rows]

    async def get(self, signature_id: str) -> SignatureRecord | None:
        async with self._sessions() as session:
            row = await session.get(SignatureRow, signature_id)
            return to_record(SignatureRecord, row) if row else None

    async def seed_shipped(self, items: Iterable[tuple[str, Mapping[str, Any], str]], at: dt.datetime) -> SeedResult:
        shipped = {signature_id: (dict(data), digest) for signature_id, data, digest in items}
        added = updated = kept = 0
        async with self._sessions.begin() as session:
            query = select(SignatureRow).where(col(SignatureRow.id).in_(shipped)).with_for_update()
            existing = {row.id: row for row in await session.exec(query)}
            for signature_id, (data, digest) in shipped.items():
                row = existing.get(signature_id)
                if row is None:
                    insert = self._insert(SignatureRow).values(
                        id=signature_id,
                        data=data,
                        origin="shipped",
                        shipped_hash=digest,
                        edited=False,
                        enabled=True,
                        updated_at=at,
                        updated_by=None,
                    )
                    # Another process may have seeded it since the SELECT; then it is theirs and current.
                    once = insert.on_conflict_do_nothing(index_elements=["id"]).execution_options(**COUNTED)
                    result = await session.exec(once)
                    added += result.rowcount
                    kept += 1 - result.rowcount
                elif row.edited or row.origin != "shipped" or row.shipped_hash == digest:
                    kept += 1
                else:
                    row.data, row.shipped_hash, row.updated_at, row.updated_by = data, digest, at, None
                    updated += 1
        return SeedResult(added=added, updated=updated, kept=kept)

    async def save_officer_edit(
        self, signature_id: str, data: Mapping[str, Any], actor: str, at: dt.datetime
    ) -> SignatureRecord:
        insert = self._insert(SignatureRow).values(
            id=signature_id,
            data=dict(data),
            origin="officer",
            shipped_hash=None,
            edited=True,
            enabled=True,
            updated_at=at,
            updated_by=actor,
        )
        upsert = insert.on_conflict_do_update(
            index_elements=["id"],
            set_={"data": insert.excluded.data, "edited": True, "updated_at": at, "updated_by": actor},
        ).returning(SignatureRow)
        async with self._sessions.begin() as session:
            return to_record(SignatureRecord, (await session.exec(upsert)).scalars().one())

    async def set_enabled(
        self, signature_id: str, enabled: bool, actor: str, at: dt.datetime
    ) -> SignatureRecord | None:
        async with self._sessions.begin() as session:
            row = await session.get(SignatureRow, signature_id)
            if row is None:
                return None
            row.enabled, row.updated_at, row.updated_by = enabled, at, actor
            await session.flush()
            return to_record(SignatureRecord, row)


class SqlIndicatorRepo(SqlRepo):
    """IndicatorRepo over sqlmodel; reporters are counted through the indicator_reports link table."""

    async def lookup(self, kind: IndicatorKind, value: str) -> IndicatorRecord | None:
        async with self._sessions() as session:
            row = await session.get(IndicatorRow, (kind, value))
            return to_record(IndicatorRecord, row) if row else None

    async def lookup_many(self, keys: Iterable[tuple[IndicatorKind, str]]) -> dict[tuple[str, str], IndicatorRecord]:
        wanted = sorted(set(keys))
        if not wanted:
            return {}
        query = select(IndicatorRow).where(tuple_(col(IndicatorRow.kind), col(IndicatorRow.value)).in_(wanted))
        async with self._sessions() as session:
            return {(row.kind, row.value): to_record(IndicatorRecord, row) for row in await session.exec(query)}

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
        insert = self._insert(IndicatorRow).values(
            kind=kind,
            value=value,
            report_count=0,
            status=status,
            first_reported_at=None,
            last_reported_at=None,
            note=note,
        )
        upsert = insert.on_conflict_do_update(
            index_elements=["kind", "value"], set_={"status": status, "note": note}
        ).returning(IndicatorRow)
        async with self._sessions.begin() as session:
            return to_record(IndicatorRecord, (await session.exec(upsert)).scalars().one())

    async def list(
        self, status: IndicatorStatus | None = None, limit: int = 50, offset: int = 0
    ) -> list[IndicatorRecord]:
        query = select(IndicatorRow).order_by(
            col(IndicatorRow.report_count).desc(), col(IndicatorRow.kind), col(IndicatorRow.value)
        )
        if status is not None:
            query = query.where(col(IndicatorRow.status) == status)
        async with self._sessions() as session:
            rows = await session.exec(query.limit(limit).offset(offset))
            return [to_record(IndicatorRecord, row) for row in rows]
