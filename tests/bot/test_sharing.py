"""Two processes serving one bot on one database (`[sharing] backend = "database"`), as two Apps on SQLite and on
PostgreSQL: a button (on Zalo, a number) works whichever process the press reaches, a dialog goes on in the other,
the check limit counts both, expired sessions leave the database, and an update delivered to both is handled
once."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from bot.alerts import AlertScheduler
from bot.app import App, build_app
from bot.config import Settings, SharingSettings
from bot.storage import memory_repositories
from bot.telegram import WEBHOOK_PATH, TelegramAdapter
from bot.web import build_web_app
from bot.zalo.adapter import SECRET_HEADER as ZALO_SECRET_HEADER
from bot.zalo.adapter import WEBHOOK_PATH as ZALO_WEBHOOK_PATH
from bot.zalo.adapter import ZaloAdapter
from tests import factories as f
from tests.bot.telegram.helpers import wait_until
from tests.conversation import Conversation
from tests.databases import empty_databases
from tests.factories import (
    EVERYDAY,
    HIGH,
    SCAM,
    SCAM_UNACCENTED,
    WEBHOOK_SECRET,
    label,
    settings_for,
    t,
    telegram_settings,
    zalo_settings,
)
from tests.fakes.clocks import FrozenClock
from tests.fakes.telegram_api import FakeTelegramApi
from tests.fakes.zalo_api import FakeZaloApi, text_event

ZALO_SECRET = "s3cret-webhook"


def sharing_settings(url: str, backend: str = "database") -> Settings:
    return settings_for(url).model_copy(update={"sharing": SharingSettings(backend=backend)})  # type: ignore[arg-type]


async def database_url(kind: str, tmp_path: Path, postgres_url: str | None) -> str:
    if kind == "postgresql":
        assert postgres_url is not None
        return postgres_url
    return f"sqlite:///{tmp_path / 'data' / 'canhgiac.sqlite3'}"


@pytest.fixture(params=["sqlite", "postgresql"])
async def two(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_url: str | None, clock: FrozenClock
) -> AsyncIterator[tuple[App, App]]:
    """Two processes' Apps on one empty database, sharing through it."""
    async with empty_databases(request.param, tmp_path, postgres_url) as open_one:
        await open_one()  # empties PostgreSQL's tables
        url = await database_url(request.param, tmp_path, postgres_url)
        apps = [await build_app(sharing_settings(url), clock, salt=b"salt") for _ in range(2)]
        try:
            yield apps[0], apps[1]
        finally:
            for app in apps:
                await app.close()


def other_process(chat: Conversation, app: App) -> Conversation:
    """The same user in the same chat, their next message or press reaching the other process."""
    moved = Conversation(app, user_id=chat.user_id, chat_id=chat.chat_id)
    moved.last = chat.last
    return moved


async def test_a_verdict_button_pressed_on_the_other_process_works(two: tuple[App, App]) -> None:
    one, other = two
    chat = Conversation(one, user_id="700")
    await chat.say(SCAM)  # the verdict and its buttons come from the first process
    moved = other_process(chat, other)
    await moved.press("Sai")  # "wrong": feedback, and the offer to send it for review
    assert moved.text.startswith(t("feedback.offer_review"))
    assert (await other.deps.repos.feedback.stats()).incorrect == 1
    back = other_process(moved, one)
    await back.press(f.fixed_parts("button.submit_quiet")[0])  # and back on the first one
    [report] = await one.deps.repos.reports.list_pending()
    assert (report.text, report.kind) == (SCAM, "wrong_verdict")  # what "wrong" noted on the other process held
    again = other_process(moved, other)  # the same button pressed again, on the other process: used up
    await again.press(f.fixed_parts("button.submit_quiet")[0])
    assert again.text == t("button.stale") and len(await other.deps.repos.reports.list_pending()) == 1


async def test_a_dialog_begun_on_one_process_is_answered_on_the_other(two: tuple[App, App]) -> None:
    one, other = two
    chat = Conversation(one, user_id="701")
    await chat.say("/report")
    assert chat.text == t("report.send_text")
    moved = other_process(chat, other)
    await moved.say(SCAM)  # the text that follows /report: not checked as a new message, but offered for a report
    assert moved.text.startswith(t("report.consent"))


async def test_buttons_from_the_other_process_are_stale_with_the_memory_backend(
    tmp_path: Path, clock: FrozenClock
) -> None:
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    apps = [await build_app(sharing_settings(url, "memory"), clock, salt=b"salt") for _ in range(2)]
    try:
        chat = Conversation(apps[0], user_id="702")
        await chat.say(SCAM)
        moved = other_process(chat, apps[1])
        await moved.press("Sai")
        assert moved.text == t("button.stale")  # why one process per bot, unless they share through the database
    finally:
        for app in apps:
            await app.close()


async def test_a_checked_text_leaves_the_database_when_its_buttons_expire(
    two: tuple[App, App], clock: FrozenClock
) -> None:
    one, other = two
    await Conversation(one, user_id="703").say(SCAM)
    assert one.database is not None

    async def held() -> list[str]:
        assert one.database is not None
        async with one.database.engine.connect() as connection:
            return [str(row[0]) for row in await connection.execute(text("SELECT data FROM sessions"))]

    assert len(await held()) == 1  # the verdict's buttons need the text (for "report this"), for six hours
    scheduler = AlertScheduler(other.deps, grace=dt.timedelta(hours=4), platforms=("telegram",), clock=clock)
    await scheduler.tick()
    assert len(await held()) == 1
    clock.advance(hours=6, minutes=1)
    await scheduler.tick()  # any process's tick deletes it, whoever made it, though nobody pressed anything
    assert await held() == []


async def test_the_check_limit_counts_both_processes(two: tuple[App, App], clock: FrozenClock) -> None:
    one, other = two
    limit = one.settings.limits.checks_per_minute
    chats = [Conversation(one, user_id="704"), Conversation(other, user_id="704")]
    for number in range(limit):
        await chats[number % 2].say(EVERYDAY)
        assert chats[number % 2].text != t("flood.slow_down")
    for chat in chats:
        await chat.say(EVERYDAY)
        assert chat.text == t("flood.slow_down")
    clock.advance(minutes=1)
    await chats[1].say(EVERYDAY)
    assert chats[1].text != t("flood.slow_down")


async def test_the_database_backend_needs_a_database(clock: FrozenClock) -> None:
    settings = sharing_settings("sqlite:///unused.sqlite3")
    with pytest.raises(ValueError, match="needs a database"):
        await build_app(settings, clock, memory_repositories(), salt=b"salt")


async def test_an_update_delivered_to_both_processes_is_handled_once(
    two: tuple[App, App], fake: FakeTelegramApi
) -> None:
    adapters = [TelegramAdapter(app, telegram_settings(fake, "webhook")) for app in two]
    for adapter in adapters:
        await adapter.start()
    try:
        webs = [build_web_app(adapter.routes(), ["telegram"]) for adapter in adapters]
        clients = [httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url="http://p") for web in webs]
        headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
        updates = [{"update_id": 9000 + n, **f.message(SCAM, chat_id=800 + n)} for n in range(5)]
        for update in updates:  # Telegram timed out on one process and redelivered to the other
            for client in clients:
                assert (await client.post(WEBHOOK_PATH, json=update, headers=headers)).status_code == 200
        last = {"update_id": 9999, **f.message("/help", chat_id=899)}
        assert (await clients[1].post(WEBHOOK_PATH, json=last, headers=headers)).status_code == 200
        await wait_until(lambda: sum(a.processed for a in adapters) >= len(updates) + 1)
        await wait_until(lambda: len(fake.sent()) >= len(updates) + 1)
        assert sum(a.processed for a in adapters) == len(updates) + 1
        assert sorted(int(c.params["chat_id"]) for c in fake.sent()) == [800, 801, 802, 803, 804, 899]  # once each
        for client in clients:
            await client.aclose()
    finally:
        for adapter in adapters:
            await adapter.stop()


@pytest.fixture
async def zalo_pair(two: tuple[App, App], fake_zalo: FakeZaloApi) -> AsyncIterator[list[httpx.AsyncClient]]:
    """Both processes serving one Zalo bot by webhook: a client posting to each."""
    settings = zalo_settings(fake_zalo, mode="webhook", webhook_url="https://p.vn/zalo", webhook_secret=ZALO_SECRET)
    adapters = [ZaloAdapter(app, settings) for app in two]
    for adapter in adapters:
        await adapter.start()
    clients = [
        httpx.AsyncClient(transport=httpx.ASGITransport(app=build_web_app(a.routes(), ["zalo"])), base_url="http://p")
        for a in adapters
    ]
    yield clients
    for client in clients:
        await client.aclose()
    for adapter in adapters:
        await adapter.stop()


async def post_zalo(client: httpx.AsyncClient, event: dict[str, object]) -> None:
    response = await client.post(ZALO_WEBHOOK_PATH, json=event, headers={ZALO_SECRET_HEADER: ZALO_SECRET})
    assert response.status_code == 200


async def test_a_zalo_number_answered_to_the_other_process_presses_the_button(
    zalo_pair: list[httpx.AsyncClient], fake_zalo: FakeZaloApi, two: tuple[App, App]
) -> None:
    one, other = zalo_pair
    await post_zalo(one, text_event("z1", SCAM_UNACCENTED))
    [verdict] = await fake_zalo.wait_sent("z1")
    assert label(verdict) == HIGH
    await post_zalo(other, text_event("z1", "2"))  # "2. Sai" under the verdict, answered to the other process
    offer = (await fake_zalo.wait_sent("z1", 2))[1]
    assert f"1. {t('button.submit_notify')}" in offer
    await post_zalo(one, text_event("z1", "2"))  # "2. submit quietly", offered by the other process
    await fake_zalo.wait_sent("z1", 3)
    [report] = await two[0].deps.repos.reports.list_pending()
    assert report.kind == "wrong_verdict" and report.actor == "zalo:z1"


async def test_a_zalo_event_delivered_to_both_processes_is_handled_once(
    zalo_pair: list[httpx.AsyncClient], fake_zalo: FakeZaloApi
) -> None:
    chats = [f"z{n}" for n in range(2, 6)]
    for chat in chats:  # Zalo timed out on one process and redelivered to the other
        for client in zalo_pair:
            await post_zalo(client, text_event(chat, SCAM_UNACCENTED, message_id=f"dup-{chat}"))
    for chat in chats:  # each process handles a chat's events in order: after these, both are done with the first
        for client in zalo_pair:
            await post_zalo(client, text_event(chat, "/help"))
    for chat in chats:
        sent = await fake_zalo.wait_sent(chat, 3)
        assert [label(message) for message in sent].count(HIGH) == 1  # one verdict, then the two help texts
    assert [len(fake_zalo.sent(chat)) for chat in chats] == [3, 3, 3, 3]


class UnreachableRecord:
    """The shared record of updates while its database is down."""

    async def first(self, key: str) -> bool:
        raise ConnectionError("database unreachable")


async def test_an_update_that_cannot_be_recorded_is_left_for_telegram_to_deliver_again(
    fake: FakeTelegramApi, clock: FrozenClock, tmp_path: Path
) -> None:
    app = await build_app(sharing_settings(f"sqlite:///{tmp_path / 'bot.sqlite3'}"), clock, salt=b"salt")
    shared, app.seen = app.seen, UnreachableRecord()
    adapter = TelegramAdapter(app, telegram_settings(fake, "webhook"))
    await adapter.start()
    try:
        web = build_web_app(adapter.routes(), ["telegram"])
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url="http://p") as client:
            update = {"update_id": 4711, **f.message("/help")}
            headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
            assert (await client.post(WEBHOOK_PATH, json=update, headers=headers)).status_code == 503
            app.seen = shared  # the database is back; Telegram delivers the update again
            assert (await client.post(WEBHOOK_PATH, json=update, headers=headers)).status_code == 200
            await wait_until(lambda: adapter.processed == 1)
        assert len(fake.sent()) == 1
    finally:
        await adapter.stop()
        await app.close()
