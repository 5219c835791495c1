"""Console chat: the same handlers in a terminal, as a private chat; buttons become numbered choices."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from bot.app import App
from bot.markup.plain import render_plain
from handlers.messages import Attachment, Button, ChatKind, Incoming, Platform, Reply

PROMPT = "› "


class ConsoleGateway:
    """The console is one private chat whose user is admin of everything."""

    def __init__(self, out: TextIO) -> None:
        self._out = out

    async def is_chat_admin(self, chat_id: str, user_id: str) -> bool:
        return True

    async def role_changed(self, user_id: str, officer: bool) -> None:
        """The console has no command menus."""

    async def send(self, chat_id: str, replies: list[Reply]) -> bool:
        for reply in replies:
            self._out.write(f"\n[→ {chat_id}] {render_plain(reply.text)}\n")
        return True


class ConsoleChat:
    """Reads lines, sends them through the router, prints replies; a number presses a button."""

    def __init__(self, app: App, out: TextIO, user_id: str = "citizen", name: str = "Bạn") -> None:
        self._app = app
        self._out = out
        self._user = user_id
        self._name = name
        self._buttons: list[Button] = []
        self._counter = 0
        self._bold = ("\033[1m", "\033[0m") if out.isatty() else ("", "")

    async def say(self, line: str) -> list[Reply]:
        line = line.strip()
        self._counter += 1
        callback: str | None = None
        link: str | None = None
        if line.isdigit() and self._buttons and 1 <= int(line) <= len(self._buttons):
            button = self._buttons[int(line) - 1]
            if button.data or button.deep_link:  # a web link has nothing to send back: the number stays text
                line, callback, link = "", button.data or None, button.deep_link or None
        incoming = Incoming(
            platform=Platform.CONSOLE,
            chat_id=self._user,
            chat_kind=ChatKind.PRIVATE,
            user_id=self._user,
            display_name=self._name,
            text=line,
            message_id=str(self._counter),
            callback_data=callback,
            deep_link=link,
        )
        replies = await self._app.handle(incoming)
        self._show(replies)
        return replies

    def _show(self, replies: list[Reply]) -> None:
        self._buttons = []
        for reply in replies:
            self._out.write("\n" + render_plain(reply.text, self._bold) + "\n")
            if reply.attachment is not None:
                path = save_image(reply.attachment, self._app.settings.console.image_dir)
                self._out.write(self._app.deps.catalogue.text("console.image_saved", path=path) + "\n")
            for row in reply.buttons:
                for button in row:
                    self._buttons.append(button)
                    self._out.write(f"  [{len(self._buttons)}] {button.label}\n")
        if self._buttons:
            self._out.write("  " + self._app.deps.catalogue.text("console.choose_hint") + "\n")
        self._out.flush()

    async def run(self, source: TextIO = sys.stdin) -> None:
        """Interactive loop until end of input or /quit."""
        self._out.write(self._app.deps.catalogue.text("console.welcome") + "\n")
        while True:
            if source.isatty():
                self._out.write(PROMPT)
                self._out.flush()
            line = await asyncio.to_thread(source.readline)
            if not line or line.strip() in ("/quit", "/exit"):
                break
            if line.strip():
                await self.say(line)


def save_image(attachment: Attachment, folder: str) -> Path:
    """Write the image to a new file in `folder` (the system's temporary folder when empty); its path.

    The name is random, never the user's id, and the file is readable by its owner only (mkstemp).
    """
    directory = Path(folder).expanduser() if folder else Path(tempfile.gettempdir())
    directory.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix="canhgiac-", suffix=".png", dir=directory)
    with os.fdopen(handle, "wb") as file:
        file.write(attachment.png)
    return Path(name)
