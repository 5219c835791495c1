"""Officers' /block and /unblock through the real handlers: what citizens' checks then say, who may, the audit trail.

Replies are compared with the catalogue's own texts (`t`), and the verified-scam reason with the engine's own.
"""

from __future__ import annotations

from bot.app import App
from handlers.messages import ChatKind, Reply, quote_user_text
from handlers.verdict_view import defang, defang_links
from tests.conversation import Conversation
from tests.factories import t

PHONE_TEXT = "Tối nay gọi anh số 0912 345 678 nhé, anh đón ở cổng trường."
LINK_TEXT = "Áo đẹp lắm, chị xem ở shop-quanao.vn/ao-khoac rồi đặt giúp em nhé."
PAGE_TEXT = "Hướng dẫn nhận quà ở sites.google.com/view/qua-tang-tet/buoc-1 nhé cả nhà."
OTHER_PAGE_TEXT = "Lịch họp phụ huynh ở sites.google.com/view/lop-3a nhé cả nhà."
ACCOUNT_TEXT = "Tiền học thêm tháng này chuyển vào STK 19031234567890 Techcombank nhé cô."


class AdminGateway:
    """Says who administers a group, as the platform would; records nothing else."""

    def __init__(self, admins: set[str]) -> None:
        self.admins = admins

    async def is_chat_admin(self, chat_id: str, user_id: str) -> bool:
        return user_id in self.admins

    async def role_changed(self, user_id: str, officer: bool) -> None:
        return None

    async def send(self, chat_id: str, replies: list[Reply]) -> bool:
        return True


async def officer_of(app: App, user_id: str = "42") -> Conversation:
    await Conversation(app, user_id="1").say(f"/grant telegram:{user_id}")  # the configured superadmin
    return Conversation(app, user_id=user_id)


async def verified_reason(app: App, text: str) -> str:
    """The engine's own wording of the verified-scam reason for `text`, links defanged as a verdict shows them
    (nothing is recorded)."""
    outcome = await app.deps.risk.check(text, "telegram", record=False)
    reason = next(r.text_vi for r in outcome.verdict.reasons if r.code == "verified_scam")
    return defang_links(reason, outcome.verdict.indicators)


def is_high(chat: Conversation) -> bool:
    """The verdict's first line is the high label (in bold)."""
    return chat.text.splitlines()[0].strip("*") == t("level.high")


async def test_block_makes_every_check_with_the_phone_high_and_unblock_takes_it_back(app, clock):
    officer, citizen = await officer_of(app), Conversation(app, user_id="200")
    await citizen.say(PHONE_TEXT)
    assert not is_high(citizen)

    await officer.say("/block phone 0912 345 678 giả danh công an đòi chuyển tiền")
    assert officer.text == t("indicator.blocked", what=quote_user_text("+84912345678"))
    record = await app.deps.repos.indicators.lookup("phone", "+84912345678")
    assert (record.status, record.note, record.decided_by, record.decided_at) == (
        "scam",
        "giả danh công an đòi chuyển tiền",
        "telegram:42",
        clock(),
    )
    await citizen.say(PHONE_TEXT)
    assert is_high(citizen)
    assert await verified_reason(app, PHONE_TEXT) in citizen.text

    await officer.say("/unblock phone +84 912 345 678")
    assert officer.text == t("indicator.unblocked", what=quote_user_text("+84912345678"))
    assert await app.deps.repos.indicators.lookup("phone", "+84912345678") is None
    await citizen.say(PHONE_TEXT)
    assert not is_high(citizen)
    await officer.say("/unblock phone 0912345678")
    assert officer.text == t("indicator.not_blocked", what=quote_user_text("+84912345678"))

    audit = [(a.actor, a.action, a.target, a.detail) for a in reversed(await app.deps.repos.audit.list())]
    assert audit[1:] == [
        ("telegram:42", "block", "phone:+84912345678", "giả danh công an đòi chuyển tiền"),
        ("telegram:42", "unblock", "phone:+84912345678", "removed"),
    ]  # (the first row is the grant)


async def test_a_domain_a_page_and_an_account_are_blocked_in_the_form_checks_look_them_up(app):
    officer, citizen = await officer_of(app), Conversation(app, user_id="200")
    for text in (LINK_TEXT, PAGE_TEXT, OTHER_PAGE_TEXT, ACCOUNT_TEXT):
        await citizen.say(text)
        assert not is_high(citizen), text

    await officer.say("/block domain https://www.shop-quanao.vn/khuyen-mai")
    assert officer.text == t("indicator.blocked", what=quote_user_text(defang("shop-quanao.vn")))
    await officer.say("/block url https://sites.google.com/view/qua-tang-tet?utm_source=zalo")
    assert officer.text == t("indicator.blocked", what=quote_user_text(defang("sites.google.com/view/qua-tang-tet")))
    await officer.say("/block stk 1903 1234 5678 90")
    assert officer.text == t("indicator.blocked", what=quote_user_text("19031234567890"))

    for text in (LINK_TEXT, PAGE_TEXT, ACCOUNT_TEXT):
        await citizen.say(text)
        assert is_high(citizen), text
        assert await verified_reason(app, text) in citizen.text
    await citizen.say(OTHER_PAGE_TEXT)  # another page on the same shared host
    assert not is_high(citizen)
    await citizen.say("/checknum 19031234567890")
    assert t("reputation.scam", what=quote_user_text("19031234567890")) in citizen.text


async def test_genuine_organisations_cannot_be_blocked(app):
    officer = await officer_of(app)
    await officer.say("/block domain vietcombank.com.vn")
    what = quote_user_text(defang("vietcombank.com.vn"))
    assert officer.text == t("indicator.official", what=what, brand="Vietcombank") + "\n" + t(
        "indicator.official_page_hint"
    )
    await officer.say("/block url https://sites.google.com/")  # a whole platform, not one page on it
    assert officer.text.startswith(
        t("indicator.official", what=quote_user_text(defang("sites.google.com")), brand="Google")
    )
    await officer.say("/block phone 1900 545 413")  # Vietcombank's hotline
    assert officer.text == t("indicator.official", what=quote_user_text("+841900545413"), brand="Vietcombank")
    await officer.say("/verify link vietcombank.com.vn scam")
    assert officer.text.startswith(t("indicator.official", what=what, brand="Vietcombank"))
    assert await app.deps.repos.indicators.list() == []


async def test_citizens_reports_are_shown_but_never_make_a_check_high_and_unblock_returns_to_them(app):
    for user_id in ("301", "302", "303"):
        reporter = Conversation(app, user_id=user_id)
        await reporter.say(PHONE_TEXT)
        await reporter.press(t("button.report_this"))
        await reporter.press(t("button.submit_quiet"))
    reported = "  " + t("reputation.reported", what=quote_user_text("0912 345 678"), count=3)
    citizen = Conversation(app, user_id="200")
    await citizen.say(PHONE_TEXT)
    assert not is_high(citizen) and reported in citizen.text

    officer = await officer_of(app)
    await officer.say("/block sdt 0912345678")
    await citizen.say(PHONE_TEXT)
    assert is_high(citizen)
    await officer.say("/unblock sdt 0912.345.678 nhầm số")
    assert officer.text == t("indicator.unblocked_reported", what=quote_user_text("+84912345678"), count=3)
    record = await app.deps.repos.indicators.lookup("phone", "+84912345678")
    assert (record.status, record.report_count, record.note, record.decided_by) == ("reported", 3, None, None)
    assert (await app.deps.repos.audit.list())[0].detail == "reported nhầm số"
    await citizen.say(PHONE_TEXT)
    assert not is_high(citizen) and reported in citizen.text


async def test_an_imported_warning_list_entry_is_shown_but_counts_nothing(app):
    await app.deps.repos.indicators.upsert_many(
        "phone", ["+84912345678"], "reported", note="public list", by="cli", at=app.deps.now()
    )
    citizen = Conversation(app, user_id="200")
    await citizen.say(PHONE_TEXT)
    assert not is_high(citizen)
    assert t("reputation.listed", what=quote_user_text("0912 345 678")) in citizen.text


async def test_citizens_and_group_admins_are_refused_and_nothing_changes(app):
    officer = await officer_of(app)
    await officer.say("/block phone 0912345678")
    app.add_gateway("telegram", AdminGateway(admins={"7"}))
    before = (await app.deps.repos.indicators.list(), await app.deps.repos.audit.list())
    citizen = Conversation(app, user_id="200")
    admin_in_group = Conversation(app, user_id="7", chat_id="-100", kind=ChatKind.GROUP)
    admin_in_private = Conversation(app, user_id="7")
    for command in ("/block phone 0987654321", "/unblock phone 0912345678", "/block domain evil-shop.top"):
        await citizen.say(command)
        assert citizen.text == t("refusal.officer")
        await admin_in_private.say(command)
        assert admin_in_private.text == t("refusal.officer")
        await admin_in_group.say(command)
        assert admin_in_group.text == t("command.private_only")  # officer commands are for private chats
    # An officer in a group is sent to a private chat too: verdicts are not set where everyone watches.
    await Conversation(app, user_id="42", chat_id="-100", kind=ChatKind.GROUP).say("/unblock phone 0912345678")
    assert (await app.deps.repos.indicators.list(), await app.deps.repos.audit.list()) == before
    await citizen.say("/help")
    assert "/block" not in citizen.text
    await officer.say("/help")
    assert "/block" in officer.text and "/unblock" in officer.text


async def test_malformed_values_get_the_usage_and_change_nothing(app):
    officer = await officer_of(app)
    audit_before = await app.deps.repos.audit.list()
    for command in (
        "/block",
        "/block phone",
        "/block fax 0912345678",
        "/block phone abc",
        "/block phone 12",
        "/block phone 0912345678/0987654321",
        "/block account 12ab34",
        "/block account 12345",
        "/block domain not-a-domain",
        "/block domain mail@evil-shop.top",
        "/block url",
    ):
        await officer.say(command)
        assert officer.text == t("indicator.block_usage"), command
    for command in ("/unblock", "/unblock phone 0912", "/unblock link evil-shop.top"):
        await officer.say(command)
        assert officer.text == t("indicator.unblock_usage"), command
    assert await app.deps.repos.indicators.list() == []
    assert await app.deps.repos.audit.list() == audit_before


async def test_block_on_sqlite_survives_as_stored(sqlite_app):
    officer, citizen = await officer_of(sqlite_app), Conversation(sqlite_app, user_id="200")
    await officer.say("/block account 19031234567890 nhận tiền lừa đảo")
    await citizen.say(ACCOUNT_TEXT)
    assert is_high(citizen)
    await officer.say("/unblock account 19031234567890")
    await citizen.say(ACCOUNT_TEXT)
    assert not is_high(citizen)
