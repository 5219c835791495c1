"""A conversation driver over the real handlers: one user talking to the bot in one chat."""

from __future__ import annotations

from bot.app import App
from handlers.messages import ChatKind, Incoming, Photo, Platform, Quoted, Reply


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
        self._images: dict[str, bytes] = {}  # what the app's image reader downloads, by reference

    async def say(
        self, text: str, *, forwarded: bool = False, reply_to: str | None = None, images: tuple[bytes, ...] = ()
    ) -> list[Reply]:
        """Send a text or, with `images`, a photo (one) or an album (several) captioned `text`."""
        self._count += 1
        quoted = Quoted(message_id="q1", text=reply_to) if reply_to is not None else None
        album = tuple(Photo(self._serve(data), text if i == 0 else "") for i, data in enumerate(images))
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
            photo=album[0] if album else None,
            album=album if len(album) > 1 else (),
            chat_admin=self.admin,
        )
        self.last = await self.app.handle(msg)
        return self.last

    def _serve(self, data: bytes) -> str:
        """Make the app's image reader able to download `data` (as a platform's file server would); its ref."""
        if not self._images:

            async def fetch(ref: str, max_bytes: int) -> bytes:
                return self._images[ref]

            self.app.add_image_fetcher(self.platform.value, fetch)
        ref = f"image-{len(self._images) + 1}"
        self._images[ref] = data
        return ref

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
