"""/forgetme: what is erased, and that nothing of it stays behind in the database files; /privacy's periods."""

from __future__ import annotations

from pathlib import Path

from bot.app import App, build_memory_app
from bot.config import RetentionSettings
from handlers.messages import ChatKind
from handlers.ports import FORGOTTEN_ACTOR
from tests.conversation import Conversation
from tests.factories import fixed_parts, settings_for, t

NAME = "Trần Thị Bích Ngọc"
REPORT = "Nhận quà tri ân tại shopee-tritan.vip, đóng phí 300k cho chị Hạnh Nguyên giữ hộ"


async def test_forgetme_leaves_no_trace_in_the_database_files(sqlite_app: App, tmp_path: Path) -> None:
    group = Conversation(sqlite_app, user_id="100", chat_id="-100", kind=ChatKind.GROUP, admin=True, name=NAME)
    await group.say("/guard on")  # a group admin's action goes to the audit log
    chat = Conversation(sqlite_app, user_id="100", name=NAME)
    await chat.say(f"/report {REPORT}")
    await chat.press("không cần báo")
    await chat.say("/forgetme")
    await chat.press("Xóa dữ liệu")
    assert fixed_parts("forget.done")[0] in chat.text

    [guard] = await sqlite_app.deps.repos.audit.list()
    assert (guard.actor, guard.action) == (FORGOTTEN_ACTOR, "guard")
    files = database_files(tmp_path)
    for trace in (NAME, "Hạnh Nguyên", "telegram:100"):
        assert trace.encode() not in files, trace


def database_files(folder: Path) -> bytes:
    """Every byte SQLite keeps on disk: the database file, its write-ahead log and the log's index."""
    return b"".join(path.read_bytes() for path in folder.glob("bot.sqlite3*"))


async def test_privacy_says_how_long_reports_are_kept_as_configured(clock) -> None:
    settings = settings_for().model_copy(
        update={"retention": RetentionSettings(pending_reports_days=90, report_text_days=365)}
    )
    app = await build_memory_app(settings, clock)
    try:
        [reply] = await Conversation(app, user_id="700").say("/privacy")
        assert reply.text.endswith(t("privacy.retention", pending=90, decided=365))
    finally:
        await app.close()
    forever = settings_for().model_copy(update={"retention": RetentionSettings(report_text_days=0)})
    app = await build_memory_app(forever, clock)
    try:
        [reply] = await Conversation(app, user_id="700").say("/privacy")
        assert reply.text == t("privacy.text", hours=6)  # no period to state
    finally:
        await app.close()
