"""The fields of a signature as officers type them in a chat: the order /sig_add asks for them, and how one
answer is read and checked before the next question.

A field's answer is plain text: one line for a title or summary, one entry per line for lists (a leading
bullet or number is dropped; on one line, entries may be separated by ";"). "-" reuses the Vietnamese text for
an English field, leaves optional lists empty and gives an officer's method the code OFFICER. The whole
signature is validated once more by `knowledge.signature_from_dict` before the guard runs, so nothing here is
the last line of defence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from knowledge.signature import LIST_FIELDS, MAX_TEXT

SKIP = "-"
DEFAULT_METHOD = "OFFICER"
MAX_ENTRIES = 60
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
_BULLET = re.compile(r"^\s*(?:[-•*·+]|\d{1,2}[.)])\s+")

# The questions of /sig_add, in order (strong cues and weight are left to /sig_edit).
ADD_ORDER = (
    "id",
    "method",
    "title_vi",
    "title_en",
    "summary_vi",
    "summary_en",
    "cues",
    "advice_vi",
    "advice_en",
    "examples",
    "counter_examples",
)
# What /sig_edit may change, one at a time.
EDITABLE = (
    "method",
    "title_vi",
    "title_en",
    "summary_vi",
    "summary_en",
    "cues",
    "strong_cues",
    "advice_vi",
    "advice_en",
    "examples",
    "counter_examples",
    "weight",
)
_VIETNAMESE_OF = {"title_en": "title_vi", "summary_en": "summary_vi", "advice_en": "advice_vi"}
_CUE_FIELDS = ("cues", "strong_cues")


@dataclass(frozen=True, slots=True)
class FieldError:
    """Why an answer was not taken: a catalogue key and its parameters."""

    key: str
    params: dict[str, object]


def read_field(name: str, raw: str, draft: dict[str, Any]) -> Any | FieldError:
    """The value of field `name` from an officer's answer, or why it cannot be taken."""
    text = raw.strip()
    if not text:
        return FieldError("sig.field.empty", {})
    if name in _VIETNAMESE_OF and text == SKIP:
        source = draft.get(_VIETNAMESE_OF[name])
        return source if source else FieldError("sig.field.empty", {})
    if name == "method":
        return DEFAULT_METHOD if text == SKIP else _text(text[:32])
    if name == "weight":
        return _weight(text)
    if name in LIST_FIELDS:
        return _entries(name, [] if text == SKIP else _lines(text))
    return _text(text)


def _text(text: str) -> str | FieldError:
    if len(text) > MAX_TEXT:
        return FieldError("sig.field.too_long", {"limit": MAX_TEXT, "length": len(text)})
    return " ".join(text.split())


def _weight(text: str) -> float | FieldError:
    try:
        weight = float(text.replace(",", "."))
    except ValueError:
        return FieldError("sig.field.weight", {})
    return weight if 0.5 <= weight <= 1.5 else FieldError("sig.field.weight", {})


def _lines(text: str) -> list[str]:
    """One entry per line; a one-line answer may separate them with ";" (a terminal sends each line at once)."""
    lines = text.splitlines()
    if len(lines) == 1 and ";" in text:
        lines = text.split(";")
    return [_BULLET.sub("", line).strip() for line in lines if _BULLET.sub("", line).strip()]


def _entries(name: str, entries: list[str]) -> list[str] | FieldError:
    minimum = LIST_FIELDS[name]
    entries = list(dict.fromkeys(entries))
    if len(entries) < minimum:
        return FieldError("sig.field.too_few", {"minimum": minimum, "count": len(entries)})
    if len(entries) > MAX_ENTRIES:
        return FieldError("sig.field.too_many", {"limit": MAX_ENTRIES, "count": len(entries)})
    long = next((e for e in entries if len(e) > MAX_TEXT), None)
    if long is not None:
        return FieldError("sig.field.too_long", {"limit": MAX_TEXT, "length": len(long)})
    if name in _CUE_FIELDS:
        short = next((e for e in entries if len(e.split()) < 2), None)
        if short is not None:
            return FieldError("sig.field.cue_words", {"cue": short})
    return entries


def shown_value(value: Any) -> str:
    """A field's current value as an officer would type it back (lists one per line)."""
    if isinstance(value, list):
        return "\n".join(str(v) for v in value) or SKIP
    return str(value)
