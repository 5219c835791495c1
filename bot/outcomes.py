"""What a Bot API answer to one message means: sent, wait and retry, try later, chat gone, chat moved, refused.

Telegram and Zalo answer `{ok, result | error_code, description, parameters}`. `classify` reads a raw answer
(the alert outbox's httpx sender); bot/telegram/sender.py turns python-telegram-bot's exceptions back into the
answer they were raised for and asks `refusal`, so both paths judge an answer by the same rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# 400 descriptions that mean the chat is gone for good (the bot cannot ever post there again).
GONE_400 = (
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
    """Blocked, kicked, chat deleted (403 and the like): stop writing to the chat."""

    reason: str


@dataclass(frozen=True, slots=True)
class Migrated:
    """The group became a supergroup with a new id."""

    new_chat_id: str


@dataclass(frozen=True, slots=True)
class Rejected:
    """A request the platform will never accept as it is (400): give up on this message."""

    error: str


Outcome = Sent | RetryAfter | Transient | Gone | Migrated | Rejected


def classify(status: int, body: Mapping[str, Any]) -> Outcome:
    """What a Bot API answer means (HTTP status, or `error_code` inside a 200 answer)."""
    if status == 200 and body.get("ok", False):
        return Sent()
    code = int(body.get("error_code") or status)
    description = str(body.get("description") or f"HTTP {status}")
    outcome = refusal(code, description, body.get("parameters") or {})
    if isinstance(outcome, Rejected) and status >= 500:  # the server failed, whatever its body says
        return Transient(outcome.error)
    return outcome


def refusal(code: int, description: str, parameters: Mapping[str, Any]) -> Outcome:
    """What an error answer means, from its `error_code`, `description` and `parameters`."""
    description = description[:200]
    if code == 429:
        return RetryAfter(float(parameters.get("retry_after") or 1.0), description)
    if parameters.get("migrate_to_chat_id") is not None:
        return Migrated(str(parameters["migrate_to_chat_id"]))
    if code == 403:
        return Gone(description)
    if code == 400 and any(marker in description.lower() for marker in GONE_400):
        return Gone(description)
    if code >= 500 or code in (408, 409):
        return Transient(description)
    if code in (401, 404):  # a revoked or mistyped token: not the chat's fault, an operator must fix it
        return Transient(description)
    return Rejected(description)
