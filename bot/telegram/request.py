"""PTB's HTTP transport on aiohttp: the same contract as its `HTTPXRequest`, at a fraction of the CPU per call.

Measured against the fake Bot API with 64 sends in flight (benchmarks/telegram_bench.py): httpx spent about
3.4 ms of CPU per call, most of it httpcore re-checking every pooled connection on each request; aiohttp about
0.2 ms. The bot is CPU-bound on one core, so that difference is most of the adapter's cost per update.

Timeouts keep PTB's meaning where aiohttp has the same knob: `connect_timeout` for opening a connection,
`read_timeout` for each wait on the response, `pool_timeout` (added to `connect_timeout`) for getting a
connection from a full pool. aiohttp has no per-write timeout, so `write_timeout` bounds the whole call
together with the others: when all four are finite, a call never outlives their sum.

Proxies come from the environment (HTTP_PROXY, NO_PROXY, ...) as with httpx, looked up once per server rather
than per call: aiohttp's `trust_env` re-reads the environment and ~/.netrc in a thread on every request.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp.helpers import get_env_proxy_for_url
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData
from typing_extensions import override
from yarl import URL

_JSON = {"Content-Type": "application/json"}
_NOT_GIVEN = type(BaseRequest.DEFAULT_NONE)  # PTB's DefaultValue: a timeout the caller left to the defaults


class AiohttpRequest(BaseRequest):
    """A `telegram.request.BaseRequest` over one `aiohttp.ClientSession`, opened in `initialize`."""

    __slots__ = ("_defaults", "_media_write_timeout", "_pool_size", "_proxies", "_session")

    def __init__(
        self,
        connection_pool_size: int = 256,
        *,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        if connection_pool_size < 1:
            raise ValueError("connection_pool_size must be at least 1")
        self._pool_size = connection_pool_size
        self._defaults = {
            "read": read_timeout,
            "write": write_timeout,
            "connect": connect_timeout,
            "pool": pool_timeout,
        }
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[str, tuple[str | None, dict[str, str] | None]] = {}

    @property
    def read_timeout(self) -> float | None:
        return self._defaults["read"]

    async def initialize(self) -> None:
        """Open the session (aiohttp binds it to the running loop, so not in `__init__`)."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, limit_per_host=0)
            # The Bot API sets no cookies.
            self._session = aiohttp.ClientSession(
                connector=connector, cookie_jar=aiohttp.DummyCookieJar(), headers={"User-Agent": self.USER_AGENT}
            )
            self._proxies.clear()  # the environment is read again after a restart

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    @override
    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """One HTTP call; `(status, body)` for any answer, TimedOut / NetworkError when there is none."""
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data is not None and request_data.contains_files
        if isinstance(write_timeout, _NOT_GIVEN):
            write_timeout = self._media_write_timeout if files else self._defaults["write"]
        timeout = _timeout(
            self._given(read_timeout, "read"),
            write_timeout,
            self._given(connect_timeout, "connect"),
            self._given(pool_timeout, "pool"),
        )
        body: Any = None
        headers = None
        if files:
            body = _form(request_data)  # type: ignore[arg-type]
        elif request_data is not None and (parameters := request_data.parameters):
            # A JSON body, which the Bot API accepts for every method without uploads: about a tenth of the CPU
            # of PTB's form encoding, whose percent-escaping of Vietnamese text is pure Python.
            body, headers = json.dumps(parameters, ensure_ascii=False).encode(), _JSON
        proxy, proxy_headers = self._proxy(url)
        try:
            async with session.request(
                method, url, data=body, headers=headers, timeout=timeout, proxy=proxy, proxy_headers=proxy_headers
            ) as response:
                return response.status, await response.read()
        # aiohttp's messages may quote the URL, whose path holds the bot token, and PTB logs polling errors with
        # their traceback; so the originals are not chained, and the text kept is scrubbed of the URL.
        except TimeoutError as exc:  # aiohttp's connect and read timeouts are TimeoutErrors too
            raise TimedOut(f"Timed out ({type(exc).__name__})") from None
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {_describe(exc, url)}") from None

    def _proxy(self, url: str) -> tuple[str | None, dict[str, str] | None]:
        """The environment's proxy for this server (and its credentials header), remembered per server."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._proxies:
            try:
                proxy, auth = get_env_proxy_for_url(URL(origin))
            except LookupError:  # no proxy configured for this scheme, or NO_PROXY names the host
                self._proxies[origin] = (None, None)
            else:
                self._proxies[origin] = (str(proxy), {"Proxy-Authorization": auth.encode()} if auth else None)
        return self._proxies[origin]

    def _given(self, value: Any, name: str) -> float | None:
        return self._defaults[name] if isinstance(value, _NOT_GIVEN) else value


def _timeout(
    read: float | None, write: float | None, connect: float | None, pool: float | None
) -> aiohttp.ClientTimeout:
    parts = (read, write, connect, pool)
    total = None if any(part is None for part in parts) else sum(parts)  # type: ignore[arg-type]
    acquire = None if connect is None or pool is None else connect + pool
    return aiohttp.ClientTimeout(total=total, connect=acquire, sock_connect=connect, sock_read=read)


def _describe(exc: aiohttp.ClientError, url: str) -> str:
    """The error's text without the request URL."""
    text = f"{exc.status}, {exc.message}" if isinstance(exc, aiohttp.ClientResponseError) else str(exc)
    path = urlsplit(url).path
    return text.replace(url, "<url>").replace(path, "<path>") if path else text.replace(url, "<url>")


def _form(request_data: RequestData) -> aiohttp.FormData:
    """multipart/form-data: the parameters as PTB encodes them, then the files."""
    form = aiohttp.FormData(quote_fields=False)
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
