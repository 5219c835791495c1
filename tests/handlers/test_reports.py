"""Reports: filed whole or not at all, a few per person and hour or day, cut at a documented length; and the
officers' list, where one sender's many reports do not bury everyone else's."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.app import App, build_memory_app
from tests.conversation import Conversation
from tests.factories import EVERYDAY, settings_from_toml, t
from tests.fakes.clocks import FrozenClock

REPORT = "Gọi ngay 0912 345 678 để nhận quà tri ân tại shopee-tritan.vip, phí 300k"


async def test_a_failure_while_filing_a_report_leaves_nothing_half_written(sqlite_app: App, tmp_path: Path) -> None:
    repos = sqlite_app.deps.repos
    chat = Conversation(sqlite_app)
    await chat.say(f"/report {REPORT}")
    with sqlite3.connect(tmp_path / "bot.sqlite3") as database:  # the disk fails after the first indicator
        database.execute(
            "CREATE TRIGGER fail_midway BEFORE INSERT ON indicator_reports "
            "WHEN (SELECT count(*) FROM indicator_reports WHERE reporter = NEW.reporter) >= 1 "
            "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"
        )
    await chat.press("không cần báo")
    assert chat.text == t("error.internal")
    assert await repos.reports.list_pending() == []
    assert await repos.indicators.lookup_many([("phone", "+84912345678"), ("domain", "shopee-tritan.vip")]) == {}

    with sqlite3.connect(tmp_path / "bot.sqlite3") as database:
        database.execute("DROP TRIGGER fail_midway")
    await chat.say(f"/report {REPORT}")  # the citizen tries again
    await chat.press("không cần báo")
    assert chat.text == t("report.thanks", number=1)
    counted = await repos.indicators.lookup_many([("phone", "+84912345678"), ("domain", "shopee-tritan.vip")])
    assert sorted(record.report_count for record in counted.values()) == [1, 1]


async def file_report(chat: Conversation, text: str = REPORT) -> str:
    """/report with the text, then "send it, no need to tell me"; what the bot answered last."""
    await chat.say(f"/report {text}")
    if chat.last[0].buttons:
        await chat.press("không cần báo")
    return chat.text


async def test_reports_are_limited_per_user_and_hour_by_default(app: App, clock: FrozenClock) -> None:
    chat = Conversation(app, user_id="100")
    for number in range(1, 6):
        assert await file_report(chat) == t("report.thanks", number=number)
    assert await file_report(chat) == t("report.limit_hour", count=5)  # polite, and asked before the text is kept
    await chat.say(EVERYDAY)
    await chat.press("Báo cáo")  # "report this" under a verdict: the same limit
    assert chat.text == t("report.limit_hour", count=5)
    assert len(await app.deps.repos.reports.list_pending()) == 5
    assert await file_report(Conversation(app, user_id="101")) == t("report.thanks", number=6)  # others are not held
    clock.advance(hours=1, seconds=1)
    assert await file_report(chat) == t("report.thanks", number=7)


async def test_report_limits_per_hour_and_day_come_from_the_config(clock: FrozenClock, tmp_path: Path) -> None:
    settings = settings_from_toml(tmp_path, "[limits]\nreports_per_hour = 2\nreports_per_day = 3\n")
    app = await build_memory_app(settings, clock)
    chat = Conversation(app, user_id="100")
    consent = await chat.say(f"/report {REPORT}")  # consent asked while under the limit...
    assert [await file_report(chat), await file_report(chat)] == [t("report.thanks", number=n) for n in (1, 2)]
    chat.last = consent
    await chat.press("không cần báo")  # ...is still refused when the limit was reached meanwhile
    assert chat.text == t("report.limit_hour", count=2)
    chat.last = consent
    await chat.press("Không gửi")  # and keeping nothing is always possible
    assert chat.text == t("report.cancelled")
    clock.advance(minutes=61)
    assert await file_report(chat) == t("report.thanks", number=3)
    clock.advance(minutes=61)
    assert await file_report(chat) == t("report.limit_day", count=3)
    clock.advance(hours=22)  # a day after the first two
    assert await file_report(chat) == t("report.thanks", number=4)
    await app.close()


async def test_a_long_report_is_cut_at_max_report_chars_and_the_citizen_is_told(app: App) -> None:
    chat = Conversation(app)
    await chat.say(f"/report {REPORT} " + "x" * 5000)
    assert chat.text == f"{t('report.consent')}\n{t('report.truncated', limit=4000)}"
    await chat.press("không cần báo")
    [report] = await app.deps.repos.reports.list_pending()
    assert report.text.startswith(REPORT) and len(report.text) == 4000


async def test_one_sender_s_reports_do_not_bury_everyone_else_s(clock: FrozenClock, tmp_path: Path) -> None:
    settings = settings_from_toml(
        tmp_path, '[roles]\nsuperadmins = ["telegram:1"]\n[limits]\nreports_per_hour = 50\nreports_per_day = 50\n'
    )
    app = await build_memory_app(settings, clock)
    spammer = Conversation(app, user_id="666")
    for number in range(12):
        await file_report(spammer, f"Quảng cáo rác số {number}")
        clock.advance(seconds=1)
    await file_report(Conversation(app, user_id="100"))
    officer = Conversation(app, user_id="1")
    await officer.say("/reports")
    assert officer.text.startswith(t("officer.reports_header", count=13, per=2))
    assert "Quảng cáo rác số 0" in officer.text and "Quảng cáo rác số 1" in officer.text
    assert "Quảng cáo rác số 2" not in officer.text and "shopee-tritan.vip" in officer.text
    assert t("officer.reports_more", count=10) in officer.text
    await app.close()
