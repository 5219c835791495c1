"""Sending to Telegram: replies, the handlers' Gateway, and what to do when Telegram says no.

What a refusal means is bot/outcomes.py's rule, the one the alert outbox follows too. A chat that is gone
(blocked, removed, deleted) is marked inactive and gets no further sends; a migrated group's settings move to the
supergroup id and the message is resent there; RetryAfter is waited out by the rate limiter
(bot/telegram/limiter.py) for up to two minutes, so one that still arrives drops the reply; network errors and
5xx are retried with a bounded backoff. A failed send is logged with the chat id and the error, never the text.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import replace

from telegram import Bot, LinkPreviewOptions, ReplyParameters
from telegram.constants import ChatMemberStatus, ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot import outcomes
from bot.backoff import Backoff
from bot.outcomes import Gone, Migrated, Outcome, Rejected, Transient, refusal
from bot.telegram.limiter import retry_seconds
from bot.telegram.render import Outgoing, plan
from handlers.deps import Deps
from handlers.messages import Reply

log = logging.getLogger(__name__)

PLATFORM = "telegram"
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)  # never preview a link a scammer wrote
_ADMIN_STATUSES = (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
SEND_RETRIES = 3  # retries of a send after a network error or a 5xx
RETRY_BACKOFF = (0.5, 2.0)  # seconds before the first retry, and at most between two: 0.5, 1, 2
# The HTTP status behind each of PTB's refusals (telegram/request/_baserequest.py raises them by status).
_STATUSES = ((Forbidden, 403), (BadRequest, 400), (InvalidToken, 401), (EndPointNotFound, 404), (Conflict, 409))
ADMIN_TTL = 60.0  # seconds a getChatMember answer (is this user a group admin?) is trusted
ADMIN_CACHE_SIZE = 4096


class TelegramSender:
    """Delivers replies; also the `Gateway` handlers use (admin status, messages to other chats)."""

    def __init__(self, bot: Bot, deps: Deps) -> None:
        self._bot = bot
        self._deps = deps
        self._admins: OrderedDict[tuple[str, str], tuple[bool, float]] = OrderedDict()
        self._inactive: set[str] = set()
        self._moved: dict[str, str] = {}
        self.username = ""
        # Set by the adapter: refreshes one user's command menu (the sender does not know the router).
        self.menus: Callable[[str, bool], Awaitable[None]] | None = None

    # Gateway -------------------------------------------------------------------------------------------

    async def is_chat_admin(self, chat_id: str, user_id: str) -> bool:
        """Asked from getChatMember, remembered for `admin_ttl` seconds."""
        key, now = (chat_id, user_id), asyncio.get_running_loop().time()
        cached = self._admins.get(key)
        if cached is not None and cached[1] > now:
            return cached[0]
        try:
            member = await self._bot.get_chat_member(_chat(chat_id), int(user_id))
        except (TelegramError, ValueError) as exc:
            log.warning("getChatMember failed for chat %s: %s", chat_id, describe_error(exc))
            return False
        admin = member.status in _ADMIN_STATUSES
        self._admins[key] = (admin, now + ADMIN_TTL)
        self._admins.move_to_end(key)
        while len(self._admins) > ADMIN_CACHE_SIZE:
            self._admins.popitem(last=False)
        return admin

    async def role_changed(self, user_id: str, officer: bool) -> None:
        """Give a new officer their command menu at once (and take it back on revoke), without a restart."""
        if self.menus is not None:
            await self.menus(user_id, officer)

    async def send(self, chat_id: str, replies: list[Reply]) -> bool:
        """A message to a chat nobody is talking in right now; False when Telegram refused or the chat is gone."""
        chat_id = self._moved.get(chat_id, chat_id)
        record = await self._deps.repos.chats.get(f"{PLATFORM}:{chat_id}")
        if chat_id in self._inactive or (record is not None and not record.active):
            return False
        return await self.deliver(chat_id, replies)

    # Delivery ------------------------------------------------------------------------------------------

    def note_incoming(self, chat_id: str) -> None:
        """A user wrote from this chat again: it is reachable."""
        self._inactive.discard(chat_id)

    async def deliver(self, chat_id: str, replies: list[Reply], edit_message_id: int | None = None) -> bool:
        """Send every reply in order; a chat that refuses gets nothing more. True when all went out."""
        refused: set[str] = set()
        for reply in replies:
            for out in plan(reply, chat_id, self.username, edit_message_id):
                if out.chat_id in refused:
                    continue
                if not await self._send(out):
                    refused.add(out.chat_id)
        return not refused

    async def _send(self, out: Outgoing) -> bool:
        out = replace(out, chat_id=self._moved.get(out.chat_id, out.chat_id))
        backoff, migrated = Backoff(*RETRY_BACKOFF), False
        while out.chat_id not in self._inactive:
            try:
                await self._call(out)
                return True
            except TelegramError as exc:
                outcome = outcome_of(exc)
            if isinstance(outcome, Migrated) and not migrated:
                migrated = True
                out = replace(out, chat_id=await self._migrate(out.chat_id, outcome.new_chat_id), reply_to=None)
            elif isinstance(outcome, Transient) and backoff.failures < SEND_RETRIES:
                await asyncio.sleep(backoff.failed())
            elif isinstance(outcome, Rejected) and out.edit_message_id is not None:
                if "not modified" in outcome.error.lower():
                    return True
                out = replace(out, edit_message_id=None)  # the message is gone or too old: send a new one
            else:
                await self._give_up(out.chat_id, outcome)
                return False
        return False

    async def _give_up(self, chat_id: str, outcome: Outcome) -> None:
        if isinstance(outcome, Gone):
            await self._mark_inactive(chat_id, outcome.reason)
        elif isinstance(outcome, outcomes.RetryAfter):  # the rate limiter waited as long as an answer is worth
            log.warning(
                "reply to chat %s dropped after flood control (Telegram still asks to wait %.0f s)",
                chat_id,
                outcome.seconds,
            )
        elif isinstance(outcome, Transient):
            log.warning("gave up sending to chat %s: %s", chat_id, outcome.error)
        elif isinstance(outcome, Rejected):
            log.warning("Telegram refused a message to chat %s: %s", chat_id, outcome.error)

    async def _call(self, out: Outgoing) -> None:
        chat = _chat(out.chat_id)
        reply = ReplyParameters(out.reply_to, allow_sending_without_reply=True) if out.reply_to else None
        if out.photo is not None:
            await self._bot.send_photo(
                chat,
                out.photo,
                caption=out.html or None,
                parse_mode=ParseMode.HTML,
                reply_markup=out.markup,
                reply_parameters=reply,
            )
        elif out.edit_message_id is not None:
            await self._bot.edit_message_text(
                out.html,
                chat,
                out.edit_message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=out.markup,
                link_preview_options=_NO_PREVIEW,
            )
        else:
            await self._bot.send_message(
                chat,
                out.html,
                parse_mode=ParseMode.HTML,
                reply_markup=out.markup,
                reply_parameters=reply,
                link_preview_options=_NO_PREVIEW,
            )

    # Chat state ----------------------------------------------------------------------------------------

    async def _mark_inactive(self, chat_id: str, reason: str) -> None:
        self._inactive.add(chat_id)
        log.info("chat %s refused the bot (%s); marked inactive", chat_id, reason)
        await self._deps.repos.chats.mark_inactive(f"{PLATFORM}:{chat_id}", reason[:200], self._deps.now())

    async def chat_left(self, chat_id: str, reason: str) -> None:
        """The bot was removed from a group or blocked in private (a my_chat_member update)."""
        await self._mark_inactive(chat_id, reason)

    async def chat_joined(self, chat_id: str) -> None:
        self._inactive.discard(chat_id)
        await self._deps.repos.chats.mark_active(f"{PLATFORM}:{chat_id}", self._deps.now())

    async def _migrate(self, old: str, new: str) -> str:
        """A group became a supergroup: move its settings once, remember the new id."""
        if self._moved.get(old) != new:
            self._moved[old] = new
            log.info("chat %s migrated to %s", old, new)
            await self._deps.repos.chats.migrate(f"{PLATFORM}:{old}", f"{PLATFORM}:{new}", self._deps.now())
        return new

    async def chat_migrated(self, old: str, new: str) -> None:
        await self._migrate(old, new)


def _chat(chat_id: str) -> int | str:
    return int(chat_id) if chat_id.lstrip("-").isdigit() else chat_id


def describe_error(exc: BaseException) -> str:
    """Type and Telegram's description; the Bot API never echoes message text in its errors."""
    message = exc.message if isinstance(exc, TelegramError) else ""
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def outcome_of(exc: TelegramError) -> Outcome:
    """What Telegram's answer behind one of PTB's exceptions means (bot/outcomes.py, as for the outbox)."""
    if isinstance(exc, ChatMigrated):
        return refusal(400, exc.message, {"migrate_to_chat_id": exc.new_chat_id})
    if isinstance(exc, RetryAfter):
        return refusal(429, exc.message, {"retry_after": retry_seconds(exc)})
    status = next((status for kind, status in _STATUSES if isinstance(exc, kind)), None)
    if status is not None:
        return refusal(status, exc.message, {})
    if isinstance(exc, NetworkError):  # no answer (timeout, connection), or a 5xx
        return Transient(describe_error(exc))
    return Rejected(describe_error(exc))  # an answer PTB could not read
