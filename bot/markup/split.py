"""Split long portable-markup text into platform-sized messages on line, then sentence, boundaries."""

from __future__ import annotations

import re

from handlers.messages import USER_TEXT_CLOSE, USER_TEXT_OPEN

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` visible characters; a quoted user-text segment cut in two stays quoted."""
    if len(text) <= limit:  # most replies: every line fits, so the loop below would only drop leading blank lines
        whole = text.lstrip("\n")
        return _rebalance([whole]) if whole.strip() else [""]
    pieces: list[str] = []
    current = ""
    for unit in _units(text, limit):
        candidate = f"{current}\n{unit}" if current else unit
        if _visible_len(candidate) <= limit:
            current = candidate
        else:
            if current:
                pieces.append(current)
            current = unit
    if current:
        pieces.append(current)
    return _rebalance([p for p in pieces if p.strip()]) or [""]


def _units(text: str, limit: int) -> list[str]:
    """Lines; a line too long becomes sentences; a sentence too long is cut hard."""
    units: list[str] = []
    for line in text.split("\n"):
        if _visible_len(line) <= limit:
            units.append(line)
            continue
        for sentence in _SENTENCE_END.split(line):
            rest = sentence
            while _visible_len(rest) > limit:
                cut = _cut_index(rest, limit)
                units.append(rest[:cut])
                rest = rest[cut:]
            units.append(rest)
    return units


def _visible_len(text: str) -> int:
    return len(text) - (
        text.count(USER_TEXT_OPEN) * len(USER_TEXT_OPEN) + text.count(USER_TEXT_CLOSE) * len(USER_TEXT_CLOSE)
    )


def _cut_index(text: str, limit: int) -> int:
    """Index at which the visible length reaches `limit`, preferring the last space before it."""
    visible, index = 0, 0
    while index < len(text) and visible < limit:
        if text.startswith(USER_TEXT_OPEN, index):
            index += len(USER_TEXT_OPEN)
        elif text.startswith(USER_TEXT_CLOSE, index):
            index += len(USER_TEXT_CLOSE)
        else:
            index += 1
            visible += 1
    space = text.rfind(" ", 0, index)
    return space + 1 if space > index // 2 else index


def _rebalance(pieces: list[str]) -> list[str]:
    """Close a quoted segment at the end of a piece and reopen it at the start of the next."""
    out, open_segment = [], False
    for piece in pieces:
        reopened = USER_TEXT_OPEN + piece if open_segment else piece
        open_segment = reopened.count(USER_TEXT_OPEN) > reopened.count(USER_TEXT_CLOSE)
        out.append(reopened + USER_TEXT_CLOSE if open_segment else reopened)
    return out
