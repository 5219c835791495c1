"""The receiving side on its own: refusals made visible, the poll loop's backoff, the dispatcher."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest
from zalo_bot import Bot
from zalo_bot.error import NetworkError

from bot.backoff import Backoff
from bot.zalo.polling import ApiError, Dispatcher, Poller, ZaloEvent, build_bot, parse_event
from tests.fakes.zalo_api import FakeZaloApi, text_event


@pytest.fixture
async def bot(fake_zalo: FakeZaloApi) -> AsyncIterator[Bot]:
    bot = build_bot(fake_zalo.token, fake_zalo.base_url, concurrency=4)
    yield bot
    for request in bot._request:
        await request.shutdown()


class Collected:
    """A dispatcher target that records the events it was given."""

    def __init__(self) -> None:
        self.events: list[ZaloEvent] = []

    async def __call__(self, event: ZaloEvent) -> None:
        self.events.append(event)


async def test_ok_false_in_a_200_is_an_error_not_none(fake_zalo: FakeZaloApi, bot: Bot) -> None:
    fake_zalo.fail("sendMessage", "ok_false", code=403)
    with pytest.raises(ApiError) as refused:
        await bot.send_message("u1", "xin chào")
    assert refused.value.code == 403 and not refused.value.transient
    assert (await bot.send_message("u1", "xin chào")) is not None  # the next call goes through


@pytest.mark.parametrize(("kind", "code"), [("http", 500), ("http", 502), ("ok_false", 500)])
async def test_server_errors_are_transient_api_errors(fake_zalo: FakeZaloApi, bot: Bot, kind: str, code: int) -> None:
    fake_zalo.fail("getMe", kind, code=code)
    with pytest.raises(ApiError) as failed:
        await bot.get_me()
    assert failed.value.code == code and failed.value.transient


async def test_backoff_grows_exponentially_is_capped_and_resets(fake_zalo: FakeZaloApi, bot: Bot) -> None:
    collected = Collected()
    poller = Poller(bot, Dispatcher(collected, 2), timeout=1, backoff=Backoff(0.01, 0.05))
    fake_zalo.fail("getUpdates", "http", code=500, times=2)
    fake_zalo.fail("getUpdates", "ok_false", code=500)
    fake_zalo.fail("getUpdates", "http", code=503, times=2)
    delays = [await poller.poll_once() for _ in range(5)]
    assert delays == [0.01, 0.02, 0.04, 0.05, 0.05]
    await fake_zalo.push(text_event("u1", "xin chào"))
    assert await poller.poll_once() == 0.0
    fake_zalo.fail("getUpdates", "http", code=500)
    assert await poller.poll_once() == 0.01  # a success reset the backoff


async def test_retry_after_is_honoured(fake_zalo: FakeZaloApi, bot: Bot) -> None:
    poller = Poller(bot, Dispatcher(Collected(), 2), timeout=1, backoff=Backoff(0.01, 0.05))
    fake_zalo.fail("getUpdates", "http", code=429, retry_after=3)
    assert await poller.poll_once() == 3.0


async def test_client_timeouts_back_off(fake_zalo: FakeZaloApi, bot: Bot, caplog: pytest.LogCaptureFixture) -> None:
    poller = Poller(bot, Dispatcher(Collected(), 2), timeout=0, backoff=Backoff(0.01, 0.05), read_margin=0.05)
    fake_zalo.fail("getUpdates", "slow", delay=0.3)
    assert await poller.poll_once() == 0.01
    assert "getUpdates failed" in caplog.text and fake_zalo.token not in caplog.text


@pytest.mark.parametrize("style", ["ok_false_408", "http_408", "ok_true_empty"])
async def test_empty_long_polls_are_normal(
    fake_zalo: FakeZaloApi, bot: Bot, style: str, caplog: pytest.LogCaptureFixture
) -> None:
    fake_zalo.empty_style, fake_zalo.max_hold = style, 0.2
    poller = Poller(bot, Dispatcher(Collected(), 2), timeout=0.2, backoff=Backoff(0.01, 0.05))
    assert await poller.poll_once() == 0.0
    assert not caplog.records


async def test_a_long_poll_the_server_ends_early_is_not_a_failure(fake_zalo: FakeZaloApi, bot: Bot) -> None:
    fake_zalo.max_hold = 0.3  # the server gives up well before the 1 s the client asked for
    poller = Poller(bot, Dispatcher(Collected(), 2), timeout=1, backoff=Backoff(0.01, 0.05))
    assert [await poller.poll_once() for _ in range(3)] == [0.0, 0.0, 0.0]  # polled again at once, nothing grows


async def test_an_empty_answer_at_once_is_paced_not_backed_off(fake_zalo: FakeZaloApi, bot: Bot) -> None:
    fake_zalo.max_hold = 0.0  # the server ignores the long-poll timeout altogether
    poller = Poller(bot, Dispatcher(Collected(), 2), timeout=1, backoff=Backoff(0.01, 0.05))
    fake_zalo.fail("getUpdates", "http", code=500)
    assert await poller.poll_once() == 0.01
    delays = [await poller.poll_once() for _ in range(4)]
    assert all(0.0 <= delay <= 0.01 for delay in delays)  # at most the base pause apart, however many in a row
    fake_zalo.fail("getUpdates", "http", code=500)
    assert await poller.poll_once() == 0.01  # an answer, even an empty one, ended the run of failures


async def test_unreachable_server_is_a_network_error(bot: Bot) -> None:
    dead = build_bot("1:x", "http://127.0.0.1:9", concurrency=1)
    with pytest.raises(NetworkError):
        await dead.get_me()
    assert await Poller(dead, Dispatcher(Collected(), 1), 1, Backoff(0.01, 0.05)).poll_once() == 0.01


def test_parse_event_accepts_both_webhook_shapes_and_rejects_malformed() -> None:
    bot = Bot("1:x")
    event = text_event("chat-1", "xin chào", message_id="m-1")
    for body in (event, {"ok": True, "result": event}):
        parsed = parse_event(body, bot)
        assert parsed is not None and (parsed.chat_id, parsed.message_id) == ("chat-1", "m-1")
        assert parsed.key == "message.text.received:m-1" and parsed.update.message.text == "xin chào"
    assert parse_event({"event_name": "bot.something"}, bot) is None
    for bad in (
        [event],
        "x",
        {"message": {"message_id": "m", "date": 1}},
        {"message": {"chat": {"id": "c"}}},
        {"message": {"message_id": "m", "date": "soon", "chat": {"id": "c"}}},
    ):
        with pytest.raises(ValueError):
            parse_event(bad, bot)


async def test_dispatcher_bounds_concurrency_orders_each_chat_and_drops_repeats() -> None:
    bot = Bot("1:x")
    running, peak, order = 0, 0, []
    gate = asyncio.Event()

    async def handle(event: ZaloEvent) -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await gate.wait()
        order.append(event.message_id)
        running -= 1

    dispatcher = Dispatcher(handle, concurrency=3)
    events = [parse_event(text_event(f"chat-{i % 2}", "x", message_id=f"m{i}"), bot) for i in range(10)]
    for event in events:
        assert event is not None and await dispatcher.submit(event)
    assert not await dispatcher.submit(events[0])  # a repeat
    await asyncio.sleep(0)
    gate.set()
    await dispatcher.drain(grace=5)
    assert peak <= 2  # one per chat at a time, as each chat keeps its order
    assert [m for m in order if int(m[1:]) % 2 == 0] == [f"m{i}" for i in range(0, 10, 2)]
    assert [m for m in order if int(m[1:]) % 2] == [f"m{i}" for i in range(1, 10, 2)]
    assert sorted(order) == sorted(f"m{i}" for i in range(10))


async def test_dispatcher_concurrency_limit_across_chats() -> None:
    bot = Bot("1:x")
    running, peak = 0, 0
    gate = asyncio.Event()

    async def handle(event: ZaloEvent) -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await gate.wait()
        running -= 1

    dispatcher = Dispatcher(handle, concurrency=3)
    for i in range(8):
        event = parse_event(text_event(f"chat-{i}", "x"), bot)
        assert event is not None and await dispatcher.submit(event)
    for _ in range(5):
        await asyncio.sleep(0)
    assert peak == 3
    gate.set()
    await dispatcher.drain(grace=5)
    assert running == 0 and peak == 3


async def test_a_failing_event_is_logged_without_its_text(caplog: pytest.LogCaptureFixture) -> None:
    async def handle(event: ZaloEvent) -> None:
        raise RuntimeError("handler exploded")

    dispatcher = Dispatcher(handle, concurrency=1)
    event = parse_event(text_event("chat-1", "số tài khoản bí mật 0123456789", message_id="m-9"), Bot("1:x"))
    assert event is not None
    with caplog.at_level(logging.ERROR):
        await dispatcher.submit(event)
        await dispatcher.drain(grace=5)
    assert "m-9" in caplog.text and "0123456789" not in caplog.text
