"""Platform-neutral messages: what adapters hand to handlers (Incoming) and what handlers return (Reply).

Reply text uses a small portable markup that every adapter can render:
  *bold*  (a whole line or phrase between asterisks)
  lines starting with "• " are list items
Everything else is plain text. User-supplied text inside a reply is wrapped with `quote_user_text`, so
adapters can escape it; handlers never produce platform markup (HTML, Markdown) themselves.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from dataclasses import dataclass, field

_SURROGATE = re.compile("[\ud800-\udfff]")


class Platform(enum.StrEnum):
    TELEGRAM = "telegram"
    ZALO = "zalo"
    CONSOLE = "console"


class ChatKind(enum.StrEnum):
    PRIVATE = "private"
    GROUP = "group"
    CHANNEL = "channel"


def valid_text(text: str) -> str:
    """`text` with each lone surrogate replaced by U+FFFD.

    JSON may escape half an emoji ("\\ud83d"), and a Python string then holds a code point that UTF-8, hence
    every database driver and Bot API, refuses to encode: a name or report holding one made every later message
    from that user fail. A valid surrogate pair (possible only in a string built by hand) becomes its character.
    """
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _clean_strings(message: object) -> None:
    """Make every text field of a frozen message `valid_text`, at construction (the adapters' edge)."""
    for item in dataclasses.fields(message):  # type: ignore[arg-type]
        value = getattr(message, item.name)
        if isinstance(value, str) and _SURROGATE.search(value) is not None:
            object.__setattr__(message, item.name, valid_text(value))


@dataclass(frozen=True, slots=True)
class Photo:
    """An attached image: a platform file id or URL that the adapter can fetch later."""

    file_id: str
    caption: str = ""

    def __post_init__(self) -> None:
        _clean_strings(self)


@dataclass(frozen=True, slots=True)
class Quoted:
    """The message this one replies to (for /check or /report as a reply)."""

    message_id: str
    text: str
    user_id: str | None = None
    is_bot: bool = False
    photo: Photo | None = None

    def __post_init__(self) -> None:
        _clean_strings(self)


@dataclass(frozen=True, slots=True)
class Incoming:
    """One message or button press from a user, on any platform."""

    platform: Platform
    chat_id: str
    chat_kind: ChatKind
    user_id: str
    display_name: str = ""
    text: str = ""
    message_id: str = ""
    forwarded: bool = False
    reply_to: Quoted | None = None
    photo: Photo | None = None
    # Every image of an album (photos sent together), `photo` being the first; empty for a single image.
    album: tuple[Photo, ...] = ()
    # A button press carries the button's payload instead of text.
    callback_data: str | None = None
    # A link the bot made (`Button.deep_link`) that brought the user here; the adapter reads its own URL form.
    deep_link: str | None = None
    # True when a group message addresses this bot (mention or reply to the bot).
    addressed_to_bot: bool = False
    # The user is an administrator of this group, as read from the platform (None: not asked).
    chat_admin: bool | None = None
    language_hint: str | None = None

    def __post_init__(self) -> None:
        _clean_strings(self)

    @property
    def is_private(self) -> bool:
        return self.chat_kind is ChatKind.PRIVATE

    @property
    def actor(self) -> str:
        """The user as "platform:user_id", the form used in config and storage."""
        return f"{self.platform.value}:{self.user_id}"

    @property
    def chat_key(self) -> str:
        return f"{self.platform.value}:{self.chat_id}"


@dataclass(frozen=True, slots=True)
class Button:
    """A button under a reply: one of a payload, a web address, or a link into a private chat with the bot.

    `data` comes back as `Incoming.callback_data` when pressed; `deep_link` opens a private chat with the bot
    (each adapter renders it in its own form) and comes back as `Incoming.deep_link`.
    """

    label: str
    data: str = ""
    url: str = ""
    deep_link: str = ""


@dataclass(frozen=True, slots=True)
class Attachment:
    """A PNG image made in memory (a chart), sent with a reply's text.

    Each adapter delivers it its own way: an upload, a short-lived address on the bot's web server, a file. Where it
    cannot, `fallback` (in the reader's language) is added to the text instead.
    """

    png: bytes = field(repr=False)
    fallback: str = ""


@dataclass(frozen=True, slots=True)
class Reply:
    """One message to send back, in portable markup."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    image_url: str | None = None
    attachment: Attachment | None = None
    # Reply to the incoming message (groups) rather than send a free message.
    reply_to_message_id: str | None = None
    # Send to another chat than the incoming one (e.g. "details in private").
    chat_id: str | None = None
    # Edit the message that carried the pressed button instead of sending a new one.
    edit: bool = False
    extra: dict[str, str] = field(default_factory=dict)


USER_TEXT_OPEN = "\u2063\u27e6"  # invisible separator + ⟦ : marks the start of quoted user text
USER_TEXT_CLOSE = "\u27e7\u2063"


def quote_user_text(text: str) -> str:
    """Mark a piece of user-supplied text so that adapters escape it and never interpret it as markup."""
    cleaned = text.replace(USER_TEXT_OPEN, "").replace(USER_TEXT_CLOSE, "")
    return f"{USER_TEXT_OPEN}{cleaned}{USER_TEXT_CLOSE}"
