"""FakeTelegramApi: a local Telegram Bot API server for tests, driven by the real python-telegram-bot.

Starlette on uvicorn, 127.0.0.1, a random port. It records every request (method + parsed parameters),
serves long-polling getUpdates from a queue the test fills, and answers with an injected fault on demand:
429 with retry_after, 403, 400 with migrate_to_chat_id, 500, or a slow response.

`python -m tests.fakes.telegram_api` (from the checkout) serves one in a process of its own, driven through its
control routes: `in_another_process()` starts it so and gives its URL (the benchmarks use it).
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.fakes.server import EscapedJSONResponse, LoopbackServer

TOKEN = "123456:TEST-token-never-logged"
BOT_ID = 4242
BOT_USERNAME = "CanhGiacBot"
# PTB sends form fields; strings raw, everything else JSON-encoded. These are the non-string ones we read.
_JSON_FIELDS = {
    "chat_id",
    "user_id",
    "message_id",
    "offset",
    "timeout",
    "limit",
    "reply_markup",
    "reply_parameters",
    "commands",
    "scope",
    "allowed_updates",
    "link_preview_options",
    "drop_pending_updates",
}


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]
    at: float  # the event loop's clock: time.monotonic(), unless a test makes the loop's time run faster


@dataclass
class Fault:
    """Answer the next `times` calls of `method` (optionally only for `chat_id`) with this error.

    status 200 with a `delay` is a slow but successful answer.
    """

    method: str
    status: int
    times: int = 1
    chat_id: int | None = None
    retry_after: int | None = None
    migrate_to: int | None = None
    delay: float = 0.0
    description: str = ""

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        return (
            self.times > 0 and self.method == method and (self.chat_id is None or params.get("chat_id") == self.chat_id)
        )


@dataclass
class FakeTelegramApi:
    token: str = TOKEN
    calls: list[Call] = field(default_factory=list)
    admins: dict[tuple[int, int], str] = field(default_factory=dict)  # (chat, user) → status
    faults: list[Fault] = field(default_factory=list)
    webhook_url: str = ""
    files: dict[str, tuple[bytes, int]] = field(default_factory=dict)  # file id → (bytes, size getFile reports)

    def __post_init__(self) -> None:
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(5000)
        self._changed = asyncio.Condition()
        self._closing = False
        self.app = Starlette(
            routes=[
                Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"]),
                Route("/file/bot{token}/{path:path}", self._file, methods=["GET"]),
                # Control routes for a fake running in another process (in_another_process(), the benchmarks).
                Route("/__control/push", self._control_push, methods=["POST"]),
                Route("/__control/calls", self._control_calls, methods=["GET"]),
            ]
        )
        self._server = LoopbackServer(self.app, ws="none", http="h11")

    # Lifecycle -----------------------------------------------------------------------------------------

    async def start(self) -> None:
        await self._server.start()

    async def stop(self) -> None:
        self._closing = True
        async with self._changed:
            self._changed.notify_all()
        await self._server.stop()

    @property
    def port(self) -> int:
        return self._server.port

    @property
    def url(self) -> str:
        return self._server.url

    # Test controls -------------------------------------------------------------------------------------

    def push(self, update: dict[str, Any]) -> int:
        """Queue an update for getUpdates; returns its update_id."""
        update.setdefault("update_id", next(self._update_ids))
        self._updates.append(update)
        asyncio.get_running_loop().create_task(self._notify())
        return update["update_id"]

    def add_file(self, data: bytes, size: int | None = None) -> str:
        """Serve `data` as a file (getFile, then the file endpoint); `size` is what getFile says (default: its
        length). Returns its file id."""
        file_id = f"file-{len(self.files) + 1}"
        self.files[file_id] = (data, len(data) if size is None else size)
        return file_id

    def next_update_id(self) -> int:
        return next(self._update_ids)

    def fail(self, method: str, status: int, **kwargs: Any) -> Fault:
        fault = Fault(method, status, **kwargs)
        self.faults.append(fault)
        return fault

    def sent(self, method: str = "sendMessage", chat_id: int | None = None) -> list[Call]:
        """Successful calls of `method` (faulted ones are recorded with params['_fault'])."""
        return [
            c
            for c in self.calls
            if c.method == method
            and "_fault" not in c.params
            and (chat_id is None or c.params.get("chat_id") == chat_id)
        ]

    def texts(self, chat_id: int | None = None) -> list[str]:
        return [c.params["text"] for c in self.sent("sendMessage", chat_id)]

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        """Wait until `predicate()` holds (re-checked on every request); fails the test on timeout."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(predicate), timeout)

    async def wait_sent(
        self, count: int = 1, method: str = "sendMessage", chat_id: int | None = None, timeout: float = 10.0
    ) -> list[Call]:
        await self.wait_for(lambda: len(self.sent(method, chat_id)) >= count, timeout)
        return self.sent(method, chat_id)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _control_push(self, request: Request) -> EscapedJSONResponse:
        ids = [self.push(update) for update in await request.json()]
        return EscapedJSONResponse(ids)

    async def _control_calls(self, request: Request) -> EscapedJSONResponse:
        since = int(request.query_params.get("since", "0"))
        rows = [[c.method, c.params.get("chat_id"), c.at] for c in self.calls[since:]]
        return EscapedJSONResponse(rows)

    # Bot API -------------------------------------------------------------------------------------------

    async def _endpoint(self, request: Request) -> EscapedJSONResponse:
        if request.path_params["token"] != self.token:
            return EscapedJSONResponse({"ok": False, "error_code": 401, "description": "Unauthorized"}, status_code=401)
        method = request.path_params["method"]
        params = _parse(await request.body(), request.headers.get("content-type", ""))
        fault = next((f for f in self.faults if f.matches(method, params)), None)
        if fault is not None:
            fault.times -= 1
        if fault is not None and fault.status == 200:  # a slow but successful answer
            await asyncio.sleep(fault.delay)
            fault = None
        if fault is not None:
            params["_fault"] = fault.status
        self.calls.append(Call(method, params, asyncio.get_running_loop().time()))
        await self._notify()
        if fault is not None:
            return _fault_response(fault)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return EscapedJSONResponse({"ok": False, "error_code": 404, "description": "Not Found"}, status_code=404)
        return EscapedJSONResponse({"ok": True, "result": await handler(params)})

    async def _file(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return Response(status_code=401)
        path = request.path_params["path"]
        self.calls.append(Call("file", {"path": path}, asyncio.get_running_loop().time()))
        await self._notify()
        entry = self.files.get(path.removeprefix("photos/"))
        if entry is None:
            return Response(status_code=404)
        return Response(entry[0], media_type="application/octet-stream")

    async def _api_getFile(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params.get("file_id", ""))
        _, size = self.files.get(file_id, (b"", 0))
        path = f"photos/{file_id}"
        return {"file_id": file_id, "file_unique_id": f"u-{file_id}", "file_size": size, "file_path": path}

    async def _api_getMe(self, _: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Cảnh Giác",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        timeout = float(params.get("timeout") or 0)
        if not self._updates and timeout and not self._closing:
            async with self._changed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._changed.wait_for(lambda: bool(self._updates) or self._closing), timeout
                    )
        return self._updates[: int(params.get("limit") or 100)]

    async def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._message(params, text=params.get("text", ""))

    async def _api_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        photo = [{"file_id": "ph1", "file_unique_id": "u1", "width": 90, "height": 90}]
        return self._message(params, photo=photo, caption=params.get("caption", ""))

    async def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._message(params, text=params.get("text", ""), message_id=params.get("message_id"))

    async def _api_answerCallbackQuery(self, _: dict[str, Any]) -> bool:
        return True

    async def _api_setMyCommands(self, _: dict[str, Any]) -> bool:
        return True

    async def _api_deleteMyCommands(self, _: dict[str, Any]) -> bool:
        return True

    async def _api_getChatMember(self, params: dict[str, Any]) -> dict[str, Any]:
        user = {"id": params["user_id"], "is_bot": False, "first_name": "U"}
        status = self.admins.get((params["chat_id"], params["user_id"]), "member")
        if status == "administrator":
            rights = (
                "can_be_edited",
                "is_anonymous",
                "can_manage_chat",
                "can_delete_messages",
                "can_manage_video_chats",
                "can_restrict_members",
                "can_promote_members",
                "can_change_info",
                "can_invite_users",
                "can_post_stories",
                "can_edit_stories",
                "can_delete_stories",
            )
            return {"status": status, "user": user, **dict.fromkeys(rights, False)}
        if status == "creator":
            return {"status": status, "user": user, "is_anonymous": False}
        return {"status": status, "user": user}

    async def _api_setWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook_url = params.get("url", "")
        return True

    async def _api_deleteWebhook(self, _: dict[str, Any]) -> bool:
        self.webhook_url = ""
        return True

    async def _api_getWebhookInfo(self, _: dict[str, Any]) -> dict[str, Any]:
        return {"url": self.webhook_url, "has_custom_certificate": False, "pending_update_count": len(self._updates)}

    def _message(self, params: dict[str, Any], message_id: int | None = None, **content: Any) -> dict[str, Any]:
        chat_id = params.get("chat_id")
        chat = {"id": chat_id, "type": "private" if isinstance(chat_id, int) and chat_id > 0 else "supergroup"}
        if chat["type"] != "private":
            chat["title"] = "Nhóm"
        sender = {"id": BOT_ID, "is_bot": True, "first_name": "Cảnh Giác", "username": BOT_USERNAME}
        return {
            "message_id": message_id or next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": sender,
            **content,
        }


def _fault_response(fault: Fault) -> EscapedJSONResponse:
    parameters: dict[str, Any] = {}
    if fault.retry_after is not None:
        parameters["retry_after"] = fault.retry_after
    if fault.migrate_to is not None:
        parameters["migrate_to_chat_id"] = fault.migrate_to
    description = fault.description or {
        429: f"Too Many Requests: retry after {fault.retry_after}",
        403: "Forbidden: bot was kicked from the group chat",
        400: "Bad Request: group chat was upgraded to a supergroup chat",
        500: "Internal Server Error",
    }.get(fault.status, "Error")
    body: dict[str, Any] = {"ok": False, "error_code": fault.status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return EscapedJSONResponse(body, status_code=fault.status)


def _parse(body: bytes, content_type: str = "") -> dict[str, Any]:
    if body[:1] == b"{":
        return json.loads(body)
    if content_type.startswith("multipart/form-data"):
        return _parse_multipart(body, content_type)
    params: dict[str, Any] = {}
    for key, values in parse_qs(body.decode(), keep_blank_values=True).items():
        value = values[-1]
        params[key] = json.loads(value) if key in _JSON_FIELDS else value
    return params


def _parse_multipart(body: bytes, content_type: str) -> dict[str, Any]:
    """A request with an uploaded file: fields as with a form, files as their bytes."""
    message = email.message_from_bytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body, policy=email.policy.HTTP
    )
    params: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if part.get_filename() is not None:
            params[name] = payload
        else:
            value = payload.decode()
            params[name] = json.loads(value) if name in _JSON_FIELDS else value
    return params
