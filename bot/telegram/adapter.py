"""The Telegram adapter: python-telegram-bot inside our event loop, by long polling or by webhook.

    update ─► telegram_updates.to_incoming ─► App.handle ─► [Reply] ─► telegram_sender (telegram_render: HTML)

PTB's `run_polling` owns the event loop, so the adapter drives the Application's parts itself
(initialize → start → updater.start_polling), which lets Telegram, Zalo and the web server share one loop.
Updates from different chats are processed concurrently, from one chat in order.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import os
import secrets
import traceback
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from telegram import CallbackQuery, Update
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, BaseRateLimiter, ContextTypes, TypeHandler

from bot.app import App
from bot.config import TelegramSettings, secret
from bot.logs import guard_logs
from bot.pacing import TELEGRAM_GROUP_PER_MINUTE, RateLimiter, group_chat
from bot.recent import RecentKeys, bot_tag
from bot.telegram.albums import WINDOW, AlbumCollector
from bot.telegram.commands import refresh_user_menu, register_commands
from bot.telegram.images import TelegramImages
from bot.telegram.limiter import FloodControl, loop_time
from bot.telegram.request import AiohttpRequest
from bot.telegram.sender import PLATFORM, TelegramSender, describe_error
from bot.telegram.updates import BotIdentity, PerChatUpdateProcessor, TolerantUpdatesRequest, read_update, to_incoming
from bot.webhook_body import CLOSE, BodyRefused, read_body
from handlers.messages import Incoming

log = logging.getLogger(__name__)
# PTB 22 warns on every RetryAfter it builds unless the process opts into its coming timedelta form; the
# sender reads both forms, so opt in rather than emit a deprecation warning on each 429.
os.environ.setdefault("PTB_TIMEDELTA", "true")

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "x-telegram-bot-api-secret-token"
ALLOWED_UPDATES = ["message", "channel_post", "callback_query", "my_chat_member"]
MAX_WEBHOOK_BODY = 1 << 20  # real updates are a few KB
CONNECTION_POOL_SIZE = 256  # PTB's default; sends beyond it wait up to pool_timeout for a free connection
RECENT_UPDATES = 2048  # webhook update ids remembered to drop Telegram's redeliveries
_GONE = (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED)
_PRESENT = (
    ChatMemberStatus.MEMBER,
    ChatMemberStatus.ADMINISTRATOR,
    ChatMemberStatus.OWNER,
    ChatMemberStatus.RESTRICTED,
)


class TelegramAdapter:
    """Connects the handlers to one Telegram bot; see `PlatformAdapter` in bot/platforms.py."""

    name = "telegram"

    def __init__(
        self,
        app: App,
        settings: TelegramSettings,
        *,
        rate_limiter: BaseRateLimiter[Any] | None = None,
        album_window: float = WINDOW,
    ) -> None:
        self._app = app
        self._settings = settings
        self._processor = PerChatUpdateProcessor(settings.concurrent_updates)
        # Kept so that a failed start can close their connection pools (PTB only closes what it initialised).
        self._requests = (
            AiohttpRequest(connection_pool_size=CONNECTION_POOL_SIZE),
            TolerantUpdatesRequest(connection_pool_size=1),
        )
        self.application = _build_application(settings, self._processor, rate_limiter, self._requests)
        self.application.add_handler(TypeHandler(Update, self._on_update))
        self.application.add_error_handler(self._on_error)
        self.sender = TelegramSender(self.application.bot, app.deps)
        self._me = BotIdentity(0, "")
        self._recent: RecentKeys[int] = RecentKeys(RECENT_UPDATES)
        self.tag = bot_tag(secret(settings.token) or "")
        self._running = False
        self._albums = AlbumCollector(self._handle, album_window)

    @property
    def processed(self) -> int:
        """Updates fully handled (replies sent or given up on) since start."""
        return self._processor.processed

    @property
    def limiter(self) -> RateLimiter | None:
        """The pacing shared with the alert outbox (None when the caller brought its own rate limiter)."""
        flood = self.application.bot.rate_limiter
        return flood.pacing if isinstance(flood, FloodControl) else None

    @property
    def webhook_mode(self) -> bool:
        return self._settings.mode == "webhook"

    async def start(self) -> None:
        """getMe, command menus, then polling or setWebhook."""
        if self.webhook_mode and not (self._settings.webhook_url and secret(self._settings.webhook_secret)):
            raise ValueError('[telegram] mode = "webhook" needs webhook_url and webhook_secret')
        guard_logs(secret(self._settings.token), secret(self._settings.webhook_secret))
        try:
            await self.application.initialize()  # calls getMe
            await self._connect()
        except BaseException:
            await self.application.shutdown()  # a no-op unless initialize() got through
            for request in self._requests:
                await request.shutdown()
            raise
        self._running = True

    async def _connect(self) -> None:
        bot = self.application.bot
        self._me = BotIdentity(bot.id, bot.username or "")
        self.sender.username = self._me.username
        deps = self._app.deps
        self._app.add_gateway(PLATFORM, self.sender)
        self._app.add_image_fetcher(PLATFORM, TelegramImages(bot))
        await register_commands(bot, self._app.router, deps)
        self.sender.menus = functools.partial(refresh_user_menu, bot, self._app.router, deps)
        await self.application.start()
        if self.webhook_mode:
            await bot.set_webhook(
                self._settings.webhook_url or "",
                secret_token=secret(self._settings.webhook_secret),
                allowed_updates=ALLOWED_UPDATES,
            )
        elif self.application.updater is not None:  # start_polling deletes any webhook first
            await self.application.updater.start_polling(
                timeout=dt.timedelta(seconds=self._settings.poll_timeout), allowed_updates=ALLOWED_UPDATES
            )

    async def stop(self) -> None:
        """Stop fetching, finish the updates in hand, close connections (a webhook stays set)."""
        if not self._running:
            return
        self._running = False
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()
        await self._albums.close()  # albums still gathering are answered with the photos that came
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()

    def routes(self) -> list[BaseRoute]:
        return [Route(WEBHOOK_PATH, self._webhook, methods=["POST"])] if self.webhook_mode else []

    # Webhook -------------------------------------------------------------------------------------------

    async def _webhook(self, request: Request) -> Response:
        """Check the secret, parse, drop redeliveries, queue; answer at once (processing happens later)."""
        expected = secret(self._settings.webhook_secret) or ""
        given = request.headers.get(SECRET_HEADER, "")
        if not expected or not secrets.compare_digest(given.encode(), expected.encode()):
            return Response(status_code=403)
        if not self._running:
            return Response(status_code=503)
        try:
            body = await read_body(request, MAX_WEBHOOK_BODY)
        except BodyRefused as refused:
            return Response(status_code=refused.status, headers=CLOSE)
        update = self._parse(body)
        if update is None:
            return Response(status_code=400)
        if not self._recent.add(update.update_id):
            return Response(status_code=200)  # this process has it already
        try:
            first = await self._app.seen.first(f"telegram:{self.tag}:{update.update_id}")
        except Exception:  # the shared record (`[sharing] backend = "database"`) cannot be reached
            self._recent.discard(update.update_id)
            log.warning("Telegram update %d not taken: no shared record of updates", update.update_id, exc_info=True)
            return Response(status_code=503)  # Telegram delivers it again later
        if first:  # else another process serving this bot took it
            await self.application.update_queue.put(update)
        return Response(status_code=200)

    def _parse(self, body: bytes) -> Update | None:
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested deeper than the parser goes
            return None
        return read_update(data, self.application.bot)

    # Processing ----------------------------------------------------------------------------------------

    async def _on_update(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        if update.callback_query is not None:
            await _answer(update.callback_query)
        if await self._chat_event(update):
            return
        incoming = to_incoming(update, self._me)
        if incoming is None:
            return
        group = update.message.media_group_id if update.message is not None else None
        if group and incoming.photo is not None:
            self._albums.add(group, incoming)  # answered once, with the album's other photos (albums.py)
            return
        await self._handle(incoming)

    async def _handle(self, incoming: Incoming) -> None:
        self.sender.note_incoming(incoming.chat_id)
        replies = await self._app.handle(incoming)
        edit = int(incoming.message_id) if incoming.callback_data and incoming.message_id.isdigit() else None
        await self.sender.deliver(incoming.chat_id, replies, edit)

    async def _chat_event(self, update: Update) -> bool:
        """Membership changes and group → supergroup migrations; True when the update was one."""
        change = update.my_chat_member
        if change is not None:
            status, chat_id = change.new_chat_member.status, str(change.chat.id)
            if status in _GONE:
                await self.sender.chat_left(chat_id, "blocked" if change.chat.type == "private" else "removed")
            elif status in _PRESENT:
                await self.sender.chat_joined(chat_id)
            return True
        message = update.message
        if message is not None and message.migrate_to_chat_id:
            await self.sender.chat_migrated(str(message.chat.id), str(message.migrate_to_chat_id))
            return True
        return False

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log and carry on. Never the update or the error's text (it may quote the user), never the token."""
        error = context.error
        update_id = update.update_id if isinstance(update, Update) else None
        if isinstance(error, TelegramError):
            log.warning("update %s: %s", update_id, describe_error(error))
            return
        frames = "".join(traceback.format_tb(error.__traceback__)) if error is not None else ""
        log.error("update %s failed: %s (message withheld)\n%s", update_id, type(error).__name__, frames)


def _build_application(
    settings: TelegramSettings,
    processor: PerChatUpdateProcessor,
    rate_limiter: BaseRateLimiter[Any] | None,
    requests: tuple[AiohttpRequest, TolerantUpdatesRequest],
) -> Application[Any, Any, Any, Any, Any, Any]:
    root = settings.api_base_url.rstrip("/")
    builder = (
        ApplicationBuilder()
        .token(secret(settings.token) or "")
        .base_url(f"{root}/bot")
        .base_file_url(f"{root}/file/bot")
        .request(requests[0])
        .rate_limiter(rate_limiter or FloodControl(pacing(settings)))  # paces sends, waits out 429s (limiter.py)
        .concurrent_updates(processor)
        .job_queue(None)  # scheduling is bot/alerts/delivery.py's job, platform-neutral
    )
    if settings.mode == "webhook":
        return builder.updater(None).build()
    return builder.get_updates_request(requests[1]).build()


def pacing(settings: TelegramSettings) -> RateLimiter:
    """Telegram's message limits at `[telegram] messages_per_second`, on the event loop's clock."""
    return RateLimiter(settings.messages_per_second, TELEGRAM_GROUP_PER_MINUTE, group_chat, monotonic=loop_time)


async def _answer(query: CallbackQuery) -> None:
    """Stop the button's spinner; a query too old to answer is not worth more than a debug line."""
    try:
        await query.answer()
    except TelegramError as exc:
        log.debug("answerCallbackQuery failed: %s", describe_error(exc))
