"""/stats: who may ask, the days it takes, and figures that match what the database holds."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from bot.app import App
from handlers.activity import Activity, gather_activity
from handlers.alert_rounds import zone
from handlers.messages import ChatKind
from handlers.ports import FeedbackStats
from handlers.stats_chart import PIXELS
from tests.conversation import Conversation
from tests.factories import t

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
NOV_25, NOV_26, NOV_27 = dt.date(2026, 11, 25), dt.date(2026, 11, 26), dt.date(2026, 11, 27)


def utc(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """An instant in November 2026; the frozen clock stands at 27 November 01:00 UTC, 08:00 in Vietnam."""
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=dt.UTC)


@pytest.fixture(params=["memory", "sqlite"])
def any_app(request: pytest.FixtureRequest, app: App, sqlite_app: App) -> App:
    return app if request.param == "memory" else sqlite_app


@pytest.fixture
async def known_rows(any_app: App) -> App:
    """An app whose database holds a known few days of activity, on either storage."""
    repos = any_app.deps.repos

    async def check(at: dt.datetime, level: str, *methods: str) -> None:
        await repos.checks.add(platform="zalo", at=at, level=level, score=50, methods=methods, text_hash="h")

    await check(utc(24, 16, 59), "high", "electricity")  # 23:59 on the 24th in Vietnam: before the window
    await check(utc(24, 17), "high", "electricity", "fake-bank-staff")  # midnight: the window's first instant
    await check(utc(26, 10), "medium", "electricity")
    await check(utc(26, 18), "low")  # 01:00 on the 27th in Vietnam
    await check(utc(27, 0, 30), "high", "fake-bank-staff")
    report = {"platform": "zalo", "chat_id": "9", "text": "x", "notify": False}
    old = await repos.reports.add(actor="zalo:1", at=utc(20, 3), **report)
    first = await repos.reports.add(actor="zalo:2", at=utc(25, 3), **report)
    second = await repos.reports.add(actor="zalo:3", at=utc(26, 20), **report)  # 03:00 on the 27th in Vietnam
    await repos.reports.add(actor="zalo:4", at=utc(27, 0), **report)
    await repos.reports.decide(first, "scam", "zalo:officer", utc(26, 4))
    await repos.reports.decide(second, "not_scam", "zalo:officer", utc(27, 0, 40))
    await repos.reports.decide(old, "unclear", "zalo:officer", utc(21, 4))  # decided before the window
    for chat, day in (("1", NOV_26), ("2", NOV_26), ("1", dt.date(2026, 11, 24))):
        await repos.deliveries.enqueue(
            chat_key=f"telegram:{chat}",
            platform="telegram",
            chat_id=chat,
            alert_key="daily",
            day=day,
            text="tip",
            image_url=None,
            round_id="r",
            now=utc(24, 1),
        )
    claimed = await repos.deliveries.claim("telegram", "w", utc(27, 0), 60, 9)
    delivery = {(d.day, d.chat_id): d.id for d in claimed}
    await repos.deliveries.mark_sent(delivery[NOV_26, "1"], "w", utc(27, 0))
    await repos.deliveries.mark_failed(delivery[NOV_26, "2"], "403")
    await repos.deliveries.mark_sent(delivery[dt.date(2026, 11, 24), "1"], "w", utc(27, 0))
    await repos.feedback.add(check_id=1, actor="zalo:5", correct=True, at=utc(26, 11))
    await repos.feedback.add(check_id=1, actor="zalo:6", correct=False, at=utc(20, 11))
    return any_app


EXPECTED = Activity(
    days=(NOV_25, NOV_26, NOV_27),
    checks={"high": (1, 0, 1), "medium": (0, 1, 0), "low": (0, 0, 1)},
    methods=(("electricity", 2), ("fake-bank-staff", 2)),
    received=(1, 0, 2),
    decisions={"scam": (0, 1, 0), "not_scam": (0, 0, 1), "unclear": (0, 0, 0)},
    deliveries={"sent": (0, 1, 0), "failed": (0, 1, 0)},
    feedback=FeedbackStats(correct=1, incorrect=0),
    pending=1,
)


async def test_the_series_are_the_database_counts_per_local_day(known_rows: App) -> None:
    deps = known_rows.deps
    activity = await gather_activity(deps.repos, days=3, now=deps.now(), zone=zone(deps.policy.alerts_timezone))
    assert activity == EXPECTED
    assert activity.period == ("25/11", "27/11/2026")
    one_day = await gather_activity(deps.repos, days=1, now=deps.now(), zone=zone("Asia/Ho_Chi_Minh"))
    assert one_day.days == (NOV_27,) and one_day.checks == {"high": (1,), "medium": (0,), "low": (1,)}


async def test_an_officer_gets_the_summary_and_a_chart(known_rows: App) -> None:
    await known_rows.deps.repos.users.ensure("telegram", "42", "", known_rows.deps.now())
    await known_rows.deps.repos.users.set_officer("telegram:42", True)
    officer = Conversation(known_rows, user_id="42")
    [reply] = await officer.say("/stats 3")
    assert reply.text == t(
        "stats.summary",
        days=3,
        first="25/11",
        last="27/11/2026",
        total=4,
        high=2,
        medium=1,
        low=1,
        methods="electricity (2), fake-bank-staff (2)",
        received=3,
        decided=2,
        scam=1,
        not_scam=1,
        unclear=0,
        pending=1,
        correct=1,
        wrong=0,
        sent=1,
        failed=1,
    )
    assert reply.attachment is not None and reply.attachment.fallback == t("stats.chart_elsewhere")
    png = reply.attachment.png
    assert png.startswith(PNG_SIGNATURE)
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and image.size == PIXELS
    [week] = await officer.say("/stats")
    assert week.text.startswith(t("stats.summary", **_zeros(days=7, first="21/11", last="27/11/2026")).split("\n")[0])


def _zeros(**given: object) -> dict[str, object]:
    names = ("total", "high", "medium", "low", "methods", "received", "decided", "scam", "not_scam", "unclear")
    names += ("pending", "correct", "wrong", "sent", "failed")
    return {**dict.fromkeys(names, 0), **given}


@pytest.mark.parametrize("args", ["0", "366", "-1", "abc", "7 8", "3.5", "７", "9" * 5000])
async def test_days_outside_one_to_365_get_the_usage(app: App, args: str) -> None:
    await app.deps.repos.users.ensure("telegram", "42", "", app.deps.now())
    await app.deps.repos.users.set_officer("telegram:42", True)
    [reply] = await Conversation(app, user_id="42").say(f"/stats {args}")
    assert reply.text == t("stats.usage", max=365) and reply.attachment is None


async def test_citizens_and_group_admins_are_refused_and_nothing_changes(app: App) -> None:
    citizen = Conversation(app, user_id="100")
    [refusal] = await citizen.say("/stats")
    assert refusal.text == t("refusal.officer") and refusal.attachment is None
    admin_in_private = Conversation(app, user_id="300", admin=True)
    [refusal] = await admin_in_private.say("/stats 30")
    assert refusal.text == t("refusal.officer") and refusal.attachment is None
    in_group = Conversation(app, user_id="300", chat_id="-100200", kind=ChatKind.GROUP, admin=True)
    [refusal] = await in_group.say("/stats")
    assert refusal.text == t("command.private_only") and refusal.attachment is None
    repos = app.deps.repos
    assert await repos.audit.list() == [] and (await repos.checks.stats(utc(1, 0))).total == 0
    assert not any(user.is_officer for user in await repos.users.list_officers())
