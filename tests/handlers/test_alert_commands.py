"""/subscribe, /unsubscribe, /alert and the officers' alert commands, through the real router."""

from __future__ import annotations

import datetime as dt

from bot.outcomes import Sent
from handlers.alert_rounds import finish_round
from handlers.messages import ChatKind, Incoming, Photo, Platform
from tests.bot.alerts.helpers import virtual_drainer
from tests.conversation import Conversation
from tests.factories import fixed_parts, t
from tests.fakes.clocks import VirtualTime


class Gateway:
    def __init__(self, admins=()):
        self.admins = set(admins)
        self.roles = []

    async def is_chat_admin(self, chat_id, user_id):
        return user_id in self.admins

    async def role_changed(self, user_id, officer):
        self.roles.append((user_id, officer))

    async def send(self, chat_id, replies):
        return True


async def officer(app, user_id: str = "42") -> Conversation:
    await Conversation(app, user_id="1").say(f"/grant telegram:{user_id}")
    return Conversation(app, user_id=user_id)


async def test_anyone_subscribes_their_private_chat_at_the_default_or_a_chosen_time(app):
    citizen = Conversation(app, user_id="100")
    await citizen.say("/subscribe")
    assert "08:00" in citizen.text and "Asia/Ho_Chi_Minh" in citizen.text
    await citizen.say("/subscribe 6h45")
    sub = await app.deps.repos.subscriptions.get("telegram:100")
    assert sub.active and sub.local_time == "06:45" and sub.timezone == "Asia/Ho_Chi_Minh"
    await citizen.say("/subscribe 25:00")
    assert "/subscribe 07:30" in citizen.text
    await citizen.say("/unsubscribe")
    assert not (await app.deps.repos.subscriptions.get("telegram:100")).active


async def test_a_citizen_in_a_group_is_refused_politely_and_nothing_changes(app):
    app.add_gateway("telegram", Gateway(admins={"7"}))
    citizen = Conversation(app, user_id="100", chat_id="-500", kind=ChatKind.GROUP)
    await citizen.say("/subscribe 07:30")
    assert citizen.text == t("refusal.group_admin")
    assert await app.deps.repos.subscriptions.get("telegram:-500") is None
    admin = Conversation(app, user_id="7", chat_id="-500", kind=ChatKind.GROUP)
    await admin.say("/subscribe 07:30")
    assert (await app.deps.repos.subscriptions.get("telegram:-500")).local_time == "07:30"
    await citizen.say("/unsubscribe")
    assert citizen.text == t("refusal.group_admin")
    assert (await app.deps.repos.subscriptions.get("telegram:-500")).active


async def test_an_officer_subscribes_a_channel_by_id_and_a_citizen_cannot(app):
    citizen = Conversation(app, user_id="100")
    await citizen.say("/subscribe -1001234567890 07:30")
    assert citizen.text == t("refusal.officer")
    assert await app.deps.repos.subscriptions.get("telegram:-1001234567890") is None
    cop = await officer(app)
    await cop.say("/subscribe -1001234567890 07:30")
    assert "-1001234567890" in cop.text
    sub = await app.deps.repos.subscriptions.get("telegram:-1001234567890")
    assert sub.active and sub.local_time == "07:30" and sub.created_by == "telegram:42"
    assert (await app.deps.repos.chats.get("telegram:-1001234567890")).kind == "channel"
    await cop.say("/unsubscribe -1001234567890")
    assert not (await app.deps.repos.subscriptions.get("telegram:-1001234567890")).active


async def test_alert_shows_todays_alert_now_in_the_chats_language(app):
    citizen = Conversation(app, user_id="100")
    await citizen.say("/alert")
    assert fixed_parts("alert.daily.title")[0] in citizen.text and "113" in citizen.text and "156" in citizen.text
    await citizen.say("/lang en")
    await citizen.say("/alert")
    assert "Daily scam alert" in citizen.text and "What to do" in citizen.text


async def test_officers_write_list_and_cancel_alerts(app):
    citizen = Conversation(app, user_id="100")
    await citizen.say("/alert_new")
    assert citizen.text == t("refusal.officer")
    cop = await officer(app)
    await cop.say("/alert_new")
    assert cop.text == t("alert.new.ask")
    await cop.say("Cảnh báo: giả danh cán bộ thuế gọi điện yêu cầu cài ứng dụng.\nhttps://example.org/canh-bao.jpg")
    assert "#1" in cop.text and cop.last[1].image_url == "https://example.org/canh-bao.jpg"
    photo = Incoming(
        Platform.TELEGRAM,
        "42",
        ChatKind.PRIVATE,
        "42",
        "Cán bộ",
        "",
        "m9",
        photo=Photo("AgACAgIAAx", caption="Ảnh: tin nhắn giả mạo ngân hàng"),
    )
    await cop.say("/alert_new")
    replies = await app.handle(photo)
    assert "#2" in replies[0].text and replies[1].image_url == "AgACAgIAAx"
    await cop.say("/alert_list")
    assert "#1" in cop.text and "#2" in cop.text and t("alert.list.header", count=2) in cop.text
    await cop.say("/alert_cancel 2")
    assert cop.text == t("alert.cancel.done", number=2)
    await cop.say("/alert_cancel 2")
    assert fixed_parts("alert.cancel.too_late")[0] in cop.text
    await citizen.say("/alert")
    assert "giả danh cán bộ thuế" in citizen.text  # the pending officer alert is today's alert
    assert [a.status for a in await app.deps.repos.alerts.list()] == ["pending", "cancelled"]


async def test_broadcast_reaches_every_subscribed_chat_and_reports_back(app, clock):
    app.add_gateway("telegram", Gateway())
    for user in ("100", "101", "102"):
        await Conversation(app, user_id=user).say("/subscribe")
    cop = await officer(app)
    await cop.say("/broadcast")
    assert "/broadcast" in cop.text
    await cop.say("/broadcast Khẩn: xuất hiện thủ đoạn giả danh điện lực cắt điện.")
    assert "3" in cop.text
    sent: list[tuple[str, str]] = []

    async def send(delivery):
        sent.append((delivery.chat_id, delivery.text))
        return Sent()

    vtime = VirtualTime(clock.now + dt.timedelta(seconds=30))

    async def report(round_id):
        await finish_round(app.deps, round_id, vtime())

    drainer = virtual_drainer(app.deps.repos, send, vtime, on_round=report)
    while await drainer.drain_once():
        pass
    chats = sorted(chat for chat, _ in sent)
    assert chats == ["100", "101", "102", "42"]  # three chats, then the report to the officer
    report_text = next(text for chat, text in sent if chat == "42")
    expected = t("alert.report", round="-", sent=3, failed=0, unsubscribed=0, seconds="30.0").split("\n")[1:]
    assert all(line in report_text for line in expected)
    audit = [(a.action, a.target) for a in await app.deps.repos.audit.list()]
    assert ("alert_round", "broadcast:1") in audit


async def test_broadcast_with_no_connected_platform_says_so(app):
    await Conversation(app, user_id="100").say("/subscribe")
    cop = await officer(app)
    await cop.say("/broadcast Xin chào")
    assert cop.text == t("broadcast.nobody")


async def test_help_lists_the_alert_commands_by_role(app):
    citizen = Conversation(app, user_id="100")
    await citizen.say("/help")
    assert "/subscribe" in citizen.text and "/alert_new" not in citizen.text
    cop = await officer(app)
    await cop.say("/help")
    assert "/alert_new" in cop.text and "/broadcast" in cop.text
