"""Platform delivery functions for the outbox: one HTTP call per delivery, the answer classified.

A sender never retries and never sleeps; it says what happened (an `Outcome`, bot/outcomes.py) and
bot/alerts/outbox.py decides what to do about it. Both Bot APIs live at `{api_base_url}/bot{token}/{method}` and answer
`{ok, result | error_code, description, parameters}`. Plain httpx is used rather than the platform
libraries so that one request is exactly one attempt: no hidden retries that could double a message.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from bot.markup.plain import render_plain
from bot.outcomes import Outcome, Transient, classify
from bot.telegram.render import render_html
from handlers.ports import DeliveryRecord

SEND_TIMEOUT = 15.0  # hard bound on one send, so a lease outlives every send started under it
ZALO_TEXT_LIMIT = 2000
SendFunction = Callable[[DeliveryRecord], Awaitable[Outcome]]


class BotApiSender:
    """Sends one delivery through a Bot API-shaped HTTP endpoint (Telegram or Zalo)."""

    def __init__(
        self, platform: str, client: httpx.AsyncClient, base_url: str, token: str, timeout: float = SEND_TIMEOUT
    ) -> None:
        self.platform = platform
        self.timeout = timeout
        self._client = client
        self._root = f"{base_url.rstrip('/')}/bot{token}"

    async def __call__(self, delivery: DeliveryRecord) -> Outcome:
        method, payload = self.request(delivery)
        try:
            async with asyncio.timeout(self.timeout):
                response = await self._client.post(f"{self._root}/{method}", json=payload)
        except (TimeoutError, httpx.TimeoutException):
            return Transient("timeout")
        except httpx.HTTPError as exc:
            return Transient(type(exc).__name__)
        return classify(response.status_code, _json(response))

    def request(self, delivery: DeliveryRecord) -> tuple[str, dict[str, Any]]:
        """The API method and JSON body for a delivery."""
        if self.platform == "telegram":
            text = render_html(delivery.text)
            if delivery.image_url:
                return "sendPhoto", {
                    "chat_id": delivery.chat_id,
                    "photo": delivery.image_url,
                    "caption": text,
                    "parse_mode": "HTML",
                }
            return "sendMessage", {
                "chat_id": delivery.chat_id,
                "text": text,
                "parse_mode": "HTML",
                "link_preview_options": {"is_disabled": True},
            }
        text = render_plain(delivery.text)[:ZALO_TEXT_LIMIT]
        if delivery.image_url:
            return "sendPhoto", {"chat_id": delivery.chat_id, "photo": delivery.image_url, "caption": text}
        return "sendMessage", {"chat_id": delivery.chat_id, "text": text}


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
