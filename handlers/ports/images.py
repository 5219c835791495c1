"""The image-reading port: what a handler may ask of the screenshot reader that `bot/images` runs.

A handler hands over the platform and the image's reference (a Telegram file id, a Zalo URL) and gets back the
text read and the QR codes decoded, or an `ImageRefused` naming why not. Images are never stored.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol


class ImageProblem(enum.StrEnum):
    """Why an image was not read; each has its text in the catalogue as `image.problem.<value>`."""

    OFF = "off"  # image reading is not available on this installation
    TOO_LARGE = "too_large"  # the file is over the size limit
    TOO_MANY_PIXELS = "too_many_pixels"  # the picture unpacks to too many pixels
    NOT_AN_IMAGE = "not_an_image"
    BUSY = "busy"  # too many images waiting
    TOO_SLOW = "too_slow"  # reading took longer than allowed
    DOWNLOAD_FAILED = "download_failed"


class ImageRefused(Exception):
    """An image that was not read, and why."""

    def __init__(self, problem: ImageProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class ImageReading:
    """What was read in one image: text lines top to bottom, QR codes' texts, and extra entity strings (links,
    numbers) from a second reading that the first one got differently."""

    lines: tuple[str, ...]
    qr_texts: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


class ImageReader(Protocol):
    """Reads images for handlers; `available` is False when the installation cannot read them."""

    @property
    def available(self) -> bool: ...

    async def read(self, platform: str, ref: str) -> ImageReading:
        """Fetch and read one image; raises ImageRefused."""
        ...
