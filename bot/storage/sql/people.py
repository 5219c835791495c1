"""Users and chats in SQL, including the two operations that reach across tables: forget and migrate."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, delete, exists, update
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from bot.storage.sql.base import UNSYNCED, SqlRepo, to_record
from bot.storage.tables import (
    ChatRow,
    DeliveryRow,
    FeedbackRow,
    IndicatorReportRow,
    ReportRow,
    SubscriptionRow,
    UserRow,
)
from handlers.ports import FORGOTTEN_ACTOR, ChatKind, ChatRecord, Language, UserRecord

UNFINISHED = ("pending", "sending")


class SqlUserRepo(SqlRepo):
    """UserRepo over sqlmodel."""

    async def get(self, actor: str) -> UserRecord | None:
        async with self._sessions() as session:
            row = await session.get(UserRow, actor)
            return to_record(UserRecord, row) if row else None

    async def ensure(self, platform: str, user_id: str, display_name: str, at: dt.datetime) -> UserRecord:
        insert = self._insert(UserRow).values(
            actor=f"{platform}:{user_id}",
            platform=platform,
            user_id=user_id,
            display_name=display_name,
            language="vi",
            is_officer=False,
            created_at=at,
        )
        upsert = insert.on_conflict_do_update(
            index_elements=["actor"], set_={"display_name": insert.excluded.display_name}
        ).returning(UserRow)
        async with self._sessions.begin() as session:
            return to_record(UserRecord, (await session.exec(upsert)).scalars().one())

    async def set_language(self, actor: str, language: Language) -> UserRecord | None:
        return await self._change(actor, language=language)

    async def set_officer(self, actor: str, is_officer: bool) -> UserRecord | None:
        return await self._change(actor, is_officer=is_officer)

    async def list_officers(self) -> list[UserRecord]:
        query = select(UserRow).where(col(UserRow.is_officer)).order_by(col(UserRow.actor))
        async with self._sessions() as session:
            return [to_record(UserRecord, row) for row in await session.exec(query)]

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
        )
        async with self._sessions.begin() as session:
            total = 0
            for statement in statements:
                result = await session.exec(statement.execution_options(**UNSYNCED))
                total += result.rowcount
            return total

    async def _change(self, actor: str, **values: object) -> UserRecord | None:
        async with self._sessions.begin() as session:
            row = await session.get(UserRow, actor)
            if row is None:
                return None
            for name, value in values.items():
                setattr(row, name, value)
            await session.flush()
            return to_record(UserRecord, row)


class SqlChatRepo(SqlRepo):
    """ChatRepo over sqlmodel."""

    async def get(self, chat_key: str) -> ChatRecord | None:
        async with self._sessions() as session:
            row = await session.get(ChatRow, chat_key)
            return to_record(ChatRecord, row) if row else None

    async def ensure(self, platform: str, chat_id: str, kind: ChatKind, at: dt.datetime) -> ChatRecord:
        insert = self._insert(ChatRow).values(
            chat_key=f"{platform}:{chat_id}",
            platform=platform,
            chat_id=chat_id,
            kind=kind,
            language="vi",
            guard=False,
            active=True,
            inactive_reason=None,
            updated_at=at,
        )
        upsert = insert.on_conflict_do_update(
            index_elements=["chat_key"], set_={"kind": insert.excluded.kind}
        ).returning(ChatRow)
        async with self._sessions.begin() as session:
            return to_record(ChatRecord, (await session.exec(upsert)).scalars().one())

    async def set_language(self, chat_key: str, language: Language, at: dt.datetime) -> ChatRecord | None:
        return await self._change(chat_key, at, language=language)

    async def set_guard(self, chat_key: str, guard: bool, at: dt.datetime) -> ChatRecord | None:
        return await self._change(chat_key, at, guard=guard)

    async def mark_inactive(self, chat_key: str, reason: str, at: dt.datetime) -> ChatRecord | None:
        return await self._change(chat_key, at, active=False, inactive_reason=reason)

    async def mark_active(self, chat_key: str, at: dt.datetime) -> ChatRecord | None:
        return await self._change(chat_key, at, active=True, inactive_reason=None)

    async def migrate(self, old_key: str, new_key: str, at: dt.datetime) -> ChatRecord | None:
        platform, _, new_chat_id = new_key.partition(":")
        if old_key.partition(":")[0] != platform:
            raise ValueError(f"cannot migrate {old_key!r} to another platform ({new_key!r})")
        moved = {"chat_key": new_key, "chat_id": new_chat_id}
        newer = aliased(DeliveryRow)
        already_there = exists().where(
            newer.chat_key == new_key, newer.alert_key == DeliveryRow.alert_key, newer.day == DeliveryRow.day
        )
        old_delivery = and_(col(DeliveryRow.chat_key) == old_key, col(DeliveryRow.status).in_(UNFINISHED))
        async with self._sessions.begin() as session:
            for table, key in ((ChatRow, ChatRow.chat_key), (SubscriptionRow, SubscriptionRow.chat_key)):
                if (await session.exec(select(key).where(key == old_key))).first() is None:
                    continue
                values = dict(moved, updated_at=at) if table is ChatRow else moved
                await session.exec(delete(table).where(key == new_key).execution_options(**UNSYNCED))
                await session.exec(update(table).where(key == old_key).values(**values).execution_options(**UNSYNCED))
            await session.exec(delete(DeliveryRow).where(old_delivery, already_there).execution_options(**UNSYNCED))
            await session.exec(update(DeliveryRow).where(old_delivery).values(**moved).execution_options(**UNSYNCED))
            row = await session.get(ChatRow, new_key)
            return to_record(ChatRecord, row) if row else None

    async def _change(self, chat_key: str, at: dt.datetime, **values: object) -> ChatRecord | None:
        async with self._sessions.begin() as session:
            row = await session.get(ChatRow, chat_key)
            if row is None:
                return None
            for name, value in dict(values, updated_at=at).items():
                setattr(row, name, value)
            await session.flush()
            return to_record(ChatRecord, row)
