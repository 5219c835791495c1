"""The scam-signature model and its validation (shared by the shipped files and officers' edits)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
REQUIRED_TEXT = ("method", "title_vi", "title_en", "summary_vi", "summary_en")
LIST_FIELDS = {
    "cues": 4,
    "strong_cues": 0,
    "advice_vi": 2,
    "advice_en": 2,
    "examples": 3,
    "counter_examples": 2,
    "sources": 0,
}
MAX_TEXT = 2000


class SignatureError(ValueError):
    """A signature file or edit that does not validate; carries where the problem is."""

    def __init__(self, message: str, source: str = "", line: int | None = None) -> None:
        self.source = source
        self.line = line
        where = f"{source}:{line}: " if source and line else (f"{source}: " if source else "")
        super().__init__(f"{where}{message}")


@dataclass(frozen=True, slots=True)
class Signature:
    """One scam method: what it looks like, how to explain it, what to advise."""

    id: str
    method: str
    title_vi: str
    title_en: str
    summary_vi: str
    summary_en: str
    weight: float
    cues: tuple[str, ...]
    strong_cues: tuple[str, ...]
    advice_vi: tuple[str, ...]
    advice_en: tuple[str, ...]
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]
    sources: tuple[str, ...] = ()

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_vi

    def summary(self, lang: str) -> str:
        return self.summary_en if lang == "en" else self.summary_vi

    def advice(self, lang: str) -> tuple[str, ...]:
        return self.advice_en if lang == "en" else self.advice_vi

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "method": self.method,
            "title_vi": self.title_vi,
            "title_en": self.title_en,
            "summary_vi": self.summary_vi,
            "summary_en": self.summary_en,
            "weight": self.weight,
            **{key: list(getattr(self, key)) for key in LIST_FIELDS},
        }


def _line_of(text: str, key: str) -> int | None:
    match = re.search(rf"^[ \t]*{re.escape(key)}[ \t]*=", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def signature_from_dict(data: dict[str, Any], source: str = "", text: str = "") -> Signature:
    """Validate a mapping (from TOML or an officer's edit) and build a Signature."""

    def fail(message: str, key: str = "") -> SignatureError:
        return SignatureError(message, source, _line_of(text, key) if key and text else None)

    unknown = set(data) - {"id", "weight", *REQUIRED_TEXT, *LIST_FIELDS}
    if unknown:
        raise fail(f"unknown key(s): {', '.join(sorted(unknown))}", sorted(unknown)[0])
    sid = data.get("id")
    if not isinstance(sid, str) or not _ID.match(sid):
        raise fail("id must be lower-case letters, digits and hyphens", "id")
    for key in REQUIRED_TEXT:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
            raise fail(f"{key} must be a non-empty string of at most {MAX_TEXT} characters", key)
    weight = data.get("weight", 1.0)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0.5 <= weight <= 1.5:
        raise fail("weight must be a number between 0.5 and 1.5", "weight")
    lists: dict[str, tuple[str, ...]] = {}
    for key, minimum in LIST_FIELDS.items():
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise fail(f"{key} must be a list of non-empty strings", key)
        if len(value) < minimum:
            raise fail(f"{key} needs at least {minimum} entries (has {len(value)})", key)
        if any(len(v) > MAX_TEXT for v in value):
            raise fail(f"{key}: an entry is longer than {MAX_TEXT} characters", key)
        lists[key] = tuple(v.strip() for v in value)
    for key in ("cues", "strong_cues"):
        short = [c for c in lists[key] if len(c.split()) < 2]
        if short:
            raise fail(f"{key}: a cue needs at least two words: {short[0]!r}", key)
    return Signature(
        id=sid,
        method=data["method"].strip(),
        title_vi=data["title_vi"].strip(),
        title_en=data["title_en"].strip(),
        summary_vi=data["summary_vi"].strip(),
        summary_en=data["summary_en"].strip(),
        weight=float(weight),
        **lists,
    )


def parse_signature_toml(text: str, source: str, expected_id: str | None = None) -> Signature:
    """Parse and validate one signature file; errors name the file and line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))
        line = getattr(exc, "lineno", None) or (int(found.group(1)) if found else None)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise SignatureError(f"not valid TOML: {message}", source, line) from exc
    signature = signature_from_dict(data, source, text)
    if expected_id is not None and signature.id != expected_id:
        raise SignatureError(
            f"id {signature.id!r} does not match the file name {expected_id!r}", source, _line_of(text, "id")
        )
    return signature
