"""Downloading a citizen's image from Zalo: the image event carries a plain URL, fetched within the size limit."""

from __future__ import annotations

import logging

import httpx

from handlers.ports.images import ImageProblem, ImageRefused

log = logging.getLogger(__name__)
TIMEOUT = httpx.Timeout(15.0, connect=5.0)


class ZaloImages:
    """A `bot.images.Fetcher` for the image URLs in Zalo's `message.image.received` events."""

    def __init__(self) -> None:
        self._client = httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=True, max_redirects=3)

    async def __call__(self, url: str, max_bytes: int) -> bytes:
        if not url.startswith(("https://", "http://")):
            raise ImageRefused(ImageProblem.DOWNLOAD_FAILED)
        try:
            async with self._client.stream("GET", url) as response:
                if response.status_code != 200:
                    log.warning("Zalo image download answered HTTP %s", response.status_code)
                    raise ImageRefused(ImageProblem.DOWNLOAD_FAILED)
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise ImageRefused(ImageProblem.TOO_LARGE)
                kind = response.headers.get("content-type", "image/").split(";")[0].strip().lower()
                if not kind.startswith("image/") and kind != "application/octet-stream":
                    raise ImageRefused(ImageProblem.NOT_AN_IMAGE)
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > max_bytes:  # a missing or false length: stop reading at the limit
                        raise ImageRefused(ImageProblem.TOO_LARGE)
                return bytes(body)
        except httpx.HTTPError as exc:
            log.warning("Zalo image download failed: %s", type(exc).__name__)
            raise ImageRefused(ImageProblem.DOWNLOAD_FAILED) from exc

    async def close(self) -> None:
        await self._client.aclose()
