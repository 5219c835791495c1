"""End to end in polling mode: the real python-telegram-bot against the fake Bot API, citizen flows."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from bot.alerts.delivery import build_drainers
from bot.app import App, build_app, utc_now
from bot.config import DatabaseSettings, Settings, TelegramSettings
from bot.telegram import TelegramAdapter
from bot.telegram.render import MAX_TEXT, render_html
from tests import factories as f
from tests.bot.telegram.helpers import StartAdapter, Telegram, buttons
from tests.factories import EVERYDAY, SCAM, html_label
from tests.fakes.telegram_api import FakeTelegramApi

INJECTION = "<b>x</b>&amp;<script>alert(1)</script> chuyển khoản gấp"


async def test_start_connects_and_knows_its_name(tg: Telegram, fake: FakeTelegramApi) -> None:
    await fake.wait_for(lambda: any(c.method == "getUpdates" for c in fake.calls))
    methods = [c.method for c in fake.calls]
    assert methods[0] == "getMe" and methods.index("deleteWebhook") < methods.index("getUpdates")
    assert tg.adapter.sender.username == "CanhGiacBot"  # its links and the commands addressed to it use the name
    assert tg.app.deps.gateways["telegram"] is tg.adapter.sender


async def test_scam_message_gets_a_high_verdict_with_feedback_buttons(tg: Telegram) -> None:
    [call] = [c for c in await tg.send(f.message(SCAM)) if c.method == "sendMessage"]
    assert html_label(call.params["text"]) == f.HIGH
    assert call.params["parse_mode"] == "HTML" and call.params["chat_id"] == f.CITIZEN
    assert call.params["link_preview_options"] == {"is_disabled": True}
    assert [b["callback_data"][:3] for b in buttons(call)] == ["fb:", "fb:", "rq:"]


async def test_everyday_message_is_low(tg: Telegram) -> None:
    [text] = await tg.say(f.message(EVERYDAY))
    assert html_label(text) == f.LOW


async def test_forwarded_message_is_checked(tg: Telegram) -> None:
    [text] = await tg.say(f.forwarded(SCAM))
    assert html_label(text) == f.HIGH


async def test_feedback_button_is_answered_and_recorded(tg: Telegram, fake: FakeTelegramApi) -> None:
    [verdict] = [c for c in await tg.send(f.message(SCAM)) if c.method == "sendMessage"]
    right = buttons(verdict)[0]["callback_data"]
    calls = await tg.send(f.callback(right, message_id=5000))
    assert [c.method for c in calls] == ["answerCallbackQuery", "sendMessage"]
    assert calls[1].params["text"] == f.t("feedback.thanks")
    stats = await tg.app.deps.repos.feedback.stats()
    assert (stats.correct, stats.incorrect) == (1, 0)


async def test_stale_button_is_still_answered(tg: Telegram) -> None:
    calls = await tg.send(f.callback("fb:nope:y"))
    assert [c.method for c in calls] == ["answerCallbackQuery", "sendMessage"]
    assert calls[1].params["text"] == f.t("button.stale")


async def test_report_with_consent_is_stored(tg: Telegram) -> None:
    [ask] = await tg.say(f.message("/report"))
    assert ask == f.t("report.send_text")
    [consent] = [c for c in await tg.send(f.message(SCAM)) if c.method == "sendMessage"]
    quiet = next(b["callback_data"] for b in buttons(consent) if b["callback_data"].endswith(":quiet"))
    [thanks] = await tg.say(f.callback(quiet))
    assert all(part in thanks for part in f.fixed_parts("report.thanks"))
    [report] = await tg.app.deps.repos.reports.list_pending()
    assert report.text == SCAM and report.actor == f"telegram:{f.CITIZEN}" and not report.notify


async def test_checknum(tg: Telegram) -> None:
    [text] = await tg.say(f.message("/checknum 0912 345 678"))
    assert text.startswith(render_html(f.t("checknum.header")))


async def test_citizen_cannot_use_officer_commands(tg: Telegram) -> None:
    [refusal] = await tg.say(f.message("/reports"))
    assert refusal == f.t("refusal.officer")
    [refusal] = await tg.say(f.message(f"/grant telegram:{f.CITIZEN}"))
    assert refusal in (f.t("refusal.officer"), f.t("refusal.superadmin"))
    user = await tg.app.deps.repos.users.get(f"telegram:{f.CITIZEN}")
    assert user is not None and not user.is_officer
    assert await tg.app.deps.repos.audit.list() == []


async def test_markup_injection_is_escaped(tg: Telegram) -> None:
    repos = tg.app.deps.repos
    await repos.users.ensure("telegram", str(f.OFFICER), "Cán bộ", tg.app.deps.now())
    await repos.users.set_officer(f"telegram:{f.OFFICER}", True)
    [consent] = [c for c in await tg.send(f.message(f"/report {INJECTION}")) if c.method == "sendMessage"]
    await tg.say(f.callback(buttons(consent)[1]["callback_data"]))
    [listing] = await tg.say(f.message("/reports", chat_id=f.OFFICER))
    assert "&lt;b&gt;x&lt;/b&gt;&amp;amp;&lt;script&gt;alert(1)&lt;/script&gt;" in listing
    assert "<script>" not in listing and "<b>x</b>" not in listing


async def test_ten_kilobyte_message_gets_a_verdict(tg: Telegram) -> None:
    text = (SCAM + "\n") * 45
    assert len(text.encode()) > 10_000
    texts = await tg.say(f.message(text))
    assert texts and html_label(texts[0]) == f.HIGH
    assert all(len(re.sub(r"<[^>]+>", "", t)) <= MAX_TEXT for t in texts)


async def test_garbage_does_not_stop_the_bot(tg: Telegram) -> None:
    binary = bytes(range(256)).decode("latin-1") * 40 + "\u202e\ufeff\x00"
    assert await tg.say(f.message(binary))
    assert await tg.say(f.message("/check " + "<" * 5000))
    assert await tg.say(
        f.message(
            None,
            sticker={
                "file_id": "s",
                "file_unique_id": "s",
                "type": "regular",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
            },
        )
    )
    [text] = await tg.say(f.message(EVERYDAY))
    assert html_label(text) == f.LOW


async def test_sqlite_database_end_to_end(fake: FakeTelegramApi, start_adapter: StartAdapter, tmp_path: Path) -> None:
    settings = Settings(database=DatabaseSettings(url=f"sqlite:///{tmp_path / 'bot.sqlite3'}"))
    app = await build_app(settings, salt=b"test-salt")
    try:
        tg = Telegram(fake, await start_adapter(app), app)
        [verdict] = [c for c in await tg.send(f.message(SCAM)) if c.method == "sendMessage"]
        assert html_label(verdict.params["text"]) == f.HIGH
        await tg.send(f.callback(buttons(verdict)[1]["callback_data"]))  # "wrong" → offer review
        [consent] = fake.sent()[-1:]
        await tg.send(f.callback(buttons(consent)[0]["callback_data"]))  # submit, tell me
        [report] = await app.deps.repos.reports.list_pending()
        assert report.notify and report.text == SCAM
        stats = await app.deps.repos.feedback.stats()
        assert stats.incorrect == 1
        await tg.adapter.stop()
    finally:
        await app.close()


async def test_a_user_with_an_empty_first_name_gets_a_verdict(tg: Telegram) -> None:
    """Telegram allows an empty first name; its full_name is then None (found by the property tests)."""
    [text] = await tg.say(f.message(SCAM, sender=f.user(first_name="")))
    assert html_label(text) == f.HIGH


CUT_EMOJI = "\ud83d"  # the first half of an emoji cut off: a lone surrogate, which UTF-8 cannot encode


async def test_a_lone_surrogate_in_a_name_or_a_report_breaks_nothing(
    fake: FakeTelegramApi, start_adapter: StartAdapter, tmp_path: Path
) -> None:
    settings = Settings(database=DatabaseSettings(url=f"sqlite:///{tmp_path / 'bot.sqlite3'}"))
    app = await build_app(settings, salt=b"test-salt")
    try:
        tg = Telegram(fake, await start_adapter(app), app)
        sender = f.user(first_name=f"Lan {CUT_EMOJI}")
        calls = await tg.send(f.message(f"/report {SCAM} {CUT_EMOJI}", sender=sender))
        [consent] = [c for c in calls if c.method == "sendMessage"]
        user = await app.deps.repos.users.get(f"telegram:{f.CITIZEN}")
        assert user is not None and user.display_name == "Lan \ufffd"  # the broken half is replaced
        quiet = next(b["callback_data"] for b in buttons(consent) if b["callback_data"].endswith(":quiet"))
        [thanks] = await tg.say(f.callback(quiet))
        assert all(part in thanks for part in f.fixed_parts("report.thanks"))
        [report] = await app.deps.repos.reports.list_pending()
        assert report.text == f"{SCAM} \ufffd"  # and the rest kept
        [verdict] = await tg.say(f.message(SCAM, sender=sender))  # and the next message is answered as usual
        assert html_label(verdict) == f.HIGH
        await tg.adapter.stop()
    finally:
        await app.close()


async def test_messages_per_second_sets_the_pace_of_answers_and_alerts(memory_app: App) -> None:
    """`[telegram] messages_per_second`: the adapter's pace, which the alert outbox shares, and the CLI's own."""
    settings = Settings(telegram=TelegramSettings(token="1:x", messages_per_second=15))
    adapter = TelegramAdapter(memory_app, settings.telegram)
    assert adapter.limiter is not None and adapter.limiter.interval == 1 / 15
    async with httpx.AsyncClient() as client:
        (drainer,) = build_drainers(memory_app.deps, settings, ("telegram",), client, utc_now)
    assert drainer.limiter.interval == 1 / 15
    assert TelegramSettings().messages_per_second == 30  # Telegram's limit for one bot
