"""Roles declared at registration, officer tools, group guard, language, privacy."""

from bot.app import build_memory_app
from handlers.catalogue import load_catalogue
from handlers.messages import ChatKind, Incoming, Platform
from tests.conversation import Conversation
from tests.factories import fixed_parts, settings_from_toml, t
from tests.fakes.gateway import RecordingGateway

SCAM = (
    "Tài khoản Vietcombank của quý khách sẽ bị khóa sau 24h. Xác thực ngay tại vietcombank-xacthuc.top "
    "và cung cấp mã OTP cho nhân viên để tránh gián đoạn."
)


async def test_citizen_is_refused_officer_commands_and_nothing_changes(app):
    chat = Conversation(app, user_id="100")
    for command in ("/stats", "/reports", "/decide 1 scam", "/verify phone 0912345678 scam", "/grant telegram:100"):
        await chat.say(command)
        assert chat.text in (t("refusal.officer"), t("refusal.superadmin"))
    assert (await app.deps.repos.users.get("telegram:100")).is_officer is False
    assert await app.deps.repos.audit.list() == []
    assert await app.deps.repos.indicators.lookup("phone", "+84912345678") is None


async def test_superadmin_grants_and_revokes_officers(app):
    gateway = RecordingGateway()
    app.deps.gateways["telegram"] = gateway
    admin = Conversation(app, user_id="1")
    await admin.say("/grant telegram:42")
    assert fixed_parts("officer.granted")[0] in admin.text
    officer = Conversation(app, user_id="42")
    await officer.say("/stats")
    assert fixed_parts("stats.summary")[0] in officer.text
    await officer.say("/help")
    assert "/reports" in officer.text and "/grant" not in officer.text
    await officer.say("/grant telegram:43")
    assert officer.text == t("refusal.superadmin")
    await admin.say("/revoke telegram:42")
    await officer.say("/stats")
    assert officer.text == t("refusal.officer")
    actions = [a.action for a in await app.deps.repos.audit.list()]
    assert actions == ["revoke", "grant"]
    assert gateway.roles == [("42", True), ("42", False)]  # the platform refreshes the user's menu each time
    await admin.say("/grant nobody")
    assert "/grant" in admin.text
    assert len(gateway.roles) == 2


async def test_officer_decides_a_report_and_the_citizen_is_told(app):
    gateway = RecordingGateway()
    app.add_gateway("telegram", gateway)
    citizen = Conversation(app, user_id="100")
    await citizen.say(SCAM)
    await citizen.press("Báo cáo")
    await citizen.press("báo kết quả")
    await Conversation(app, user_id="1").say("/grant telegram:42")
    officer = Conversation(app, user_id="42")
    await officer.say("/reports")
    assert "#1" in officer.text and "vietcombank-xacthuc.top" in officer.text
    await officer.say("/decide 1 scam")
    assert t("officer.citizen_told") in officer.text
    assert gateway.sent == [("100", [gateway.sent[0][1][0]])] and gateway.sent[0][1][0] == t(
        "report.outcome.scam", number=1
    )
    await officer.say("/verify link vietcombank-xacthuc.top scam")
    record = await app.deps.repos.indicators.lookup("domain", "vietcombank-xacthuc.top")
    assert record.status == "scam"
    await citizen.say(SCAM)
    assert fixed_parts("reputation.scam")[1] in citizen.text


async def test_reports_show_times_in_the_configured_time_zone(clock, tmp_path):
    settings = settings_from_toml(
        tmp_path, '[roles]\nsuperadmins = ["telegram:1"]\n[alerts]\ntimezone = "Europe/London"\n'
    )
    app = await build_memory_app(settings, clock)  # the clock reads 01:00 UTC: 08:00 in Vietnam, 01:00 in London
    citizen = Conversation(app, user_id="100")
    await citizen.say(SCAM)
    await citizen.press("Báo cáo")
    await citizen.press("báo kết quả")
    admin = Conversation(app, user_id="1")
    await admin.say("/reports")
    assert "· 27/11 01:00 ·" in admin.text
    await app.close()


async def test_group_is_silent_by_default_and_guard_is_for_admins(app):
    gateway = RecordingGateway(admins={"7"})
    app.add_gateway("telegram", gateway)
    member = Conversation(app, user_id="8", chat_id="-100", kind=ChatKind.GROUP)
    assert await member.say(SCAM) == []
    await member.say("/guard on")
    assert member.text == t("refusal.group_admin")
    admin = Conversation(app, user_id="7", chat_id="-100", kind=ChatKind.GROUP)
    await admin.say("/guard on")
    assert admin.text == t("guard.on")
    assert await member.say("Mai mình đi ăn cưới lúc 11h nhé cả nhà") == []
    warning = await member.say(SCAM)
    assert len(warning) == 1 and warning[0].reply_to_message_id
    assert warning[0].text.startswith(fixed_parts("guard.warning")[0])
    assert warning[0].text.endswith(fixed_parts("guard.warning")[-1])
    assert "an toàn" not in warning[0].text
    link = warning[0].buttons[0][0].deep_link  # the adapter turns it into its own link into a private chat
    details = await app.handle(Incoming(Platform.TELEGRAM, "8", ChatKind.PRIVATE, "8", deep_link=link))
    assert t("level.high") in details[0].text
    await admin.say("/guard off")
    assert await member.say(SCAM) == []


async def test_check_as_a_reply_works_in_groups(app):
    member = Conversation(app, user_id="8", chat_id="-100", kind=ChatKind.GROUP)
    await member.say("/check", reply_to=SCAM)
    assert t("level.high") in member.text and member.last[0].reply_to_message_id


async def test_language_privacy_and_unknown_command(app):
    chat = Conversation(app)
    await chat.say("/lang en")
    assert chat.text == load_catalogue().text("lang.done", "en")
    await chat.say(SCAM)
    assert load_catalogue().text("level.high", "en") in chat.text
    await chat.say("/lang xx")
    assert "/lang vi" in chat.text
    await chat.say("/privacy")
    assert "not stored" in chat.text
    await chat.say("/nonsense")
    assert "/help" in chat.text


async def test_forgetme_deletes_the_users_data(app):
    chat = Conversation(app, user_id="100")
    await chat.say("/report Nhận quà tri ân tại shopee-tritan.vip, đóng phí 300k")
    await chat.press("không cần báo")
    await chat.say("/forgetme")
    await chat.press("Xóa dữ liệu")
    assert fixed_parts("forget.done")[0] in chat.text
    assert await app.deps.repos.reports.list_pending() == []


async def test_mentioning_the_bot_in_a_group_checks_the_replied_message(app):
    from handlers.messages import Quoted

    msg = Incoming(
        Platform.TELEGRAM,
        "-100",
        ChatKind.GROUP,
        "8",
        "A",
        "@CanhGiacBot",
        "5",
        reply_to=Quoted("4", SCAM),
        addressed_to_bot=True,
    )
    replies = await app.handle(msg)
    assert t("level.high") in replies[0].text
