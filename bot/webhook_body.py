"""A webhook request's body: its size limit enforced while it arrives, and a client that hangs up kept quiet.

Both webhook routes read their bodies here. A body announced (Content-Length) or arriving larger than the limit
is refused at once, without reading the rest. A client that hangs up mid-body is an ordinary event on the
internet: it costs a DEBUG line, never a traceback. How long a body may take is the web server's rule
(`[web] body_timeout`, bot/web_server.py).
"""

from __future__ import annotations

import logging

from starlette.requests import ClientDisconnect, Request

log = logging.getLogger(__name__)
CLOSE = {"Connection": "close"}  # a refused body may still be arriving: the connection cannot be reused


class BodyRefused(Exception):
    """The body was not read: `status` is the answer (413 too large, 400 the client hung up)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, at most `limit` bytes; BodyRefused otherwise."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyRefused(413, "too large")
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                raise BodyRefused(413, "too large")
    except ClientDisconnect:
        log.debug("%s: the client hung up before its body ended", request.url.path)
        raise BodyRefused(400, "client disconnected") from None
    return bytes(body)
