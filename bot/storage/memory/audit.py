"""The audit log in memory: what officers did, newest first."""

from __future__ import annotations

import datetime as dt

from bot.storage.memory.state import MemoryRepo, utc
from handlers.ports import AuditRecord


class InMemoryAuditRepo(MemoryRepo):
    """AuditRepo in memory."""

    async def add(self, *, actor: str, action: str, target: str, detail: str, at: dt.datetime) -> AuditRecord:
        audit_id = self._state.next_id("audit")
        record = self._state.audit[audit_id] = AuditRecord(audit_id, actor, action, target, detail, utc(at))
        return record

    async def list(self, limit: int = 50) -> list[AuditRecord]:
        return sorted(self._state.audit.values(), key=lambda row: (row.at, row.id), reverse=True)[:limit]
