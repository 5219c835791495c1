"""Receiving Zalo events: API errors made visible, the getUpdates loop with backoff, and the dispatcher.

zalo_bot returns None when the Bot API answers HTTP 200 with `ok: false`, so `CheckedRequest` raises
`ApiError` for those answers (and for any non-2xx status) before the library can swallow them. The poll
loop fetches one event per getUpdates call (Zalo has no batches and no offset) and hands it to the
`Dispatcher`, which runs one task per event: at most `concurrency` at once, in arrival order within a
chat, and each event only once.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from zalo_bot import Bot, Update
from zalo_bot.error import NetworkError, ZaloError
from zalo_bot.request import HTTPXRequest

from bot.backoff import Backoff
from bot.logs import redact
from bot.recent import RecentKeys

log = logging.getLogger(__name__)
EMPTY_POLL = 408  # Zalo's answer to getUpdates when no event arrived during the long poll
READ_MARGIN = 10.0  # seconds a long poll may take beyond its own timeout before the client gives up


class ApiError(ZaloError):  # type: ignore[misc]  # zalo_bot ships no type information (no py.typed)
    """The Bot API answered with an error: `ok: false` in a 200, or a non-2xx status."""

    def __init__(self, code: int, description: str, retry_after: float | None = None) -> None:
        super().__init__(f"{description} ({code})")
        self.code = code
        self.retry_after = retry_after

    @property
    def transient(self) -> bool:
        return self.code in (EMPTY_POLL, 429) or self.code >= 500


class CheckedRequest(HTTPXRequest):  # type: ignore[misc]  # an untyped base class, as above
    """zalo_bot's httpx request that raises `ApiError` instead of returning None for refusals."""

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        code, payload = await super().do_request(*args, **kwargs)
        try:
            answer = json.loads(payload.decode("utf-8", "replace"))
        except ValueError:
            answer = None
        ok = 200 <= code <= 299
        if ok and isinstance(answer, dict) and answer.get("ok") is not False:
            return code, payload
        body: dict[str, Any] = answer if isinstance(answer, dict) else {}
        error_code = body.get("error_code")
        if not isinstance(error_code, int) or error_code < 400:
            # Unreadable 200: a server fault (retry). An unexplained ok:false: a refusal (bad request).
            error_code = (502 if not body else 400) if ok else code
        description = str(body.get("description") or ("unreadable answer" if not body else _phrase(error_code)))[:200]
        parameters = body.get("parameters")
        raise ApiError(error_code, description, parameters.get("retry_after") if isinstance(parameters, dict) else None)


def build_bot(token: str, base_url: str, concurrency: int) -> Bot:
    """A zalo_bot.Bot whose requests raise ApiError for refusals (see CheckedRequest)."""
    bot = Bot(token, base_url=base_url)
    bot._request = (
        CheckedRequest(connection_pool_size=2),  # getUpdates: one long poll at a time
        CheckedRequest(connection_pool_size=concurrency + 4, pool_timeout=30.0),
    )
    return bot


def _phrase(code: int) -> str:
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return "HTTP error"


@dataclass(frozen=True, slots=True)
class ZaloEvent:
    """One parsed event: its name, message id, chat, and the library's Update."""

    name: str
    message_id: str
    chat_id: str
    update: Update

    @property
    def key(self) -> str:
        return f"{self.name}:{self.message_id}"


def parse_event(raw: object, bot: Bot) -> ZaloEvent | None:
    """The event in a getUpdates result or webhook body; None when it carries no message.

    Raises ValueError when the body is malformed (not an object, or a message without id or chat).
    """
    if not isinstance(raw, dict):
        raise ValueError("event is not a JSON object")
    # The README's webhook example wraps the event in "result".
    event: dict[str, Any] = raw["result"] if isinstance(raw.get("result"), dict) else raw
    if not event.get("message"):
        return None
    message = event["message"]
    if not isinstance(message, dict) or not isinstance(message.get("chat"), dict) or not message["chat"].get("id"):
        raise ValueError("message without chat")
    if not message.get("message_id") or not isinstance(message.get("date"), (int, float)):
        raise ValueError("message without id or date")
    try:
        update = Update.de_json(dict(event), bot)
    # A date far out of range fails in the C library on some systems (OSError EOVERFLOW), not as OverflowError.
    except (KeyError, TypeError, ValueError, OverflowError, OSError) as exc:
        raise ValueError(f"unreadable message ({type(exc).__name__})") from None
    if update is None or update.message is None:
        return None
    name = str(event.get("event_name") or "message")
    return ZaloEvent(name, str(update.message.message_id), str(update.message.chat.id), update)


@dataclass
class _Turn:
    """Arrival-order lock for one chat, and how many tasks still need it."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    waiting: int = 0


class Dispatcher:
    """One task per event: at most `concurrency` running and `backlog` not yet finished, in arrival order per chat,
    repeats dropped."""

    def __init__(
        self,
        handle: Callable[[ZaloEvent], Awaitable[None]],
        concurrency: int,
        backlog: int | None = None,
        seen: int = 4096,
    ) -> None:
        self._handle = handle
        self._running = asyncio.Semaphore(concurrency)
        self._backlog = backlog or concurrency * 8  # the poller waits rather than pile up tasks; a webhook refuses
        self._pending = 0  # events taken and not finished
        self._room = asyncio.Event()  # set when an event finishes
        self._seen: RecentKeys[str] = RecentKeys(seen)
        self._turns: dict[str, _Turn] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def submit(self, event: ZaloEvent) -> bool:
        """Schedule an event, waiting for room in the backlog; False for a repeat (already seen)."""
        if not self._seen.add(event.key):
            log.info("Zalo event %s repeated; ignored", event.message_id)
            return False
        while self._pending >= self._backlog:
            self._room.clear()
            await self._room.wait()
        self._start(event)
        return True

    def offer(self, event: ZaloEvent) -> bool:
        """Schedule an event if the backlog has room, without waiting: False when full (the event is not taken,
        so its redelivery is not a repeat). A repeat is True: it needs no redelivery."""
        if self._pending >= self._backlog:
            return False
        if self._seen.add(event.key):
            self._start(event)
        else:
            log.info("Zalo event %s repeated; ignored", event.message_id)
        return True

    def _start(self, event: ZaloEvent) -> None:
        self._pending += 1
        turn = self._turns.setdefault(event.chat_id, _Turn())
        turn.waiting += 1  # counted now, so the turn outlives the tasks already holding it
        task = asyncio.create_task(self._run(event, turn), name=f"zalo-event-{event.message_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, event: ZaloEvent, turn: _Turn) -> None:
        try:
            async with turn.lock, self._running:
                await self._handle(event)
        except Exception:  # the handler logs its own failures; this is the last line of defence
            log.exception("Zalo event %s (%s) failed", event.message_id, event.name)
        finally:
            turn.waiting -= 1
            if turn.waiting == 0 and self._turns.get(event.chat_id) is turn:
                del self._turns[event.chat_id]
            self._pending -= 1
            self._room.set()

    async def drain(self, grace: float) -> None:
        """Wait for running events to finish; cancel whatever is left after `grace` seconds."""
        if not self._tasks:
            return
        _, pending = await asyncio.wait(set(self._tasks), timeout=grace)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending)


class Poller:
    """Long-polls getUpdates; errors are logged, backed off, and polling goes on until cancelled."""

    def __init__(
        self,
        bot: Bot,
        dispatcher: Dispatcher,
        timeout: float,
        backoff: Backoff,
        *,
        read_margin: float = READ_MARGIN,
    ) -> None:
        self._bot = bot
        self._dispatcher = dispatcher
        self._timeout = timeout
        self._backoff = backoff
        self._read_margin = read_margin

    async def run(self) -> None:
        while True:
            delay = await self.poll_once()
            if delay:
                await asyncio.sleep(delay)

    async def poll_once(self) -> float:
        """One getUpdates call; returns how long to wait before the next one."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            raw = await self._bot._post(
                "getUpdates", {"timeout": self._timeout}, read_timeout=self._timeout + self._read_margin
            )
        except ApiError as exc:
            if exc.code == EMPTY_POLL:
                return self._empty(loop.time() - started)
            delay = max(self._backoff.failed(), float(exc.retry_after or 0))
            log.warning("Zalo getUpdates failed: error %s; retrying in %.2fs", exc.code, delay)
            return delay
        except NetworkError as exc:  # includes TimedOut (httpx timeouts) and connection errors
            delay = self._backoff.failed()
            log.warning("Zalo getUpdates failed: %s; retrying in %.2fs", redact(str(exc)), delay)
            return delay
        except Exception:  # a bug or an unexpected library error: never stop polling for it
            delay = self._backoff.failed()
            log.exception("Zalo getUpdates failed unexpectedly; retrying in %.2fs", delay)
            return delay
        if not raw:
            return self._empty(loop.time() - started)
        self._backoff.succeeded()
        try:
            event = parse_event(raw, self._bot)
        except ValueError as exc:
            log.warning("Zalo sent an unreadable event (%s); skipped", exc)
            return 0.0
        if event is not None:
            await self._dispatcher.submit(event)
        return 0.0

    def _empty(self, elapsed: float) -> float:
        """No event: an answer all the same, so never a failure, however early the server ended the long poll.

        Some servers end long polls well before the timeout asked for; counting those as failures grew the
        backoff to its cap while idle, and the next message then waited for it. An answer that came back at
        once is only paced: the next poll starts at least the backoff's base after this one started.
        """
        self._backoff.succeeded()
        return max(0.0, self._backoff.base - elapsed)
