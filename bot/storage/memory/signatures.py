"""Scam signatures in memory: the shipped library seeded at start, and officers' edits kept over it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from bot.storage.memory.state import MemoryRepo, edit, json_copy, upsert, utc
from handlers.ports import SeedResult, SignatureRecord


class InMemorySignatureRepo(MemoryRepo):
    """SignatureRepo in memory; `data` is copied through JSON both ways, like the JSON column."""

    async def list_all(self) -> list[SignatureRecord]:
        return [self._out(self._state.signatures[key]) for key in sorted(self._state.signatures)]

    async def stamps(self) -> list[tuple[str, bool, dt.datetime]]:
        return [(key, s.enabled, s.updated_at) for key, s in sorted(self._state.signatures.items())]

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
        stored, at = json_copy(data), utc(at)
        new = SignatureRecord(signature_id, stored, "officer", None, True, True, at, actor)
        edited = upsert(
            self._state.signatures, signature_id, new, data=stored, edited=True, updated_at=at, updated_by=actor
        )
        return self._out(edited)

    async def set_enabled(
        self, signature_id: str, enabled: bool, actor: str, at: dt.datetime
    ) -> SignatureRecord | None:
        signature = edit(self._state.signatures, signature_id, enabled=enabled, updated_at=utc(at), updated_by=actor)
        return self._out(signature) if signature else None

    @staticmethod
    def _out(signature: SignatureRecord) -> SignatureRecord:
        return replace(signature, data=json_copy(signature.data))
