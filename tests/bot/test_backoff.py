"""Exponential backoff, capped: the Zalo poller, Telegram replies and the alert outbox wait by the same rule."""

from __future__ import annotations

from bot.alerts.outbox import BACKOFF
from bot.backoff import Backoff, backoff_delay
from bot.telegram.sender import RETRY_BACKOFF, SEND_RETRIES


def test_delays_double_up_to_the_cap_and_a_success_starts_again() -> None:
    backoff = Backoff(base=1.0, cap=30.0)
    assert [backoff.failed() for _ in range(7)] == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]
    backoff.succeeded()
    assert backoff.failed() == 1.0


def test_each_place_keeps_its_own_delays() -> None:
    telegram = Backoff(*RETRY_BACKOFF)
    assert [telegram.failed() for _ in range(SEND_RETRIES)] == [0.5, 1.0, 2.0]
    assert [backoff_delay(attempt, *BACKOFF) for attempt in (1, 2, 6, 7, 20)] == [5.0, 10.0, 160.0, 300.0, 300.0]
