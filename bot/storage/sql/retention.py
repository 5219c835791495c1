"""Expiry in SQL, in bounded batches: each batch is one short transaction that picks at most `batch` keys and
deletes (or blanks) those rows, re-checking the condition, so neither a large table nor a busy SQLite writer is
held for long and a row changed meanwhile (a report decided) is left alone.

Deleted rows are zeroed in the SQLite file (secure_delete) and the write-ahead log is emptied afterwards, as
`/forgetme` does; PostgreSQL reclaims their space at its next vacuum.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, delete, func, or_, tuple_, update
from sqlmodel import col, select

from bot.storage.sql.base import UNSYNCED, SqlRepo
from bot.storage.tables import AuditRow, CheckRow, DeliveryRow, FeedbackRow, IndicatorReportRow, ReportRow
from handlers.ports import FORGOTTEN_ACTOR, PurgeCounts, RetentionCutoffs

FINISHED = ("sent", "failed", "unsubscribed")  # deliveries nobody will send again
BLANKED = {"actor": FORGOTTEN_ACTOR, "text": "", "chat_id": "", "notify": False}  # as /forgetme leaves a report


class SqlRetentionRepo(SqlRepo):
    """RetentionRepo over sqlmodel."""

    async def purge(
        self, cutoffs: RetentionCutoffs, *, batch: int, dry_run: bool = False, limit: int | None = None
    ) -> PurgeCounts:
        if batch < 1 or (limit is not None and limit < 1):
            raise ValueError(f"batch and limit must be at least 1, not {batch} and {limit}")
        counts: dict[str, int] = {}
        for name, (table, keys, where, blank) in self._plans(cutoffs).items():
            if dry_run:
                found = await self._count(table, where)
                counts[name] = found if limit is None else min(found, limit)
            else:
                counts[name] = await self._batches(table, keys, where, blank, batch=batch, limit=limit)
        if not dry_run and any(counts.values()):
            await self._empty_write_ahead_log()  # what was erased must not survive in the log either
        return PurgeCounts(**counts)

    def _plans(self, cutoffs: RetentionCutoffs) -> dict[str, tuple[Any, list[Any], list[ColumnElement[bool]], bool]]:
        """Per count: the table, its key columns, what has expired, and whether it is blanked (not deleted)."""
        plans: dict[str, tuple[Any, list[Any], list[ColumnElement[bool]], bool]] = {}
        if (cut := cutoffs.checks) is not None:
            plans["checks"] = (CheckRow, [col(CheckRow.id)], [col(CheckRow.at) < cut], False)
            plans["feedback"] = (FeedbackRow, [col(FeedbackRow.id)], [col(FeedbackRow.at) < cut], False)
        if (cut := cutoffs.deliveries) is not None:
            finished = [col(DeliveryRow.status).in_(FINISHED), col(DeliveryRow.day) < cut.date()]
            plans["deliveries"] = (DeliveryRow, [col(DeliveryRow.id)], finished, False)
        if (cut := cutoffs.pending_reports) is not None:
            pending = [col(ReportRow.status) == "pending", col(ReportRow.created_at) < cut]
            plans["pending_reports"] = (ReportRow, [col(ReportRow.id)], pending, False)
            link = [col(IndicatorReportRow.kind), col(IndicatorReportRow.value), col(IndicatorReportRow.reporter)]
            plans["reporter_links"] = (IndicatorReportRow, link, [col(IndicatorReportRow.at) < cut], False)
        if (cut := cutoffs.report_texts) is not None:
            decided = [
                col(ReportRow.status) != "pending",
                col(ReportRow.decided_at) < cut,
                or_(col(ReportRow.text) != "", col(ReportRow.actor) != FORGOTTEN_ACTOR),
            ]
            plans["report_texts"] = (ReportRow, [col(ReportRow.id)], decided, True)
        if (cut := cutoffs.audit) is not None:
            plans["audit"] = (AuditRow, [col(AuditRow.id)], [col(AuditRow.at) < cut], False)
        return plans

    async def _count(self, table: Any, where: list[ColumnElement[bool]]) -> int:
        async with self._sessions() as session:
            return int((await session.exec(select(func.count()).select_from(table).where(*where))).one())

    async def _batches(
        self,
        table: Any,
        keys: list[Any],
        where: list[ColumnElement[bool]],
        blank: bool,
        *,
        batch: int,
        limit: int | None,
    ) -> int:
        """Delete (or blank) the expired rows, `batch` at a time, each batch in its own transaction; at most
        `limit` rows in all when it is set."""
        single = len(keys) == 1
        key = keys[0] if single else tuple_(*keys)
        total = 0
        while limit is None or total < limit:
            size = batch if limit is None else min(batch, limit - total)
            async with self._sessions.begin() as session:
                picked = list((await session.exec(select(*keys).where(*where).limit(size))).all())
                if not picked:
                    return total
                chosen = picked if single else [tuple(row) for row in picked]  # scalars, or rows of the key
                statement = update(table).values(**BLANKED) if blank else delete(table)
                statement = statement.where(key.in_(chosen), *where)
                total += (await session.exec(statement.execution_options(**UNSYNCED))).rowcount
            if len(picked) < size:
                return total
        return total
