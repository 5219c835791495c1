"""Portable markup (`*bold*`, plain text) rendered for platforms without rich text, and split to their limits."""

from bot.markup.plain import render_plain
from bot.markup.split import split_text

__all__ = ["render_plain", "split_text"]
