"""The accurate tier's preprocessing: every coloured region made dark text on white, whatever its own colours.

Plain Tesseract loses text in filled shapes of a middle tone (Messenger's blue or purple "sent" bubbles, coloured
buttons and bands): its global threshold turns the shape black together with the white text on it. Here the
screenshot is split by colour into its fill regions (the page, bubbles, buttons, bands: colours that cover solid
areas, found on a quarter-size copy), each region's text holes are filled (a bubble surrounds its text), and each
pixel becomes its distance from its own region's colour: text on any fill turns dark, every fill turns white.
Pillow and numpy only; no model.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageChops, ImageFilter, ImageOps

from bot.images.ocr import NARROW

SCALE = 4  # fill regions are found on a copy this many times smaller
MAX_FILLS = 8  # the most frequent colours looked at
MIN_SHARE = 0.004  # a colour covering less of the picture is not a fill
SAME_COLOUR = 28  # largest channel difference within one fill (JPEG noise, anti-aliasing)
SOLID = 5  # a fill survives an erosion this wide (on the small copy); text strokes do not
GAIN = 2.0  # distance to contrast: white text on a mid-tone blue (distance ~145) comes out black


def flatten(image: Image.Image) -> Image.Image:
    """Greyscale with dark text on white in every fill region, at least NARROW pixels wide."""
    if image.width < NARROW:
        image = image.resize((image.width * 2, image.height * 2), Image.Resampling.BICUBIC)
    small = np.asarray(image.reduce(SCALE), dtype=np.int16)
    fills, owner = _fills(small)
    if not fills:
        return ImageOps.grayscale(image)
    # Along a region's edge (known only to the small copy's precision) a pixel may belong to either side: its
    # distance is to the nearer of the two, so that edges do not come out as dark outlines read as "(" or "—".
    # The full-size work is Pillow's (C, 8-bit): a paletted map of fills, differences, per-pixel max and min.
    owners = Image.fromarray(owner.astype(np.uint8), "L")
    palette = [round(float(v)) for fill in fills for v in fill]
    distance: Image.Image | None = None
    for side in (ImageFilter.MinFilter(3), ImageFilter.MaxFilter(3)):
        near = owners.filter(side)
        near.putpalette(palette)  # an index per pixel → its fill's colour
        near = near.resize(image.size, Image.Resampling.NEAREST).convert("RGB")
        red, green, blue = ImageChops.difference(image, near).split()
        farthest = ImageChops.lighter(ImageChops.lighter(red, green), blue)
        distance = farthest if distance is None else ImageChops.darker(distance, farthest)
    assert distance is not None
    return distance.point([255 - min(255, round(v * GAIN)) for v in range(256)])


def _fills(small: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """The fill colours (the page's first) and, per pixel of the small copy, the index of the fill it lies in."""
    key = ((small[..., 0] >> 5) << 6) | ((small[..., 1] >> 5) << 3) | (small[..., 2] >> 5)
    counts = np.bincount(key.ravel(), minlength=512)
    owner = np.zeros(key.shape, dtype=np.int16)
    fills: list[np.ndarray] = []
    seen: list[np.ndarray] = []
    for k in np.argsort(counts)[::-1][:MAX_FILLS]:
        if counts[k] < MIN_SHARE * key.size:
            break
        centre = small[key == k].mean(axis=0)
        if any(np.abs(centre - other).max() <= SAME_COLOUR for other in seen):
            continue
        seen.append(centre)
        mask = Image.fromarray((np.abs(small - centre).max(axis=2) <= SAME_COLOUR).astype(np.uint8) * 255)
        solid = _grown(_shrunk(mask))
        if not np.any(np.asarray(solid)):
            continue  # a text colour: its strokes vanish under the erosion
        if fills:  # the page's colour is everywhere else; a bubble or button also owns the text it surrounds
            owner[(owner == 0) & _holes_filled(solid)] = len(fills)
        fills.append(centre)
    return fills, owner


def _shrunk(mask: Image.Image) -> Image.Image:
    """Erosion by a SOLID-wide square: only where the whole box is set (a box blur is much faster than a rank
    filter)."""
    return mask.filter(ImageFilter.BoxBlur(SOLID // 2)).point([255 if v >= 250 else 0 for v in range(256)])


def _grown(mask: Image.Image) -> Image.Image:
    """Dilation by a SOLID-wide square: wherever the box touches the mask."""
    return mask.filter(ImageFilter.BoxBlur(SOLID // 2)).point([255 if v > 5 else 0 for v in range(256)])


def _holes_filled(mask: Image.Image) -> np.ndarray:
    """The mask plus what it encloses along both its rows and its columns: the text inside a bubble, button or
    band (a flood fill in Python would take seconds; this is four running maxima)."""
    on: np.ndarray = np.asarray(mask) > 0
    filled: np.ndarray = on | (_between(on, 0) & _between(on, 1))
    return filled


def _between(on: np.ndarray, axis: int) -> np.ndarray:
    """Where the mask lies on both sides along the axis."""
    before = np.maximum.accumulate(on, axis=axis)
    after = np.flip(np.maximum.accumulate(np.flip(on, axis=axis), axis=axis), axis=axis)
    return before & after
