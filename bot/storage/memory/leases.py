"""Named leases in memory (one process: the lease is always the caller's unless another holder took it)."""

from __future__ import annotations

import datetime as dt

from bot.storage.memory.state import MemoryRepo, utc


class InMemoryLeaseRepo(MemoryRepo):
    """LeaseRepo in memory."""

    async def acquire(self, name: str, holder: str, now: dt.datetime, seconds: float) -> bool:
        now = utc(now)
        current = self._state.leases.get(name)
        if current is not None and current[0] != holder and current[1] > now:
            return False
        self._state.leases[name] = (holder, now + dt.timedelta(seconds=seconds))
        return True

    async def release(self, name: str, holder: str) -> None:
        if self._state.leases.get(name, ("", None))[0] == holder:
            del self._state.leases[name]

    async def count_live(self, prefix: str, now: dt.datetime) -> int:
        now = utc(now)
        return sum(1 for name, (_, until) in self._state.leases.items() if name.startswith(prefix) and until > now)
