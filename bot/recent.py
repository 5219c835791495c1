"""Dropping a platform's redeliveries: a bounded memory of recently seen keys in each process, and the
updates taken by any process when several serve one bot (`[sharing] backend = "database"`:
bot/storage/sql/updates.py)."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, Protocol, TypeVar

Key = TypeVar("Key", bound=Hashable)


class RecentKeys(Generic[Key]):
    """The last `size` keys seen, least recently seen forgotten first: `add` is False for a repeat."""

    def __init__(self, size: int = 4096) -> None:
        self._size = size
        self._keys: OrderedDict[Key, None] = OrderedDict()

    def add(self, key: Key) -> bool:
        """Remember `key`; False when it was already there."""
        if key in self._keys:
            self._keys.move_to_end(key)
            return False
        self._keys[key] = None
        if len(self._keys) > self._size:
            self._keys.popitem(last=False)
        return True

    def discard(self, key: Key) -> None:
        """Forget `key`, so its next delivery is taken (its handling could not start)."""
        self._keys.pop(key, None)


class SeenUpdates(Protocol):
    """Updates taken by any process serving the bot: `first` is False for one another process already took."""

    async def first(self, key: str) -> bool:
        """Remember `key` (platform, bot and update id); False when it was already there."""
        ...


class OneProcessUpdates:
    """`[sharing] backend = "memory"`: one process serves each bot, and its own RecentKeys drop the repeats."""

    async def first(self, key: str) -> bool:
        """Always True: nothing to share."""
        return True


def bot_tag(token: str) -> str:
    """A short name for a bot, the same in every process, that does not reveal its token (12 hex digits of its
    SHA-256): the keys processes share for one bot start with it."""
    return hashlib.sha256(token.encode()).hexdigest()[:12]
