"""The files shipped inside the package (`data/*.toml`, `signatures/*.toml`), read in one place.

They are read through importlib.resources, so they are found wherever the package is installed (a wheel,
a zip, a source tree). A missing or malformed file is a packaging mistake: the error names the file.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import IO, Any

PACKAGE = "knowledge"


class DataFileError(ValueError):
    """A shipped data file that is missing or not valid TOML."""


def read_text(name: str) -> str:
    """The text of a shipped file, by its path inside the package ("data/signals.toml")."""
    try:
        return resources.files(PACKAGE).joinpath(name).read_text("utf-8")
    except (FileNotFoundError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{PACKAGE}/{name}: cannot be read from the installed package ({exc})") from exc


@lru_cache(maxsize=8)
def read_toml(name: str) -> Mapping[str, Any]:
    """A shipped TOML file, parsed once; the mapping is shared, so callers only read it."""
    try:
        return tomllib.loads(read_text(name))
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"{PACKAGE}/{name}: not valid TOML: {exc}") from exc


def folder_texts(folder: str, suffix: str = ".toml") -> list[tuple[str, str]]:
    """(file name, text) of every shipped file in a package folder whose name ends with `suffix`, by name."""
    entries = resources.files(PACKAGE).joinpath(folder).iterdir()
    names = sorted(entry.name for entry in entries if entry.name.endswith(suffix))
    return [(name, read_text(f"{folder}/{name}")) for name in names]


def open_binary(name: str) -> IO[bytes] | None:
    """A shipped binary file opened for reading (the caller closes it), or None when it is not there."""
    entry = resources.files(PACKAGE).joinpath(name)
    return entry.open("rb") if entry.is_file() else None
