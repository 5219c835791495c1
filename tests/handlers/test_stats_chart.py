"""The statistics chart: a phone-sized PNG, the same bytes for the same counts, whatever the counts are."""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image

from handlers.activity import Activity
from handlers.catalogue import load_catalogue
from handlers.ports import FeedbackStats
from handlers.stats_chart import PIXELS, draw_chart


def activity(days: int, scale: int = 1, methods: tuple[tuple[str, int], ...] = ()) -> Activity:
    """A window ending on 27 November 2026 with counts that vary from day to day."""
    window = tuple(dt.date(2026, 11, 27) - dt.timedelta(days=n) for n in reversed(range(days)))

    def series(offset: int) -> tuple[int, ...]:
        return tuple(scale * ((day * 7 + offset) % 11) for day in range(days))

    return Activity(
        days=window,
        checks={"high": series(1), "medium": series(2), "low": series(3)},
        methods=methods,
        received=series(4),
        decisions={"scam": series(5), "not_scam": series(6), "unclear": series(7)},
        deliveries={"sent": series(8), "failed": series(9)},
        feedback=FeedbackStats(correct=3, incorrect=1),
        pending=2,
    )


def png_size(png: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        image.load()  # decodes every pixel: a truncated file fails here
        return image.size


def test_the_chart_fits_a_phone_screen() -> None:
    width, height = PIXELS
    assert width == 1080 and 1.5 <= height / width <= 2 and width + height <= 10_000  # Telegram's photo limit


def test_the_same_counts_give_the_same_bytes() -> None:
    titles = {"electricity": "Giả danh điện lực (EVN)"}
    week = activity(7, methods=(("electricity", 40), ("fake-bank-staff", 12)))
    first = draw_chart(week, load_catalogue(), "vi", titles)
    assert draw_chart(week, load_catalogue(), "vi", titles) == first
    assert draw_chart(week, load_catalogue(), "en", titles) != first
    assert png_size(first) == PIXELS


def test_empty_and_full_windows_draw() -> None:
    nothing = activity(365, scale=0)
    assert png_size(draw_chart(nothing, load_catalogue(), "vi", {})) == PIXELS
    busy = activity(1, scale=100_000, methods=tuple((f"method-{n}", 10_000 - n) for n in range(6)))
    assert png_size(draw_chart(busy, load_catalogue(), "en", {})) == PIXELS


def test_method_titles_are_shown_as_written() -> None:
    # An officer's title may hold "$", which matplotlib would otherwise take for the start of a formula.
    odd = {"odd": "Nạp $100 nhận $500 ngay hôm nay, chỉ cần chuyển khoản trước một khoản phí nhỏ"}
    png = draw_chart(activity(3, methods=(("odd", 5), ("no-title", 2))), load_catalogue(), "vi", odd)
    assert png_size(png) == PIXELS
