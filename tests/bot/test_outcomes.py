"""What a Bot API answer means: one rule for the outbox's raw answers and for python-telegram-bot's errors."""

from __future__ import annotations

import datetime as dt

import pytest
from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut

from bot.outcomes import Gone, Migrated, Rejected, Transient, classify
from bot.telegram.sender import outcome_of


def test_answers_are_classified():
    assert classify(200, {"ok": True}).__class__.__name__ == "Sent"
    assert classify(200, {"ok": False, "error_code": 403, "description": "blocked"}).__class__.__name__ == "Gone"
    assert classify(400, {"description": "Bad Request: chat not found"}).__class__.__name__ == "Gone"
    assert classify(400, {"description": "Bad Request: message is too long"}).__class__.__name__ == "Rejected"
    assert classify(502, {}).__class__.__name__ == "Transient"
    assert classify(429, {"parameters": {"retry_after": 3}}).seconds == 3


@pytest.mark.parametrize(
    ("error", "status", "body"),
    [
        (Forbidden("Forbidden: bot was blocked by the user"), 403, {}),
        (BadRequest("Bad Request: chat not found"), 400, {}),
        (BadRequest("Bad Request: message is too long"), 400, {}),
        (ChatMigrated(-1009876), 400, {"parameters": {"migrate_to_chat_id": -1009876}}),
        (RetryAfter(dt.timedelta(seconds=3)), 429, {"parameters": {"retry_after": 3}}),
        (InvalidToken("Unauthorized"), 401, {}),
    ],
)
def test_telegram_errors_mean_what_the_answers_behind_them_mean(error, status, body):
    answer = {"ok": False, "error_code": status, "description": error.message, **body}
    assert outcome_of(error) == classify(status, answer)


def test_telegram_errors_without_an_answer_are_transient():
    assert isinstance(outcome_of(TimedOut()), Transient)
    assert isinstance(outcome_of(NetworkError("Bad Gateway")), Transient)  # PTB does not say which 5xx
    assert outcome_of(ChatMigrated(-5)) == Migrated("-5")
    assert outcome_of(Forbidden("Forbidden: bot was kicked")) == Gone("Forbidden: bot was kicked")
    assert isinstance(outcome_of(BadRequest("Bad Request: message is not modified")), Rejected)
