"""Bot API update payloads as Telegram sends them (plain dicts), for the fake server and the webhook."""

from __future__ import annotations

import itertools
import time
from typing import Any

from tests.bot.telegram.fake_bot_api import BOT_ID, BOT_USERNAME

_message_ids = itertools.count(100)

CITIZEN = 111
OFFICER = 222
ADMIN = 333
GROUP = -1001234
OLD_GROUP = -4321


def user(
    user_id: int = CITIZEN, first_name: str = "Lan", is_bot: bool = False, language: str | None = "vi"
) -> dict[str, Any]:
    data: dict[str, Any] = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
    if language:
        data["language_code"] = language
    return data


def chat(chat_id: int) -> dict[str, Any]:
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": "Lan"}
    return {"id": chat_id, "type": "supergroup" if str(chat_id).startswith("-100") else "group", "title": "Nhóm xóm"}


def message(
    text: str | None = "", *, chat_id: int = CITIZEN, sender: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    """A message update; `extra` adds fields to the message (caption, reply_to_message, forward_origin…)."""
    body: dict[str, Any] = {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": chat(chat_id),
        "from": sender or user(chat_id if chat_id > 0 else CITIZEN),
    }
    if text is not None:
        body["text"] = text
        if text.startswith("/"):
            body["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    body.update(extra)
    return {"message": body}


def forwarded(text: str, chat_id: int = CITIZEN) -> dict[str, Any]:
    origin = {"type": "hidden_user", "date": int(time.time()) - 60, "sender_user_name": "Người lạ"}
    return message(text, chat_id=chat_id, forward_origin=origin)


def channel_post(text: str, chat_id: int = -1009999) -> dict[str, Any]:
    body = {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "text": text,
        "chat": {"id": chat_id, "type": "channel", "title": "Kênh"},
        "sender_chat": {"id": chat_id, "type": "channel", "title": "Kênh"},
    }
    return {"channel_post": body}


def callback(
    data: str, *, chat_id: int = CITIZEN, user_id: int | None = None, message_id: int = 5000
) -> dict[str, Any]:
    bot_message = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": chat(chat_id),
        "from": bot_user(),
        "text": "…",
    }
    return {
        "callback_query": {
            "id": f"cb{next(_message_ids)}",
            "from": user(user_id or (chat_id if chat_id > 0 else CITIZEN)),
            "chat_instance": "ci",
            "data": data,
            "message": bot_message,
        }
    }


def bot_user() -> dict[str, Any]:
    return {"id": BOT_ID, "is_bot": True, "first_name": "Cảnh Giác", "username": BOT_USERNAME}


def membership(chat_id: int, status: str) -> dict[str, Any]:
    """A my_chat_member update: the bot's own status in a chat changed."""
    member = {"user": bot_user(), "status": status}
    if status == "kicked":
        member["until_date"] = 0
    return {
        "my_chat_member": {
            "chat": chat(chat_id),
            "from": user(ADMIN),
            "date": int(time.time()),
            "old_chat_member": {"user": bot_user(), "status": "member"},
            "new_chat_member": member,
        }
    }
