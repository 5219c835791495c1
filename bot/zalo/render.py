"""Translating for Zalo: events to `Incoming`, and replies to plain text with buttons as numbered choices.

Replies lose their markup and are split at 2000 characters. Zalo bots have no buttons, so the buttons of a
reply are listed as "1. …", "2. …" under its text and the user answers with the number. `ChoiceMemory` keeps the
choices of the latest reply offered to each member of a chat, so that their "2" can be turned back into that
button's payload; in a group, another member's "2" stays an ordinary message. Choices that are only links (a group
warning's "see details", which on Telegram anyone in the group may tap) are offered to the whole chat.
"""

from __future__ import annotations

import itertools
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
    """Per chat and member, the numbered choices of the latest reply offered to them; bounded, with expiry.

    Choices offered to the whole chat are kept under the member None; a member's number means the latest reply
    offered to them or to everyone.
    """

    def __init__(
        self, max_entries: int = 10_000, ttl_seconds: float = 6 * 3600, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._max_entries = max_entries
        self._ttl = ttl_seconds
        self._clock = clock
        self._offered = itertools.count()  # tells which of two entries was offered last
        self._items: OrderedDict[tuple[str, str | None], tuple[tuple[Button, ...], float, int]] = OrderedDict()

    def remember(self, chat_id: str, member: str | None, choices: tuple[Button, ...]) -> None:
        """Offer `choices` to one member of the chat, or to all of them (`member` None)."""
        key = (chat_id, member)
        self._items.pop(key, None)
        self._items[key] = (choices, self._clock() + self._ttl, next(self._offered))
        while len(self._items) > self._max_entries:
            self._items.popitem(last=False)

    def forget(self, chat_id: str, member: str | None) -> None:
        """Forget what was offered to one member (or to the whole chat: `member` None)."""
        self._items.pop((chat_id, member), None)

    def resolve(self, chat_id: str, member: str, answer: str) -> Button | None:
        """The button numbered `answer` for this member of this chat, or None (not a number, out of range,
        expired, nothing offered to them)."""
        if not choice_number(answer):
            return None
        answer = answer.strip()
        offers = [entry for key in ((chat_id, member), (chat_id, None)) if (entry := self._live(key)) is not None]
        if not offers:
            return None
        choices, _, _ = max(offers, key=lambda entry: entry[2])
        number = int(answer)
        return choices[number - 1] if 1 <= number <= len(choices) else None

    def _live(self, key: tuple[str, str | None]) -> tuple[tuple[Button, ...], float, int] | None:
        entry = self._items.get(key)
        if entry is not None and entry[1] <= self._clock():
            del self._items[key]
            return None
        return entry

    def __len__(self) -> int:
        return len(self._items)


def choice_number(text: str) -> bool:
    """Whether a message could answer numbered choices: a number of at most three digits."""
    answer = text.strip()
    return answer.isascii() and answer.isdigit() and len(answer) <= 3


def answerer(event: ZaloEvent) -> str:
    """Who sent the event: the sender's id (the chat's when there is no sender)."""
    sender = event.update.message.from_user
    return str(sender.id) if sender is not None else event.chat_id


def offered_to(choices: tuple[Button, ...], member: str | None) -> str | None:
    """Whom numbered choices belong to: links are for anyone in the chat, payloads for the member answered."""
    return None if all(button.deep_link and not button.data for button in choices) else member


def to_incoming(event: ZaloEvent, choices: ChoiceMemory) -> Incoming | None:
    """The Zalo message as an Incoming; a number answering pending choices becomes that button."""
    message = event.update.message
    sender = message.from_user
    if sender is not None and sender.is_bot:
        return None
    kind = ChatKind.PRIVATE if str(message.chat.type or "PRIVATE").upper() == "PRIVATE" else ChatKind.GROUP
    text, callback, link = message.text or "", None, None
    user_id = answerer(event)
    button = choices.resolve(event.chat_id, user_id, text) if text else None
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
        user_id=user_id,
        display_name=str(name),
        text=text,
        message_id=event.message_id,
        photo=photo,
        callback_data=callback,
        deep_link=link,
    )
