"""Webhook mode: POST /telegram/webhook on the shared web app, secret checked, redeliveries dropped."""

from __future__ import annotations

import pytest

from bot.app import App
from tests import factories as f
from tests.bot.telegram.helpers import StartAdapter, Telegram, buttons
from tests.factories import SCAM, WEBHOOK_SECRET, html_label, telegram_settings
from tests.fakes.telegram_api import FakeTelegramApi

HEADER = "X-Telegram-Bot-Api-Secret-Token"


async def test_start_sets_the_webhook_with_its_secret(tg_webhook: Telegram, fake: FakeTelegramApi) -> None:
    [call] = fake.sent("setWebhook")
    assert call.params["url"] == "https://bot.example.vn/telegram/webhook"
    assert call.params["secret_token"] == WEBHOOK_SECRET
    assert not fake.sent("getUpdates") and not fake.sent("deleteWebhook")


async def test_scam_check_and_button_through_the_webhook(tg_webhook: Telegram) -> None:
    [verdict] = [c for c in await tg_webhook.send(f.message(SCAM)) if c.method == "sendMessage"]
    assert html_label(verdict.params["text"]) == f.HIGH
    calls = await tg_webhook.send(f.callback(buttons(verdict)[0]["callback_data"]))
    assert [c.method for c in calls] == ["answerCallbackQuery", "sendMessage"]


@pytest.mark.parametrize("headers", [{}, {HEADER: "wrong"}, {HEADER: WEBHOOK_SECRET + "x"}, {HEADER: "sai bí mật"}])
async def test_requests_without_the_secret_are_refused(tg_webhook: Telegram, headers: dict[str, str]) -> None:
    assert tg_webhook.client is not None
    response = await tg_webhook.client.post(
        "/telegram/webhook",
        json={"update_id": 1, **f.message(SCAM)},
        headers={k: v.encode() for k, v in headers.items()},
    )
    assert response.status_code == 403
    assert tg_webhook.adapter.application.update_queue.empty()
    assert tg_webhook.adapter.processed == 0


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        b'{"message": {}}',
        b'{"update_id": "7"}',
        b'{"update_id": 7, "message": {"chat": "x"}}',
        b"\xff\xfe",
    ],
)
async def test_malformed_bodies_are_bad_requests(tg_webhook: Telegram, body: bytes) -> None:
    assert tg_webhook.client is not None
    response = await tg_webhook.client.post("/telegram/webhook", content=body, headers={HEADER: WEBHOOK_SECRET})
    assert response.status_code == 400
    assert tg_webhook.adapter.application.update_queue.empty()


async def test_oversized_body_is_refused(tg_webhook: Telegram) -> None:
    assert tg_webhook.client is not None
    response = await tg_webhook.client.post(
        "/telegram/webhook", content=b"{" + b" " * (2 << 20) + b"}", headers={HEADER: WEBHOOK_SECRET}
    )
    assert response.status_code == 413


async def test_a_redelivered_update_is_processed_once(tg_webhook: Telegram, fake: FakeTelegramApi) -> None:
    update = {"update_id": 424242, **f.message(SCAM)}
    await tg_webhook.send(dict(update))
    assert tg_webhook.client is not None
    response = await tg_webhook.client.post("/telegram/webhook", json=update, headers={HEADER: WEBHOOK_SECRET})
    assert response.status_code == 200
    await tg_webhook.send(f.message("/help"))  # a later update, handled after any duplicate would have been
    assert len(fake.sent()) == 2 and tg_webhook.adapter.processed == 2


async def test_webhook_mode_needs_a_secret(fake: FakeTelegramApi, memory_app: App, start_adapter: StartAdapter) -> None:
    with pytest.raises(ValueError, match="webhook_secret"):
        await start_adapter(memory_app, settings=telegram_settings(fake, "webhook", webhook_secret=None))
    assert fake.calls == []


async def test_polling_mode_has_no_routes(tg: Telegram) -> None:
    assert tg.adapter.routes() == []
