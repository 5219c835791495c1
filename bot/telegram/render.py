"""Render a portable `Reply` for Telegram: HTML with every user-supplied piece escaped, inline keyboards, splits.

The portable markup (handlers/messages.py) knows `*bold*` and quoted user text. Everything is HTML-escaped;
`*bold*` outside quoted user text becomes <b>; quoted user text is escaped and never formatted, so nothing a
user typed can turn into a tag, a link or bold text.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.markup.plain import render_plain
from bot.markup.split import split_text
from handlers.messages import USER_TEXT_CLOSE, USER_TEXT_OPEN, Button, Reply

log = logging.getLogger(__name__)

MAX_TEXT = 4096  # telegram.constants.MessageLimit.MAX_TEXT_LENGTH
MAX_CAPTION = 1024  # MessageLimit.CAPTION_LENGTH
MAX_CALLBACK_BYTES = 64
_SEGMENT = re.compile(f"{re.escape(USER_TEXT_OPEN)}(.*?){re.escape(USER_TEXT_CLOSE)}", re.DOTALL)
_BOLD = re.compile(r"\*([^*\n]+)\*")
# Quoted user text is parked behind private-use placeholders while the markup is rendered around it.
_SLOT_OPEN, _SLOT_CLOSE = "\ue000", "\ue001"
_SLOT = re.compile(f"{_SLOT_OPEN}(\\d+){_SLOT_CLOSE}")
START_PAYLOAD = r"[A-Za-z0-9_-]{1,64}"  # what Telegram accepts after t.me/<bot>?start=
_START_PAYLOAD = re.compile(rf"^{START_PAYLOAD}$")
_URL_SCHEMES = ("https://", "http://", "tg://")


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One Bot API call: a message, a photo, or an edit of the message that carried a pressed button."""

    chat_id: str
    html: str
    markup: InlineKeyboardMarkup | None = None
    reply_to: int | None = None
    photo: str | bytes | None = None  # a URL, or the image itself to upload
    edit_message_id: int | None = None


def render_html(text: str) -> str:
    """Portable markup → Telegram HTML (parse_mode=HTML)."""
    parts = _SEGMENT.split(text)
    quoted: list[str] = []
    body = []
    for index, part in enumerate(parts):
        if index % 2:  # captured group: quoted user text
            quoted.append(part)
            body.append(f"{_SLOT_OPEN}{len(quoted) - 1}{_SLOT_CLOSE}")
        else:
            body.append(_without_markers(part))
    rendered = _BOLD.sub(r"<b>\1</b>", html.escape("".join(body), quote=False))
    return _SLOT.sub(lambda m: html.escape(quoted[int(m.group(1))], quote=False), rendered)


def _without_markers(text: str) -> str:
    """Text outside a quote with any stray marker removed, so it cannot open a quote or fake a slot."""
    for stray in (USER_TEXT_OPEN, USER_TEXT_CLOSE, _SLOT_OPEN, _SLOT_CLOSE):
        text = text.replace(stray, "")
    return text


def visible_length(text: str) -> int:
    """Length as Telegram counts it after parsing (UTF-16 code units), of the text shown."""
    return _utf16_length(render_plain(text))


def _utf16_length(plain: str) -> int:
    return len(plain.encode("utf-16-le")) // 2


def fit(text: str, limit: int) -> list[str]:
    """Split portable markup into pieces Telegram accepts; emoji-heavy pieces are split again."""
    pieces: list[str] = []
    for piece in split_text(text, limit):
        plain = render_plain(piece)
        if _utf16_length(plain) <= limit:
            if plain.strip():
                pieces.append(piece)
        else:  # astral characters count twice; half the limit always fits
            pieces.extend(p for p in split_text(piece, limit // 2) if render_plain(p).strip())
    return pieces


def keyboard(rows: tuple[tuple[Button, ...], ...], bot_username: str) -> InlineKeyboardMarkup | None:
    """Inline keyboard; a button Telegram would refuse is dropped (and logged) rather than lose the message."""
    out = []
    for row in rows:
        buttons = [b for b in (_button(button, bot_username) for button in row) if b is not None]
        if buttons:
            out.append(buttons)
    return InlineKeyboardMarkup(out) if out else None


def _button(button: Button, bot_username: str) -> InlineKeyboardButton | None:
    label = button.label.strip() or "•"
    if button.deep_link:  # opens a private chat with the bot, which then receives "/start <payload>"
        if not bot_username or not _START_PAYLOAD.match(button.deep_link):
            log.warning("dropping a deep-link button with an unusable payload")
            return None
        return InlineKeyboardButton(label, url=f"https://t.me/{bot_username}?start={button.deep_link}")
    if button.url:
        if not button.url.startswith(_URL_SCHEMES):
            log.warning("dropping a button with an unsupported URL scheme")
            return None
        return InlineKeyboardButton(label, url=button.url)
    if button.data and len(button.data.encode()) <= MAX_CALLBACK_BYTES:
        return InlineKeyboardButton(label, callback_data=button.data)
    log.warning("dropping a button whose callback data is empty or over %d bytes", MAX_CALLBACK_BYTES)
    return None


def plan(reply: Reply, chat_id: str, bot_username: str, edit_message_id: int | None = None) -> list[Outgoing]:
    """The calls that deliver one reply; buttons go under the last piece, the reply reference on the first."""
    target = reply.chat_id or chat_id
    markup = keyboard(reply.buttons, bot_username)
    reply_to = _as_int(reply.reply_to_message_id) if target == chat_id else None
    image = reply.image_url or (reply.attachment.png if reply.attachment is not None else None)
    if image:  # a short text is the photo's caption; a longer one follows the photo
        if visible_length(reply.text) <= MAX_CAPTION:
            return [Outgoing(target, render_html(reply.text), markup, reply_to, photo=image)]
        photo = Outgoing(target, "", None, reply_to, photo=image)
        return [photo, *_messages(target, reply.text, markup, None)]
    pieces = fit(reply.text, MAX_TEXT)
    if reply.edit and edit_message_id is not None and target == chat_id and len(pieces) == 1:
        return [Outgoing(target, render_html(pieces[0]), markup, edit_message_id=edit_message_id)]
    return _messages(target, reply.text, markup, reply_to, pieces)


def _messages(
    chat_id: str, text: str, markup: InlineKeyboardMarkup | None, reply_to: int | None, pieces: list[str] | None = None
) -> list[Outgoing]:
    pieces = fit(text, MAX_TEXT) if pieces is None else pieces
    last = len(pieces) - 1
    return [
        Outgoing(chat_id, render_html(piece), markup if i == last else None, reply_to if i == 0 else None)
        for i, piece in enumerate(pieces)
    ]


def _as_int(value: str | None) -> int | None:
    return int(value) if value and value.lstrip("-").isdigit() else None
