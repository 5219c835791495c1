"""Numbered choices offered to chat members, in the database, for several processes serving one Zalo bot.

Zalo has no buttons: the bot lists them numbered and the user answers "1", "2"… The process that sent the list
remembers it (bot/zalo/render.py: ChoiceMemory); with `[sharing] backend = "database"` it also writes it here, so
the process the answer reaches can find the list. A row holds the buttons' labels and payloads (session ids,
links into the bot), never a checked text; it expires after CHOICES_TTL and expired rows are deleted (at most a
minute later, at the next offer or answer of any chat).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import delete
from sqlmodel import col, select

from bot.storage.sql.base import Sessions, SqlRepo
from bot.storage.tables import OfferedChoiceRow
from handlers.messages import Button

CHOICES_TTL = dt.timedelta(hours=6)
PURGE_EVERY = dt.timedelta(minutes=1)
EVERYONE = ""  # the member of choices offered to the whole chat


class SqlChoiceStore(SqlRepo):
    """The latest choices offered per (chat, member), shared by every process."""

    def __init__(self, sessions: Sessions, dialect: str, clock: Callable[[], dt.datetime]) -> None:
        super().__init__(sessions, dialect)
        self._clock = clock
        self._purged_at: dt.datetime | None = None

    async def offer(self, chat: str, member: str | None, choices: tuple[Button, ...]) -> None:
        """`choices` offered to one member of `chat`, or to all of them (`member` None), replacing earlier ones."""
        now = await self._purge_now_and_then()
        values = {
            "chat": chat,
            "member": member or EVERYONE,
            "choices": [[b.label, b.data, b.url, b.deep_link] for b in choices],
            "offered_at": now,
            "expires_at": now + CHOICES_TTL,
        }
        insert = self._insert(OfferedChoiceRow).values(**values)
        upsert = insert.on_conflict_do_update(
            index_elements=["chat", "member"],
            set_={name: insert.excluded[name] for name in ("choices", "offered_at", "expires_at")},
        )
        async with self._sessions.begin() as session:
            await session.exec(upsert)

    async def offered(self, chat: str, member: str) -> list[tuple[str | None, tuple[Button, ...]]]:
        """The live choices offered to `member` and to the whole chat, oldest offer first."""
        now = await self._purge_now_and_then()
        query = (
            select(OfferedChoiceRow)
            .where(
                col(OfferedChoiceRow.chat) == chat,
                col(OfferedChoiceRow.member).in_([member, EVERYONE]),
                col(OfferedChoiceRow.expires_at) > now,
            )
            .order_by(col(OfferedChoiceRow.offered_at))
        )
        async with self._sessions() as session:
            rows = (await session.exec(query)).all()
        return [
            (row.member or None, tuple(Button(label, data, url, link) for label, data, url, link in row.choices))
            for row in rows
        ]

    async def _purge_now_and_then(self) -> dt.datetime:
        now = self._clock()
        if self._purged_at is None or now - self._purged_at >= PURGE_EVERY:
            self._purged_at = now
            async with self._sessions.begin() as session:
                await session.exec(delete(OfferedChoiceRow).where(col(OfferedChoiceRow.expires_at) <= now))
        return now
