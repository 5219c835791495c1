"""Builders and constants shared by the tests: message texts, verdict labels, settings, instants, and
Bot API update payloads as Telegram sends them (plain dicts, for the fake server and the webhook).

A plain module, not a test module: import from it freely (fixtures stay in the conftest.py files).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import string
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.config import DatabaseSettings, RolesSettings, Settings, TelegramSettings, ZaloSettings, load_settings
from handlers.catalogue import load_catalogue
from tests.fakes.telegram_api import BOT_ID, BOT_USERNAME
from tests.fakes.telegram_api import TOKEN as TELEGRAM_TOKEN

if TYPE_CHECKING:
    from bot.storage.database import Database
    from tests.fakes.telegram_api import FakeTelegramApi
    from tests.fakes.zalo_api import FakeZaloApi

# Messages and verdicts -------------------------------------------------------------------------------

SCAM = (
    "Em chào chị, em bên VinaPhone hỗ trợ chuyển đổi sang eSIM miễn phí. Chị cho em xin số CCCD, sau đó chị "
    "đọc mã OTP vừa nhận được để em gửi mã QR eSIM mới qua Zalo cho chị quét là dùng được luôn."
)
EVERYDAY = "Tối nay mấy giờ cả nhà ăn cơm? Mẹ nấu canh chua nhé."
# The same two kinds typed without accents, as many people do on Zalo.
SCAM_UNACCENTED = (
    "Agribank thong bao: the ATM cua quy khach da het han su dung va bi khoa chuc nang rut tien. "
    "Gia han online mien phi tai agribank-vn.xyz/giahan, nhap so the, ma PIN va OTP de hoan tat."
)
EVERYDAY_UNACCENTED = "Con oi me gui 3 trieu vao the con roi do, mua them ao am di hoc nhe."
# The verdict labels as the catalogue words them, without their leading emoji.
HIGH, LOW = (load_catalogue().text(f"level.{level}", "vi").split(" ", 1)[1] for level in ("high", "low"))


def t(key: str, **params: Any) -> str:
    """The catalogue's Vietnamese text for `key`, placeholders filled from `params`."""
    return load_catalogue().text(key, "vi", **params)


def fixed_parts(key: str) -> list[str]:
    """The literal pieces of the catalogue's Vietnamese template for `key`, between its placeholders."""
    template = load_catalogue().entry(key)["vi"]
    return [literal.strip() for literal, *_ in string.Formatter().parse(template) if literal.strip()]


def label(message: str) -> str:
    """The message's first line without its leading emoji."""
    return message.splitlines()[0].split(" ", 1)[1]


def html_label(html: str) -> str:
    """The first line without tags and the leading emoji."""
    first = re.sub(r"<[^>]+>", "", html.split("\n", 1)[0])
    return first.split(" ", 1)[1]


# Instants --------------------------------------------------------------------------------------------

T0 = dt.datetime(2026, 5, 1, 1, 0, tzinfo=dt.UTC)
"""A fixed instant tests count from (08:00 in Hồ Chí Minh City)."""
DAY = dt.date(2026, 5, 1)
"""T0's day."""

OpenDatabase = Callable[[], Awaitable["Database"]]


def minutes(count: float) -> dt.datetime:
    """T0 plus `count` minutes."""
    return T0 + dt.timedelta(minutes=count)


# Settings --------------------------------------------------------------------------------------------

WEBHOOK_SECRET = "s3cret-webhook-value"


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


def telegram_settings(fake: FakeTelegramApi, mode: str = "polling", **changes: Any) -> TelegramSettings:
    values: dict[str, Any] = {
        "token": TELEGRAM_TOKEN,
        "api_base_url": fake.url,
        "mode": mode,
        "concurrent_updates": 16,
        "webhook_url": "https://bot.example.vn/telegram/webhook",
        "webhook_secret": WEBHOOK_SECRET,
    }
    return TelegramSettings(**{**values, **changes})


def zalo_settings(fake: FakeZaloApi, **changes: Any) -> ZaloSettings:
    """Settings pointing at the fake: 1 s long polls and no practical send-rate limit."""
    values: dict[str, Any] = {
        "token": fake.token,
        "api_base_url": fake.base_url,
        "poll_timeout": 1,
        "concurrency": 4,
        "messages_per_second": 1000.0,
    }
    return ZaloSettings(**{**values, **changes})


# Telegram updates ------------------------------------------------------------------------------------

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
