"""A bounded memory of recently seen keys, to drop a platform's redeliveries."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

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
