"""Users in SQL, with `forget`, which reaches into every table that holds something of a person's."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case, delete, or_, update
from sqlmodel import col, select

from bot.storage.sql.base import UNSYNCED, SqlRepo
from bot.storage.tables import (
    AuditRow,
    ChatRow,
    DeliveryRow,
    FeedbackRow,
    IndicatorReportRow,
    ReportRow,
    SubscriptionRow,
    UserRow,
)
from handlers.ports import FORGOTTEN_ACTOR, Language, UserRecord


class SqlUserRepo(SqlRepo):
    """UserRepo over sqlmodel."""

    async def get(self, actor: str) -> UserRecord | None:
        return await self._get(UserRecord, UserRow, actor)

    async def ensure(self, platform: str, user_id: str, display_name: str, at: dt.datetime) -> UserRecord:
        user = {
            "actor": f"{platform}:{user_id}",
            "platform": platform,
            "user_id": user_id,
            "display_name": display_name,
            "language": "vi",
            "is_officer": False,
            "created_at": at,
        }
        return await self._upsert(UserRecord, UserRow, user, key=["actor"], update=["display_name"])

    async def set_language(self, actor: str, language: Language) -> UserRecord | None:
        return await self._edit(UserRecord, UserRow, actor, {"language": language})

    async def set_officer(self, actor: str, is_officer: bool) -> UserRecord | None:
        return await self._edit(UserRecord, UserRow, actor, {"is_officer": is_officer})

    async def list_officers(self) -> list[UserRecord]:
        query = select(UserRow).where(col(UserRow.is_officer)).order_by(col(UserRow.actor))
        return await self._select(UserRecord, query)

    async def forget(self, actor: str) -> int:
        statements = (
            delete(UserRow).where(col(UserRow.actor) == actor),
            delete(FeedbackRow).where(col(FeedbackRow.actor) == actor),
            delete(IndicatorReportRow).where(col(IndicatorReportRow.reporter) == actor),
            delete(ReportRow).where(col(ReportRow.actor) == actor, col(ReportRow.status) == "pending"),
            update(ReportRow)
            .where(col(ReportRow.actor) == actor)
            .values(actor=FORGOTTEN_ACTOR, text="", chat_id="", notify=False),
            # A chat keyed by the user's own actor is their private chat with the bot.
            delete(ChatRow).where(col(ChatRow.chat_key) == actor),
            delete(SubscriptionRow).where(col(SubscriptionRow.chat_key) == actor),
            delete(DeliveryRow).where(col(DeliveryRow.chat_key) == actor),
            update(SubscriptionRow).where(col(SubscriptionRow.created_by) == actor).values(created_by=FORGOTTEN_ACTOR),
            update(AuditRow)
            .where(or_(col(AuditRow.actor) == actor, col(AuditRow.target) == actor))
            .values(
                actor=case((col(AuditRow.actor) == actor, FORGOTTEN_ACTOR), else_=col(AuditRow.actor)),
                target=case((col(AuditRow.target) == actor, FORGOTTEN_ACTOR), else_=col(AuditRow.target)),
            ),
        )
        async with self._sessions.begin() as session:
            total = 0
            for statement in statements:
                result = await session.exec(statement.execution_options(**UNSYNCED))
                total += result.rowcount
        await self._empty_write_ahead_log()  # what was erased must not survive in the log either
        return total
