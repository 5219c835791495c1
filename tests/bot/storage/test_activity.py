"""Contract: checks, the report queue, feedback and the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from handlers.ports import CheckStats, FeedbackStats, Repositories
from tests.factories import T0, minutes


async def test_checks_and_stats(repos: Repositories) -> None:
    first = await repos.checks.add(
        platform="telegram", at=T0, level="high", score=92, methods=["fake-police", "otp"], text_hash="a"
    )
    await repos.checks.add(platform="zalo", at=minutes(10), level="medium", score=55, methods=["otp"], text_hash="b")
    await repos.checks.add(platform="zalo", at=minutes(20), level="low", score=3, methods=[], text_hash="c")

    check = await repos.checks.get(first)
    assert check is not None
    assert (check.platform, check.at, check.level, check.score, check.methods) == (
        "telegram",
        T0,
        "high",
        92,
        ("fake-police", "otp"),
    )
    assert await repos.checks.get(first + 100) is None
    assert await repos.checks.stats(T0) == CheckStats(
        total=3, by_level={"high": 1, "medium": 1, "low": 1}, by_method={"fake-police": 1, "otp": 2}
    )
    assert await repos.checks.stats(minutes(10)) == CheckStats(
        total=2, by_level={"high": 0, "medium": 1, "low": 1}, by_method={"otp": 1}
    )


async def test_report_queue(repos: Repositories) -> None:
    later = await repos.reports.add(actor="zalo:2", platform="zalo", chat_id="2", text="b", at=minutes(5), notify=False)
    first = await repos.reports.add(
        actor="telegram:1",
        platform="telegram",
        chat_id="1",
        text="Chuyển tiền ngay",
        at=T0,
        notify=True,
        check_id=7,
        level="high",
    )
    third = await repos.reports.add(actor="zalo:3", platform="zalo", chat_id="3", text="c", at=minutes(9), notify=True)

    report = await repos.reports.get(first)
    assert report is not None
    assert (report.status, report.notify, report.check_id, report.level, report.decided_by) == (
        "pending",
        True,
        7,
        "high",
        None,
    )
    assert [r.id for r in await repos.reports.list_pending()] == [first, later, third]
    assert [r.id for r in await repos.reports.list_pending(limit=1, offset=1)] == [later]

    decided = await repos.reports.decide(first, "scam", "telegram:9", minutes(30))
    assert decided is not None and (decided.status, decided.decided_by, decided.decided_at) == (
        "scam",
        "telegram:9",
        minutes(30),
    )
    await repos.reports.decide(later, "unclear", "telegram:9", minutes(31))
    assert [r.id for r in await repos.reports.list_pending()] == [third]
    assert await repos.reports.count_by_status() == {"pending": 1, "scam": 1, "not_scam": 0, "unclear": 1}
    assert await repos.reports.decide(999, "scam", "telegram:9", T0) is None
    with pytest.raises(ValueError, match="not a decision"):
        await repos.reports.decide(third, "pending", "telegram:9", T0)

    # Decided reports are training data: scam and not-a-scam by default, oldest first; pending and unclear left out.
    await repos.reports.decide(third, "not_scam", "telegram:9", minutes(32))
    assert [(r.id, r.status) for r in await repos.reports.list_decided()] == [(first, "scam"), (third, "not_scam")]
    assert [r.id for r in await repos.reports.list_decided(("unclear",))] == [later]


async def test_pending_reports_at_most_a_few_per_reporter(repos: Repositories) -> None:
    async def report(actor: str, at: float, text: str) -> int:
        return await repos.reports.add(
            actor=actor, platform="zalo", chat_id="c", text=text, at=minutes(at), notify=False
        )

    junk = [await report("zalo:spam", at, f"rác {at}") for at in range(5)]
    real = await report("zalo:lan", 6, "thật")
    other = await report("telegram:minh", 1.5, "cũng thật")
    await repos.reports.decide(junk[0], "not_scam", "telegram:9", minutes(7))  # decided: no longer pending

    listed = await repos.reports.list_pending_by_reporter(limit=10, per_reporter=2)
    assert [(record.id, total) for record, total in listed] == [(junk[1], 4), (other, 1), (junk[2], 4), (real, 1)]
    assert listed[0][0] == await repos.reports.get(junk[1])
    assert [r.id for r, _ in await repos.reports.list_pending_by_reporter(limit=2, per_reporter=1)] == [junk[1], other]


async def test_reports_counted_per_reporter_since_a_time(repos: Repositories) -> None:
    for at in (0, 30, 90):
        await repos.reports.add(actor="zalo:1", platform="zalo", chat_id="1", text="x", at=minutes(at), notify=False)
    await repos.reports.add(actor="zalo:2", platform="zalo", chat_id="2", text="x", at=minutes(60), notify=False)
    decided = await repos.reports.add(
        actor="zalo:1", platform="zalo", chat_id="1", text="x", at=minutes(100), notify=False
    )
    await repos.reports.decide(decided, "scam", "telegram:9", minutes(101))  # counted whatever became of it
    assert await repos.reports.count_since("zalo:1", minutes(30)) == 3
    assert await repos.reports.count_since("zalo:1", T0) == 4
    assert await repos.reports.count_since("zalo:1", minutes(101)) == 0
    assert await repos.reports.count_since("zalo:3", T0) == 0


async def test_a_report_is_added_with_its_indicators(repos: Repositories) -> None:
    phone, domain = ("phone", "+84900000001"), ("domain", "shopee-tritan.vip")
    await repos.indicators.add_report(*phone, "zalo:7", T0)  # someone else reported the number already
    first = await repos.reports.add(
        actor="telegram:1",
        platform="telegram",
        chat_id="1",
        text="Nhận quà tại shopee-tritan.vip, gọi 0900000001",
        at=minutes(1),
        notify=True,
        check_id=7,
        level="high",
        kind="wrong_verdict",
        indicators=[phone, domain, phone],
    )
    report = await repos.reports.get(first)
    assert report is not None
    assert (report.actor, report.text, report.notify, report.check_id, report.level, report.kind, report.status) == (
        "telegram:1",
        "Nhận quà tại shopee-tritan.vip, gọi 0900000001",
        True,
        7,
        "high",
        "wrong_verdict",
        "pending",
    )
    counted = await repos.indicators.lookup_many([phone, domain])
    assert {key: (r.report_count, r.first_reported_at, r.last_reported_at) for key, r in counted.items()} == {
        phone: (2, T0, minutes(1)),
        domain: (1, minutes(1), minutes(1)),
    }
    second = await repos.reports.add(
        actor="telegram:1",
        platform="telegram",
        chat_id="1",
        text="lại",
        at=minutes(2),
        notify=False,
        indicators=[domain],
    )
    assert second != first and (await repos.indicators.lookup(*domain)).report_count == 1  # type: ignore[union-attr]


async def test_a_report_that_fails_midway_leaves_nothing_half_written(repos: Repositories) -> None:
    good = ("phone", "+84900000002")
    with pytest.raises((ValueError, IntegrityError)):
        await repos.reports.add(
            actor="telegram:1",
            platform="telegram",
            chat_id="1",
            text="Nhận quà",
            at=T0,
            notify=True,
            indicators=[good, ("domain", None)],  # type: ignore[list-item]  # the database refuses the second
        )
    assert await repos.reports.list_pending() == []
    assert await repos.indicators.lookup(*good) is None  # type: ignore[arg-type]
    assert await repos.reports.count_by_status() == dict.fromkeys(("pending", "scam", "not_scam", "unclear"), 0)


async def test_feedback_one_answer_per_person_and_check(repos: Repositories) -> None:
    first = await repos.feedback.add(check_id=1, actor="telegram:1", correct=True, at=T0)
    changed = await repos.feedback.add(check_id=1, actor="telegram:1", correct=False, at=minutes(1))
    assert changed.id == first.id and (changed.correct, changed.at) == (False, minutes(1))
    await repos.feedback.add(check_id=1, actor="zalo:2", correct=True, at=T0)
    await repos.feedback.add(check_id=2, actor="telegram:1", correct=True, at=T0)
    assert await repos.feedback.stats() == FeedbackStats(correct=2, incorrect=1)


async def test_audit_newest_first(repos: Repositories) -> None:
    first = await repos.audit.add(actor="telegram:9", action="grant", target="zalo:1", detail="officer", at=T0)
    second = await repos.audit.add(actor="telegram:9", action="edit", target="signature:x", detail="", at=minutes(1))
    assert (first.actor, first.action, first.target, first.detail, first.at) == (
        "telegram:9",
        "grant",
        "zalo:1",
        "officer",
        T0,
    )
    assert await repos.audit.list() == [second, first]
    assert await repos.audit.list(limit=1) == [second]
