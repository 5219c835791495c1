"""Scam signatures in SQL: the shipped library seeded at start, officers' edits kept over it, every version kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.sql.base import COUNTED, SqlRepo, to_record
from bot.storage.tables import SignatureRow, SignatureVersionRow
from handlers.ports import SeedResult, SignatureChange, SignatureRecord, SignatureVersionRecord


class SqlSignatureRepo(SqlRepo):
    """SignatureRepo over sqlmodel."""

    async def list_all(self) -> list[SignatureRecord]:
        return await self._select(SignatureRecord, select(SignatureRow).order_by(col(SignatureRow.id)))

    async def stamps(self) -> list[tuple[str, bool, dt.datetime]]:
        query = select(SignatureRow.id, SignatureRow.enabled, SignatureRow.updated_at).order_by(col(SignatureRow.id))
        async with self._sessions() as session:
            rows = (await session.exec(query)).all()
        return [(row[0], bool(row[1]), row[2]) for row in rows]

    async def get(self, signature_id: str) -> SignatureRecord | None:
        return await self._get(SignatureRecord, SignatureRow, signature_id)

    async def seed_shipped(self, items: Iterable[tuple[str, Mapping[str, Any], str]], at: dt.datetime) -> SeedResult:
        at = at.astimezone(dt.UTC)  # records come back in UTC, as a read from the database would
        shipped = {signature_id: (dict(data), digest) for signature_id, data, digest in items}
        added = updated = kept = 0
        async with self._sessions.begin() as session:
            query = select(SignatureRow).where(col(SignatureRow.id).in_(shipped)).with_for_update()
            existing = {row.id: row for row in await session.exec(query)}
            for signature_id, (data, digest) in shipped.items():
                row = existing.get(signature_id)
                if row is None:
                    new = _row(signature_id, data, "shipped", digest, edited=False, actor=None, at=at)
                    if await self._insert_new(session, new):
                        added += 1
                        _add_version(session, new, "shipped", "")
                    else:  # another process seeded it since the SELECT; then it is theirs and current
                        kept += 1
                elif row.edited or row.origin != "shipped" or row.shipped_hash == digest:
                    kept += 1
                else:
                    row.data, row.shipped_hash, row.updated_at, row.updated_by = data, digest, at, None
                    row.version += 1
                    _add_version(session, row, "shipped_update", "")
                    updated += 1
        return SeedResult(added=added, updated=updated, kept=kept)

    async def save_officer_edit(
        self, signature_id: str, data: Mapping[str, Any], actor: str, at: dt.datetime, note: str = ""
    ) -> SignatureRecord:
        at = at.astimezone(dt.UTC)  # records come back in UTC, as a read from the database would
        async with self._sessions.begin() as session:
            new = _row(signature_id, dict(data), "officer", None, edited=True, actor=actor, at=at)
            if await self._insert_new(session, new):
                _add_version(session, new, "created", note)
                return to_record(SignatureRecord, new)
            row = await _locked(session, signature_id)
            assert row is not None  # it exists: the insert conflicted, and signatures are never deleted
            # An edited shipped signature stays shipped, and as enabled as it was.
            row.data, row.edited, row.updated_at, row.updated_by = dict(data), True, at, actor
            return await _next_version(session, row, "edited", note)

    async def set_enabled(
        self, signature_id: str, enabled: bool, actor: str, at: dt.datetime
    ) -> SignatureRecord | None:
        at = at.astimezone(dt.UTC)  # records come back in UTC, as a read from the database would
        async with self._sessions.begin() as session:
            row = await _locked(session, signature_id)
            if row is None:
                return None
            row.enabled, row.updated_at, row.updated_by = enabled, at, actor
            return await _next_version(session, row, "enabled" if enabled else "disabled", "")

    async def history(self, signature_id: str, limit: int = 20) -> list[SignatureVersionRecord]:
        query = (
            select(SignatureVersionRow)
            .where(SignatureVersionRow.signature_id == signature_id)
            .order_by(col(SignatureVersionRow.version).desc())
            .limit(limit)
        )
        return await self._select(SignatureVersionRecord, query)

    async def get_version(self, signature_id: str, version: int) -> SignatureVersionRecord | None:
        return await self._get(SignatureVersionRecord, SignatureVersionRow, (signature_id, version))

    async def rollback(self, signature_id: str, version: int, actor: str, at: dt.datetime) -> SignatureRecord | None:
        at = at.astimezone(dt.UTC)  # records come back in UTC, as a read from the database would
        async with self._sessions.begin() as session:
            old = await session.get(SignatureVersionRow, (signature_id, version))
            row = await _locked(session, signature_id)
            if old is None or row is None:
                return None
            row.data, row.enabled, row.edited = dict(old.data), old.enabled, True
            row.updated_at, row.updated_by = at, actor
            return await _next_version(session, row, "rolled_back", str(version))

    async def _insert_new(self, session: AsyncSession, row: SignatureRow) -> bool:
        """Insert the row unless its id exists (also when another process inserts it concurrently)."""
        values = row.model_dump()
        insert = self._insert(SignatureRow).values(**values).on_conflict_do_nothing(index_elements=["id"])
        result = await session.exec(insert.execution_options(**COUNTED))
        return bool(result.rowcount)


def _row(
    signature_id: str,
    data: dict[str, Any],
    origin: str,
    digest: str | None,
    *,
    edited: bool,
    actor: str | None,
    at: dt.datetime,
) -> SignatureRow:
    return SignatureRow(
        id=signature_id,
        data=data,
        origin=origin,
        shipped_hash=digest,
        edited=edited,
        enabled=True,
        updated_at=at,
        updated_by=actor,
        version=1,
    )


async def _locked(session: AsyncSession, signature_id: str) -> SignatureRow | None:
    return await session.get(SignatureRow, signature_id, with_for_update=True, populate_existing=True)


async def _next_version(
    session: AsyncSession, row: SignatureRow, change: SignatureChange, note: str
) -> SignatureRecord:
    """Count the row's change as a new version and store that version beside it."""
    row.version += 1
    _add_version(session, row, change, note)
    await session.flush()
    return to_record(SignatureRecord, row)


def _add_version(session: AsyncSession, row: SignatureRow, change: SignatureChange, note: str) -> None:
    session.add(
        SignatureVersionRow(
            signature_id=row.id,
            version=row.version,
            data=dict(row.data),
            enabled=row.enabled,
            change=change,
            note=note,
            actor=row.updated_by,
            at=row.updated_at,
        )
    )
