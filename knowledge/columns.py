"""Growable numeric columns: numpy arrays that can be appended to, so the index can be queried vectorised."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np


class Column:
    """An append-only numpy array with spare capacity (grows by half its size, not by doubling)."""

    def __init__(self, dtype: type | str, capacity: int = 1024) -> None:
        self._data = np.zeros(capacity, dtype=dtype)
        self._size = 0

    def __len__(self) -> int:
        return self._size

    @property
    def values(self) -> np.ndarray:
        """A view of the filled part (valid until the next append)."""
        return self._data[: self._size]

    def append(self, value: int) -> None:
        self._reserve(1)
        self._data[self._size] = value
        self._size += 1

    def extend(self, values: Iterable[int] | np.ndarray) -> None:
        values = np.asarray(values if isinstance(values, np.ndarray) else list(values), dtype=self._data.dtype)
        self._reserve(len(values))
        self._data[self._size : self._size + len(values)] = values
        self._size += len(values)

    def reserve(self, capacity: int) -> None:
        """Make room for `capacity` values in all, so a bulk load does not copy the column as it grows."""
        if capacity > len(self._data):
            self._reserve(capacity - self._size)

    def widen(self, dtype: type | str) -> None:
        """Store values of a larger type from now on (keeps the values)."""
        if np.dtype(dtype).itemsize > self._data.dtype.itemsize:
            self._data = self._data.astype(dtype)

    @property
    def limit(self) -> int:
        """The largest value the column's type can hold."""
        return int(np.iinfo(self._data.dtype).max)

    def clear(self) -> None:
        self._data = np.zeros(1024, dtype=self._data.dtype)
        self._size = 0

    def _reserve(self, extra: int) -> None:
        needed = self._size + extra
        if needed > len(self._data):
            grown = np.empty(max(needed, len(self._data) + len(self._data) // 2), dtype=self._data.dtype)
            grown[: self._size] = self._data[: self._size]
            self._data = grown

    def __getitem__(self, item: int | slice) -> Any:
        """A value (a numpy scalar, as numpy gives it) or a view of a range of the filled part."""
        return self.values[item]

    def __setitem__(self, item: int | slice, value: int) -> None:
        self.values[item] = value


def rank_in_runs(values: np.ndarray) -> np.ndarray:
    """For a sorted array: each element's position within its run of equal values."""
    if not len(values):
        return np.zeros(0, np.int64)
    runs = np.flatnonzero(np.concatenate([[True], values[1:] != values[:-1]]))
    return np.arange(len(values)) - np.repeat(runs, np.diff(np.append(runs, len(values))))
