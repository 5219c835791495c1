"""The Zalo adapter: Zalo Bot API events in, the same handlers as Telegram, plain-text replies out.

`zalo_bot.Bot` is used as the HTTP client only (its `ext.Application` handles one update at a time and
stops on the first handler exception). Receiving is ours (bot/zalo/polling.py): a getUpdates loop or the
webhook route, one task per event. Replies are rendered by bot/zalo/render.py. Zalo has no API to ask
whether a user administers a group, so `is_chat_admin` is always False.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from functools import partial

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from zalo_bot import Bot
from zalo_bot.error import NetworkError, ZaloError

from bot.app import App
from bot.backoff import Backoff
from bot.config import ZaloSettings, secret
from bot.logs import guard_logs, redact
from bot.pacing import REPLY_RETRY_BUDGET, RateLimiter, platform_limits
from bot.recent import bot_tag
from bot.webhook_body import CLOSE, BodyRefused, read_body
from bot.zalo.images import ZaloImages
from bot.zalo.media import MediaShelf
from bot.zalo.polling import ApiError, Dispatcher, Poller, ZaloEvent, build_bot, parse_event
from bot.zalo.render import (
    ChoiceMemory,
    RenderedReply,
    answerer,
    choice_number,
    offered_to,
    render_reply,
    to_incoming,
)
from handlers.messages import Incoming, Platform, Reply

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/zalo/webhook"
SECRET_HEADER = "X-Bot-Api-Secret-Token"
MAX_WEBHOOK_BODY = 64 * 1024
SEND_ATTEMPTS = 3  # tries of one message through server errors and timeouts
DRAIN_TIMEOUT = 10.0  # seconds a stop waits for the events in hand to be answered
WEBHOOK_BACKLOG_FACTOR = 64  # webhook events queued per unit of [zalo] concurrency (1,024 by default) before 503


class ZaloStartError(RuntimeError):
    """Zalo could not start (bad token, server down, incomplete webhook settings); never shows the token."""


class ZaloAdapter:
    """Runs the bot on Zalo (polling or webhook) and is the handlers' Gateway to Zalo."""

    name = "zalo"

    def __init__(self, app: App, settings: ZaloSettings) -> None:
        self._app = app
        self._settings = settings
        self._token = secret(settings.token) or ""
        self.tag = bot_tag(self._token)  # names this bot in the keys shared with other processes
        self._base_url = settings.api_base_url.rstrip("/")
        self._bot: Bot | None = None
        self._images: ZaloImages | None = None
        self._poll_task: asyncio.Task[None] | None = None
        self._choices = ChoiceMemory()
        # One pacing object for the process's Zalo sends: gateway sends here and the alert outbox's drainer
        # (bot/platforms.py hands it over) share [zalo] messages_per_second; a 429 pauses both.
        self.limiter = RateLimiter(*platform_limits("zalo", settings.messages_per_second), monotonic=_loop_time)
        # Polling waits for room in a short queue; a webhook cannot, so its queue is longer (see `_webhook`).
        backlog = settings.concurrency * (WEBHOOK_BACKLOG_FACTOR if settings.mode == "webhook" else 8)
        self._dispatcher = Dispatcher(self._process, settings.concurrency, backlog)
        # Images the bot made reach Zalo as addresses on our own web server, when it has a public one.
        public_url = app.settings.web.public_url
        self.media = MediaShelf(public_url) if public_url else None

    # --- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> None:
        """Check the token with getMe, then set the webhook or delete it and start polling."""
        webhook = self._settings.mode == "webhook"
        if not self._token:
            raise ZaloStartError("Zalo: no token configured ([zalo] token)")
        if webhook and not (self._settings.webhook_url and 8 <= len(self._webhook_secret()) <= 256):
            raise ZaloStartError("Zalo webhook mode needs [zalo] webhook_url and a webhook_secret of 8-256 characters")
        guard_logs(self._token, self._webhook_secret())  # before the first request: httpx logs its URL
        bot = self._bot = build_bot(self._token, self._base_url, self._settings.concurrency)
        try:
            await self._call_at_start("getMe", bot.get_me())
            if webhook:
                await self._call_at_start(
                    "setWebhook", bot._set_webhook_async(self._settings.webhook_url or "", self._webhook_secret())
                )
            else:
                await self._delete_webhook(bot)
        except BaseException:
            await self._close_bot()
            raise
        self._app.add_gateway(Platform.ZALO.value, self)
        self._images = ZaloImages()
        self._app.add_image_fetcher(Platform.ZALO.value, self._images)
        if not webhook:
            poller = Poller(bot, self._dispatcher, self._settings.poll_timeout, Backoff())
            self._poll_task = asyncio.create_task(poller.run(), name="zalo-polling")

    async def stop(self) -> None:
        if self._poll_task is not None:
            self._poll_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poll_task
            self._poll_task = None
        await self._dispatcher.drain(DRAIN_TIMEOUT)
        await self._close_bot()
        if self._images is not None:
            await self._images.close()
            self._images = None

    def routes(self) -> list[BaseRoute]:
        """POST /zalo/webhook in webhook mode; GET /media/<name>.png when [web] public_url is set."""
        routes = self.media.routes() if self.media is not None else []
        if self._settings.mode == "webhook":
            routes.append(Route(WEBHOOK_PATH, self._webhook, methods=["POST"]))
        return routes

    async def _call_at_start(self, method: str, call: Awaitable[object]) -> object:
        """Await one start-up API call; turn any failure into a ZaloStartError naming the platform."""
        try:
            result = await call
        except ApiError as exc:
            if exc.code in (401, 403, 404):
                raise ZaloStartError(f"Zalo Bot API rejected the token ({method}: error {exc.code})") from None
            raise ZaloStartError(f"Zalo Bot API at {self._base_url} answered {method} with error {exc.code}") from None
        except ZaloError as exc:
            raise ZaloStartError(
                f"Zalo Bot API at {self._base_url} is unreachable ({method}: {redact(str(exc)) or type(exc).__name__})"
            ) from None
        if result is None:
            raise ZaloStartError(f"Zalo Bot API at {self._base_url} gave no answer to {method}")
        return result

    async def _delete_webhook(self, bot: Bot) -> None:
        """Polling and a webhook exclude each other; a refusal here (no webhook set) is only logged."""
        try:
            await bot._delete_webhook_async()
        except ApiError as exc:
            log.warning("Zalo deleteWebhook answered error %s; polling anyway", exc.code)
        except ZaloError as exc:
            raise ZaloStartError(
                f"Zalo Bot API at {self._base_url} is unreachable (deleteWebhook: {redact(str(exc))})"
            ) from None

    async def _close_bot(self) -> None:
        if self._bot is not None:
            for request in self._bot._request:
                await request.shutdown()
            self._bot = None

    # --- receiving -------------------------------------------------------------------------------

    async def _webhook(self, request: Request) -> Response:
        """Zalo's POST: secret checked first; 403 wrong secret, 413 too large, 400 malformed, 503 queue full,
        200 queued (handled later)."""
        expected = self._webhook_secret().encode()
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not expected or not hmac.compare_digest(given, expected):
            return JSONResponse({"ok": False, "description": "forbidden"}, status_code=403)
        if self._bot is None:
            return JSONResponse({"ok": False, "description": "not started"}, status_code=503)
        try:
            body = await read_body(request, MAX_WEBHOOK_BODY)
        except BodyRefused as refused:
            return JSONResponse({"ok": False, "description": refused.reason}, refused.status, headers=CLOSE)
        try:
            event = parse_event(json.loads(body), self._bot)
        except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested deeper than the parser goes
            return JSONResponse({"ok": False, "description": "malformed event"}, status_code=400)
        if event is not None and not self._dispatcher.offer(event):
            # Never wait for room here: Zalo would wait too. A full queue is said at once, and a retry is welcome.
            return JSONResponse({"ok": False, "description": "busy"}, status_code=503, headers={"Retry-After": "1"})
        return JSONResponse({"ok": True})

    async def _process(self, event: ZaloEvent) -> None:
        """One event: translate, handle, reply. A failure is logged without the text, and only this event is lost."""
        try:
            if not await self._app.seen.first(f"zalo:{self.tag}:{event.key}"):
                log.info("Zalo event %s taken by another process; ignored", event.message_id)
                return
            await self._recall_choices(event)
            incoming = to_incoming(event, self._choices)
            if incoming is None:
                return
            typing = self._typing(incoming)
            try:
                replies = await self._app.handle(incoming)
            finally:
                if typing is not None:
                    await typing  # so "typing…" can never arrive after the answer
            lang = await self._language(incoming, replies)
            await self._deliver(incoming.chat_id, replies, lang, member=incoming.user_id)
        except Exception:
            log.exception(
                "Zalo event %s (%s, %s chat) failed",
                event.message_id,
                event.name,
                str(event.update.message.chat.type or "private").lower(),
            )

    async def _recall_choices(self, event: ZaloEvent) -> None:
        """A number may answer choices another process serving the bot offered (`[sharing] backend =
        "database"`): what this process remembers for the chat and member is replaced by the shared record."""
        text = event.update.message.text or ""
        if self._app.choices is None or not choice_number(text):
            return
        member = answerer(event)
        offered = await self._app.choices.offered(f"zalo:{self.tag}:{event.chat_id}", member)
        self._choices.forget(event.chat_id, member)
        self._choices.forget(event.chat_id, None)
        for offered_to_member, choices in offered:  # oldest first: the latest offer is the one a number answers
            self._choices.remember(event.chat_id, offered_to_member, choices)

    def _typing(self, incoming: Incoming) -> asyncio.Task[None] | None:
        """Show "typing…" while a private message is checked (not in groups: the guard stays quiet)."""
        if not incoming.is_private or incoming.callback_data or self._bot is None:
            return None
        bot = self._bot

        async def typing() -> None:
            with contextlib.suppress(ZaloError):
                await bot.send_chat_action(incoming.chat_id, "typing", read_timeout=2.0, connect_timeout=2.0)

        return asyncio.create_task(typing())

    async def _language(self, incoming: Incoming, replies: list[Reply]) -> str:
        """The chat's language, read only when a reply has buttons (for the "answer with a number" line)."""
        if not any(reply.buttons for reply in replies):
            return "vi"
        repos = self._app.deps.repos
        record = await (repos.users.get(incoming.actor) if incoming.is_private else repos.chats.get(incoming.chat_key))
        return record.language if record is not None else "vi"

    # --- sending (also the Gateway handlers use) ---------------------------------------------------

    async def is_chat_admin(self, chat_id: str, user_id: str) -> bool:
        """Always False: the Zalo Bot API has no member or admin lookup."""
        return False

    async def role_changed(self, user_id: str, officer: bool) -> None:
        """Nothing to refresh: Zalo bots have no command menus."""

    async def send(self, chat_id: str, replies: list[Reply]) -> bool:
        """Send replies to a chat (alerts, broadcasts: paced); False when Zalo refused or could not be reached.

        Answers to users are not paced: each one follows a message the user just sent.
        """
        return await self._deliver(chat_id, replies, "vi", paced=True)

    async def _deliver(
        self, chat_id: str, replies: list[Reply], lang: str, paced: bool = False, member: str | None = None
    ) -> bool:
        """Send replies; their numbered choices are offered to `member` (the user answered) in `chat_id`, and to
        the whole chat when nobody is answered (a gateway send) or the reply goes to another chat."""
        hint = self._app.deps.catalogue.text("zalo.choose_hint", lang)
        delivered = True
        for reply in replies:
            target = reply.chat_id or chat_id
            rendered = render_reply(self._lend_image(reply), hint)
            offered = None
            if rendered.choices:  # offered before the message goes out: an answer may come the moment it is seen
                offered = offered_to(rendered.choices, member if target == chat_id else None)
                if self._app.choices is not None:  # other processes may get the answer
                    await self._app.choices.offer(f"zalo:{self.tag}:{target}", offered, rendered.choices)
            sent = await self._send_rendered(target, rendered, paced)
            if sent and rendered.choices:
                member = offered
                self._choices.remember(target, member, rendered.choices)
            delivered = delivered and sent
        return delivered

    def _lend_image(self, reply: Reply) -> Reply:
        """An attached image becomes an address Zalo can fetch; without a public address, its note joins the text."""
        if reply.attachment is None:
            return reply
        if self.media is not None:
            return replace(reply, image_url=self.media.put(reply.attachment.png), attachment=None)
        return replace(reply, text=f"{reply.text}\n\n{reply.attachment.fallback}".strip(), attachment=None)

    async def _send_rendered(self, chat_id: str, rendered: RenderedReply, paced: bool) -> bool:
        bot = self._bot
        if bot is None:
            return False
        texts = list(rendered.messages)
        if rendered.photo_url:
            caption = texts.pop(0) if texts else ""
            if not await self._send_one(chat_id, partial(bot.send_photo, chat_id, caption, rendered.photo_url), paced):
                return False
        for text in texts:
            if not await self._send_one(chat_id, partial(bot.send_message, chat_id, text), paced):
                return False
        return True

    async def _send_one(self, chat_id: str, call: Callable[[], Awaitable[object]], paced: bool) -> bool:
        """One API call. Flood control (429) is waited out, every send pausing, for up to REPLY_RETRY_BUDGET from
        the first attempt; server errors and timeouts get SEND_ATTEMPTS tries; refusals are not retried."""
        backoff = Backoff()
        failures, first = 0, None
        while True:
            await self._turn(paced)
            first = _loop_time() if first is None else first
            try:
                return await call() is not None  # None: an answer without a result
            except ApiError as exc:
                if exc.code == 429:
                    if not self._flood_wait(chat_id, float(exc.retry_after or backoff.failed()), first):
                        return False
                    continue
                failures += 1
                if not exc.transient or failures == SEND_ATTEMPTS:
                    log.warning("Zalo refused a message to chat %s: error %s", chat_id, exc.code)
                    return False
                delay = max(backoff.failed(), float(exc.retry_after or 0))
            except NetworkError as exc:
                failures += 1
                if failures == SEND_ATTEMPTS:
                    log.warning("Zalo message to chat %s not sent: %s", chat_id, redact(str(exc)))
                    return False
                delay = backoff.failed()
            except ZaloError as exc:
                log.warning("Zalo message to chat %s not sent: %s", chat_id, type(exc).__name__)
                return False
            await asyncio.sleep(delay)

    async def _turn(self, paced: bool) -> None:
        """Wait for a sending slot (paced sends only), then until no 429 pause is running (every send)."""
        if paced:
            await asyncio.sleep(self.limiter.reserve("") or 0.0)
        while (paused := self.limiter.paused_for()) > 0:
            await asyncio.sleep(paused)
            if paced:  # the slot booked before the pause is stale: take a fresh one, so no burst follows it
                await asyncio.sleep(self.limiter.reserve("") or 0.0)

    def _flood_wait(self, chat_id: str, seconds: float, first: float) -> bool:
        """Zalo answered 429: pause every send; False (the message is dropped) when the wait would pass the budget."""
        if self.limiter.paused_for() <= 0:
            log.warning("Zalo flood control: all sends paused for %.0f s", seconds)
        self.limiter.pause(seconds)
        if _loop_time() + seconds - first > REPLY_RETRY_BUDGET:
            log.warning(
                "message to Zalo chat %s dropped after flood control (%.0f s of retries)", chat_id, _loop_time() - first
            )
            return False
        return True

    # --- secrets -----------------------------------------------------------------------------------

    def _webhook_secret(self) -> str:
        return secret(self._settings.webhook_secret) or ""


def _loop_time() -> float:
    """The running event loop's monotonic clock (time.monotonic, its default, outside a loop)."""
    try:
        return asyncio.get_running_loop().time()
    except RuntimeError:
        return time.monotonic()
