"""Fixtures for the alerts tests: a virtual clock that sleeping advances and the rate-limited fake Bot API.

The SQL outboxes (`open_sql`) come from tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakes.clocks import VirtualTime
from tests.fakes.rate_limited_api import RateLimitedBotApi


@pytest.fixture
def vtime() -> VirtualTime:
    return VirtualTime()


@pytest.fixture
async def fake_api() -> AsyncIterator[RateLimitedBotApi]:
    api = RateLimitedBotApi()
    await api.start()
    yield api
    await api.stop()
