"""QR codes in an image, with zxing-cpp (a self-contained wheel: inverted, small and logo-covered codes too)."""

from __future__ import annotations

import zxingcpp
from PIL import Image

MAX_CODES = 4
_QR = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
# Thumbnails (a re-forwarded screenshot) can shrink a code below what the decoder finds; one retry at twice the size.
SMALL_SIDE = 1000


def decode_qr(image: Image.Image) -> tuple[str, ...]:
    """The texts of the QR codes in the image, top to bottom."""
    found = _read(image)
    if not found and min(image.size) < SMALL_SIDE:
        found = _read(image.resize((image.width * 2, image.height * 2), Image.Resampling.BICUBIC))
    return tuple(found[:MAX_CODES])


def _read(image: Image.Image) -> list[str]:
    results = zxingcpp.read_barcodes(image, formats=_QR)
    ordered = sorted(results, key=lambda r: (r.position.top_left.y, r.position.top_left.x))
    return [r.text for r in ordered if r.valid and r.text]
