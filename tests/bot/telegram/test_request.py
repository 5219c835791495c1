"""The aiohttp transport under python-telegram-bot: answers, refusals, timeouts, the pool, uploads, proxies."""

from __future__ import annotations

import asyncio
import socket
import time
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.telegram.limiter import retry_seconds
from bot.telegram.request import AiohttpRequest
from tests.fakes.telegram_api import BOT_USERNAME, TOKEN, FakeTelegramApi

MakeBot = Callable[..., Awaitable[Bot]]


@pytest.fixture
async def make_bot(fake: FakeTelegramApi) -> AsyncIterator[MakeBot]:
    """A plain PTB Bot on an AiohttpRequest built with the given arguments, against `base` (the fake by default)."""
    bots: list[Bot] = []

    async def make(base: str | None = None, **request_kwargs: Any) -> Bot:
        bot = Bot(TOKEN, base_url=f"{base or fake.url}/bot", request=AiohttpRequest(**request_kwargs))
        await bot.initialize()  # getMe
        bots.append(bot)
        return bot

    yield make
    for bot in bots:
        await bot.shutdown()


async def test_a_message_goes_out_with_its_parameters_intact(make_bot: MakeBot, fake: FakeTelegramApi) -> None:
    bot = await make_bot()
    assert bot.username == BOT_USERNAME
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Đúng", callback_data="fb:x:y")]])
    sent = await bot.send_message(111, "<b>Cảnh báo</b> & “ngoặc”", parse_mode="HTML", reply_markup=markup)
    assert sent.text == "<b>Cảnh báo</b> & “ngoặc”" and sent.chat.id == 111
    [call] = fake.sent("sendMessage")
    assert call.params == {
        "chat_id": 111,
        "text": "<b>Cảnh báo</b> & “ngoặc”",
        "parse_mode": "HTML",
        "reply_markup": {"inline_keyboard": [[{"text": "Đúng", "callback_data": "fb:x:y"}]]},
    }


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ({"status": 429, "retry_after": 3}, RetryAfter),
        ({"status": 403}, Forbidden),
        ({"status": 400, "migrate_to": -1009876}, ChatMigrated),
        ({"status": 400, "description": "Bad Request: message text is empty"}, BadRequest),
        ({"status": 500}, NetworkError),
    ],
)
async def test_refusals_become_the_usual_ptb_errors(
    make_bot: MakeBot, fake: FakeTelegramApi, fault: dict[str, Any], error: type[Exception]
) -> None:
    bot = await make_bot()
    fake.fail("sendMessage", **fault)
    with pytest.raises(error) as raised:
        await bot.send_message(111, "x")
    if isinstance(raised.value, RetryAfter):
        assert retry_seconds(raised.value) == 3
    if isinstance(raised.value, ChatMigrated):
        assert raised.value.new_chat_id == -1009876
    assert await bot.send_message(111, "y")  # the connection is still good


async def test_a_slow_answer_times_out_unless_the_call_allows_longer(make_bot: MakeBot, fake: FakeTelegramApi) -> None:
    bot = await make_bot(read_timeout=0.1)
    fake.fail("sendMessage", 200, delay=0.5)
    started = time.monotonic()
    with pytest.raises(TimedOut):
        await bot.send_message(111, "x")
    assert time.monotonic() - started < 0.45
    fake.fail("sendMessage", 200, delay=0.3)
    assert await bot.send_message(111, "y", read_timeout=5)


async def test_a_call_never_outlives_the_sum_of_its_timeouts(make_bot: MakeBot, fake: FakeTelegramApi) -> None:
    """A server that trickles its answer defeats the per-read timeout; the sum still ends the call."""

    async def trickle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
        for _ in range(100):
            writer.write(b" ")
            await writer.drain()
            await asyncio.sleep(0.05)
        writer.close()

    async with _server(trickle) as url:
        request = AiohttpRequest(read_timeout=0.2, write_timeout=0.1, connect_timeout=0.1, pool_timeout=0.1)
        await request.initialize()
        started = time.monotonic()
        with pytest.raises(TimedOut):
            await request.post(f"{url}/bot{TOKEN}/getMe")
        assert time.monotonic() - started < 1.5
        await request.shutdown()


async def test_the_pool_size_is_honoured(make_bot: MakeBot, fake: FakeTelegramApi) -> None:
    one = await make_bot(connection_pool_size=1, pool_timeout=None)
    fake.fail("sendMessage", 200, delay=0.3, times=2)
    started = time.monotonic()
    await asyncio.gather(one.send_message(111, "a"), one.send_message(222, "b"))
    assert time.monotonic() - started >= 0.6  # one connection: the second call waited for the first

    hurried = await make_bot(connection_pool_size=1, pool_timeout=0.05, connect_timeout=0.05)
    fake.fail("sendMessage", 200, delay=0.5)
    results = await asyncio.gather(
        hurried.send_message(111, "c"), hurried.send_message(222, "d"), return_exceptions=True
    )
    assert sorted(type(r).__name__ for r in results) == ["Message", "TimedOut"]  # no wait for a free connection
    [timed_out] = [r for r in results if isinstance(r, TimedOut)]
    assert TOKEN not in "".join(traceback.format_exception(timed_out))  # aiohttp's own message quotes the URL


async def test_an_unreachable_server_is_a_network_error() -> None:
    bot = Bot(TOKEN, base_url=f"http://127.0.0.1:{_free_port()}/bot", request=AiohttpRequest(connect_timeout=2))
    with pytest.raises(NetworkError) as raised:
        await bot.initialize()
    assert not isinstance(raised.value, TimedOut)
    await bot.shutdown()


@pytest.mark.parametrize("answer", [b"NOT HTTP AT ALL\r\n\r\n", b"HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n{}"])
async def test_a_broken_answer_is_a_network_error_that_does_not_quote_the_token(answer: bytes) -> None:
    async def broken(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(answer)
        await writer.drain()
        writer.close()

    async with _server(broken) as url, AiohttpRequest() as request:
        for target in (f"{url}/bot{TOKEN}/getMe", f"http:///bot{TOKEN}/getMe"):  # the second has no host
            with pytest.raises(NetworkError) as raised:
                await request.post(target)
            shown = "".join(traceback.format_exception(raised.value))  # what a logged traceback would hold
            assert TOKEN not in shown and TOKEN.split(":")[1] not in shown


async def test_it_must_be_initialized_and_can_restart(fake: FakeTelegramApi) -> None:
    request = AiohttpRequest()
    url = f"{fake.url}/bot{TOKEN}/getMe"
    with pytest.raises(RuntimeError):
        await request.do_request(url, "POST")
    await request.initialize()
    assert (await request.post(url))["username"] == BOT_USERNAME
    await request.shutdown()
    await request.shutdown()  # twice is harmless
    with pytest.raises(RuntimeError):
        await request.do_request(url, "POST")
    async with request:
        assert (await request.post(url))["username"] == BOT_USERNAME


async def test_files_are_uploaded_as_multipart(make_bot: MakeBot) -> None:
    received: dict[str, Any] = {}

    async def endpoint(request: web.Request) -> web.Response:
        if request.match_info["method"] == "getMe":
            me = {"id": 1, "is_bot": True, "first_name": "B", "username": "B"}
            return web.json_response({"ok": True, "result": me})
        form = await request.post()
        photo = form["photo"]
        assert isinstance(photo, web.FileField)
        received.update(chat_id=form["chat_id"], caption=form["caption"], name=photo.filename, data=photo.file.read())
        message = {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 5, "type": "private"},
            "photo": [{"file_id": "f", "file_unique_id": "u", "width": 1, "height": 1}],
        }
        return web.json_response({"ok": True, "result": message})

    app = web.Application()
    app.router.add_post("/bot{token}/{method}", endpoint)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        host, port = runner.addresses[0][:2]
        bot = await make_bot(f"http://{host}:{port}")
        await bot.send_photo(5, b"\x89PNG fake image bytes", caption="Ảnh chụp màn hình", filename="màn hình.png")
    finally:
        await runner.cleanup()
    assert received == {
        "chat_id": "5",
        "caption": "Ảnh chụp màn hình",
        "name": "màn hình.png",
        "data": b"\x89PNG fake image bytes",
    }


async def test_the_environment_proxy_is_used_except_for_no_proxy_hosts(
    fake: FakeTelegramApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bytes] = []

    async def proxy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        seen.append(head.split(b"\r\n", 1)[0])
        body = b'{"ok": true, "result": {"id": 1, "is_bot": true, "first_name": "Proxy", "username": "ViaProxy"}}'
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
        )
        await writer.drain()
        writer.close()

    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    async with _server(proxy) as proxy_url:
        monkeypatch.setenv("HTTP_PROXY", proxy_url)
        async with AiohttpRequest() as request:
            assert (await request.post(f"http://api.telegram.invalid/bot{TOKEN}/getMe"))["username"] == "ViaProxy"
            assert seen == [f"POST http://api.telegram.invalid/bot{TOKEN}/getMe HTTP/1.1".encode()]
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        async with AiohttpRequest() as request:
            assert (await request.post(f"{fake.url}/bot{TOKEN}/getMe"))["username"] == BOT_USERNAME
        assert len(seen) == 1


class _server:
    """A raw TCP server on 127.0.0.1 for answers the fake Bot API cannot give; yields its base URL."""

    def __init__(self, handle: Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]) -> None:
        self._handle = handle
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> str:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"

    async def __aexit__(self, *_: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
