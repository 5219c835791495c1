"""Shared fixtures: a frozen clock and a conversation driver over the real handlers."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import App, build_app, build_memory_app
from bot.config import DatabaseSettings, RolesSettings, Settings, load_settings
from handlers.messages import ChatKind, Incoming, Platform, Quoted, Reply


class FrozenClock:
    """Time that only moves when a test says so."""

    def __init__(self, start: dt.datetime = dt.datetime(2026, 11, 27, 1, 0, tzinfo=dt.UTC)) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


class Conversation:
    """One user talking to the bot in one chat; buttons are pressed by label."""

    def __init__(
        self,
        app: App,
        user_id: str = "100",
        chat_id: str | None = None,
        kind: ChatKind = ChatKind.PRIVATE,
        platform: Platform = Platform.TELEGRAM,
        admin: bool | None = None,
    ) -> None:
        self.app, self.user_id, self.kind, self.platform, self.admin = app, user_id, kind, platform, admin
        self.chat_id = chat_id or user_id
        self.last: list[Reply] = []
        self._count = 0

    async def say(self, text: str, *, forwarded: bool = False, reply_to: str | None = None) -> list[Reply]:
        self._count += 1
        quoted = Quoted(message_id="q1", text=reply_to) if reply_to is not None else None
        msg = Incoming(
            self.platform,
            self.chat_id,
            self.kind,
            self.user_id,
            "Người dùng",
            text,
            str(self._count),
            forwarded=forwarded,
            reply_to=quoted,
            chat_admin=self.admin,
        )
        self.last = await self.app.handle(msg)
        return self.last

    async def press(self, label_part: str) -> list[Reply]:
        button = next(b for r in self.last for row in r.buttons for b in row if label_part in b.label)
        msg = Incoming(
            self.platform,
            self.chat_id,
            self.kind,
            self.user_id,
            "Người dùng",
            "",
            "cb",
            callback_data=button.data,
            chat_admin=self.admin,
        )
        self.last = await self.app.handle(msg)
        return self.last

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.last)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


def settings_for(url: str | None = None, superadmins: tuple[str, ...] = ("telegram:1",)) -> Settings:
    values: dict = {"roles": RolesSettings(superadmins=superadmins)}
    if url:
        values["database"] = DatabaseSettings(url=url)
    return Settings(**values)


def settings_from_toml(folder: Path, text: str) -> Settings:
    """Settings the way a user gives them: a config file (plus the environment), read by `load_settings`."""
    path = folder / "config.toml"
    path.write_text(text, "utf-8")
    return load_settings(path)


@pytest.fixture
async def app(clock: FrozenClock) -> AsyncIterator[App]:
    application = await build_memory_app(settings_for(), clock)
    yield application
    await application.close()


@pytest.fixture
async def sqlite_app(clock: FrozenClock, tmp_path) -> AsyncIterator[App]:
    application = await build_app(settings_for(f"sqlite:///{tmp_path}/bot.sqlite3"), clock, salt=b"salt")
    yield application
    await application.close()
