"""Contract: per-day counts for officers' statistics, days taken in a given time zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from handlers.ports import FeedbackStats, Repositories
from tests.factories import T0, minutes

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")  # UTC+7
NEPAL = ZoneInfo("Asia/Kathmandu")  # UTC+5:45: local midnight is not on a whole UTC hour
APRIL_30, MAY_1, MAY_2 = dt.date(2026, 4, 30), dt.date(2026, 5, 1), dt.date(2026, 5, 2)


def utc(day: int, hour: int, minute: int = 0, second: int = 0, micro: int = 0) -> dt.datetime:
    return dt.datetime(2026, 5, day, hour, minute, second, micro, tzinfo=dt.UTC)


async def add_check(repos: Repositories, at: dt.datetime, level: str = "high") -> None:
    await repos.checks.add(platform="telegram", at=at, level=level, score=50, methods=[], text_hash="h")


async def test_checks_per_local_day_and_level(repos: Repositories) -> None:
    since = dt.datetime(2026, 4, 30, tzinfo=VIETNAM)  # 29 April 17:00 UTC
    await add_check(repos, since - dt.timedelta(microseconds=1))  # just before the window
    await add_check(repos, since)  # its first instant counts
    await add_check(repos, utc(1, 16, 59, 59, 999_999), "medium")  # 23:59:59.999999 on 1 May in Vietnam
    await add_check(repos, utc(1, 17), "medium")  # midnight: 2 May in Vietnam
    await add_check(repos, T0, "low")
    await add_check(repos, T0, "low")
    assert await repos.checks.daily_counts(since, VIETNAM) == {
        (APRIL_30, "high"): 1,
        (MAY_1, "medium"): 1,
        (MAY_1, "low"): 2,
        (MAY_2, "medium"): 1,
    }
    assert await repos.checks.daily_counts(utc(2, 0), VIETNAM) == {}


async def test_days_follow_the_zone_to_the_quarter_hour(repos: Repositories) -> None:
    # Midnight in Kathmandu is 18:15 UTC: 18:14:59 is still the day before there, and the next day in Vietnam.
    await add_check(repos, utc(1, 18, 14, 59))
    await add_check(repos, utc(1, 18, 15))
    since = utc(1, 0)
    assert await repos.checks.daily_counts(since, NEPAL) == {(MAY_1, "high"): 1, (MAY_2, "high"): 1}
    assert await repos.checks.daily_counts(since, VIETNAM) == {(MAY_2, "high"): 2}
    assert await repos.checks.daily_counts(since, dt.UTC) == {(MAY_1, "high"): 2}


async def test_reports_received_and_decided_per_day(repos: Repositories) -> None:
    common = {"platform": "zalo", "chat_id": "2", "text": "x", "notify": False}
    early = await repos.reports.add(actor="zalo:1", at=utc(1, 1), **common)
    late = await repos.reports.add(actor="zalo:2", at=utc(1, 17, 30), **common)
    await repos.reports.add(actor="zalo:3", at=utc(1, 18), **common)
    old = await repos.reports.add(actor="zalo:4", at=utc(1, 0) - dt.timedelta(days=3), **common)
    await repos.reports.decide(early, "scam", "telegram:9", utc(1, 2))
    await repos.reports.decide(late, "unclear", "telegram:9", utc(1, 18))
    await repos.reports.decide(old, "not_scam", "telegram:9", utc(1, 3))
    # A changed decision counts once, on the day and with the status of the latest one.
    await repos.reports.decide(late, "scam", "telegram:9", utc(2, 1))
    since = dt.datetime(2026, 5, 1, tzinfo=VIETNAM)
    assert await repos.reports.daily_received(since, VIETNAM) == {MAY_1: 1, MAY_2: 2}
    assert await repos.reports.daily_decisions(since, VIETNAM) == {
        (MAY_1, "scam"): 1,
        (MAY_1, "not_scam"): 1,
        (MAY_2, "scam"): 1,
    }
    assert await repos.reports.daily_decisions(utc(2, 0), VIETNAM) == {(MAY_2, "scam"): 1}


async def test_deliveries_per_alert_day_and_status(repos: Repositories) -> None:
    async def enqueue(chat: str, day: dt.date) -> None:
        await repos.deliveries.enqueue(
            chat_key=f"telegram:{chat}",
            platform="telegram",
            chat_id=chat,
            alert_key="daily",
            day=day,
            text="t",
            image_url=None,
            round_id=f"r{day}",
            now=T0,
        )

    for chat in ("1", "2", "3"):
        await enqueue(chat, MAY_1)
    await enqueue("1", MAY_2)
    await enqueue("1", APRIL_30)
    claimed = await repos.deliveries.claim("telegram", "w", minutes(1), 60, 10)
    first, second = (d for d in claimed if d.day == MAY_1 and d.chat_id in ("1", "2"))
    await repos.deliveries.mark_sent(first.id, "w", minutes(2))
    await repos.deliveries.mark_failed(second.id, "403")
    sent_april = next(d for d in claimed if d.day == APRIL_30)
    await repos.deliveries.mark_sent(sent_april.id, "w", minutes(2))
    counts = await repos.deliveries.daily_counts(MAY_1)
    assert counts == {(MAY_1, "sent"): 1, (MAY_1, "failed"): 1, (MAY_1, "sending"): 1, (MAY_2, "sending"): 1}
    assert await repos.deliveries.daily_counts(dt.date(2026, 6, 1)) == {}


async def test_feedback_since(repos: Repositories) -> None:
    await repos.feedback.add(check_id=1, actor="telegram:1", correct=True, at=T0)
    await repos.feedback.add(check_id=2, actor="telegram:1", correct=False, at=minutes(10))
    await repos.feedback.add(check_id=3, actor="telegram:1", correct=True, at=minutes(20))
    assert await repos.feedback.stats(minutes(10)) == FeedbackStats(correct=1, incorrect=1)
    assert await repos.feedback.stats() == FeedbackStats(correct=2, incorrect=1)
    # A changed answer moves into the period of its change.
    await repos.feedback.add(check_id=1, actor="telegram:1", correct=False, at=minutes(30))
    assert await repos.feedback.stats(minutes(10)) == FeedbackStats(correct=1, incorrect=2)
