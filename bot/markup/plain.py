"""Render portable markup as plain text (console, Zalo): markers removed, lists and emphasis kept readable."""

from __future__ import annotations

import re

from handlers.messages import USER_TEXT_CLOSE, USER_TEXT_OPEN

_SEGMENTS = re.compile(f"({re.escape(USER_TEXT_OPEN)}.*?{re.escape(USER_TEXT_CLOSE)})", re.DOTALL)
_BOLD = re.compile(r"\*([^*\n]+)\*")


def render_plain(text: str, bold: tuple[str, str] = ("", "")) -> str:
    """Plain text; `bold` is an optional (start, end) pair such as ANSI codes for a terminal."""
    out = []
    for part in _SEGMENTS.split(text):
        if part.startswith(USER_TEXT_OPEN) and part.endswith(USER_TEXT_CLOSE):
            out.append(part[len(USER_TEXT_OPEN) : -len(USER_TEXT_CLOSE)])
        else:
            out.append(_BOLD.sub(lambda m: f"{bold[0]}{m.group(1)}{bold[1]}", part))
    return "".join(out)
