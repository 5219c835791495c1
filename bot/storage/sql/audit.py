"""The audit log in SQL: what officers did, newest first."""

from __future__ import annotations

import datetime as dt

from sqlmodel import col, select

from bot.storage.sql.base import SqlRepo, to_record
from bot.storage.tables import AuditRow
from handlers.ports import AuditRecord


class SqlAuditRepo(SqlRepo):
    """AuditRepo over sqlmodel."""

    async def add(self, *, actor: str, action: str, target: str, detail: str, at: dt.datetime) -> AuditRecord:
        row = AuditRow(actor=actor, action=action, target=target, detail=detail, at=at)
        return to_record(AuditRecord, await self._add(row))

    async def list(self, limit: int = 50) -> list[AuditRecord]:
        query = select(AuditRow).order_by(col(AuditRow.at).desc(), col(AuditRow.id).desc()).limit(limit)
        return await self._select(AuditRecord, query)
