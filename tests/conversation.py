"""A conversation driver over the real handlers: one user talking to the bot in one chat."""

from __future__ import annotations

from bot.app import App
from handlers.messages import ChatKind, Incoming, Platform, Quoted, Reply


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
        name: str = "Người dùng",
    ) -> None:
        self.app, self.user_id, self.kind, self.platform, self.admin = app, user_id, kind, platform, admin
        self.name = name
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
            self.name,
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
            self.name,
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
