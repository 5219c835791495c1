"""Expiry in memory: the same choices as bot/storage/sql/retention.py, on the shared dicts."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from bot.storage.memory.state import MemoryRepo
from handlers.ports import FORGOTTEN_ACTOR, PurgeCounts, ReportRecord, RetentionCutoffs

Key = TypeVar("Key")
Row = TypeVar("Row")
FINISHED = ("sent", "failed", "unsubscribed")  # deliveries nobody will send again


class InMemoryRetentionRepo(MemoryRepo):
    """RetentionRepo in memory. Every call is atomic on the event loop, so `batch` changes nothing here."""

    async def purge(
        self, cutoffs: RetentionCutoffs, *, batch: int, dry_run: bool = False, limit: int | None = None
    ) -> PurgeCounts:
        if batch < 1 or (limit is not None and limit < 1):
            raise ValueError(f"batch and limit must be at least 1, not {batch} and {limit}")
        state = self._state
        drop = functools.partial(_count if dry_run else _drop, limit=limit)
        counts: dict[str, int] = {}
        if cutoffs.checks is not None:
            checks_cut = cutoffs.checks
            counts["checks"] = drop(state.checks, lambda _, row: row.at < checks_cut)
            counts["feedback"] = drop(state.feedback, lambda _, row: row.at < checks_cut)
        if cutoffs.deliveries is not None:
            day = cutoffs.deliveries.date()
            counts["deliveries"] = drop(state.deliveries, lambda _, row: row.status in FINISHED and row.day < day)
        if cutoffs.pending_reports is not None:
            filed = cutoffs.pending_reports
            counts["pending_reports"] = drop(
                state.reports, lambda _, row: row.status == "pending" and row.created_at < filed
            )
            counts["reporter_links"] = drop(state.indicator_reports, lambda _, at: at < filed)
        if cutoffs.report_texts is not None:
            counts["report_texts"] = self._blank_decided(cutoffs.report_texts, dry_run, limit)
        if cutoffs.audit is not None:
            audit_cut = cutoffs.audit
            counts["audit"] = drop(state.audit, lambda _, row: row.at < audit_cut)
        return PurgeCounts(**counts)

    def _blank_decided(self, cut: dt.datetime, dry_run: bool, limit: int | None) -> int:
        reports = self._state.reports
        doomed = [
            key
            for key, row in reports.items()
            if row.status != "pending" and row.decided_at is not None and row.decided_at < cut and _identifying(row)
        ][:limit]
        if not dry_run:
            for key in doomed:
                reports[key] = replace(reports[key], actor=FORGOTTEN_ACTOR, text="", chat_id="", notify=False)
        return len(doomed)


def _identifying(row: ReportRecord) -> bool:
    """A decided report still holding its text or its reporter (a forgotten one holds neither)."""
    return bool(row.text) or row.actor != FORGOTTEN_ACTOR


def _count(table: dict[Key, Row], doomed: Callable[[Key, Row], bool], limit: int | None) -> int:
    found = sum(1 for key, value in table.items() if doomed(key, value))
    return found if limit is None else min(found, limit)


def _drop(table: dict[Key, Row], doomed: Callable[[Key, Row], bool], limit: int | None) -> int:
    keys = [key for key, value in table.items() if doomed(key, value)][:limit]
    for key in keys:
        del table[key]
    return len(keys)
