"""Images the bot made (the /stats chart), lent to Zalo by address: its sendPhoto takes a URL, never the bytes.

Each image is kept in memory for a few minutes under an unguessable name (`secrets.token_urlsafe`, 192 random bits)
and served at GET /media/<name>.png by the bot's own web server, whose public root is `[web] public_url`. At most
MAX_IMAGES are kept, the oldest dropped first; nothing is written to disk, and the address names no one. Written
here rather than taken from a library because it is a bounded dict with expiry and one route.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

MEDIA_PATH = "/media"
TTL_SECONDS = 600.0  # long enough for Zalo to fetch the image after sendPhoto, short enough not to linger
MAX_IMAGES = 32  # a chart is about 200 kB: a few MB at most
_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


class MediaShelf:
    """PNG images by random name, each for TTL_SECONDS, at most MAX_IMAGES at a time."""

    def __init__(
        self,
        public_url: str,
        ttl_seconds: float = TTL_SECONDS,
        max_images: int = MAX_IMAGES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._root = public_url.rstrip("/") + MEDIA_PATH
        self._ttl = ttl_seconds
        self._max = max_images
        self._clock = clock
        self._images: OrderedDict[str, tuple[bytes, float]] = OrderedDict()

    def put(self, png: bytes) -> str:
        """Keep the image; the public address Zalo can fetch it from."""
        self._forget_expired()
        name = secrets.token_urlsafe(24)
        self._images[name] = (png, self._clock() + self._ttl)
        while len(self._images) > self._max:
            self._images.popitem(last=False)
        return f"{self._root}/{name}.png"

    def get(self, name: str) -> bytes | None:
        """The image under `name`, or None when unknown or expired."""
        self._forget_expired()
        entry = self._images.get(name)
        return entry[0] if entry is not None else None

    def routes(self) -> list[BaseRoute]:
        """GET /media/<name>.png for the shared web app."""
        return [Route(MEDIA_PATH + "/{file}", self._serve, methods=["GET"])]

    def __len__(self) -> int:
        return len(self._images)

    async def _serve(self, request: Request) -> Response:
        name, dot, extension = str(request.path_params["file"]).rpartition(".")
        png = self.get(name) if dot and extension == "png" else None
        if png is None:
            return Response(status_code=404, headers=_HEADERS)
        return Response(png, media_type="image/png", headers=_HEADERS)

    def _forget_expired(self) -> None:
        now = self._clock()
        for name in [name for name, (_, expires) in self._images.items() if expires <= now]:
            del self._images[name]
