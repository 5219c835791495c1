"""One way to serve a fake API: a Starlette app on uvicorn, 127.0.0.1, a port the OS picks; and its JSON answers."""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any

import uvicorn
from starlette.responses import JSONResponse
from starlette.types import ASGIApp


class EscapedJSONResponse(JSONResponse):
    """JSON with every non-ASCII character escaped, as the Bot APIs send it: a string may then hold a lone
    surrogate (`\\ud83d` from a cut emoji), which a UTF-8 body could not carry."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode("ascii")


class LoopbackServer:
    """`await start()` serves `app` on 127.0.0.1:<free port>; `await stop()` shuts it down (1 s grace).

    `options` go to `uvicorn.Config` on top of the defaults (no lifespan, warnings only, 1 s graceful shutdown).
    """

    def __init__(self, app: ASGIApp, **options: Any) -> None:
        self._config = uvicorn.Config(
            app, **{"log_level": "warning", "lifespan": "off", "timeout_graceful_shutdown": 1, **options}
        )
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def exiting(self) -> bool:
        """True once a stop was asked for (long polls check it to let go)."""
        return self._server is not None and self._server.should_exit

    async def start(self) -> str:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # accepted sockets inherit it: no 40 ms Nagle stalls
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        self._server = uvicorn.Server(self._config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        while not self._server.started:
            if self._task.done():
                self._task.result()  # start-up failed: raise its error
            await asyncio.sleep(0.001)
        return self.url

    def request_exit(self) -> None:
        """Ask the server to stop without waiting (then wake anything held, then `await stop()`)."""
        if self._server is not None:
            self._server.should_exit = True

    async def stop(self) -> None:
        self.request_exit()
        if self._task is not None:
            await self._task
