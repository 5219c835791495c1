"""Exponential backoff, capped: the one rule for how long to wait after consecutive failures."""

from __future__ import annotations

from dataclasses import dataclass


def backoff_delay(failures: int, base: float, cap: float) -> float:
    """Seconds to wait after `failures` failures in a row (1 or more): base, 2 × base, 4 × base, … at most cap."""
    return min(cap, base * 2.0 ** (failures - 1))


@dataclass
class Backoff:
    """Counts consecutive failures and says how long to wait after each; a success starts again from `base`."""

    base: float = 1.0
    cap: float = 30.0
    failures: int = 0

    def failed(self) -> float:
        """One more failure: the seconds to wait before the next try."""
        self.failures += 1
        return backoff_delay(self.failures, self.base, self.cap)

    def succeeded(self) -> None:
        self.failures = 0
