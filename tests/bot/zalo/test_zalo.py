"""End-to-end conversations on Zalo in polling mode: the fake Bot API server, the real zalo_bot, the handlers."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from bot.app import App, build_app
from bot.config import DatabaseSettings, Settings
from bot.markup.plain import render_plain
from bot.zalo.adapter import ZaloAdapter
from bot.zalo.render import TEXT_LIMIT
from handlers.messages import Incoming, Reply
from handlers.risk import storage_key
from tests.factories import EVERYDAY_UNACCENTED, HIGH, LOW, SCAM_UNACCENTED, label, t, zalo_settings
from tests.fakes.zalo_api import FakeZaloApi, image_event, text_event
from tests.screenshots import blank_png


def numbered(*keys: str) -> str:
    """Zalo's numbered choices, one a line, labelled with the catalogue's button texts."""
    return "\n".join(f"{n}. {t(key)}" for n, key in enumerate(keys, 1))


def wrap_handle(
    app: App, around: Callable[[Incoming, Callable[[Incoming], Awaitable[list[Reply]]]], Awaitable[list[Reply]]]
) -> None:
    """Put a test hook around App.handle (to make one check slow, or fail)."""
    original = app.handle

    async def handle(incoming: Incoming) -> list[Reply]:
        return await around(incoming, original)

    app.handle = handle  # type: ignore[method-assign]


async def test_scam_and_everyday_verdicts(zalo: ZaloAdapter, fake_zalo: FakeZaloApi) -> None:
    await fake_zalo.push(text_event("u-scam", SCAM_UNACCENTED), text_event("u-everyday", EVERYDAY_UNACCENTED))
    [scam] = await fake_zalo.wait_sent("u-scam")
    [everyday] = await fake_zalo.wait_sent("u-everyday")
    assert label(scam) == HIGH and label(everyday) == LOW
    assert "*" not in scam and numbered("button.correct", "button.wrong", "button.report_this") in scam
    assert "an toàn" not in label(everyday)
    assert fake_zalo.calls("sendChatAction")[0].params == {"chat_id": "u-scam", "action": "typing"}


async def test_a_long_verdict_is_split_within_2000_characters(
    app: App, zalo: ZaloAdapter, fake_zalo: FakeZaloApi
) -> None:
    links = " ".join(f"https://agribank-xacminh-{i}.xyz/{'gia-han-the-atm-nhap-ma-otp-' * 3}{i}" for i in range(6))
    text = f"{SCAM_UNACCENTED} {links}"
    for indicator in app.deps.risk.engine.analyse(text).indicators:  # reported links add lines to the verdict
        if key := storage_key(indicator):
            await app.deps.repos.indicators.add_report(key[0], key[1], "zalo:someone", dt.datetime.now(dt.UTC))
    await fake_zalo.push(text_event("u-long", text))
    await fake_zalo.wait_for(lambda: any("1. 👍 Đúng" in m for m in fake_zalo.sent("u-long")))
    messages = fake_zalo.sent("u-long")
    assert len(messages) >= 2 and sum(map(len, messages)) > TEXT_LIMIT
    assert all(1 <= len(m) <= TEXT_LIMIT for m in messages)
    assert label(messages[0]) == HIGH and t("verdict.hotlines") in "\n".join(messages)


async def test_feedback_by_number_then_report_consent(app: App, zalo: ZaloAdapter, fake_zalo: FakeZaloApi) -> None:
    await fake_zalo.push(text_event("u1", SCAM_UNACCENTED))
    await fake_zalo.wait_sent("u1", 1)
    await fake_zalo.push(text_event("u1", "2"))  # "👎 Sai"
    offer = (await fake_zalo.wait_sent("u1", 2))[1]
    assert (await app.deps.repos.feedback.stats()).incorrect == 1
    assert offer.startswith(t("feedback.offer_review"))
    assert numbered("button.submit_notify", "button.submit_quiet", "button.no_thanks") in offer
    await fake_zalo.push(text_event("u1", "2"))  # now "2" means "send it, no need to tell me"
    thanks = (await fake_zalo.wait_sent("u1", 3))[2]
    assert thanks.startswith(t("report.thanks", number=1))
    assert len(await app.deps.repos.reports.list_pending()) == 1


async def test_a_number_without_pending_choices_is_ordinary_text(
    app: App, zalo: ZaloAdapter, fake_zalo: FakeZaloApi
) -> None:
    await fake_zalo.push(text_event("u-new", "2"), text_event("u-new", "/help"), text_event("u-new", "9"))
    first, _help, third = await fake_zalo.wait_sent("u-new", 3)
    assert label(first) == LOW  # "2" was checked as a message
    assert label(third) == LOW  # 9 is beyond the three pending choices
    assert (await app.deps.repos.feedback.stats()).incorrect == 0


async def test_officer_command_is_refused_for_a_citizen(zalo: ZaloAdapter, fake_zalo: FakeZaloApi) -> None:
    await fake_zalo.push(text_event("u-citizen", "/reports"))
    [refusal] = await fake_zalo.wait_sent("u-citizen")
    assert refusal.startswith(t("refusal.officer"))


@pytest.mark.slow  # waits out the production retry delays
async def test_server_errors_in_the_middle_of_a_conversation(zalo: ZaloAdapter, fake_zalo: FakeZaloApi) -> None:
    await fake_zalo.push(text_event("u1", EVERYDAY_UNACCENTED))
    await fake_zalo.wait_sent("u1", 1)
    fake_zalo.fail("getUpdates", "http", code=500)
    fake_zalo.fail("getUpdates", "ok_false", code=500)
    fake_zalo.fail("getUpdates", "http", code=408)  # a 408 that came back at once
    fake_zalo.fail("sendMessage", "ok_false", code=400)  # the first reply after the errors is refused
    await fake_zalo.push(text_event("u1", "/privacy"), text_event("u1", SCAM_UNACCENTED))
    messages = await fake_zalo.wait_sent("u1", 2)
    assert label(messages[1]) == HIGH  # the privacy text was refused; polling and the chat went on
    assert not fake_zalo._faults["getUpdates"] and not fake_zalo._faults["sendMessage"]


@pytest.mark.slow  # waits out the production retry delays
async def test_transient_send_errors_are_retried(zalo: ZaloAdapter, fake_zalo: FakeZaloApi) -> None:
    fake_zalo.fail("sendMessage", "http", code=502, times=2)
    await fake_zalo.push(text_event("u1", EVERYDAY_UNACCENTED))
    [verdict] = await fake_zalo.wait_sent("u1")
    assert label(verdict) == LOW and len(fake_zalo.calls("sendMessage")) == 3


async def test_a_handler_exception_does_not_stop_polling(
    app: App, zalo: ZaloAdapter, fake_zalo: FakeZaloApi, caplog: pytest.LogCaptureFixture
) -> None:
    async def explode(incoming: Incoming, handle: Callable[[Incoming], Awaitable[list[Reply]]]) -> list[Reply]:
        if "bí mật" in incoming.text:
            raise RuntimeError("handler exploded")
        return await handle(incoming)

    wrap_handle(app, explode)
    secret_text = "mã OTP bí mật 482913"
    await fake_zalo.push(text_event("u1", secret_text, message_id="evt-boom"), text_event("u2", EVERYDAY_UNACCENTED))
    [verdict] = await fake_zalo.wait_sent("u2")
    assert label(verdict) == LOW and fake_zalo.sent("u1") == []
    assert "evt-boom" in caplog.text and "482913" not in caplog.text and fake_zalo.token not in caplog.text


async def test_a_failing_handler_inside_the_router_answers_politely(
    app: App, zalo: ZaloAdapter, fake_zalo: FakeZaloApi
) -> None:
    async def broken(ctx: object) -> list[Reply]:
        raise RuntimeError("bug")

    app.router.command("broken", broken)
    await fake_zalo.push(text_event("u1", "/broken"), text_event("u1", "/privacy"))
    error, privacy = await fake_zalo.wait_sent("u1", 2)
    assert error == app.deps.catalogue.text("error.internal") and privacy


async def test_a_repeated_event_is_processed_once(zalo: ZaloAdapter, fake_zalo: FakeZaloApi) -> None:
    event = text_event("u1", EVERYDAY_UNACCENTED, message_id="evt-1")
    await fake_zalo.push(event, event, text_event("u1", "/privacy"))
    await fake_zalo.wait_sent("u1", 2)
    sent = fake_zalo.sent("u1")
    assert len(sent) == 2 and label(sent[0]) == LOW and not sent[1].startswith("🟢")


async def test_a_slow_check_does_not_delay_another_user(app: App, zalo: ZaloAdapter, fake_zalo: FakeZaloApi) -> None:
    release = asyncio.Event()

    async def slow_for_one(incoming: Incoming, handle: Callable[[Incoming], Awaitable[list[Reply]]]) -> list[Reply]:
        if incoming.user_id == "slow-user":
            await release.wait()
        return await handle(incoming)

    wrap_handle(app, slow_for_one)
    await fake_zalo.push(text_event("slow-user", SCAM_UNACCENTED), text_event("quick-user", EVERYDAY_UNACCENTED))
    [quick] = await fake_zalo.wait_sent("quick-user")
    assert label(quick) == LOW and fake_zalo.sent("slow-user") == []
    release.set()
    [slow] = await fake_zalo.wait_sent("slow-user")
    assert label(slow) == HIGH


async def test_messages_of_one_chat_are_answered_in_order(app: App, zalo: ZaloAdapter, fake_zalo: FakeZaloApi) -> None:
    release = asyncio.Event()

    async def first_is_slow(incoming: Incoming, handle: Callable[[Incoming], Awaitable[list[Reply]]]) -> list[Reply]:
        if incoming.message_id == "first":
            await release.wait()
        return await handle(incoming)

    wrap_handle(app, first_is_slow)
    await fake_zalo.push(
        text_event("u1", SCAM_UNACCENTED, message_id="first"),
        text_event("u1", "/privacy"),
        text_event("u2", EVERYDAY_UNACCENTED),
    )
    await fake_zalo.wait_sent("u2")
    assert fake_zalo.sent("u1") == []  # the second message waits for the first, in its chat only
    release.set()
    first, second = await fake_zalo.wait_sent("u1", 2)
    assert label(first) == HIGH and second == render_plain(
        app.deps.catalogue.text("privacy.text", hours=6)
        + "\n"
        + app.deps.catalogue.text("privacy.retention", pending=180, decided=730)
    )


async def test_group_messages_follow_the_quiet_guard(app: App, zalo: ZaloAdapter, fake_zalo: FakeZaloApi) -> None:
    group = {"chat_type": "GROUP", "user_id": "member-1"}
    await fake_zalo.push(text_event("g1", SCAM_UNACCENTED, **group), text_event("g1", "/guard on", **group))
    [refusal] = await fake_zalo.wait_sent("g1")  # the scam was ignored: the guard is off by default
    assert refusal == app.deps.catalogue.text("refusal.group_admin")  # Zalo cannot tell who is admin
    await app.deps.repos.chats.set_guard("zalo:g1", True, dt.datetime.now(dt.UTC))
    await fake_zalo.push(text_event("g1", EVERYDAY_UNACCENTED, **group), text_event("g1", SCAM_UNACCENTED, **group))
    warning = (await fake_zalo.wait_sent("g1", 2))[1]
    assert warning.endswith(f"{numbered('button.details')}\n{t('zalo.choose_hint')}")
    assert len(fake_zalo.sent("g1")) == 2 and not fake_zalo.calls("sendChatAction")
    await fake_zalo.push(text_event("g1", "1", **group))  # the details, via "/start d_<session>"
    details = (await fake_zalo.wait_sent("g1", 3))[2]
    assert label(details) == HIGH


async def test_in_a_group_numbered_choices_belong_to_the_member_they_were_offered_to(
    app: App, zalo: ZaloAdapter, fake_zalo: FakeZaloApi
) -> None:
    asker, other = {"chat_type": "GROUP", "user_id": "member-a"}, {"chat_type": "GROUP", "user_id": "member-b"}
    await fake_zalo.push(text_event("g2", f"/check {SCAM_UNACCENTED}", **asker))
    [verdict] = await fake_zalo.wait_sent("g2")
    assert numbered("button.correct", "button.wrong", "button.report_this") in verdict
    await fake_zalo.push(text_event("g2", "2", **other))  # another member's "2" is only a message in the group
    await fake_zalo.push(text_event("g2", "2", **asker))  # the asker's "2" is their "👎 Sai"
    offer = (await fake_zalo.wait_sent("g2", 2))[1]
    assert offer.startswith(t("feedback.offer_review"))
    await fake_zalo.push(text_event("g2", "3", **other), text_event("g2", "3", **asker))  # "Không gửi"
    cancelled = (await fake_zalo.wait_sent("g2", 3))[2]
    assert cancelled == t("report.cancelled") and len(fake_zalo.sent("g2")) == 3
    assert (await app.deps.repos.feedback.stats()).incorrect == 1


async def test_an_image_with_a_caption_is_checked(zalo: ZaloAdapter, fake_zalo: FakeZaloApi) -> None:
    url = fake_zalo.add_image(blank_png(), "image/png")  # nothing to read in it: the caption decides
    await fake_zalo.push(image_event("u1", url, caption=SCAM_UNACCENTED))
    [verdict] = await fake_zalo.wait_sent("u1")
    assert label(verdict) == HIGH


async def test_an_image_that_cannot_be_fetched_still_gets_its_caption_checked(
    zalo: ZaloAdapter, fake_zalo: FakeZaloApi
) -> None:
    await fake_zalo.push(image_event("u1", f"{fake_zalo.base_url}/images/gone", caption=SCAM_UNACCENTED))
    verdict, problem = await fake_zalo.wait_sent("u1", 2)
    assert label(verdict) == HIGH and problem == t("image.problem.download_failed")


async def test_gateway_sends_and_reports_refusals(app: App, zalo: ZaloAdapter, fake_zalo: FakeZaloApi) -> None:
    assert app.deps.gateways["zalo"] is zalo
    assert await zalo.is_chat_admin("g1", "u1") is False
    fake_zalo.refused_chats.add("blocked")
    assert await zalo.send("u9", [Reply("*Cảnh báo* mới", image_url="https://canhgiac.example/a.png")]) is True
    assert await zalo.send("blocked", [Reply("Cảnh báo")]) is False
    assert fake_zalo.calls("sendPhoto")[0].params["caption"] == "Cảnh báo mới"


async def test_a_conversation_on_a_sqlite_database(tmp_path: Path, fake_zalo: FakeZaloApi) -> None:
    settings = Settings(database=DatabaseSettings(url=f"sqlite:///{tmp_path / 'canhgiac.sqlite3'}"))
    app = await build_app(settings, salt=b"test-salt")
    adapter = ZaloAdapter(app, zalo_settings(fake_zalo))
    await adapter.start()
    try:
        await fake_zalo.push(text_event("u-db", SCAM_UNACCENTED), text_event("u-db", "1"))
        verdict, thanks = await fake_zalo.wait_sent("u-db", 2)
        assert label(verdict) == HIGH and thanks == app.deps.catalogue.text("feedback.thanks")
        assert (await app.deps.repos.feedback.stats()).correct == 1
        assert (await app.deps.repos.users.get("zalo:u-db")) is not None
    finally:
        await adapter.stop()
        await app.close()


async def test_a_lone_surrogate_in_a_name_or_a_report_breaks_nothing(tmp_path: Path, fake_zalo: FakeZaloApi) -> None:
    cut_emoji = "\ud83d"  # the first half of an emoji cut off: a lone surrogate, which UTF-8 cannot encode
    settings = Settings(database=DatabaseSettings(url=f"sqlite:///{tmp_path / 'canhgiac.sqlite3'}"))
    app = await build_app(settings, salt=b"test-salt")
    adapter = ZaloAdapter(app, zalo_settings(fake_zalo))
    await adapter.start()
    try:
        name = f"Lan {cut_emoji}"
        await fake_zalo.push(text_event("u-x", f"/report {SCAM_UNACCENTED} {cut_emoji}", name=name))
        await fake_zalo.push(text_event("u-x", "2", name=name))  # "send it, no need to tell me"
        thanks = (await fake_zalo.wait_sent("u-x", 2))[1]
        assert thanks == t("report.thanks", number=1)
        [report] = await app.deps.repos.reports.list_pending()
        assert report.text == f"{SCAM_UNACCENTED} \ufffd"  # the broken half is replaced, the rest kept
        user = await app.deps.repos.users.get("zalo:u-x")
        assert user is not None and user.display_name == "Lan \ufffd"
        await fake_zalo.push(text_event("u-x", SCAM_UNACCENTED, name=name))  # the next message is answered as usual
        assert label((await fake_zalo.wait_sent("u-x", 3))[2]) == HIGH
    finally:
        await adapter.stop()
        await app.close()


async def test_stop_finishes_running_events(app: App, fake_zalo: FakeZaloApi, caplog: pytest.LogCaptureFixture) -> None:
    adapter = ZaloAdapter(app, zalo_settings(fake_zalo))
    caplog.set_level(logging.INFO)
    await adapter.start()
    await fake_zalo.push(text_event("u1", EVERYDAY_UNACCENTED))
    await fake_zalo.wait_for(lambda: bool(fake_zalo.calls("sendChatAction")))
    await adapter.stop()
    assert len(fake_zalo.sent("u1")) == 1
    assert fake_zalo.token not in caplog.text


async def test_gateway_sends_are_paced_and_answers_are_not(app: App, fake_zalo: FakeZaloApi) -> None:
    adapter = ZaloAdapter(app, zalo_settings(fake_zalo, messages_per_second=20.0))
    await adapter.start()
    try:
        assert await adapter.send("sub-1", [Reply(f"Cảnh báo số {i}") for i in range(5)])
        times = [r.at for r in fake_zalo.calls("sendMessage")]
        assert times[-1] - times[0] >= 4 * 0.05 * 0.8  # 20 per second
        await fake_zalo.push(*(text_event(f"u{i}", "/privacy") for i in range(6)))
        await fake_zalo.wait_for(lambda: len(fake_zalo.sent()) == 11)
        answers = [r.at for r in fake_zalo.calls("sendMessage")[5:]]
        assert answers[-1] - answers[0] < 5 * 0.05  # not held to the broadcast pace
    finally:
        await adapter.stop()
