"""A small fake Bot API (Telegram/Zalo shaped) on 127.0.0.1, port 0: records messages, enforces a rate, injects errors.

`POST /bot<token>/sendMessage|sendPhoto` with a JSON body. Every accepted message is recorded per chat. It can:
- enforce a rate (a token bucket of `rate` per second, small burst) and answer 429 with `retry_after`;
- answer 403 for blocked chats, 400 + migrate_to_chat_id for migrated groups, 500 a given number of times,
  429 a given number of times for one chat;
- hold requests (never answer, record nothing) once `hold_after` messages were accepted, to kill a client
  while requests are in flight.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes.server import LoopbackServer


class RateLimitedBotApi:
    def __init__(self, rate: float | None = None, burst: float | None = None, retry_after: float = 1.0) -> None:
        self.messages: dict[str, list[dict]] = defaultdict(list)
        self.rate, self.retry_after = rate, retry_after
        self.burst = burst if burst is not None else (max(3.0, rate / 10) if rate else 0.0)
        self._tokens, self._refilled = self.burst, time.monotonic()
        self.blocked: set[str] = set()
        self.migrate: dict[str, str] = {}
        self.fail_500: dict[str, int] = {}
        self.fail_429: dict[str, int] = {}
        self.hold_after: int | None = None
        self.held = 0
        self.answered_429 = 0
        self.first_at: float | None = None
        self.last_at: float | None = None
        self._release = asyncio.Event()
        self._server = LoopbackServer(
            Starlette(
                routes=[
                    Route("/bot{token}/{method}", self._call, methods=["POST"]),
                    Route("/stats", self._stats, methods=["GET"]),
                ]
            ),
            backlog=4096,
            limit_concurrency=None,
        )

    @property
    def total(self) -> int:
        return sum(len(items) for items in self.messages.values())

    def copies(self) -> dict[str, int]:
        return {chat: len(items) for chat, items in self.messages.items()}

    @property
    def url(self) -> str:
        return self._server.url

    async def start(self) -> str:
        return await self._server.start()

    def release(self) -> None:
        """Let held requests finish (answered 500, recorded nowhere)."""
        self.hold_after = None
        self._release.set()

    async def stop(self) -> None:
        self.release()
        await self._server.stop()

    def _take_token(self) -> bool:
        if not self.rate:
            return True
        now = time.monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._refilled) * self.rate)
        self._refilled = now
        if self._tokens >= 1:
            self._tokens -= 1
            return True
        return False

    async def _stats(self, request: Request) -> JSONResponse:
        """What was accepted, for a client in another process (the benchmark)."""
        return JSONResponse(
            {
                "copies": self.copies(),
                "answered_429": self.answered_429,
                "first_at": self.first_at,
                "last_at": self.last_at,
                "burst": self.burst,
            }
        )

    async def _call(self, request: Request) -> JSONResponse:
        body = await request.json()
        chat = str(body.get("chat_id"))
        if self.hold_after is not None and self.total >= self.hold_after:
            self.held += 1
            await self._release.wait()
            return _error(500, "Internal Server Error: held")
        if self.fail_429.get(chat, 0) > 0:
            self.fail_429[chat] -= 1
            return _error(429, f"Too Many Requests: retry after {self.retry_after:g}", retry_after=self.retry_after)
        if not self._take_token():
            self.answered_429 += 1
            return _error(429, f"Too Many Requests: retry after {self.retry_after:g}", retry_after=self.retry_after)
        if chat in self.blocked:
            return _error(403, "Forbidden: bot was blocked by the user")
        if chat in self.migrate:
            return _error(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                migrate_to_chat_id=int(self.migrate[chat]),
            )
        if self.fail_500.get(chat, 0) > 0:
            self.fail_500[chat] -= 1
            return _error(500, "Internal Server Error")
        now = time.monotonic()
        self.first_at = self.first_at or now
        self.last_at = now
        self.messages[chat].append({"method": request.path_params["method"], **body})
        return JSONResponse({"ok": True, "result": {"message_id": self.total, "chat": {"id": chat}}})


def _error(code: int, description: str, **parameters: object) -> JSONResponse:
    body: dict = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return JSONResponse(body, status_code=code)


async def _serve_forever(rate: float | None) -> None:
    api = RateLimitedBotApi(rate=rate)
    print(await api.start(), flush=True)
    await asyncio.Event().wait()


def main(argv: list[str]) -> None:
    """python -m tests.fakes.rate_limited_api [RATE]: serve until killed, print the URL."""
    asyncio.run(_serve_forever(float(argv[0]) if argv else None))


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
