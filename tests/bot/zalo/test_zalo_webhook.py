"""Webhook mode: setWebhook at start, the POST /zalo/webhook route on the shared web app."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.routing import Route

from bot.app import App
from bot.web import build_web_app
from bot.zalo.adapter import SECRET_HEADER, WEBHOOK_PATH, ZaloAdapter, ZaloStartError
from tests.factories import EVERYDAY_UNACCENTED, HIGH, LOW, SCAM_UNACCENTED, label, t, zalo_settings
from tests.fakes.server import LoopbackServer
from tests.fakes.zalo_api import FakeZaloApi, text_event

SECRET = "webhook-secret-123"
URL = "https://canhgiac.example/zalo/webhook"


@pytest.fixture
async def hooked(app: App, fake_zalo: FakeZaloApi) -> AsyncIterator[ZaloAdapter]:
    settings = zalo_settings(fake_zalo, mode="webhook", webhook_url=URL, webhook_secret=SECRET)
    adapter = ZaloAdapter(app, settings)
    await adapter.start()
    yield adapter
    await adapter.stop()


@pytest.fixture
async def client(hooked: ZaloAdapter) -> AsyncIterator[httpx.AsyncClient]:
    web = build_web_app(hooked.routes(), ["zalo"])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url="http://testserver") as client:
        yield client


async def post(client: httpx.AsyncClient, body: object, secret: str | None = SECRET) -> httpx.Response:
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return await client.post(WEBHOOK_PATH, content=content, headers={**headers, "Content-Type": "application/json"})


async def test_start_sets_the_webhook_and_does_not_poll(hooked: ZaloAdapter, fake_zalo: FakeZaloApi) -> None:
    assert [r.method for r in fake_zalo.requests] == ["getMe", "setWebhook"]
    assert fake_zalo.webhook == {"url": URL, "secret_token": SECRET}
    [route] = hooked.routes()
    assert isinstance(route, Route) and route.path == WEBHOOK_PATH and route.methods == {"POST"}


async def test_a_conversation_through_the_webhook(client: httpx.AsyncClient, fake_zalo: FakeZaloApi) -> None:
    response = await post(client, text_event("w1", SCAM_UNACCENTED))
    assert response.status_code == 200 and response.json() == {"ok": True}
    [verdict] = await fake_zalo.wait_sent("w1")
    assert label(verdict) == HIGH
    assert (await post(client, {"ok": True, "result": text_event("w1", "2")})).status_code == 200  # README shape
    offer = (await fake_zalo.wait_sent("w1", 2))[1]
    assert f"1. {t('button.submit_notify')}" in offer
    assert not fake_zalo.calls("getUpdates")


async def test_a_wrong_or_missing_secret_is_refused(client: httpx.AsyncClient, fake_zalo: FakeZaloApi) -> None:
    for secret in (None, "", "wrong-secret-123", SECRET + "x", SECRET[:-1], SECRET.upper()):
        response = await post(client, text_event("w2", EVERYDAY_UNACCENTED), secret=secret)
        assert response.status_code == 403, secret
    assert (await post(client, text_event("w3", EVERYDAY_UNACCENTED))).status_code == 200  # then a valid one
    await fake_zalo.wait_sent("w3")
    assert fake_zalo.sent("w2") == []


async def test_a_malformed_body_is_a_400_and_nothing_is_processed(
    client: httpx.AsyncClient, fake_zalo: FakeZaloApi
) -> None:
    for body in (
        b"not json",
        b"\xff\xfe",
        b"",
        b"[1, 2]",
        b'"text"',
        json.dumps({"message": {"message_id": "m1", "date": 1}}).encode(),
        json.dumps({"message": {"chat": {"id": "w4"}, "text": "hi"}}).encode(),
    ):
        assert (await post(client, body)).status_code == 400, body
    assert (await post(client, b"x" * 70_000)).status_code == 413
    assert [r.method for r in fake_zalo.requests] == ["getMe", "setWebhook"]


async def test_a_redelivered_event_is_processed_once(client: httpx.AsyncClient, fake_zalo: FakeZaloApi) -> None:
    event = text_event("w5", EVERYDAY_UNACCENTED, message_id="dup-1")
    assert [(await post(client, event)).status_code for _ in range(3)] == [200, 200, 200]
    await post(client, text_event("w5", "/privacy"))
    await fake_zalo.wait_sent("w5", 2)
    sent = fake_zalo.sent("w5")
    assert len(sent) == 2 and label(sent[0]) == LOW


async def test_an_event_without_a_message_is_accepted_and_ignored(
    client: httpx.AsyncClient, fake_zalo: FakeZaloApi
) -> None:
    assert (await post(client, {"event_name": "bot.unknown"})).status_code == 200
    assert [r.method for r in fake_zalo.requests] == ["getMe", "setWebhook"]


@pytest.mark.parametrize(
    "changes", [{"webhook_url": URL}, {"webhook_url": URL, "webhook_secret": "short"}, {"webhook_secret": SECRET}]
)
async def test_webhook_mode_needs_a_url_and_a_secret(app: App, fake_zalo: FakeZaloApi, changes: dict[str, str]) -> None:
    adapter = ZaloAdapter(app, zalo_settings(fake_zalo, mode="webhook", **changes))
    with pytest.raises(ZaloStartError, match="Zalo webhook mode"):
        await adapter.start()
    assert fake_zalo.requests == []


async def test_a_refused_set_webhook_fails_the_start(app: App, fake_zalo: FakeZaloApi) -> None:
    settings = zalo_settings(
        fake_zalo, mode="webhook", webhook_url="http://not-https.example/hook", webhook_secret=SECRET
    )
    with pytest.raises(ZaloStartError, match="setWebhook with error 400"):
        await ZaloAdapter(app, settings).start()


async def test_polling_mode_deletes_the_webhook_first_and_has_no_route(app: App, fake_zalo: FakeZaloApi) -> None:
    fake_zalo.webhook = {"url": URL, "secret_token": SECRET}  # left over from an earlier webhook deployment
    adapter = ZaloAdapter(app, zalo_settings(fake_zalo))
    await adapter.start()
    try:
        assert adapter.routes() == []
        await fake_zalo.push(text_event("p1", EVERYDAY_UNACCENTED))
        await fake_zalo.wait_sent("p1")
        methods = [r.method for r in fake_zalo.requests]
        assert methods[:3] == ["getMe", "deleteWebhook", "getUpdates"]
    finally:
        await adapter.stop()


# On the real web server (uvicorn on loopback) ---------------------------------------------------------------------


async def served(adapter: ZaloAdapter) -> LoopbackServer:
    server = LoopbackServer(build_web_app(adapter.routes(), ["zalo"]))
    await server.start()
    return server


async def hooked_adapter(app: App, fake_zalo: FakeZaloApi, concurrency: int = 16) -> ZaloAdapter:
    settings = zalo_settings(fake_zalo, mode="webhook", webhook_url=URL, webhook_secret=SECRET, concurrency=concurrency)
    adapter = ZaloAdapter(app, settings)
    await adapter.start()
    return adapter


async def raw_exchange(port: int, head: bytes, body: bytes, wait: float = 5.0) -> bytes:
    """Send `head` and part of a body, keep the connection open, and return what the server answers."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head + body)
        await writer.drain()
        return await asyncio.wait_for(reader.read(4096), wait)
    finally:
        writer.close()


async def test_deeply_nested_json_is_a_400_not_a_server_error(
    client: httpx.AsyncClient, fake_zalo: FakeZaloApi
) -> None:
    depth = 30_000  # 60 KB: under the size limit, far deeper than the parser goes
    body = b'{"message": ' + b"[" * depth + b"]" * depth + b"}"
    assert (await post(client, body)).status_code == 400
    assert [r.method for r in fake_zalo.requests] == ["getMe", "setWebhook"]


async def test_the_size_limit_holds_while_the_body_arrives(app: App, fake_zalo: FakeZaloApi) -> None:
    adapter = await hooked_adapter(app, fake_zalo)
    server = await served(adapter)
    try:
        head = f"POST {WEBHOOK_PATH} HTTP/1.1\r\nHost: bot\r\n{SECRET_HEADER}: {SECRET}\r\n".encode()
        # Chunked, 70 KB sent and more to come: refused as soon as the limit is passed, not when the body ends.
        chunked = head + b"Transfer-Encoding: chunked\r\n\r\n"
        answer = await raw_exchange(server.port, chunked, b"%x\r\n" % 70_000 + b"x" * 70_000 + b"\r\n")
        assert answer.startswith(b"HTTP/1.1 413"), answer
        # Announced as 100 MB: refused before a byte of it is read.
        announced = head + b"Content-Length: 100000000\r\n\r\n"
        assert (await raw_exchange(server.port, announced, b"{")).startswith(b"HTTP/1.1 413")
    finally:
        await server.stop()
        await adapter.stop()


async def post_raw(port: int, event: dict) -> tuple[int, float]:
    """One webhook POST on its own connection, written by hand (an HTTP client library's own pooling would be
    what a 500-request measurement measured); its status and how long the answer took."""
    body = json.dumps(event).encode()
    head = (
        f"POST {WEBHOOK_PATH} HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n{SECRET_HEADER}: {SECRET}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    started = time.monotonic()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head.encode() + body)
        answer = await asyncio.wait_for(reader.read(), 60)
    finally:
        writer.close()
    return int(answer.split(b" ", 2)[1]), time.monotonic() - started


@pytest.mark.slow
async def test_500_concurrent_events_are_answered_before_any_is_handled(app: App, fake_zalo: FakeZaloApi) -> None:
    replies = fake_zalo.hold("sendMessage")  # no reply can be sent: an answer that waited for handling never comes
    adapter = await hooked_adapter(app, fake_zalo)
    server = await served(adapter)
    try:
        started = time.monotonic()
        results = await asyncio.gather(
            *(post_raw(server.port, text_event(f"c{n}", EVERYDAY_UNACCENTED)) for n in range(500))
        )
        elapsed = time.monotonic() - started
        assert [code for code, _ in results] == [200] * 500 and fake_zalo.sent() == []
        latencies = sorted(seconds for _, seconds in results)
        print(
            f"500 concurrent Zalo events answered in {elapsed:.2f} s: "
            f"p50 {latencies[249]:.3f} s, p99 {latencies[494]:.3f} s, max {latencies[-1]:.3f} s"
        )
        assert latencies[-1] < 10  # measured 0.5-1.5 s on the 2-core CI machine; slack for a busy one
        replies.set()
        await fake_zalo.wait_for(lambda: len(fake_zalo.sent()) == 500, timeout=60)
    finally:
        replies.set()
        await server.stop()
        await adapter.stop()


async def test_a_full_queue_answers_503_at_once_and_a_retry_is_handled(app: App, fake_zalo: FakeZaloApi) -> None:
    replies = fake_zalo.hold("sendMessage")
    adapter = await hooked_adapter(app, fake_zalo, concurrency=1)  # room for 64 events
    server = await served(adapter)
    events = [text_event(f"q{n}", EVERYDAY_UNACCENTED) for n in range(200)]
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
            responses = await asyncio.gather(
                *(client.post(WEBHOOK_PATH, json=event, headers={SECRET_HEADER: SECRET}) for event in events)
            )
            codes = [r.status_code for r in responses]
            assert codes.count(200) == 64 and codes.count(503) == 136, codes
            assert all(r.headers["retry-after"] == "1" for r in responses if r.status_code == 503)
            replies.set()
            await fake_zalo.wait_for(lambda: len(fake_zalo.sent()) == 64, timeout=30)
            refused = events[codes.index(503)]  # Zalo's retry of a refused event is handled, not dropped as a repeat
            retry = await client.post(WEBHOOK_PATH, json=refused, headers={SECRET_HEADER: SECRET})
            assert retry.status_code == 200
            await fake_zalo.wait_sent(refused["message"]["chat"]["id"])
    finally:
        replies.set()
        await server.stop()
        await adapter.stop()
