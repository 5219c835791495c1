"""Serving the web app: uvicorn, with limits a slow or hostile client cannot wear down.

uvicorn has no deadline for a request's head or body, and its `limit_concurrency` answers 503 to every request
once that many connections are open, idle ones included: a few hundred clients that never finish their headers
would hold every file descriptor, or lock /healthz and the webhooks out. So the h11 protocol is extended
(`GuardedH11Protocol`, written here because uvicorn offers no such setting):

- a request head must be complete within `[web] header_timeout` of connecting (or of the previous response, on
  a kept-alive connection), or the connection is closed;
- its body within `[web] body_timeout` of the head, or the answer is 408 and the connection is closed;
- at most `[web] max_connections` connections are open (never more than half the process's open-file limit, the
  rest being for the database and the platforms): one more closes the connection that has waited longest for a
  request head, so a client that sends its request at once always gets in.

uvicorn settings used: `timeout_keep_alive` 5 s (an idle kept-alive connection), `h11_max_incomplete_event_size`
16 KB (the longest request head), `backlog` 2048 (its default), `log_config=None` (its records go through our
one handler and filter), `limit_concurrency` unset (see above). Accept errors (out of file descriptors) are
logged once a minute with a count, instead of once per attempt with a traceback.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import resource
import socket
from typing import Any, ClassVar

import h11
import uvicorn
from starlette.types import ASGIApp
from uvicorn.protocols.http.h11_impl import H11Protocol

from bot.config import WebSettings

log = logging.getLogger(__name__)
KEEP_ALIVE = 5  # seconds an idle kept-alive connection stays open
MAX_HEAD = 16 * 1024  # bytes of request line and headers
LOG_EVERY = 60.0  # seconds between two lines about the same trouble
ACCEPT_ERROR = "socket.accept() out of system resource"  # asyncio's context message for EMFILE/ENFILE/ENOBUFS/ENOMEM


class PortUnavailable(Exception):
    """The web server cannot listen where it is configured to (the port is taken, or not allowed)."""


def listen(settings: WebSettings) -> socket.socket:
    """A socket bound to `[web] host` and `port`, ready for `build_server(...).serve(sockets=[…])`."""
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart need not wait for TIME_WAIT
    try:
        sock.bind((settings.host, settings.port))
    except OSError as exc:
        sock.close()
        reason = "the port is in use" if exc.errno == errno.EADDRINUSE else exc.strerror or type(exc).__name__
        raise PortUnavailable(f"cannot listen on {settings.host}:{settings.port}: {reason}") from None
    return sock


def build_server(app: ASGIApp, settings: WebSettings) -> uvicorn.Server:
    """A uvicorn server for `app` with the limits above (serve it on the socket from `listen`)."""
    protocol = type(
        "GuardedH11Protocol",
        (GuardedH11Protocol,),
        {
            "header_timeout": settings.header_timeout,
            "body_timeout": settings.body_timeout,
            "max_connections": connection_limit(settings.max_connections),
            "evictions": RateLimitedLog("web server: %d connection(s) closed to make room: no request head yet"),
        },
    )
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        http=protocol,
        ws="none",
        lifespan="off",
        log_level="warning",
        log_config=None,
        timeout_keep_alive=KEEP_ALIVE,
        h11_max_incomplete_event_size=MAX_HEAD,
    )
    return uvicorn.Server(config)


def connection_limit(configured: int) -> int:
    """`configured`, but at most half the open files the process may have."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or configured <= soft // 2:
        return configured
    log.info("web server: at most %d connections (half the open-file limit of %d)", soft // 2, soft)
    return max(1, soft // 2)


def limit_accept_error_logs(loop: asyncio.AbstractEventLoop) -> None:
    """Log the listening socket's accept errors once a minute with a count; other loop errors as before."""
    accept_errors = RateLimitedLog("web server: cannot accept connections (%d times): %s")
    previous = loop.get_exception_handler()

    def handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if context.get("message") == ACCEPT_ERROR:
            error = context.get("exception")
            accept_errors.note(loop.time(), getattr(error, "strerror", None) or type(error).__name__)
        elif previous is not None:
            previous(loop, context)
        else:
            loop.default_exception_handler(context)

    loop.set_exception_handler(handler)


class RateLimitedLog:
    """A WARNING that is written at most once per LOG_EVERY seconds, with how often it happened since."""

    def __init__(self, message: str) -> None:
        self._message = message
        self._count = 0
        self._last = -LOG_EVERY

    def note(self, now: float, *args: object) -> None:
        self._count += 1
        if now - self._last >= LOG_EVERY:
            log.warning(self._message, self._count, *args)
            self._count, self._last = 0, now


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with head and body deadlines and a connection limit (see the module docstring).

    Subclassed per server by `build_server`, which sets the class attributes.
    """

    header_timeout: ClassVar[float]
    body_timeout: ClassVar[float]
    max_connections: ClassVar[int]
    evictions: ClassVar[RateLimitedLog]

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._watched: object = None  # the client's h11 state last seen
        self._since = 0.0
        self._deadline: asyncio.TimerHandle | None = None
        super().connection_made(transport)
        self._watch()
        self._make_room()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._watch()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._watch()  # a kept-alive connection waits for its next head: the head deadline starts again

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel()
        super().connection_lost(exc)

    @property
    def waiting_for_head(self) -> bool:
        return self._watched is h11.IDLE and not self.transport.is_closing()

    def _watch(self) -> None:
        """Follow the client's side of the h11 state machine and arm the deadline of the state it is in."""
        state = self.conn.their_state
        if state is self._watched:
            return
        self._watched, self._since = state, self.loop.time()
        self._cancel()
        if state is h11.IDLE:
            self._deadline = self.loop.call_later(self.header_timeout, self._close)
        elif state is h11.SEND_BODY:
            self._deadline = self.loop.call_later(self.body_timeout, self._body_late)

    def _cancel(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _close(self) -> None:
        if not self.transport.is_closing():
            self.transport.close()

    def _body_late(self) -> None:
        """408 if no answer has begun (the app, still reading, then sees a disconnect); close either way."""
        cycle = self.cycle
        if cycle is not None and not cycle.response_started and not self.transport.is_closing():
            try:
                headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")]
                data = self.conn.send(h11.Response(status_code=408, headers=headers, reason=b"Request Timeout"))
                data = (data or b"") + (self.conn.send(h11.Data(data=b"Request Timeout")) or b"")
                self.transport.write(data + (self.conn.send(h11.EndOfMessage()) or b""))
            except h11.LocalProtocolError:
                pass  # the connection is closed below all the same
            cycle.disconnected = True
            cycle.message_event.set()
        self._close()

    def _make_room(self) -> None:
        """Over the limit: close the connection that has waited longest for a request head (maybe this one)."""
        open_now = [c for c in self.connections if not c.transport.is_closing()]
        if len(open_now) <= self.max_connections:
            return
        waiting = [c for c in open_now if isinstance(c, GuardedH11Protocol) and c.waiting_for_head]
        oldest = min(waiting, key=lambda c: c._since, default=self)
        oldest._close()
        self.evictions.note(self.loop.time())
