"""Reading the screenshots citizens send: text (Tesseract) and QR codes (zxing-cpp), off the event loop."""

from __future__ import annotations

import logging
from pathlib import Path

from bot.config import OcrSettings
from bot.images.service import Fetcher, ImageService

log = logging.getLogger(__name__)

__all__ = ["Fetcher", "ImageService", "build_image_service"]


def build_image_service(settings: OcrSettings) -> ImageService:
    """The configured reader; one that refuses every image when reading is off or Tesseract's data is missing."""
    if not settings.enabled:
        log.info("image reading is off ([ocr] enabled = false)")
        return ImageService(None)
    try:
        from bot.images.ocr import TextReader, find_tessdata
        from bot.images.reading import ScreenshotReader
    except ImportError as exc:  # tesserocr or zxing-cpp not installed
        log.warning("image reading is off: %s (install the project's locked dependencies)", exc)
        return ImageService(None)
    tessdata = find_tessdata(settings.tessdata)
    if tessdata is None:
        log.warning(
            "image reading is off: Tesseract's Vietnamese data is missing "
            "(apt-get install tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng)"
        )
        return ImageService(None)
    tier = settings.tier
    if tier == "careful" and not Path(tessdata, "eng.traineddata").is_file():
        log.warning("[ocr] tier careful needs tesseract-ocr-eng; reading with the fast tier")
        tier = "fast"
    reader = ScreenshotReader(TextReader(tessdata), tier, settings.max_pixels, settings.timeout)
    log.info("image reading on: tier %s, %d worker(s), tessdata %s", tier, settings.workers, tessdata)
    return ImageService(
        reader, workers=settings.workers, queue=settings.queue, timeout=settings.timeout, max_bytes=settings.max_bytes
    )
