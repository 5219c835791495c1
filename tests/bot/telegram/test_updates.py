"""Update → Incoming, per-chat ordering, and tolerant getUpdates parsing (bot/telegram/updates.py)."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Update

from bot.telegram.updates import BotIdentity, PerChatUpdateProcessor, _checked, to_incoming
from handlers.messages import ChatKind
from tests import factories as f
from tests.fakes.telegram_api import BOT_ID, BOT_USERNAME

ME = BotIdentity(BOT_ID, BOT_USERNAME)


def incoming(data: dict[str, Any]):
    return to_incoming(Update.de_json({"update_id": 1, **data}, None), ME)


def test_private_text() -> None:
    msg = incoming(f.message("Xin chào"))
    assert msg is not None
    assert (msg.chat_id, msg.user_id, msg.chat_kind, msg.text) == (
        str(f.CITIZEN),
        str(f.CITIZEN),
        ChatKind.PRIVATE,
        "Xin chào",
    )
    assert (
        msg.display_name == "Lan" and msg.language_hint == "vi" and not msg.forwarded and msg.chat_key == "telegram:111"
    )


def test_caption_photo_and_forward() -> None:
    photo = [
        {"file_id": "small", "file_unique_id": "s", "width": 9, "height": 9},
        {"file_id": "large", "file_unique_id": "l", "width": 99, "height": 99},
    ]
    msg = incoming(f.message(None, caption="Chuyển khoản ngay", photo=photo))
    assert (
        msg is not None and msg.text == "Chuyển khoản ngay" and msg.photo is not None and msg.photo.file_id == "large"
    )
    forwarded = incoming(f.forwarded("Tin chuyển tiếp"))
    assert forwarded is not None and forwarded.forwarded


def test_reply_to_a_message_becomes_quoted() -> None:
    original = f.message("Tin gốc", chat_id=f.GROUP, sender=f.user(999))["message"]
    msg = incoming(f.message("/check", chat_id=f.GROUP, reply_to_message=original))
    assert msg is not None and msg.reply_to is not None
    assert (msg.reply_to.text, msg.reply_to.user_id, msg.reply_to.is_bot) == ("Tin gốc", "999", False)
    assert not msg.addressed_to_bot


def test_group_mention_or_reply_to_the_bot_addresses_it() -> None:
    mention = incoming(f.message("@canhgiacbot kiểm tra giúp", chat_id=f.GROUP))
    other = incoming(f.message("@canhgiacbot2 hi, email a@CanhGiacBot.vn", chat_id=f.GROUP))
    bot_message = f.message("Cảnh báo", chat_id=f.GROUP, sender=f.bot_user())["message"]
    reply = incoming(f.message("Sao vậy?", chat_id=f.GROUP, reply_to_message=bot_message))
    assert mention is not None and mention.addressed_to_bot and mention.chat_kind is ChatKind.GROUP
    assert other is not None and not other.addressed_to_bot
    assert reply is not None and reply.addressed_to_bot and reply.reply_to is not None and reply.reply_to.is_bot


def test_commands_for_other_bots_are_dropped_and_ours_lose_the_name() -> None:
    assert incoming(f.message("/help@OtherBot", chat_id=f.GROUP)) is None
    ours = incoming(f.message("/check@canhgiacbot chuyển khoản gấp", chat_id=f.GROUP))
    assert ours is not None and ours.text == "/check chuyển khoản gấp"


def test_a_start_link_arrives_as_a_deep_link() -> None:
    opened = incoming(f.message("/start d_abc-12"))
    assert opened is not None and opened.deep_link == "d_abc-12"
    plain = incoming(f.message("/start"))
    assert plain is not None and plain.deep_link is None and plain.text == "/start"


def test_bots_and_the_bot_itself_are_ignored() -> None:
    assert incoming(f.message("spam", sender=f.user(777, is_bot=True))) is None
    assert incoming(f.message("echo", chat_id=f.GROUP, sender=f.bot_user())) is None


def test_anonymous_group_admin_is_kept_and_known_as_admin() -> None:
    data = f.message("/guard on", chat_id=f.GROUP, sender=f.user(1087968824, "Group", is_bot=True))
    data["message"]["sender_chat"] = f.chat(f.GROUP)
    msg = incoming(data)
    assert msg is not None and msg.chat_admin is True and msg.user_id == str(f.GROUP)


def test_channel_post_is_a_channel_message() -> None:
    msg = incoming(f.channel_post("Thông báo"))
    assert msg is not None and msg.chat_kind is ChatKind.CHANNEL and msg.text == "Thông báo"


def test_callback_query_carries_the_payload() -> None:
    msg = incoming(f.callback("fb:abc:y", message_id=77))
    assert msg is not None and msg.callback_data == "fb:abc:y" and msg.message_id == "77" and msg.text == ""
    empty = f.callback("x")
    del empty["callback_query"]["data"]
    assert incoming(empty) is None


def test_migration_service_message_is_not_a_user_message() -> None:
    assert incoming(f.message(None, chat_id=f.OLD_GROUP, migrate_to_chat_id=f.GROUP)) is None


def test_unparseable_update_is_replaced_by_an_empty_one() -> None:
    assert _checked({"update_id": 5, "message": {"foo": 1}}) == {"update_id": 5}
    assert _checked({"message": {}}) is None
    good = {"update_id": 6, **f.message("ok")}
    assert _checked(good) is good


async def test_one_chat_in_order_other_chats_meanwhile() -> None:
    processor = PerChatUpdateProcessor(8)
    order: list[str] = []
    release = asyncio.Event()

    async def work(name: str, wait: bool = False) -> None:
        if wait:
            await release.wait()
        order.append(name)

    def update(chat_id: int) -> Update:
        return Update.de_json({"update_id": 1, **f.message("x", chat_id=chat_id)}, None)

    first = asyncio.create_task(processor.process_update(update(1), work("a1", wait=True)))
    second = asyncio.create_task(processor.process_update(update(1), work("a2")))
    other = asyncio.create_task(processor.process_update(update(2), work("b1")))
    await other
    assert order == ["b1"]  # chat 2 did not wait for chat 1
    release.set()
    await asyncio.gather(first, second)
    assert order == ["b1", "a1", "a2"] and processor.processed == 3
