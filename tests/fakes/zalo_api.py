"""A fake Zalo Bot API server on 127.0.0.1 (Starlette + uvicorn, ephemeral port), driven by the real zalo_bot.

It speaks the shapes zalo_bot and the Zalo docs use: POST /bot<token>/<method> with a form-encoded (or JSON)
body, answers `{"ok": true, "result": …}` or `{"ok": false, "error_code", "description"}`. getUpdates long-polls
and returns ONE event (not a list) or, when none arrives in time, Zalo's "Request timeout" (error 408).
Every request is recorded; faults can be injected per method: ok:false in a 200, HTTP 408/429/500, slowness.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.fakes.server import EscapedJSONResponse, LoopbackServer

TOKEN = "1234567890:fake-zalo-secret-token"
_ids = itertools.count(1)


@dataclass(frozen=True)
class Recorded:
    method: str
    params: dict[str, str]
    token_ok: bool
    at: float  # the event loop's clock: time.monotonic(), unless a test makes the loop's time run faster


@dataclass
class Fault:
    """What to do instead of (or before) answering normally."""

    kind: str  # "ok_false" | "http" | "slow"
    code: int = 500
    delay: float = 0.0
    retry_after: int | None = None


@dataclass
class FakeZaloApi:
    token: str = TOKEN
    # How an empty long poll ends: "ok_false_408" (HTTP 200, ok:false, error_code 408),
    # "http_408" (HTTP 408 with the same body), or "ok_true_empty" (HTTP 200, ok:true, empty result).
    empty_style: str = "ok_false_408"
    # How a wrong token is refused: "http" (HTTP 401) or "ok_false" (HTTP 200 with ok:false, error_code 401).
    token_refusal: str = "http"
    max_hold: float = 1.0  # the longest a getUpdates is held, whatever timeout the client asks for
    requests: list[Recorded] = field(default_factory=list)
    refused_chats: set[str] = field(default_factory=set)
    webhook: dict[str, str] = field(default_factory=dict)
    # Images served at /images/<name>, as Zalo's CDN serves the URL in an image event: (bytes, content type).
    images: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    _events: deque[dict[str, Any]] = field(default_factory=deque)
    _faults: dict[str, deque[Fault]] = field(default_factory=dict)
    _gates: dict[str, asyncio.Event] = field(default_factory=dict)
    _changed: asyncio.Condition | None = None
    _server: LoopbackServer | None = None

    # --- control ---------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return self._server.port if self._server is not None else 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self._changed = asyncio.Condition()
        app = Starlette(
            routes=[
                Route("/bot{token:str}/{method:str}", self._endpoint, methods=["POST", "GET"]),
                Route("/images/{name:str}", self._image, methods=["GET"]),
            ]
        )
        self._server = LoopbackServer(app, ws="none", http="h11")
        await self._server.start()

    async def stop(self) -> None:
        if self._server is not None:
            self._server.request_exit()
            async with self._cond():
                self._cond().notify_all()  # wake held long polls so the server can shut down
            await self._server.stop()

    def add_image(self, data: bytes, content_type: str = "image/jpeg") -> str:
        """Serve `data` as an image and return its URL (what an image event's photo_url holds)."""
        name = f"img-{len(self.images) + 1}"
        self.images[name] = (data, content_type)
        return f"{self.base_url}/images/{name}"

    async def _image(self, request: Request) -> Response:
        self.requests.append(Recorded("image", {"name": request.path_params["name"]}, True, time.monotonic()))
        entry = self.images.get(request.path_params["name"])
        if entry is None:
            return Response(status_code=404)
        return Response(entry[0], media_type=entry[1])

    async def push(self, *events: dict[str, Any]) -> None:
        """Queue events for getUpdates (each returned by one call, in order)."""
        self._events.extend(events)
        await self._notify()

    def fail(
        self,
        method: str,
        kind: str,
        *,
        times: int = 1,
        code: int = 500,
        delay: float = 0.0,
        retry_after: int | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` with a fault instead of normally."""
        queue = self._faults.setdefault(method, deque())
        queue.extend(Fault(kind, code, delay, retry_after) for _ in range(times))

    def hold(self, method: str) -> asyncio.Event:
        """Calls of `method` wait, unanswered, until the returned event is set."""
        gate = self._gates[method] = asyncio.Event()
        return gate

    def calls(self, method: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method]

    def sent(self, chat_id: str | None = None) -> list[str]:
        """Texts of the sendMessage calls that were accepted, optionally to one chat."""
        return [
            r.params.get("text", "")
            for r in self.requests
            if r.method == "sendMessage"
            and r.params.get("accepted") == "yes"
            and (chat_id is None or r.params.get("chat_id") == chat_id)
        ]

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        """Wait until `predicate()` holds (checked after every request); TimeoutError otherwise."""
        async with self._cond():
            await asyncio.wait_for(self._cond().wait_for(predicate), timeout)

    async def wait_sent(self, chat_id: str, count: int = 1, timeout: float = 10.0) -> list[str]:
        await self.wait_for(lambda: len(self.sent(chat_id)) >= count, timeout)
        return self.sent(chat_id)

    # --- the API ---------------------------------------------------------------------------------

    async def _endpoint(self, request: Request) -> EscapedJSONResponse:
        method = request.path_params["method"]
        params = await _params(request)
        token_ok = request.path_params["token"] == self.token
        record = Recorded(method, params, token_ok, asyncio.get_running_loop().time())
        try:
            if not token_ok:
                body = {"ok": False, "error_code": 401, "description": "Unauthorized"}
                return EscapedJSONResponse(body, status_code=401 if self.token_refusal == "http" else 200)
            if (gate := self._gates.get(method)) is not None:
                await gate.wait()
            fault = self._next_fault(method)
            if fault is not None and fault.kind == "slow":
                await asyncio.sleep(fault.delay)
            elif fault is not None:
                return _fault_response(fault)
            return await self._answer(method, params)
        finally:
            self.requests.append(record)
            await self._notify()

    async def _answer(self, method: str, params: dict[str, str]) -> EscapedJSONResponse:
        if method == "getMe":
            return _ok(
                {"id": "bot-1", "account_name": "bot.canhgiac", "account_type": "BASIC", "can_join_groups": False}
            )
        if method == "getUpdates":
            return await self._get_updates(float(params.get("timeout") or 0))
        if method in ("sendMessage", "sendPhoto"):
            return self._send(method, params)
        if method == "sendChatAction":
            return _ok(True)
        if method == "setWebhook":
            url, secret = params.get("url", ""), params.get("secret_token", "")
            if not url.startswith("https://") or not 8 <= len(secret) <= 256:
                return _refusal(400, "Bad Request: invalid webhook url or secret_token")
            self.webhook = {"url": url, "secret_token": secret}
            return _ok({"url": url, "updated_at": int(time.time() * 1000)})
        if method == "deleteWebhook":
            self.webhook = {}
            return _ok({"url": "", "updated_at": int(time.time() * 1000)})
        if method == "getWebhookInfo":
            return _ok({"url": self.webhook.get("url", ""), "updated_at": int(time.time() * 1000)})
        return EscapedJSONResponse({"ok": False, "error_code": 404, "description": "Not Found"}, status_code=404)

    async def _get_updates(self, timeout: float) -> EscapedJSONResponse:
        if self.webhook:
            return _refusal(409, "Conflict: a webhook is set")
        deadline = time.monotonic() + min(timeout, self.max_hold)
        async with self._cond():
            while not self._events and not (self._server and self._server.exiting):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                try:
                    await asyncio.wait_for(self._cond().wait(), remaining)
                except TimeoutError:
                    break
            if self._events:
                return _ok(self._events.popleft())
        if self.empty_style == "ok_true_empty":
            return _ok({})
        body = {"ok": False, "error_code": 408, "description": "Request timeout"}
        return EscapedJSONResponse(body, status_code=408 if self.empty_style == "http_408" else 200)

    def _send(self, method: str, params: dict[str, str]) -> EscapedJSONResponse:
        text = params.get("text" if method == "sendMessage" else "caption", "")
        if params.get("chat_id") in self.refused_chats:
            return _refusal(403, "Forbidden: the user has blocked the bot")
        if method == "sendMessage" and not 1 <= len(text) <= 2000:
            return _refusal(400, "Bad Request: text must be 1-2000 characters")
        if method == "sendPhoto" and (len(text) > 2000 or not params.get("photo", "").startswith("http")):
            return _refusal(400, "Bad Request: invalid photo or caption")
        params["accepted"] = "yes"
        return _ok({"message_id": f"sent-{next(_ids)}", "date": int(time.time() * 1000)})

    def _next_fault(self, method: str) -> Fault | None:
        queue = self._faults.get(method)
        return queue.popleft() if queue else None

    def _cond(self) -> asyncio.Condition:
        assert self._changed is not None, "start() the fake first"
        return self._changed

    async def _notify(self) -> None:
        async with self._cond():
            self._cond().notify_all()


async def _params(request: Request) -> dict[str, str]:
    body = await request.body()
    if request.headers.get("content-type", "").startswith("application/json"):
        return {k: v if isinstance(v, str) else json.dumps(v) for k, v in json.loads(body or b"{}").items()}
    return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))


def _ok(result: Any) -> EscapedJSONResponse:
    return EscapedJSONResponse({"ok": True, "result": result})


def _refusal(code: int, description: str) -> EscapedJSONResponse:
    """Zalo answers refusals inside an HTTP 200 (ok:false with the error code)."""
    return EscapedJSONResponse({"ok": False, "error_code": code, "description": description})


def _fault_response(fault: Fault) -> EscapedJSONResponse:
    body: dict[str, Any] = {"ok": False, "error_code": fault.code, "description": f"injected fault {fault.code}"}
    if fault.retry_after is not None:
        body["parameters"] = {"retry_after": fault.retry_after}
    return EscapedJSONResponse(body, status_code=200 if fault.kind == "ok_false" else fault.code)


def text_event(
    chat_id: str,
    text: str,
    *,
    user_id: str | None = None,
    message_id: str | None = None,
    chat_type: str = "PRIVATE",
    name: str = "Người dùng",
    event_name: str = "message.text.received",
) -> dict[str, Any]:
    """A getUpdates result / webhook body as Zalo sends it (ids are strings, date in milliseconds)."""
    return {
        "event_name": event_name,
        "message": {
            "message_id": message_id or f"msg-{next(_ids)}",
            "date": int(time.time() * 1000),
            "chat": {"id": chat_id, "chat_type": chat_type},
            "from": {"id": user_id or chat_id, "display_name": name, "is_bot": False},
            "text": text,
        },
    }


def image_event(chat_id: str, photo_url: str, caption: str = "", **kwargs: Any) -> dict[str, Any]:
    event = text_event(chat_id, "", event_name="message.image.received", **kwargs)
    del event["message"]["text"]
    event["message"].update({"photo_url": photo_url, "caption": caption})
    return event
