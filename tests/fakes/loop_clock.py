"""FastLoopClock: the running event loop's clock made to run faster, so a two-minute wait takes seconds.

The adapters take their time from the loop (`loop.time()`, `asyncio.sleep`), as every timer and timeout in the
loop does, so this is time passed in rather than a constant shrunk for tests. While it runs fast, network
timeouts shrink too: keep the servers local and the speed moderate. Needs the default (selector) event loop.
"""

from __future__ import annotations

import asyncio
from types import TracebackType


class FastLoopClock:
    """`with FastLoopClock(40):` the loop's time runs 40 times faster; afterwards at real speed again, never back."""

    def __init__(self, speed: float) -> None:
        self.speed = speed
        self._rate = 1.0
        self._loop = asyncio.get_running_loop()
        self._real = self._loop.time
        self._origin_real = self._origin = self._real()

    def time(self) -> float:
        return self._origin + (self._real() - self._origin_real) * self._rate

    def _set_rate(self, rate: float) -> None:
        now = self.time()
        self._origin_real, self._origin, self._rate = self._real(), now, rate

    def __enter__(self) -> FastLoopClock:
        self._loop.time = self.time  # type: ignore[method-assign]
        # The loop waits for its next timer with `selector.select(when - time())`, which counts real seconds:
        # scaled back, so timers fire on time instead of late and in batches.
        selector = self._loop._selector  # type: ignore[attr-defined]
        select = selector.select
        selector.select = lambda timeout=None: select(None if timeout is None else timeout / self._rate)
        self._set_rate(self.speed)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        # Timers set while time ran fast are due at fast-clock times: keep the clock continuous (the loop ends
        # with the test) rather than put the real one back and make them wait.
        self._set_rate(1.0)
