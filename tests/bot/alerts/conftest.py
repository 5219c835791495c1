"""Fixtures for the alert delivery tests: a virtual clock that sleeping advances.

The rate-limited fake Bot API (`fake_api`) comes from tests/bot/conftest.py, the SQL outboxes (`open_sql`)
from tests/conftest.py.
"""

from __future__ import annotations

import pytest

from tests.fakes.clocks import VirtualTime


@pytest.fixture
def vtime() -> VirtualTime:
    return VirtualTime()
