"""One pace per platform and process: even spacing under an overall rate, a one-minute window per chat, 429 pauses.

The platform adapters (answers to users, gateway sends) and the alert outbox (daily alerts, broadcasts) take
their slots from the same object, so together they stay under the platform's limits.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

REPLY_RETRY_BUDGET = 120.0  # seconds from its first attempt an answer to a user may wait out flood control (429)
TELEGRAM_PER_SECOND = 30.0  # telegram.constants.FloodLimit.MESSAGES_PER_SECOND
TELEGRAM_GROUP_PER_MINUTE = 20  # FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP


def group_chat(chat_id: str) -> bool:
    """Telegram groups, supergroups and channels have negative ids (or an @username)."""
    return chat_id.startswith(("-", "@"))


def platform_limits(platform: str, zalo_per_second: float) -> tuple[float, int | None, Callable[[str], bool]]:
    """(messages per second overall, messages per minute per chat, which chats the per-chat limit applies to)."""
    if platform == "telegram":
        return TELEGRAM_PER_SECOND, TELEGRAM_GROUP_PER_MINUTE, group_chat
    return zalo_per_second, None, lambda chat_id: False


class RateLimiter:
    """Even pacing under an overall rate, plus a sliding one-minute window per chat (groups only on Telegram)."""

    def __init__(
        self,
        per_second: float,
        per_chat_per_minute: int | None = None,
        limited_chat: Callable[[str], bool] = lambda chat_id: True,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._per_second = per_second
        self._per_chat_budget = per_chat_per_minute
        self.interval = 1.0 / per_second
        self._per_chat = per_chat_per_minute
        self.shares = 1
        self._limited = limited_chat
        self._monotonic = monotonic
        self._next = 0.0
        self._paused_until = 0.0
        self._chats: dict[str, deque[float]] = {}

    def share(self, processes: int) -> None:
        """Take 1/`processes` of the rate and of each chat's minute, the others serving the same bot taking the
        rest (bot/pace_sharing.py); a chat keeps at least one message a minute."""
        self.shares = max(1, processes)
        self.interval = self.shares / self._per_second
        if self._per_chat_budget:
            self._per_chat = max(1, self._per_chat_budget // self.shares)

    def reserve(self, chat_id: str) -> float | None:
        """Book the next slot for a message to `chat_id`: seconds to wait, or None when the chat must wait a minute."""
        now = self._monotonic()
        if self._per_chat and self._limited(chat_id):
            window = self._chats.setdefault(chat_id, deque())
            while window and window[0] <= now - 60.0:
                window.popleft()
            if len(window) >= self._per_chat:
                return None
            window.append(max(now, self._next))
            if len(self._chats) > 50_000:
                self._prune(now)
        slot = max(now, self._next)
        self._next = slot + self.interval
        return slot - now

    def chat_free_in(self, chat_id: str) -> float:
        """Seconds until `chat_id` has room in its one-minute window again."""
        window = self._chats.get(chat_id)
        return max(0.0, window[0] + 60.0 - self._monotonic()) if window else 0.0

    def pause(self, seconds: float) -> None:
        """Flood control answered 429: nothing goes out for `seconds`."""
        self._paused_until = max(self._paused_until, self._monotonic() + seconds)
        self._next = max(self._next, self._paused_until)

    def paused_for(self) -> float:
        """Seconds left of a 429 pause (slots booked before the pause began wait for it too)."""
        return max(0.0, self._paused_until - self._monotonic())

    def _prune(self, now: float) -> None:
        for chat_id in [c for c, w in self._chats.items() if not w or w[-1] <= now - 60.0]:
            del self._chats[chat_id]
