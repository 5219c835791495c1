"""Telegram updates in: translation to `Incoming`, per-chat ordering, and a getUpdates that survives bad data."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections import Counter
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any

from telegram import Bot, Message, Update
from telegram.constants import ChatType
from telegram.ext import BaseUpdateProcessor

from bot.telegram.render import START_PAYLOAD
from bot.telegram.request import AiohttpRequest
from handlers.messages import ChatKind, Incoming, Photo, Platform, Quoted

log = logging.getLogger(__name__)

_KINDS: dict[str, ChatKind] = {  # by text: PTB types `Chat.type` as str (a type it does not know stays one)
    ChatType.PRIVATE: ChatKind.PRIVATE,
    ChatType.GROUP: ChatKind.GROUP,
    ChatType.SUPERGROUP: ChatKind.GROUP,
    ChatType.CHANNEL: ChatKind.CHANNEL,
}
_ADDRESSED = re.compile(r"^(\s*/[A-Za-z0-9_]{1,32})@([A-Za-z0-9_]{1,64})(?=\s|$)")
# A t.me/<bot>?start=<payload> link (see render.py) reaches the bot as the message "/start <payload>".
_START = re.compile(rf"^\s*/start\s+({START_PAYLOAD})\s*$")


@dataclass(frozen=True, slots=True)
class BotIdentity:
    """Who this bot is, from getMe."""

    id: int
    username: str

    def mentioned_in(self, text: str) -> bool:
        return (
            bool(self.username)
            and re.search(rf"(?<![\w@])@{re.escape(self.username)}\b", text, re.IGNORECASE) is not None
        )

    def own_command(self, text: str) -> str | None:
        """`/cmd@OtherBot …` is for another bot in the group (None); `/cmd@ThisBot …` is `/cmd …` for us."""
        match = _ADDRESSED.match(text)
        if match is None:
            return text
        if self.username and match.group(2).lower() != self.username.lower():
            return None
        return match.group(1) + text[match.end() :]


def to_incoming(update: Update, me: BotIdentity) -> Incoming | None:
    """The update as an `Incoming`, or None for what the bot ignores (other bots, itself, service noise)."""
    if update.callback_query is not None:
        return _from_callback(update, me)
    message = update.message or update.channel_post
    if message is None or message.migrate_to_chat_id or message.migrate_from_chat_id:
        return None
    kind = _KINDS.get(message.chat.type)
    if kind is None:
        return None
    sender = message.from_user
    anonymous_admin = message.sender_chat is not None and message.sender_chat.id == message.chat.id
    if kind is not ChatKind.CHANNEL and not anonymous_admin and (sender is None or sender.is_bot or sender.id == me.id):
        return None
    user_id = str(sender.id) if sender is not None and not anonymous_admin else str(message.chat.id)
    text = me.own_command(message.text or message.caption or "")
    if text is None:
        return None
    link = _START.match(text)
    replied = message.reply_to_message
    replied_to_bot = replied is not None and replied.from_user is not None and replied.from_user.id == me.id
    return Incoming(
        platform=Platform.TELEGRAM,
        chat_id=str(message.chat.id),
        chat_kind=kind,
        user_id=user_id,
        # full_name is None for a user whose first name is empty (the API allows it)
        display_name=(
            sender.full_name or "" if sender is not None and not anonymous_admin else message.chat.title or ""
        ),
        text=text,
        message_id=str(message.message_id),
        forwarded=message.forward_origin is not None,
        reply_to=_quoted(message),
        photo=_image(message),
        deep_link=link.group(1) if link else None,
        addressed_to_bot=kind is not ChatKind.PRIVATE and (replied_to_bot or me.mentioned_in(text)),
        chat_admin=True if anonymous_admin else None,
        language_hint=sender.language_code if sender is not None else None,
    )


def _from_callback(update: Update, me: BotIdentity) -> Incoming | None:
    query = update.callback_query
    if query is None or not query.data or query.from_user.is_bot or query.from_user.id == me.id:
        return None
    message = query.message
    chat = message.chat if message is not None else None
    kind = _KINDS.get(chat.type, ChatKind.PRIVATE) if chat is not None else ChatKind.PRIVATE
    return Incoming(
        platform=Platform.TELEGRAM,
        chat_id=str(chat.id if chat is not None else query.from_user.id),
        chat_kind=kind,
        user_id=str(query.from_user.id),
        display_name=query.from_user.full_name or "",
        message_id=str(message.message_id) if message is not None else "",
        callback_data=query.data,
        language_hint=query.from_user.language_code,
    )


def _image(message: Message) -> Photo | None:
    """The largest size of a photo, or an image sent as a file (full resolution: the best to read)."""
    if message.photo:
        return Photo(message.photo[-1].file_id, message.caption or "")
    document = message.document
    if document is not None and (document.mime_type or "").startswith("image/"):
        return Photo(document.file_id, message.caption or "")
    return None


def _quoted(message: Message) -> Quoted | None:
    replied = message.reply_to_message
    quote = message.quote.text if message.quote is not None else ""
    if replied is None:
        return Quoted("", quote) if quote else None
    if replied.forum_topic_created is not None:  # in a forum topic every message "replies" to the topic's start
        return None
    sender = replied.from_user
    return Quoted(
        message_id=str(replied.message_id),
        text=quote or replied.text or replied.caption or "",
        user_id=str(sender.id) if sender is not None else None,
        is_bot=bool(sender is not None and sender.is_bot),
        photo=_image(replied),
    )


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Updates from different chats run concurrently; updates from one chat run in arrival order.

    Order matters within a chat: "/report" then the text to report must not be handled the other way round.
    """

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._holders: Counter[int] = Counter()
        self.processed = 0

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        try:
            if chat is None:
                await coroutine
                return
            lock = self._locks.setdefault(chat.id, asyncio.Lock())
            self._holders[chat.id] += 1
            try:
                async with lock:
                    await coroutine
            finally:
                self._holders[chat.id] -= 1
                if not self._holders[chat.id]:
                    del self._holders[chat.id], self._locks[chat.id]
        finally:
            self.processed += 1

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""


class TolerantUpdatesRequest(AiohttpRequest):
    """getUpdates that replaces an update PTB cannot parse with an empty one.

    PTB parses a whole batch at once; one malformed entry would make it fetch the same batch forever.
    An empty update still advances the offset, and the adapter ignores it.
    """

    async def do_request(self, url: str, method: str, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        status, payload = await super().do_request(url, method, *args, **kwargs)
        if status != 200 or not url.endswith("/getUpdates"):
            return status, payload
        try:
            data = json.loads(payload)
            results = data.get("result") if isinstance(data, dict) else None
            if not isinstance(results, list):
                return status, payload
        except ValueError:
            return status, payload
        cleaned = [entry for entry in (_checked(item) for item in results) if entry is not None]
        if len(cleaned) == len(results) and all(a is b for a, b in zip(cleaned, results, strict=True)):
            return status, payload
        return status, json.dumps({**data, "result": cleaned}).encode()


def read_update(data: object, bot: Bot | None) -> Update | None:
    """The update PTB makes of `data`; None when it has no integer update_id or PTB cannot read it."""
    if not isinstance(data, dict) or type(data.get("update_id")) is not int:
        return None
    try:
        return Update.de_json(data, bot)
    except Exception:  # noqa: BLE001 - the getUpdates loop and the webhook must survive whatever PTB fails on
        return None


def _checked(item: object) -> object | None:
    if not isinstance(item, dict) or type(item.get("update_id")) is not int:
        log.warning("dropped an update without a usable update_id")
        return None
    if read_update(item, None) is None:
        log.warning("update %s could not be parsed; skipped", item["update_id"])
        return {"update_id": item["update_id"]}
    return item
