"""Reports: filed whole or not at all."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.app import App
from tests.conversation import Conversation
from tests.factories import t

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
