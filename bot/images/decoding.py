"""Opening an image safely: the pixel count is checked from the header before anything is decoded."""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from handlers.ports.images import ImageProblem, ImageRefused

# Pillow refuses, by itself, anything above twice its MAX_IMAGE_PIXELS; our own limit is checked first.
Image.MAX_IMAGE_PIXELS = 200_000_000


def open_image(data: bytes, max_pixels: int) -> Image.Image:
    """The first frame of the image in `data`, upright, as RGB; ImageRefused when it is not an image or too big."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size  # read from the header: nothing is decoded yet
            if width * height > max_pixels:
                raise ImageRefused(ImageProblem.TOO_MANY_PIXELS)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRefused(ImageProblem.TOO_MANY_PIXELS) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ImageRefused(ImageProblem.NOT_AN_IMAGE) from exc
    upright: Image.Image = ImageOps.exif_transpose(image) or image
    if upright.mode in ("RGBA", "LA", "P", "PA"):
        rgba = upright.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return upright.convert("RGB")
