"""Clocks that only move when a test says so (FrozenClock) or when the code under test sleeps (VirtualTime)."""

from __future__ import annotations

import datetime as dt

from tests.factories import T0


class FrozenClock:
    """Time that only moves when a test says so."""

    def __init__(self, start: dt.datetime = dt.datetime(2026, 11, 27, 1, 0, tzinfo=dt.UTC)) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


class VirtualTime:
    """Wall clock and monotonic clock in one; `sleep` moves it forward at once."""

    def __init__(self, start: dt.datetime = T0) -> None:
        self.now = start
        self.slept = 0.0

    def __call__(self) -> dt.datetime:
        return self.now

    def monotonic(self) -> float:
        return (self.now - T0).total_seconds()

    async def sleep(self, seconds: float) -> None:
        self.slept += seconds
        self.now += dt.timedelta(seconds=seconds)

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)
