"""Contract: the retention purge (what expires, what stays, batches, dry runs) on memory, SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from handlers.ports import FORGOTTEN_ACTOR, PurgeCounts, Repositories, RetentionCutoffs
from handlers.retention import Retention, purge_expired
from tests.databases import empty_databases
from tests.factories import T0

OLD = T0 - dt.timedelta(days=1000)  # older than every default
NOW = T0
EVERYTHING = RetentionCutoffs(
    checks=NOW, deliveries=NOW, pending_reports=NOW, report_texts=NOW, audit=NOW
)  # whatever is older than NOW


async def fill(repos: Repositories, at: dt.datetime, tag: str) -> dict[str, int]:
    """One record of every kind the purge looks at, made at `at`; the report ids."""
    check = await repos.checks.add(platform="telegram", at=at, level="high", score=90, methods=["otp"], text_hash=tag)
    await repos.feedback.add(check_id=check, actor=f"telegram:{tag}", correct=True, at=at)
    pending = await repos.reports.add(
        actor=f"telegram:{tag}", platform="telegram", chat_id=tag, text=f"pending {tag}", at=at, notify=True,
        indicators=[("phone", f"+8490000{tag}")],
    )  # fmt: skip
    decided = await repos.reports.add(
        actor=f"zalo:{tag}", platform="zalo", chat_id=tag, text=f"decided {tag}", at=at, notify=True
    )
    await repos.reports.decide(decided, "scam", "telegram:officer", at)
    await repos.deliveries.enqueue(
        chat_key=f"telegram:{tag}", platform="telegram", chat_id=tag, alert_key="alert:1", day=at.date(),
        text="Cảnh giác!", image_url=None, round_id=tag, now=at,
    )  # fmt: skip
    [delivery] = await repos.deliveries.claim("telegram", "w", at, 60, 10)
    await repos.deliveries.mark_sent(delivery.id, "w", at)
    await repos.audit.add(actor="telegram:officer", action="report.decide", target=str(decided), detail="", at=at)
    return {"pending": pending, "decided": decided}


async def test_what_is_past_its_time_goes_and_the_rest_stays(repos: Repositories) -> None:
    old = await fill(repos, OLD, "1")
    new = await fill(repos, NOW - dt.timedelta(days=1), "2")

    counts = await purge_expired(repos.retention, Retention(), NOW, batch=2)

    assert counts == PurgeCounts(
        checks=1, feedback=1, deliveries=1, pending_reports=1, reporter_links=1, report_texts=1, audit=1
    )
    assert await repos.reports.get(old["pending"]) is None
    blanked = await repos.reports.get(old["decided"])
    assert blanked is not None
    assert (blanked.text, blanked.actor, blanked.chat_id, blanked.notify) == ("", FORGOTTEN_ACTOR, "", False)
    assert (blanked.status, blanked.decided_by, blanked.decided_at) == ("scam", "telegram:officer", OLD)
    for report_id in new.values():
        kept = await repos.reports.get(report_id)
        assert kept is not None and kept.text and kept.actor != FORGOTTEN_ACTOR
    assert (await repos.checks.stats(OLD - dt.timedelta(days=1))).total == 1
    assert [entry.at for entry in await repos.audit.list()] == [NOW - dt.timedelta(days=1)]
    assert sum((await repos.deliveries.round_summary("1")).values()) == 0
    assert (await repos.deliveries.round_summary("2"))["sent"] == 1


async def test_indicators_keep_their_counts_and_decisions(repos: Repositories) -> None:
    await fill(repos, OLD, "1")
    await repos.indicators.set_status("phone", "+84900001", "scam", "blocked", by="telegram:officer", at=OLD)
    before = await repos.indicators.lookup("phone", "+84900001")

    await purge_expired(repos.retention, Retention(), NOW)

    after = await repos.indicators.lookup("phone", "+84900001")
    assert before is not None and after == before and after.report_count == 1 and after.status == "scam"
    # The reporter's link is gone, so the same person reporting again later counts again.
    again = await repos.indicators.add_report("phone", "+84900001", "telegram:1", NOW)
    assert again.report_count == 2


async def test_zero_keeps_for_ever_and_a_second_run_finds_nothing(repos: Repositories) -> None:
    await fill(repos, OLD, "1")
    forever = Retention(checks_days=0, deliveries_days=0, pending_reports_days=0, report_text_days=0, audit_days=0)
    assert forever.cutoffs(NOW) == RetentionCutoffs()
    assert await purge_expired(repos.retention, forever, NOW) == PurgeCounts()

    first = await purge_expired(repos.retention, Retention(), NOW)
    assert first.total == 7
    assert await purge_expired(repos.retention, Retention(), NOW) == PurgeCounts()


async def test_a_dry_run_counts_and_changes_nothing(repos: Repositories) -> None:
    ids = await fill(repos, OLD, "1")
    dry = await purge_expired(repos.retention, Retention(), NOW, dry_run=True)
    assert dry.total == 7
    report = await repos.reports.get(ids["pending"])
    assert report is not None and report.text == "pending 1"
    assert await purge_expired(repos.retention, Retention(), NOW) == dry


async def test_batches_smaller_than_the_work_remove_it_all(repos: Repositories) -> None:
    for number in range(7):
        await repos.checks.add(
            platform="zalo", at=OLD, level="low", score=0, methods=[], text_hash=str(number)
        )  # fmt: skip
        await repos.audit.add(actor="telegram:officer", action="a", target="t", detail="", at=OLD)
    counts = await repos.retention.purge(RetentionCutoffs(checks=NOW, audit=NOW), batch=3)
    assert (counts.checks, counts.audit, counts.total) == (7, 7, 14)
    assert (await repos.checks.stats(OLD)).total == 0 and await repos.audit.list() == []


async def test_a_limit_leaves_the_rest_for_the_next_call(repos: Repositories) -> None:
    for number in range(5):
        await repos.checks.add(platform="zalo", at=OLD, level="low", score=0, methods=[], text_hash=str(number))
    cutoffs = RetentionCutoffs(checks=NOW)
    assert (await repos.retention.purge(cutoffs, batch=2, dry_run=True, limit=3)).checks == 3
    assert (await repos.retention.purge(cutoffs, batch=2, limit=3)).checks == 3
    assert (await repos.checks.stats(OLD)).total == 2
    assert (await repos.retention.purge(cutoffs, batch=2, limit=3)).checks == 2
    assert (await repos.checks.stats(OLD)).total == 0


async def test_pending_and_sending_deliveries_are_never_purged(repos: Repositories) -> None:
    for tag, status in (("1", "pending"), ("2", "sending")):
        await repos.deliveries.enqueue(
            chat_key=f"zalo:{tag}", platform="zalo", chat_id=tag, alert_key="alert:9", day=OLD.date(),
            text="x", image_url=None, round_id="old", now=OLD,
        )  # fmt: skip
        if status == "sending":
            await repos.deliveries.claim("zalo", "w", OLD, 60, 1)
    assert (await repos.retention.purge(EVERYTHING, batch=10)).deliveries == 0
    summary = await repos.deliveries.round_summary("old")
    assert (summary["pending"], summary["sending"]) == (1, 1)


async def test_sqlite_overwrites_what_the_purge_removed(tmp_path: Path) -> None:
    async with empty_databases("sqlite", tmp_path, None) as open_one:
        repos = (await open_one()).repos
        await repos.reports.add(
            actor="zalo:7", platform="zalo", chat_id="7", text="chuyen khoan ngay XYZZYQ", at=OLD, notify=False
        )
        decided = await repos.reports.add(
            actor="zalo:8", platform="zalo", chat_id="8", text="ma OTP cua ban QWERTZQ", at=OLD, notify=False
        )
        await repos.reports.decide(decided, "scam", "telegram:officer", OLD)
        counts = await purge_expired(repos.retention, Retention(), NOW)
        assert (counts.pending_reports, counts.report_texts) == (1, 1)
    raw = b"".join(path.read_bytes() for path in (tmp_path / "data").glob("canhgiac.sqlite3*"))
    assert b"XYZZYQ" not in raw and b"QWERTZQ" not in raw
