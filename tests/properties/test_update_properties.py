"""Property-based tests (hypothesis) of update parsing on both platforms: any JSON a server (or an attacker at
the webhook) sends becomes an Incoming, is ignored, or is refused with ValueError; it never raises anything
else, and what comes out is well-formed."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram import Bot as TelegramBot
from zalo_bot import Bot as ZaloBot

from bot.telegram.updates import BotIdentity, read_update, to_incoming
from bot.zalo.polling import parse_event
from bot.zalo.render import ChoiceMemory
from bot.zalo.render import to_incoming as zalo_incoming
from handlers.messages import Incoming

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ME = BotIdentity(42, "CanhGiacBot")
TELEGRAM = TelegramBot("123:abc")
ZALO = ZaloBot("123:abc", base_url="http://127.0.0.1:9")

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True), st.text(max_size=40)
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=5)),
    max_leaves=25,
)
# Plausible shapes with hostile values, so the parsers get past their first checks.
USERS = st.fixed_dictionaries(
    {"id": st.one_of(st.integers(), st.text(max_size=10)), "is_bot": st.booleans(), "first_name": st.text(max_size=20)},
    optional={"username": st.text(max_size=10), "language_code": st.text(max_size=5), "display_name": st.text()},
)
CHATS = st.fixed_dictionaries(
    {
        "id": st.one_of(st.integers(), st.text(max_size=12)),
        "type": st.sampled_from(["private", "group", "supergroup", "channel", "PRIVATE", "GROUP", "?"]),
    },
    optional={"title": st.text(max_size=20)},
)
MESSAGES = st.fixed_dictionaries(
    {
        "message_id": st.one_of(st.integers(), st.text(max_size=8)),
        "date": st.one_of(st.integers(0, 2**40), st.floats(allow_nan=False, allow_infinity=False)),
        "chat": CHATS,
    },
    optional={
        "from": USERS,
        "text": st.text(max_size=300),
        "caption": st.text(max_size=50),
        "entities": st.lists(JSON, max_size=3),
        "reply_to_message": JSON,
        "photo": st.lists(JSON, max_size=2),
        "photo_url": st.text(max_size=30),
    },
)
TELEGRAM_UPDATES = st.one_of(
    JSON,
    st.fixed_dictionaries(
        {"update_id": st.integers(-(2**40), 2**40)},
        optional={"message": MESSAGES, "channel_post": MESSAGES, "callback_query": JSON, "edited_message": JSON},
    ),
)
ZALO_EVENTS = st.one_of(
    JSON,
    st.fixed_dictionaries({"event_name": st.text(max_size=30), "message": MESSAGES}),
    st.fixed_dictionaries({"result": st.fixed_dictionaries({"event_name": st.text(max_size=30), "message": MESSAGES})}),
)


def well_formed(incoming: Incoming) -> None:
    assert isinstance(incoming.chat_id, str) and isinstance(incoming.user_id, str)
    assert isinstance(incoming.text, str) and isinstance(incoming.display_name, str)


@SETTINGS
@given(TELEGRAM_UPDATES)
def test_any_telegram_update_is_read_ignored_or_refused(data: Any) -> None:
    update = read_update(data, TELEGRAM)
    if update is None:
        return
    incoming = to_incoming(update, ME)
    if incoming is not None:
        well_formed(incoming)


@SETTINGS
@given(ZALO_EVENTS)
def test_any_zalo_event_is_read_ignored_or_refused(data: Any) -> None:
    try:
        event = parse_event(data, ZALO)
    except ValueError:
        return
    if event is None:
        return
    incoming = zalo_incoming(event, ChoiceMemory())
    if incoming is not None:
        well_formed(incoming)
