"""The group guard's details link: it opens a group warning's verdict, and nothing else of anyone's."""

from __future__ import annotations

import pytest

from bot.app import App
from handlers.dispatch.callbacks import parse_callback
from handlers.messages import ChatKind, Incoming, Platform, Reply
from tests.conversation import Conversation
from tests.factories import t
from tests.fakes.gateway import RecordingGateway

SCAM = (
    "Tài khoản Vietcombank của quý khách sẽ bị khóa sau 24h. Xác thực ngay tại vietcombank-xacthuc.top "
    "và cung cấp mã OTP cho nhân viên để tránh gián đoạn."
)
PRIVATE_TEXT = "Chị Hoa ơi, số tài khoản 0987654321 của em ở Techcombank, mai chị chuyển giúp em tiền học nhé."


async def open_link(app: App, link: str, user_id: str = "9", chat_id: str | None = None) -> list[Reply]:
    """`/start <link>` as the platform hands it over: in a private chat, or in the group `chat_id`."""
    kind = ChatKind.GROUP if chat_id else ChatKind.PRIVATE
    return await app.handle(Incoming(Platform.TELEGRAM, chat_id or user_id, kind, user_id, deep_link=link))


async def warning_link(app: App) -> str:
    """A guarded group's warning about a scam, and the link under it."""
    app.add_gateway("telegram", RecordingGateway(admins=("7",)))
    await Conversation(app, user_id="7", chat_id="-100", kind=ChatKind.GROUP).say("/guard on")
    [warning] = await Conversation(app, user_id="8", chat_id="-100", kind=ChatKind.GROUP).say(SCAM)
    return warning.buttons[0][0].deep_link


def session_id(reply: Reply) -> str:
    """The session id behind the first button of a reply."""
    return parse_callback(reply.buttons[0][0].data)[1]


async def test_a_warning_link_opens_in_private_and_in_its_own_group(app: App) -> None:
    link = await warning_link(app)
    [details] = await open_link(app, link)
    assert details.text.startswith(f"*{t('level.high')}*")
    [in_group] = await open_link(app, link, chat_id="-100")  # Zalo answers a numbered choice where it was made
    assert in_group.text == details.text


async def test_a_warning_link_does_not_show_one_group_s_message_in_another(app: App) -> None:
    link = await warning_link(app)
    [refusal] = await open_link(app, link, user_id="5", chat_id="-200")
    assert refusal.text == t("guard.details_elsewhere")
    assert "vietcombank-xacthuc" not in refusal.text


@pytest.mark.parametrize("kind", ["verdict", "report consent", "forget"])
async def test_a_link_opens_no_other_kind_of_session(app: App, kind: str) -> None:
    owner = Conversation(app, user_id="100")
    if kind == "verdict":
        [reply] = await owner.say(PRIVATE_TEXT)
    elif kind == "report consent":
        [reply] = await owner.say(f"/report {PRIVATE_TEXT}")
    else:
        [reply] = await owner.say("/forgetme")
    link = f"d_{session_id(reply)}"
    for user_id in ("9", "100"):  # a stranger, and the session's owner too: it is not a link's to open
        [refusal] = await open_link(app, link, user_id=user_id)
        assert refusal.text == t("button.stale")
    await owner.press({"verdict": "Sai", "report consent": "Không gửi", "forget": "Không"}[kind])
    assert (
        owner.text
        == {"verdict": t("feedback.offer_review"), "report consent": t("report.cancelled"), "forget": t("forget.kept")}[
            kind
        ]
    )
