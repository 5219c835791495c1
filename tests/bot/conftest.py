"""Fixtures for the bot tests: the fake Telegram and Zalo Bot APIs, and the rate-limited one the alert senders and
`canhgiac alerts` talk to."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakes.rate_limited_api import RateLimitedBotApi
from tests.fakes.telegram_api import FakeTelegramApi
from tests.fakes.zalo_api import FakeZaloApi


@pytest.fixture
async def fake_api() -> AsyncIterator[RateLimitedBotApi]:
    api = RateLimitedBotApi()
    await api.start()
    yield api
    await api.stop()


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegramApi]:
    server = FakeTelegramApi()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def fake_zalo() -> AsyncIterator[FakeZaloApi]:
    server = FakeZaloApi()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def telegram_api(fake: FakeTelegramApi) -> FakeTelegramApi:
    """The fake Bot API, by the name the tests of real `canhgiac` processes use."""
    return fake


@pytest.fixture
def zalo_api(fake_zalo: FakeZaloApi) -> FakeZaloApi:
    """The fake Zalo API, by the name the tests of real `canhgiac` processes use."""
    return fake_zalo
