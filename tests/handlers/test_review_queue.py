"""/review through the real handlers: near-duplicates grouped and ranked by how many people sent them, decisions
that tell each citizen in their own language, blocking an item's indicators, skipping, and a new method started
from an item. The training data keeps text and decision only."""

from __future__ import annotations

from handlers.catalogue import load_catalogue
from handlers.messages import ChatKind
from knowledge.duplicates import group_near_duplicates
from tests.conversation import Conversation
from tests.factories import t
from tests.fakes.gateway import RecordingGateway

# One lure, three people, three small differences (the number, the amount, accents): one item.
LURE = [
    "Chúc mừng bạn được chọn làm cộng tác viên, mỗi ngày chỉ cần like video kiếm 500k, nhắn Zalo 0912345678 nhé",
    "Chuc mung ban duoc chon lam cong tac vien, moi ngay chi can like video kiem 700k, nhan Zalo 0987654321 nhe",
    "Chúc mừng bạn được chọn làm cộng tác viên, mỗi ngày chỉ cần like video kiếm 600k, nhắn Zalo 0934567890 nhé!",
]
OTHER = "Cháu chào bác, cháu là bạn của con trai bác, anh ấy đang cấp cứu, bác chuyển gấp 20 triệu vào STK 1903456789"
HARMLESS = "Tối nay cả lớp họp phụ huynh lúc 19h ở phòng 203, mọi người nhớ đến đúng giờ nhé."


async def report(app, user_id: str, text: str, notify: bool = True, lang: str | None = None) -> None:
    citizen = Conversation(app, user_id=user_id)
    if lang:
        await citizen.say(f"/lang {lang}")
    await citizen.say(f"/report {text}")
    key = "button.submit_notify" if notify else "button.submit_quiet"
    await citizen.press(load_catalogue().text(key, lang or "vi"))


async def test_grouping_treats_copies_as_one_and_keeps_different_messages_apart():
    assert group_near_duplicates([*LURE, OTHER, HARMLESS, "Mẹ ơi"]) == [[0, 1, 2], [3], [4], [5]]
    assert group_near_duplicates([]) == []


async def test_the_most_sent_item_comes_first_and_a_decision_covers_it_and_tells_each_citizen(app):
    gateway = RecordingGateway()
    app.deps.gateways["telegram"] = gateway
    await report(app, "301", OTHER)  # the oldest, but sent by one person
    await report(app, "302", LURE[0])
    await report(app, "303", LURE[1], lang="en")
    await report(app, "304", LURE[2], notify=False)
    officer = Conversation(app, user_id="1")

    await officer.say("/review")
    first = officer.text
    assert "#2, #3, #4" in first and t("review.kind.report") in first
    header = t("review.item", left=2, people=3, reports=3, kinds=t("review.kind.report"), numbers="#2, #3, #4")
    assert first.startswith(header)
    assert "0912345678" in first or "+84912345678" in first  # its indicators are listed

    await officer.press(t("button.review_scam"))
    assert officer.last[0].text == t("review.decided", status=t("review.status.scam"), count=3, told=2)
    assert "#1" in officer.last[1].text  # then the next item
    outcomes = {chat: texts[0] for chat, texts in gateway.sent}
    english = load_catalogue().text("report.outcome.scam", "en", number=3)
    assert outcomes == {"302": t("report.outcome.scam", number=2), "303": english}
    decided = await app.deps.repos.reports.list_decided()
    assert sorted(r.id for r in decided) == [2, 3, 4] and all(r.decided_by == "telegram:1" for r in decided)
    assert (await app.deps.repos.audit.list())[0].target == "reports:2,3,4"

    await officer.press(t("button.review_not_scam"))
    assert officer.last[0].text == t("review.decided", status=t("review.status.not_scam"), count=1, told=1)
    assert officer.last[1].text == t("review.empty")
    assert (await app.deps.repos.reports.get(1)).status == "not_scam"  # type: ignore[union-attr]


async def test_wrong_verdict_feedback_joins_the_queue_as_its_own_kind(app):
    citizen = Conversation(app, user_id="305")
    await citizen.say(HARMLESS)
    await citizen.press(t("button.wrong"))
    await citizen.press(t("button.submit_quiet"))
    officer = Conversation(app, user_id="1")
    await officer.say("/review")
    assert t("review.kind.wrong_verdict") in officer.text and HARMLESS in officer.text
    assert (await app.deps.repos.reports.get(1)).kind == "wrong_verdict"  # type: ignore[union-attr]


async def test_block_verifies_every_indicator_of_the_item_and_checks_become_high(app):
    for user_id, text in zip(("311", "312"), LURE, strict=False):
        await report(app, user_id, text)
    officer = Conversation(app, user_id="1")
    await officer.say("/review")
    await officer.press(t("button.review_block"))
    assert officer.last[0].text.startswith(t("review.blocked", values="").split(":")[0])
    assert (await app.deps.repos.indicators.lookup("phone", "+84912345678")).status == "scam"  # type: ignore[union-attr]
    assert (await app.deps.repos.indicators.lookup("phone", "+84987654321")).status == "scam"  # type: ignore[union-attr]
    assert (await app.deps.repos.reports.get(1)).status == "pending"  # type: ignore[union-attr]  # blocking is not deciding
    citizen = Conversation(app, user_id="400")
    await citizen.say("Anh ơi gọi giúp em số 0912 345 678 với")
    assert t("level.high") in citizen.text  # a verified indicator alone makes any message high


async def test_skip_moves_on_and_a_fresh_review_starts_again(app):
    await report(app, "321", OTHER)
    await report(app, "322", HARMLESS)
    officer = Conversation(app, user_id="1")
    await officer.say("/review")
    assert OTHER[:30] in officer.text
    await officer.press(t("button.review_skip"))
    assert HARMLESS[:30] in officer.text
    await officer.press(t("button.review_skip"))
    assert officer.text == t("review.only_skipped")
    await officer.say("/review")
    assert OTHER[:30] in officer.text


async def test_an_item_decided_by_another_officer_meanwhile_is_not_decided_twice(app):
    await report(app, "331", OTHER)
    first, second = Conversation(app, user_id="1"), Conversation(app, user_id="1", chat_id="1")
    await first.say("/review")
    second.last = first.last
    await first.press(t("button.review_scam"))
    await Conversation(app, user_id="1").say("/review")
    await second.press(t("button.review_not_scam"))
    assert second.text == t("button.stale")  # the item's buttons went with the first decision
    assert (await app.deps.repos.reports.get(1)).status == "scam"  # type: ignore[union-attr]


async def test_scam_and_new_method_opens_sig_add_with_the_text_as_suggestions(app):
    for user_id, text in zip(("341", "342", "343"), LURE, strict=True):
        await report(app, user_id, text)
    officer = Conversation(app, user_id="1")
    await officer.say("/review")
    await officer.press(t("button.review_scam_signature"))
    assert officer.last[0].text == t("review.decided", status=t("review.status.scam"), count=3, told=0)
    assert officer.last[1].text == t("sig.add.intro")
    for answer in ("ctv-like-video", "-", "Việc nhẹ lương cao: like video", "-", "Mời làm CTV like video.", "-"):
        await officer.say(answer)
    assert "cộng tác viên" in officer.text and "ok" in officer.text  # the suggested cue phrases
    await officer.say("ok")
    await officer.say("Không làm việc qua Zalo với người lạ.\nKhông nạp tiền để nhận nhiệm vụ.")
    await officer.say("-")
    assert LURE[0] in officer.text  # the reviewed messages, suggested as examples
    await officer.say("ok")
    await officer.say("Shopee tuyển dụng chính thức tại careers.shopee.vn.\nChị ơi mai em nghỉ làm một hôm nhé.")
    await officer.press(t("button.sig_save"))
    assert officer.text == t("sig.add.saved", id="ctv-like-video", version=1)
    stored = await app.deps.repos.signatures.get("ctv-like-video")
    assert stored is not None and len(stored.data["examples"]) == 3 and len(stored.data["cues"]) >= 4


async def test_citizens_and_group_admins_cannot_review(app):
    await report(app, "351", OTHER)
    citizen = Conversation(app, user_id="352")
    await citizen.say("/review")
    assert citizen.text == t("refusal.officer")
    admin = Conversation(app, user_id="353", chat_id="-500", kind=ChatKind.GROUP, admin=True)
    await admin.say("/review")
    assert admin.text == t("command.private_only")
    assert (await app.deps.repos.reports.get(1)).status == "pending"  # type: ignore[union-attr]


async def test_block_never_lists_a_genuine_organisations_site_and_blocks_a_platform_page_instead(app):
    # Scams quote the real bank's address beside their own: blocking that would make every genuine notice high.
    text = "Vietcombank thông báo: xác thực tại vietcombank.com.vn hoặc nhắn t.me/hotro_vcb_247 để được hỗ trợ ngay"
    for user_id in ("331", "332"):
        await report(app, user_id, text)
    officer = Conversation(app, user_id="1")
    await officer.say("/review")
    await officer.press(t("button.review_block"))
    blocked = {(r.kind, r.value, r.decided_by) for r in await app.deps.repos.indicators.list(status="scam")}
    assert blocked == {("url", "t.me/hotro_vcb_247", "telegram:1")}
