"""One image, start to finish, in a worker thread: open it within limits, decode QR codes, read the text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from bot.images.decoding import open_image
from bot.images.ocr import TextReader, extra_entities, prepare
from bot.images.qr import decode_qr
from bot.images.regions import flatten
from handlers.ports.images import ImageReading

Tier = Literal["fast", "careful", "accurate"]
ReadFunction = Callable[[bytes], ImageReading]


@dataclass(frozen=True, slots=True)
class ScreenshotReader:
    """Reads a screenshot's bytes into an `ImageReading`; runs in a worker thread."""

    text: TextReader
    tier: Tier = "fast"
    max_pixels: int = 40_000_000
    timeout: float = 10.0

    def __call__(self, data: bytes) -> ImageReading:
        image = open_image(data, self.max_pixels)
        codes = decode_qr(image)
        # accurate: each coloured region (Messenger's sent bubbles, buttons, bands) made dark text on white first
        prepared = flatten(image) if self.tier == "accurate" else prepare(image)
        del image
        lines = self.text.lines(prepared, "vie", self.timeout)
        extra: list[str] = []
        if self.tier == "careful":  # Vietnamese+English reads links, digits and unaccented names more exactly
            extra = extra_entities(lines, self.text.lines(prepared, "vie+eng", self.timeout))
        return ImageReading(tuple(lines), codes, tuple(extra))
