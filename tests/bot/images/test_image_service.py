"""The image reader's limits: pixel bombs and non-images refused, a full queue answered "busy", a time limit."""

from __future__ import annotations

import asyncio
import threading

import pytest

from bot.config import OcrSettings
from bot.images import ImageService, build_image_service
from bot.images.decoding import open_image
from handlers.ports.images import ImageProblem, ImageReading, ImageRefused
from tests.screenshots import blank_png, bomb_png


def serve(data: bytes):
    async def fetch(ref: str, max_bytes: int) -> bytes:
        return data

    return fetch


def test_a_decompression_bomb_is_refused_before_decoding() -> None:
    data = bomb_png(20_000)  # 400 million pixels in a file of a few hundred kilobytes
    assert len(data) < 1_000_000
    with pytest.raises(ImageRefused) as refused:
        open_image(data, max_pixels=40_000_000)
    assert refused.value.problem is ImageProblem.TOO_MANY_PIXELS


@pytest.mark.parametrize("data", [b"%PDF-1.7 not an image", b"", b"\x89PNG\r\n\x1a\n truncated"])
def test_what_is_not_an_image_is_refused(data: bytes) -> None:
    with pytest.raises(ImageRefused) as refused:
        open_image(data, max_pixels=40_000_000)
    assert refused.value.problem is ImageProblem.NOT_AN_IMAGE


async def test_reading_off_refuses_everything() -> None:
    service = build_image_service(OcrSettings(enabled=False))
    assert not service.available
    with pytest.raises(ImageRefused) as refused:
        await service.read("telegram", "f")
    assert refused.value.problem is ImageProblem.OFF


async def test_missing_tesseract_data_turns_reading_off(tmp_path) -> None:
    service = build_image_service(OcrSettings(tessdata=str(tmp_path)))
    assert not service.available


async def test_a_full_queue_answers_busy_and_a_slow_image_times_out() -> None:
    release = threading.Event()

    def slow(data: bytes) -> ImageReading:
        release.wait(5)
        return ImageReading(("xong",))

    service = ImageService(slow, workers=1, queue=1, timeout=0.5)
    service.add_fetcher("telegram", serve(blank_png()))
    first = asyncio.create_task(service.read("telegram", "a"))
    second = asyncio.create_task(service.read("telegram", "b"))
    await asyncio.sleep(0.05)
    with pytest.raises(ImageRefused) as busy:
        await service.read("telegram", "c")
    assert busy.value.problem is ImageProblem.BUSY
    for task in (first, second):
        with pytest.raises(ImageRefused) as slow_one:
            await task
        assert slow_one.value.problem is ImageProblem.TOO_SLOW
    release.set()
    service.close()


async def test_bytes_over_the_limit_are_refused() -> None:
    service = ImageService(lambda data: ImageReading(()), max_bytes=2048)
    service.add_fetcher("zalo", serve(b"x" * 4096))
    with pytest.raises(ImageRefused) as refused:
        await service.read("zalo", "u")
    assert refused.value.problem is ImageProblem.TOO_LARGE
    service.close()
