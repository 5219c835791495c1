"""Text in a screenshot: Tesseract's Vietnamese model through tesserocr, in-process.

Preprocessing as measured on synthetic Vietnamese phone screenshots: greyscale, inverted when the picture is
dark (dark mode), upscaled 2x when narrower than 1,000 px (Telegram-recompressed and re-forwarded copies), and
page segmentation mode 4 (one column of lines of varying size). One Tesseract instance per worker thread:
an instance is not thread-safe, and tesserocr releases the GIL while it recognises, so the event loop runs on.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import tesserocr
from PIL import Image, ImageOps

DARK_MEDIAN = 100  # a median grey below this is a dark-mode screen: invert it
NARROW = 1000  # narrower than this: upscale 2x
# Debian's folders, newest first; TESSDATA_PREFIX wins when set.
_DEBIAN_TESSDATA = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata")
_WORDISH = re.compile(r"[^\W_]{2,}")
_ENTITY = re.compile(r"(?:https?://)?[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/\S*)?|\+?\d[\d .\-]{6,}\d", re.IGNORECASE)


def find_tessdata(configured: str = "") -> str | None:
    """The folder holding vie.traineddata, or None when Tesseract's Vietnamese data is not installed."""
    candidates = [configured] if configured else [os.environ.get("TESSDATA_PREFIX", ""), *_DEBIAN_TESSDATA]
    for folder in candidates:
        if folder and (Path(folder) / "vie.traineddata").is_file():
            return folder.rstrip("/") + "/"
    return None


def prepare(image: Image.Image) -> Image.Image:
    """Greyscale, dark text on light, and at least NARROW pixels wide."""
    grey = image.convert("L")
    histogram = grey.histogram()
    half, seen, median = grey.width * grey.height / 2, 0, 0
    for level, count in enumerate(histogram):
        seen += count
        if seen >= half:
            median = level
            break
    if median < DARK_MEDIAN:
        grey = ImageOps.invert(grey)
    if grey.width < NARROW:
        grey = grey.resize((grey.width * 2, grey.height * 2), Image.Resampling.BICUBIC)
    return grey


class TextReader:
    """Reads text with one Tesseract instance per thread and language set."""

    def __init__(self, tessdata: str) -> None:
        self._tessdata = tessdata
        self._local = threading.local()

    def _api(self, lang: str) -> tesserocr.PyTessBaseAPI:
        apis: dict[str, tesserocr.PyTessBaseAPI] | None = getattr(self._local, "apis", None)
        if apis is None:
            apis = self._local.apis = {}
        if lang not in apis:
            apis[lang] = tesserocr.PyTessBaseAPI(
                path=self._tessdata, lang=lang, psm=tesserocr.PSM.SINGLE_COLUMN, oem=tesserocr.OEM.LSTM_ONLY
            )
        return apis[lang]

    def lines(self, prepared: Image.Image, lang: str = "vie", timeout: float = 10.0) -> list[str]:
        """The text lines, top to bottom, without lines of stray marks (status-bar icons, avatars)."""
        api = self._api(lang)
        api.SetImage(prepared)
        api.Recognize(timeout=int(timeout * 1000))  # Tesseract's own deadline: a stuck page stops itself
        text = api.GetUTF8Text()
        api.Clear()
        return [" ".join(line.split()) for line in text.splitlines() if _WORDISH.search(line)]


def extra_entities(first: list[str], second: list[str]) -> list[str]:
    """Links and numbers of a second reading that the first did not read the same way."""
    seen = " ".join(first)
    out: list[str] = []
    for line in second:
        for match in _ENTITY.finditer(line):
            value = match.group(0)
            if value not in seen and value not in out:
                out.append(value)
    return out
