"""Platform delivery functions for the outbox: one HTTP call per delivery, the answer classified.

A sender never retries and never sleeps; it says what happened (`Outcome`) and bot/alerts/outbox.py decides what
to do about it. Both Bot APIs live at `{api_base_url}/bot{token}/{method}` and answer
`{ok, result | error_code, description, parameters}`. Plain httpx is used rather than the platform
libraries so that one request is exactly one attempt: no hidden retries that could double a message.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from bot.markup.plain import render_plain
from bot.telegram.render import render_html
from handlers.ports import DeliveryRecord

log = logging.getLogger(__name__)

SEND_TIMEOUT = 15.0  # hard bound on one send, so a lease outlives every send started under it
ZALO_TEXT_LIMIT = 2000
# Telegram 400 descriptions that mean the chat is gone for good (the bot cannot ever post there again).
_GONE_400 = (
    "chat not found",
    "bot was kicked",
    "user is deactivated",
    "chat_write_forbidden",
    "not enough rights",
    "need administrator rights",
    "have no rights to send",
    "group chat was deactivated",
    "peer_id_invalid",
)


@dataclass(frozen=True, slots=True)
class Sent:
    """The platform accepted the message."""


@dataclass(frozen=True, slots=True)
class RetryAfter:
    """Flood control (429): wait `seconds`, then try again."""

    seconds: float
    error: str


@dataclass(frozen=True, slots=True)
class Transient:
    """5xx, timeout, network: try again later with backoff."""

    error: str


@dataclass(frozen=True, slots=True)
class Gone:
    """Blocked, kicked, chat deleted (403 and the like): unsubscribe the chat."""

    reason: str


@dataclass(frozen=True, slots=True)
class Migrated:
    """The group became a supergroup with a new id."""

    new_chat_id: str


@dataclass(frozen=True, slots=True)
class Rejected:
    """A request the platform will never accept as it is (400): give up on this delivery."""

    error: str


Outcome = Sent | RetryAfter | Transient | Gone | Migrated | Rejected
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


def classify(status: int, body: dict[str, Any]) -> Outcome:
    """What a Bot API answer means for a delivery (HTTP status, or `error_code` inside a 200 answer)."""
    if status == 200 and body.get("ok", False):
        return Sent()
    code = int(body.get("error_code") or status)
    description = str(body.get("description") or f"HTTP {status}")[:200]
    parameters = body.get("parameters") or {}
    if code == 429:
        return RetryAfter(float(parameters.get("retry_after") or 1.0), description)
    if parameters.get("migrate_to_chat_id") is not None:
        return Migrated(str(parameters["migrate_to_chat_id"]))
    if code == 403:
        return Gone(description)
    if code == 400 and any(marker in description.lower() for marker in _GONE_400):
        return Gone(description)
    if code >= 500 or code in (408, 409) or status >= 500:
        return Transient(description)
    if code in (401, 404):  # a revoked or mistyped token: keep the deliveries, an operator must fix it
        return Transient(description)
    return Rejected(description)


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
