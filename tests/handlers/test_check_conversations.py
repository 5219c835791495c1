"""Whole conversations through the handlers: checking, feedback, reports, lookups."""

import pytest

from bot.app import build_memory_app
from tests.conversation import Conversation
from tests.factories import fixed_parts, settings_for, settings_from_toml, t

SCAM = (
    "Tôi là cán bộ công an quận Hoàn Kiếm. Chị có liên quan đến đường dây rửa tiền, phải chuyển toàn bộ tiền vào "
    "tài khoản tạm giữ STK 0123456789 Vietcombank để chứng minh trong sạch. Không được nói với ai."
)
EVERYDAY = "Chiều nay 5h họp phụ huynh ở lớp 3A nhé, nhớ mang sổ liên lạc."


@pytest.fixture(params=["memory", "sqlite"])
def any_app(request, app, sqlite_app):
    return app if request.param == "memory" else sqlite_app


async def test_scam_is_high_and_everyday_is_low(any_app):
    chat = Conversation(any_app)
    await chat.say(SCAM)
    assert chat.text.startswith(f"*{t('level.high')}*")
    assert "Giả danh" in chat.text and "113" in chat.text and "156" in chat.text
    await chat.say(EVERYDAY)
    assert chat.text.startswith(f"*{t('level.low')}*")
    assert "an toàn" not in chat.text.split("\n")[0]
    stats = await any_app.deps.repos.checks.stats(any_app.deps.now().replace(year=2000))
    assert stats.total == 2 and stats.by_level["high"] == 1


async def test_checked_text_is_never_stored(sqlite_app, tmp_path):
    await Conversation(sqlite_app).say(SCAM)
    raw = (tmp_path / "bot.sqlite3").read_bytes() + b"".join(p.read_bytes() for p in tmp_path.glob("bot.sqlite3-*"))
    assert "đường dây rửa tiền".encode() not in raw and b"0123456789" not in raw


async def test_forwarded_message_and_check_command(app):
    chat = Conversation(app)
    await chat.say(SCAM, forwarded=True)
    assert t("level.high") in chat.text
    await chat.say("/check")
    assert "/check" in chat.text  # usage
    await chat.say("/check", reply_to=SCAM)
    assert t("level.high") in chat.text


async def test_feedback_right_and_wrong_with_review_consent(any_app):
    chat = Conversation(any_app)
    await chat.say(EVERYDAY)
    await chat.press("Đúng")
    assert chat.text == t("feedback.thanks")
    await chat.say(SCAM)
    await chat.press("Sai")
    assert chat.text == t("feedback.offer_review")
    await chat.press("Gửi và báo kết quả")
    assert "#1" in chat.text
    feedback = await any_app.deps.repos.feedback.stats()
    assert (feedback.correct, feedback.incorrect) == (1, 1)
    [report] = await any_app.deps.repos.reports.list_pending()
    assert report.text == SCAM and report.notify and report.level == "high"
    account = await any_app.deps.repos.indicators.lookup("account", "0123456789")
    assert account.report_count == 1 and account.status == "reported"


async def test_declining_review_keeps_nothing(app):
    chat = Conversation(app)
    await chat.say(SCAM)
    await chat.press("Sai")
    await chat.press("Không gửi")
    assert chat.text == t("report.cancelled")
    assert await app.deps.repos.reports.list_pending() == []


async def test_report_dialog_next_message(any_app):
    chat = Conversation(any_app)
    await chat.say("/report")
    assert chat.text == t("report.send_text")
    await chat.say("Bạn trúng thưởng xe SH, đóng phí 2 triệu để nhận tại shopee-tritan.vip")
    assert t("report.consent") in chat.text
    await chat.press("không cần báo")
    assert "#1" in chat.text
    [report] = await any_app.deps.repos.reports.list_pending()
    assert not report.notify
    domain = await any_app.deps.repos.indicators.lookup("domain", "shopee-tritan.vip")
    assert domain is not None and domain.report_count == 1


async def test_one_report_never_makes_an_indicator_scam(app):
    for user in ("201", "202", "203"):
        chat = Conversation(app, user_id=user)
        await chat.say("/report Gọi ngay 0912 345 678 để nhận quà tri ân")
        await chat.press("không cần báo")
    record = await app.deps.repos.indicators.lookup("phone", "+84912345678")
    assert record.report_count == 3 and record.status == "reported"
    chat = Conversation(app, user_id="300")
    await chat.say("/checknum 0912.345.678")
    assert f"{fixed_parts('reputation.reported')[0]} 3 {fixed_parts('reputation.reported')[1]}" in chat.text


async def test_checknum_usage_unknown_and_lookalike(app):
    chat = Conversation(app)
    await chat.say("/checknum")
    assert "/checknum" in chat.text
    await chat.say("/checknum xin chào")
    assert chat.text == t("checknum.nothing")
    await chat.say("/checknum vietcombank-xacthuc.top")
    assert fixed_parts("reputation.unknown")[0] in chat.text
    assert f"{t('indicator.flag.lookalike')} Vietcombank" in chat.text


async def test_stale_and_foreign_buttons_are_refused_politely(app):
    owner = Conversation(app, user_id="500")
    await owner.say(SCAM)
    other = Conversation(app, user_id="501")
    other.last = owner.last
    await other.press("Sai")
    assert other.text == t("button.stale")
    assert (await app.deps.repos.feedback.stats()).incorrect == 0


async def test_a_checked_text_leaves_memory_when_its_buttons_expire_even_if_nobody_presses_them(app, clock):
    await Conversation(app, user_id="600").say(SCAM)
    assert [s.data["text"] for s in app.deps.sessions] == [SCAM]  # held for the buttons under the verdict
    [privacy] = await Conversation(app, user_id="601").say("/privacy")
    assert privacy.text == t("privacy.text", hours=6) + "\n" + t("privacy.retention", pending=180, decided=730)
    clock.advance(hours=6, minutes=1)  # as long as /privacy says
    await Conversation(app, user_id="601").say(EVERYDAY)  # someone else's check; nobody looks the first one up
    assert [s.data["text"] for s in app.deps.sessions] == [EVERYDAY]


async def test_flood_control(app, clock):
    chat = Conversation(app)
    for _ in range(20):
        await chat.say(EVERYDAY)
    await chat.say(EVERYDAY)
    assert chat.text == t("flood.slow_down")
    clock.advance(minutes=1)
    await chat.say(EVERYDAY)
    assert t("level.low") in chat.text


@pytest.mark.parametrize(
    "text", ["", "   ", "\x00\x01", "🙂" * 3000, "<b>x</b>&amp;<script>alert(1)</script>", "a" * 100_000]
)
async def test_bad_input_gets_a_polite_answer(app, text):
    replies = await Conversation(app).say(text)
    assert replies and all(r.text for r in replies)


async def test_scam_links_in_our_replies_are_never_clickable(app):
    chat = Conversation(app)
    await chat.say("Xác thực ngay tại https://vietcombank-xacthuc.top/login, chi tiết ở vietcombank.com.vn")
    assert "vietcombank-xacthuc[.]top" in chat.text and "vietcombank-xacthuc.top" not in chat.text
    assert "hxxps://" in chat.text and "vietcombank.com.vn" in chat.text  # the genuine site stays a link
    await chat.say("/checknum vietcombank-xacthuc.top")
    assert "vietcombank-xacthuc.top" not in chat.text and "vietcombank-xacthuc[.]top" in chat.text


async def test_max_text_chars_from_the_config_file_decides_how_much_is_read(clock, tmp_path):
    settings = settings_from_toml(tmp_path, "[limits]\nmax_text_chars = 200\n")
    app = await build_memory_app(settings, clock)
    chat = Conversation(app)
    # The scam part starts after 300 harmless characters: with a 200-character limit it is not read.
    await chat.say("Mẹ ơi tối nay con về ăn cơm nhé. " * 10 + SCAM)
    assert t("level.low") in chat.text and t("verdict.truncated", limit=200) in chat.text
    await app.close()
    default = await build_memory_app(settings_for(), clock)
    chat = Conversation(default)
    await chat.say("Mẹ ơi tối nay con về ăn cơm nhé. " * 10 + SCAM)
    assert t("level.high") in chat.text and fixed_parts("verdict.truncated")[-1] not in chat.text
    await default.close()
