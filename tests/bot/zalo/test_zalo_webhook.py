"""Webhook mode: setWebhook at start, the POST /zalo/webhook route on the shared web app."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.routing import Route

from bot.app import App
from bot.web import build_web_app
from bot.zalo.adapter import SECRET_HEADER, WEBHOOK_PATH, ZaloAdapter, ZaloStartError
from tests.factories import EVERYDAY_UNACCENTED, HIGH, LOW, SCAM_UNACCENTED, label, t, zalo_settings
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
