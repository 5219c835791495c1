"""The memory of recently seen keys that drops redeliveries (Telegram webhook updates, Zalo events)."""

from __future__ import annotations

from bot.recent import RecentKeys


def test_recent_keys_are_a_bounded_lru() -> None:
    seen: RecentKeys[str] = RecentKeys(size=2)
    assert seen.add("a") and seen.add("b") and not seen.add("a")
    assert seen.add("c")  # drops "b", the least recently seen
    assert seen.add("b") and not seen.add("c")
