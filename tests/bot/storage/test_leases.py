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


async def test_live_heartbeats_are_counted_by_prefix(repos: Repositories) -> None:
    leases = repos.leases
    for holder in ("a", "b", "c"):
        assert await leases.acquire(f"pace:telegram:bot1:{holder}", holder, T0, 15)
    assert await leases.acquire("pace:telegram:bot2:a", "a", T0, 15)
    assert await leases.acquire("pace:zalo:bot1:z", "z", T0, 15)
    assert await leases.count_live("pace:zal_:", T0) == 0  # "_" and "%" are no wildcards here
    assert await leases.count_live("pace:telegram:bot1:", minutes(0.2)) == 3
    assert await leases.acquire("pace:telegram:bot1:a", "a", minutes(0.2), 15)  # a renews, b and c do not
    await leases.release("pace:telegram:bot1:c", "c")
    assert await leases.count_live("pace:telegram:bot1:", minutes(0.2)) == 2
    assert await leases.count_live("pace:telegram:bot1:", minutes(0.3)) == 1  # b's ran out
    assert await leases.count_live("pace:zalo:", minutes(0.2)) == 1
