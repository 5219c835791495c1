"""The message catalogue: every user-facing sentence, Vietnamese and English, keyed by id."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from typing import Any

LANGUAGES = ("vi", "en")


class Catalogue:
    """Looks up texts by dotted id and language; Vietnamese is the fallback."""

    def __init__(self, entries: dict[str, dict[str, str]]) -> None:
        self._entries = entries

    def text(self, key: str, lang: str = "vi", **params: Any) -> str:
        entry = self._entries.get(key)
        if entry is None:
            raise KeyError(f"no catalogue entry {key!r}")
        template = entry.get(lang) or entry["vi"]
        return template.format(**params) if params else template

    def has(self, key: str) -> bool:
        return key in self._entries

    def keys(self) -> list[str]:
        return sorted(self._entries)

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def entry(self, key: str) -> dict[str, str]:
        return dict(self._entries[key])


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and "vi" in value and isinstance(value["vi"], str):
            out[path] = value
        elif isinstance(value, dict):
            out.update(_flatten(value, f"{path}."))
    return out


@lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    """The shipped catalogue (`handlers/catalogue.toml`)."""
    text = resources.files("handlers").joinpath("catalogue.toml").read_text("utf-8")
    return Catalogue(_flatten(tomllib.loads(text)))
