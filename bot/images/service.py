"""The image reader handlers use: downloads through each platform's fetcher, then reading in a bounded pool.

Never blocks the bot: at most `workers` images are read at once in worker threads (Tesseract and Pillow
release the GIL, so the event loop keeps answering text), at most `queue` more wait, and anyone beyond that is
told the bot is busy. Each image has a time limit. Image bytes live only in memory for the read.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor

from bot.images.reading import ReadFunction
from handlers.ports.images import ImageProblem, ImageReading, ImageRefused

log = logging.getLogger(__name__)
# A platform's download: (image reference, size limit in bytes) → bytes; raises ImageRefused.
Fetcher = Callable[[str, int], Awaitable[bytes]]


class ImageService:
    """Satisfies `handlers.ports.images.ImageReader`."""

    def __init__(
        self,
        read: ReadFunction | None,
        *,
        workers: int = 1,
        queue: int = 8,
        timeout: float = 10.0,
        max_bytes: int = 20 * 1024 * 1024,
    ) -> None:
        self._read = read
        self._timeout = timeout
        self.max_bytes = max_bytes
        self._capacity = workers + queue
        self._in_hand = 0
        self._fetchers: dict[str, Fetcher] = {}
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="image") if read else None

    @property
    def available(self) -> bool:
        return self._read is not None

    def add_fetcher(self, platform: str, fetcher: Fetcher) -> None:
        self._fetchers[platform] = fetcher

    async def read(self, platform: str, ref: str) -> ImageReading:
        fetcher = self._fetchers.get(platform)
        if self._read is None or self._pool is None or fetcher is None:
            raise ImageRefused(ImageProblem.OFF)
        if self._in_hand >= self._capacity:
            raise ImageRefused(ImageProblem.BUSY)
        self._in_hand += 1
        try:
            data = await fetcher(ref, self.max_bytes)
            if len(data) > self.max_bytes:
                raise ImageRefused(ImageProblem.TOO_LARGE)
            job = asyncio.get_running_loop().run_in_executor(self._pool, self._read, data)
            del data
            try:
                return await asyncio.wait_for(job, self._timeout)
            except TimeoutError as exc:
                raise ImageRefused(ImageProblem.TOO_SLOW) from exc
        finally:
            self._in_hand -= 1

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
