"""What Telegram can say no with, and what users can throw at the bot: it carries on."""

from __future__ import annotations

import logging
from collections import Counter

import pytest

from handlers.messages import Incoming, Reply
from tests import factories as f
from tests.bot.telegram.helpers import Telegram, turn_guard_on, wait_until
from tests.factories import EVERYDAY, SCAM, html_label
from tests.fakes.telegram_api import TOKEN, FakeTelegramApi


async def test_bot_removed_from_group_marks_it_inactive(tg: Telegram, fake: FakeTelegramApi) -> None:
    fake.fail("sendMessage", 403, chat_id=f.GROUP)
    calls = await tg.send(f.message("/help", chat_id=f.GROUP))
    assert [c.params.get("_fault") for c in calls if c.method == "sendMessage"] == [403]
    chat = await tg.app.deps.repos.chats.get(f"telegram:{f.GROUP}")
    assert chat is not None and not chat.active and "kicked" in (chat.inactive_reason or "")
    before = len(fake.calls)
    assert await tg.adapter.sender.send(str(f.GROUP), [Reply("Cảnh báo")]) is False
    assert [c for c in fake.calls[before:] if c.method == "sendMessage"] == []


async def test_blocked_user_gets_no_officer_notice(tg: Telegram, fake: FakeTelegramApi) -> None:
    fake.fail("sendMessage", 403, chat_id=f.CITIZEN, description="Forbidden: bot was blocked by the user")
    await tg.send(f.message(EVERYDAY))
    gateway = tg.app.deps.gateways["telegram"]
    assert await gateway.send(str(f.CITIZEN), [Reply("Kết quả")]) is False
    assert len(fake.sent("sendMessage", f.CITIZEN)) == 0
    assert await tg.say(f.message(EVERYDAY))  # writing again makes the chat reachable
    assert await gateway.send(str(f.CITIZEN), [Reply("Kết quả")]) is True


async def test_chat_migration_moves_settings_and_resends(tg: Telegram, fake: FakeTelegramApi) -> None:
    old_group, new_group = f.OLD_GROUP, -1009876
    fake.admins[(old_group, f.ADMIN)] = "administrator"
    fake.fail("sendMessage", 400, chat_id=old_group, migrate_to=new_group)
    calls = await tg.send(f.message("/guard on", chat_id=old_group, sender=f.user(f.ADMIN)))
    sends = [c for c in calls if c.method == "sendMessage"]
    assert [(c.params["chat_id"], c.params.get("_fault")) for c in sends] == [(old_group, 400), (new_group, None)]
    repos = tg.app.deps.repos
    assert await repos.chats.get(f"telegram:{old_group}") is None
    moved = await repos.chats.get(f"telegram:{new_group}")
    assert moved is not None and moved.guard
    # Later sends to the old id go straight to the new one.
    assert await tg.adapter.sender.send(str(old_group), [Reply("Xin chào")])
    assert fake.sent("sendMessage")[-1].params["chat_id"] == new_group


async def test_migration_service_message_moves_settings(tg: Telegram, fake: FakeTelegramApi) -> None:
    fake.admins[(f.OLD_GROUP, f.ADMIN)] = "administrator"
    await tg.say(f.message("/guard on", chat_id=f.OLD_GROUP, sender=f.user(f.ADMIN)))
    assert await tg.send(f.message(None, chat_id=f.OLD_GROUP, migrate_to_chat_id=f.GROUP)) == []
    chat = await tg.app.deps.repos.chats.get(f"telegram:{f.GROUP}")
    assert chat is not None and chat.guard


@pytest.mark.slow  # waits out the production retry delays
async def test_burst_of_429s_is_waited_out_without_duplicates(tg: Telegram, fake: FakeTelegramApi) -> None:
    fake.fail("sendMessage", 429, times=4, retry_after=1)
    chats = [1001, 1002, 1003, 1004, 1005]
    for chat_id in chats:
        fake.push(f.message(EVERYDAY, chat_id=chat_id))
    await fake.wait_for(lambda: len(fake.sent()) >= len(chats), timeout=20)
    await wait_until(lambda: tg.adapter.processed >= len(chats))
    assert Counter(c.params["chat_id"] for c in fake.sent()) == Counter(chats)
    assert sum(1 for c in fake.calls if c.params.get("_fault") == 429) == 4


@pytest.mark.slow  # waits out the production retry delays
async def test_server_errors_are_retried(tg: Telegram, fake: FakeTelegramApi) -> None:
    fake.fail("sendMessage", 500, times=2)
    calls = await tg.send(f.message(EVERYDAY))
    assert [c.params.get("_fault") for c in calls if c.method == "sendMessage"] == [500, 500, None]


@pytest.mark.slow  # waits out the production retry delays
async def test_server_errors_give_up_after_a_bounded_number_of_tries(tg: Telegram, fake: FakeTelegramApi) -> None:
    fake.fail("sendMessage", 500, times=100)
    calls = await tg.send(f.message(EVERYDAY))
    assert len([c for c in calls if c.method == "sendMessage"]) == 4  # first try + 3 retries
    fake.faults.clear()
    assert await tg.say(f.message(EVERYDAY))


async def test_a_slow_chat_does_not_hold_up_others(tg: Telegram, fake: FakeTelegramApi) -> None:
    fake.fail("sendMessage", 200, chat_id=1001, delay=1.0)
    fake.push(f.message(EVERYDAY, chat_id=1001))
    fake.push(f.message(EVERYDAY, chat_id=1002))
    await fake.wait_sent(chat_id=1002)
    assert fake.sent(chat_id=1001) == []
    await fake.wait_sent(chat_id=1001)


async def test_unparseable_update_is_skipped(tg: Telegram, fake: FakeTelegramApi) -> None:
    assert await tg.send({"message": {"message_id": 1, "chat": "nonsense"}}) == []
    [text] = await tg.say(f.message(EVERYDAY))
    assert html_label(text) == f.LOW


async def test_adapter_failure_is_logged_without_user_text(
    tg: Telegram, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    handle = tg.app.handle

    async def explode(msg: Incoming) -> list[Reply]:
        if "bí mật" in msg.text:
            raise RuntimeError(f"cannot handle {msg.text}")
        return await handle(msg)

    monkeypatch.setattr(tg.app, "handle", explode)
    update = f.message("số tài khoản bí mật 0123456789")
    assert await tg.send(update) == []
    failures = [r for r in caplog.records if r.name.startswith("bot.telegram") and r.levelno == logging.ERROR]
    assert len(failures) == 1 and "RuntimeError" in failures[0].getMessage()
    assert f"update {update['update_id']}" in failures[0].getMessage()
    assert "bí mật" not in caplog.text
    assert await tg.say(f.message(EVERYDAY))  # and the bot carries on


async def test_logs_never_hold_the_token_or_the_message(
    tg: Telegram, fake: FakeTelegramApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake.fail("sendMessage", 500)
    fake.fail("getChatMember", 500)
    await tg.say(f.message(SCAM))
    await tg.say(f.message("/guard on", chat_id=f.GROUP))
    assert caplog.records
    assert TOKEN not in caplog.text and TOKEN.split(":")[1] not in caplog.text
    assert "VinaPhone" not in caplog.text


async def test_guard_warning_to_a_group_that_removed_the_bot(tg: Telegram, fake: FakeTelegramApi) -> None:
    await turn_guard_on(tg, fake)
    fake.fail("sendMessage", 403, chat_id=f.GROUP)
    await tg.send(f.message(SCAM, chat_id=f.GROUP))
    assert await tg.send(f.message(SCAM, chat_id=f.GROUP)) == []  # inactive: nothing more is tried


async def test_flood_control_the_rate_limiter_gave_up_on_drops_the_reply(
    fake: FakeTelegramApi, memory_app, start_adapter, caplog: pytest.LogCaptureFixture
) -> None:
    from telegram.ext import AIORateLimiter

    adapter = await start_adapter(memory_app, rate_limiter=AIORateLimiter(max_retries=0))
    assert adapter.limiter is None  # a caller's own rate limiter: the alert outbox paces on its own
    tg = Telegram(fake, adapter, memory_app)
    fake.fail("sendMessage", 429, retry_after=1)
    calls = await tg.send(f.message(EVERYDAY))
    assert [c.params.get("_fault") for c in calls if c.method == "sendMessage"] == [429]  # not retried by the sender
    assert f"reply to chat {f.CITIZEN} dropped after flood control" in caplog.text
