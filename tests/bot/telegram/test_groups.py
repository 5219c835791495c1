"""Groups end to end: the quiet guard, admin checks through getChatMember, commands for other bots."""

from __future__ import annotations

from tests import factories as f
from tests.bot.telegram.helpers import Telegram, buttons, turn_guard_on
from tests.factories import EVERYDAY, SCAM, html_label
from tests.fakes.telegram_api import FakeTelegramApi


async def test_guard_off_means_silence(tg: Telegram) -> None:
    assert await tg.send(f.message(SCAM, chat_id=f.GROUP)) == []
    assert await tg.send(f.message(EVERYDAY, chat_id=f.GROUP)) == []


async def test_guard_on_warns_only_about_high_risk_as_a_reply(tg: Telegram, fake: FakeTelegramApi) -> None:
    await turn_guard_on(tg, fake)
    scam = f.message(SCAM, chat_id=f.GROUP)
    [warning] = [c for c in await tg.send(scam) if c.method == "sendMessage"]
    assert warning.params["chat_id"] == f.GROUP
    assert warning.params["reply_parameters"]["message_id"] == scam["message"]["message_id"]
    assert warning.params["text"].startswith(f.fixed_parts("guard.warning")[0])
    [details] = buttons(warning)
    assert details["url"].startswith("https://t.me/CanhGiacBot?start=d_")
    assert await tg.send(f.message(EVERYDAY, chat_id=f.GROUP)) == []
    # The details button opens a private chat with /start d_<id>.
    payload = details["url"].split("start=")[1]
    [text] = await tg.say(f.message(f"/start {payload}"))
    assert html_label(text) == f.HIGH


async def test_non_admin_cannot_turn_the_guard_on(tg: Telegram, fake: FakeTelegramApi) -> None:
    [refusal] = await tg.say(f.message("/guard on", chat_id=f.GROUP))
    assert refusal == f.t("refusal.group_admin")
    chat = await tg.app.deps.repos.chats.get(f"telegram:{f.GROUP}")
    assert chat is not None and not chat.guard
    assert [c.params["user_id"] for c in fake.sent("getChatMember")] == [f.CITIZEN]


async def test_admin_status_is_cached(tg: Telegram, fake: FakeTelegramApi) -> None:
    await turn_guard_on(tg, fake)
    await tg.say(f.message("/guard off", chat_id=f.GROUP, sender=f.user(f.ADMIN)))
    assert len(fake.sent("getChatMember")) == 1


async def test_commands_for_this_bot_only(tg: Telegram) -> None:
    assert await tg.send(f.message("/help@OtherBot", chat_id=f.GROUP)) == []
    [help_text] = await tg.say(f.message("/help@CanhGiacBot", chat_id=f.GROUP))
    assert "/check" in help_text and "/reports" not in help_text


async def test_bots_channels_and_service_messages_get_no_answer(tg: Telegram) -> None:
    assert await tg.send(f.message(SCAM, sender=f.user(777, is_bot=True))) == []
    assert await tg.send(f.channel_post(SCAM)) == []
    assert await tg.send(f.message(None, chat_id=f.GROUP, new_chat_members=[f.user(5)])) == []


async def test_removed_and_readded_bot(tg: Telegram, fake: FakeTelegramApi) -> None:
    await turn_guard_on(tg, fake)
    key = f"telegram:{f.GROUP}"
    await tg.send(f.membership(f.GROUP, "kicked"))
    chat = await tg.app.deps.repos.chats.get(key)
    assert chat is not None and not chat.active and chat.inactive_reason == "removed"
    assert not await tg.adapter.sender.send(str(f.GROUP), [])
    await tg.send(f.membership(f.GROUP, "member"))
    chat = await tg.app.deps.repos.chats.get(key)
    assert chat is not None and chat.active and chat.guard
