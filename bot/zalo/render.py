"""Translating for Zalo: events to `Incoming`, and replies to plain text with buttons as numbered choices.

Replies lose their markup and are split at 2000 characters. Zalo bots have no buttons, so the buttons of a
reply are listed as "1. …", "2. …" under its text and the user answers with the number. `ChoiceMemory` keeps,
per chat, the choices of the latest reply that had any, so that "2" can be turned back into that button's payload.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from bot.markup.plain import render_plain
from bot.markup.split import split_text
from bot.zalo.polling import ZaloEvent
from handlers.messages import Button, ChatKind, Incoming, Photo, Platform, Reply

TEXT_LIMIT = 2000  # Zalo sendMessage: text of 1 to 2000 characters


@dataclass(frozen=True, slots=True)
class RenderedReply:
    """One Reply ready for Zalo: its messages (each 1–2000 characters), an image, and its numbered choices."""

    messages: tuple[str, ...]
    photo_url: str | None = None
    choices: tuple[Button, ...] = ()


def is_choice(button: Button) -> bool:
    """A button the user can press by number: one with a payload, or a link into the bot (answered here)."""
    return bool(button.data or button.deep_link)


def render_reply(reply: Reply, hint: str) -> RenderedReply:
    """Plain-text messages for one reply; `hint` tells the user to answer with a number."""
    buttons = [button for row in reply.buttons for button in row]
    choices = tuple(b for b in buttons if is_choice(b))
    lines = [f"{number}. {render_plain(b.label)}" for number, b in enumerate(choices, 1)]
    lines += [f"• {render_plain(b.label)}: {b.url}" for b in buttons if b.url and not is_choice(b)]
    if choices:
        lines.append(hint)
    block = "\n".join(lines)
    pieces = [render_plain(piece) for piece in split_text(reply.text, TEXT_LIMIT)] if reply.text.strip() else []
    if block:
        if pieces and len(pieces[-1]) + 2 + len(block) <= TEXT_LIMIT:
            pieces[-1] = f"{pieces[-1]}\n\n{block}"
        else:
            pieces += split_text(block, TEXT_LIMIT)
    return RenderedReply(tuple(p for p in pieces if p.strip()), reply.image_url, choices)


class ChoiceMemory:
    """Per chat, the numbered choices of the latest reply that had buttons; bounded in size, with expiry."""

    def __init__(
        self, max_chats: int = 10_000, ttl_seconds: float = 6 * 3600, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._max_chats = max_chats
        self._ttl = ttl_seconds
        self._clock = clock
        self._items: OrderedDict[str, tuple[tuple[Button, ...], float]] = OrderedDict()

    def remember(self, chat_id: str, choices: tuple[Button, ...]) -> None:
        self._items.pop(chat_id, None)
        self._items[chat_id] = (choices, self._clock() + self._ttl)
        while len(self._items) > self._max_chats:
            self._items.popitem(last=False)

    def resolve(self, chat_id: str, answer: str) -> Button | None:
        """The button numbered `answer` in this chat, or None (not a number, out of range, expired, none pending)."""
        answer = answer.strip()
        if not (answer.isascii() and answer.isdigit()) or len(answer) > 3:
            return None
        entry = self._items.get(chat_id)
        if entry is None:
            return None
        choices, expires_at = entry
        if expires_at <= self._clock():
            del self._items[chat_id]
            return None
        number = int(answer)
        return choices[number - 1] if 1 <= number <= len(choices) else None

    def __len__(self) -> int:
        return len(self._items)


def to_incoming(event: ZaloEvent, choices: ChoiceMemory) -> Incoming | None:
    """The Zalo message as an Incoming; a number answering pending choices becomes that button."""
    message = event.update.message
    sender = message.from_user
    if sender is not None and sender.is_bot:
        return None
    kind = ChatKind.PRIVATE if str(message.chat.type or "PRIVATE").upper() == "PRIVATE" else ChatKind.GROUP
    text, callback, link = message.text or "", None, None
    button = choices.resolve(event.chat_id, text) if text else None
    if button is not None:
        text, callback, link = "", button.data or None, button.deep_link or None
    photo = None
    url = message.photo_url or message.api_kwargs.get("photo")  # some senders name the field "photo"
    if url:
        photo = Photo(str(url), str(message.api_kwargs.get("caption") or ""))
    name = (sender.display_name or sender.api_kwargs.get("first_name") or "") if sender is not None else ""
    return Incoming(
        platform=Platform.ZALO,
        chat_id=event.chat_id,
        chat_kind=kind,
        user_id=str(sender.id) if sender is not None else event.chat_id,
        display_name=str(name),
        text=text,
        message_id=event.message_id,
        photo=photo,
        callback_data=callback,
        deep_link=link,
    )
