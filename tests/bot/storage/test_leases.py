"""Contract: named leases (one alert scheduler across processes)."""

from __future__ import annotations

from handlers.ports import Repositories
from tests.factories import T0, minutes


async def test_one_holder_at_a_time_renewal_expiry_and_release(repos: Repositories) -> None:
    leases = repos.leases
    assert await leases.acquire("scheduler", "a", T0, 60) is True
    assert await leases.acquire("scheduler", "b", minutes(0.5), 60) is False  # a holds it for a minute
    assert await leases.acquire("scheduler", "a", minutes(0.9), 60) is True  # a renews
    assert await leases.acquire("scheduler", "b", minutes(1.5), 60) is False  # renewed until 1.9
    assert await leases.acquire("scheduler", "b", minutes(2), 60) is True  # a stopped renewing: b takes over
    assert await leases.acquire("scheduler", "a", minutes(2.5), 60) is False
    assert await leases.acquire("other", "a", minutes(2.5), 60) is True  # leases are independent
    await leases.release("scheduler", "a")  # not a's any more: nothing happens
    assert await leases.acquire("scheduler", "a", minutes(2.6), 60) is False
    await leases.release("scheduler", "b")
    assert await leases.acquire("scheduler", "a", minutes(2.7), 60) is True
