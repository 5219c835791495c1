"""Fixtures for the bot tests: the rate-limited fake Bot API the alert senders and `canhgiac alerts` talk to."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakes.rate_limited_api import RateLimitedBotApi


@pytest.fixture
async def fake_api() -> AsyncIterator[RateLimitedBotApi]:
    api = RateLimitedBotApi()
    await api.start()
    yield api
    await api.stop()
