"""Scam signatures in memory: the shipped library seeded at start, officers' edits kept over it, every version kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from bot.storage.memory.state import MemoryRepo, json_copy, utc
from handlers.ports import SeedResult, SignatureChange, SignatureRecord, SignatureVersionRecord


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
                self._store(SignatureRecord(signature_id, data, "shipped", digest, False, True, at, None, 1), "shipped")
                added += 1
            elif existing.edited or existing.origin != "shipped" or existing.shipped_hash == digest:
                kept += 1
            else:
                changed = replace(existing, data=data, shipped_hash=digest, updated_at=at, updated_by=None)
                self._store(_bumped(changed), "shipped_update")
                updated += 1
        return SeedResult(added=added, updated=updated, kept=kept)

    async def save_officer_edit(
        self, signature_id: str, data: Mapping[str, Any], actor: str, at: dt.datetime, note: str = ""
    ) -> SignatureRecord:
        stored, at = json_copy(data), utc(at)
        existing = self._state.signatures.get(signature_id)
        if existing is None:
            new = SignatureRecord(signature_id, stored, "officer", None, True, True, at, actor, 1)
            return self._out(self._store(new, "created", note))
        # An edited shipped signature stays shipped, and as enabled as it was.
        edited = replace(existing, data=stored, edited=True, updated_at=at, updated_by=actor)
        return self._out(self._store(_bumped(edited), "edited", note))

    async def set_enabled(
        self, signature_id: str, enabled: bool, actor: str, at: dt.datetime
    ) -> SignatureRecord | None:
        existing = self._state.signatures.get(signature_id)
        if existing is None:
            return None
        changed = replace(existing, enabled=enabled, updated_at=utc(at), updated_by=actor)
        return self._out(self._store(_bumped(changed), "enabled" if enabled else "disabled"))

    async def history(self, signature_id: str, limit: int = 20) -> list[SignatureVersionRecord]:
        versions = self._state.signature_versions.get(signature_id, {})
        return [self._out_version(versions[v]) for v in sorted(versions, reverse=True)[:limit]]

    async def get_version(self, signature_id: str, version: int) -> SignatureVersionRecord | None:
        found = self._state.signature_versions.get(signature_id, {}).get(version)
        return self._out_version(found) if found else None

    async def rollback(self, signature_id: str, version: int, actor: str, at: dt.datetime) -> SignatureRecord | None:
        existing = self._state.signatures.get(signature_id)
        old = self._state.signature_versions.get(signature_id, {}).get(version)
        if existing is None or old is None:
            return None
        restored = replace(
            existing, data=json_copy(old.data), enabled=old.enabled, edited=True, updated_at=utc(at), updated_by=actor
        )
        return self._out(self._store(_bumped(restored), "rolled_back", str(version)))

    def _store(self, signature: SignatureRecord, change: SignatureChange, note: str = "") -> SignatureRecord:
        """Make `signature` current and keep it as its version."""
        self._state.signatures[signature.id] = signature
        self._state.signature_versions.setdefault(signature.id, {})[signature.version] = SignatureVersionRecord(
            signature.id,
            signature.version,
            json_copy(signature.data),
            signature.enabled,
            change,
            note,
            signature.updated_by,
            signature.updated_at,
        )
        return signature

    @staticmethod
    def _out(signature: SignatureRecord) -> SignatureRecord:
        return replace(signature, data=json_copy(signature.data))

    @staticmethod
    def _out_version(version: SignatureVersionRecord) -> SignatureVersionRecord:
        return replace(version, data=json_copy(version.data))


def _bumped(signature: SignatureRecord) -> SignatureRecord:
    return replace(signature, version=signature.version + 1)
