"""Scam signatures in SQL: the shipped library seeded at start, and officers' edits kept over it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlmodel import col, select

from bot.storage.sql.base import COUNTED, SqlRepo
from bot.storage.tables import SignatureRow
from handlers.ports import SeedResult, SignatureRecord


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
        signature = {
            "id": signature_id,
            "data": dict(data),
            "origin": "officer",
            "shipped_hash": None,
            "edited": True,
            "enabled": True,
            "updated_at": at,
            "updated_by": actor,
        }
        edit = ["data", "edited", "updated_at", "updated_by"]  # an edited shipped one stays shipped and as enabled
        return await self._upsert(SignatureRecord, SignatureRow, signature, key=["id"], update=edit)

    async def set_enabled(
        self, signature_id: str, enabled: bool, actor: str, at: dt.datetime
    ) -> SignatureRecord | None:
        values = {"enabled": enabled, "updated_at": at, "updated_by": actor}
        return await self._edit(SignatureRecord, SignatureRow, signature_id, values)
