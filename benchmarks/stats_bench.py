"""Officers' statistics on realistic made-up activity: fill a database, then time /stats's series and chart.

Run: .venv/bin/python benchmarks/stats_bench.py [--database URL] [--days 90] [--checks-per-day 800] [--fill-only]

The database (a fresh SQLite file by default) gets `--days` days of made-up activity ending now, days in the
Asia/Ho_Chi_Minh zone: checks with morning and evening peaks and quieter weekends, a wave of fake customs-parcel
messages in the middle of the last month; reports citizens submitted and officers' decisions a day or two later; a
daily alert to about 1,200 subscribed chats, a few of which fail; answers to "was this verdict right?". The random
generator is seeded, so every run gives the same counts; only the dates move with today. Nothing is a real person.
A database that already holds checks is refused: made-up rows must never mix with real ones.

Then, unless --fill-only, it times gathering the series (the repositories' per-day counts) and drawing the chart for
7, 30, 90 and 365 days, and how long the event loop was held up by a whole /stats.

The README's chart is this database drawn by the real command:

  .venv/bin/python benchmarks/stats_bench.py --database sqlite:////tmp/canhgiac-example.sqlite3 --days 45 --fill-only
  CANHGIAC_DATABASE__URL=sqlite:////tmp/canhgiac-example.sqlite3 .venv/bin/canhgiac stats --days 30 \\
      --out docs/img/stats.png
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from the checkout

from sqlalchemy import func, insert, select

from benchmarks.measuring import machine
from bot.app import build_app
from bot.config import DatabaseSettings, Settings
from bot.storage.tables import CheckRow, DeliveryRow, FeedbackRow, ReportRow
from handlers.activity import gather_activity
from handlers.stats import stats_report
from handlers.stats_chart import draw_chart

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
# Share of a day's checks in each local hour: little at night, peaks in the morning, at lunch and in the evening.
HOURS = (1, 1, 1, 1, 1, 2, 4, 6, 7, 6, 5, 5, 6, 5, 4, 4, 5, 6, 7, 8, 9, 8, 5, 2)
WEEKDAYS = (1.0, 1.0, 1.0, 1.0, 1.05, 0.8, 0.7)  # Monday first
LEVELS = (("high", 0.24), ("medium", 0.17), ("low", 0.59))
METHODS = {  # how often each method turns up in a suspicious check
    "fake-bank-staff": 14,
    "bank-account-lock": 12,
    "fake-authority": 11,
    "task-job": 10,
    "investment": 8,
    "online-loan": 7,
    "prize-gift": 6,
    "fake-shipper": 6,
    "customs-parcel": 3,
    "electricity": 4,
    "relative-emergency": 4,
    "vneid-assist": 3,
}
WAVE = ("customs-parcel", 8.0)  # the wave: this method's weight is multiplied during the middle of the last month
SUBSCRIBERS, SUBSCRIBERS_PER_DAY = 1_050, 5


def made_up_day(rnd: random.Random, day: dt.date, per_day: int, now: dt.datetime, wave: bool) -> list[dict]:
    """The checks of one local day (none later than `now`)."""
    count = round(per_day * WEEKDAYS[day.weekday()] * rnd.gauss(1.0, 0.07) * (1.35 if wave else 1.0))
    weights = dict(METHODS, **({WAVE[0]: METHODS[WAVE[0]] * WAVE[1]} if wave else {}))
    rows = []
    for hour in rnd.choices(range(24), HOURS, k=count):
        at = dt.datetime.combine(day, dt.time(hour, rnd.randrange(60), rnd.randrange(60)), ZONE)
        if at > now:
            continue
        level = rnd.choices([name for name, _ in LEVELS], [share for _, share in LEVELS])[0]
        methods = [] if level == "low" else rnd.choices(list(weights), list(weights.values()), k=1)
        score = {"high": rnd.randint(70, 100), "medium": rnd.randint(40, 69), "low": rnd.randint(0, 39)}[level]
        rows.append({"platform": rnd.choice(("telegram", "zalo", "zalo")), "at": at, "level": level, "score": score})
        rows[-1] |= {"methods": methods, "text_hash": f"{rnd.getrandbits(64):016x}"}
    return rows


def reports_for(rnd: random.Random, checks: list[dict], now: dt.datetime) -> list[dict]:
    """About one high-risk check in eight is reported; most are decided within two days."""
    rows = []
    for n, check in enumerate(c for c in checks if c["level"] == "high" and rnd.random() < 0.12):
        created = check["at"] + dt.timedelta(minutes=rnd.randint(1, 30))
        decided = created + dt.timedelta(hours=rnd.uniform(2, 48))
        status = rnd.choices(("scam", "not_scam", "unclear"), (0.68, 0.18, 0.14))[0] if decided <= now else "pending"
        rows.append(
            {
                "actor": f"example:{n}",
                "platform": check["platform"],
                "chat_id": f"example-{n}",
                "text": "(made-up report)",
                "created_at": created,
                "notify": False,
                "status": status,
                "decided_by": None if status == "pending" else "example:officer",
                "decided_at": None if status == "pending" else decided,
                "level": "high",
            }
        )
    return rows


def deliveries_for(rnd: random.Random, day: dt.date, index: int, now: dt.datetime) -> list[dict]:
    """The day's 08:00 alert to every subscriber of that day (once 08:00 has come)."""
    due = dt.datetime.combine(day, dt.time(8), ZONE)
    if due > now:
        return []
    rows = []
    for chat in range(SUBSCRIBERS + SUBSCRIBERS_PER_DAY * index):
        status = rnd.choices(("sent", "failed", "unsubscribed"), (0.975, 0.02, 0.005))[0]
        chat_id = f"-100{chat:09d}"
        rows.append({"chat_key": f"telegram:{chat_id}", "platform": "telegram", "chat_id": chat_id, "day": day})
        rows[-1] |= {"alert_key": "daily", "text": "(made-up alert)", "status": status, "attempts": 1}
        rows[-1] |= {"next_attempt_at": due, "sent_at": due if status == "sent" else None, "round_id": f"daily:{day}"}
    return rows


async def fill(app, days: int, per_day: int, now: dt.datetime) -> int:
    """Insert the made-up activity in bulk (filling is not what is measured); the number of rows."""
    async with app.database.engine.begin() as connection:
        if (await connection.execute(select(func.count()).select_from(CheckRow))).scalar_one():
            raise SystemExit("this database already holds checks: give an empty one (made-up rows only go there)")
    rnd = random.Random(2026)
    today = now.astimezone(ZONE).date()
    checks, deliveries = [], []
    for index in range(days):
        day = today - dt.timedelta(days=days - 1 - index)
        checks += made_up_day(rnd, day, per_day, now, wave=12 <= (today - day).days <= 19)
        deliveries += deliveries_for(rnd, day, index, now)
    reports = reports_for(rnd, checks, now)
    feedback = [
        {"check_id": n + 1, "actor": f"example:{n}", "correct": rnd.random() < 0.9, "at": check["at"]}
        for n, check in enumerate(checks)
        if rnd.random() < 0.04
    ]
    async with app.database.engine.begin() as connection:
        for table, rows in (
            (CheckRow, checks),
            (ReportRow, reports),
            (DeliveryRow, deliveries),
            (FeedbackRow, feedback),
        ):
            if rows:
                await connection.execute(insert(table), rows)
    return len(checks) + len(reports) + len(deliveries) + len(feedback)


async def measure(app, now: dt.datetime) -> None:
    """Series and chart for windows of growing length (medians of 5 runs after a warm-up), and the longest the event
    loop was kept from other work during a whole /stats (series, then the chart in a worker thread)."""
    catalogue, titles = app.deps.catalogue, {s.id: s.title("vi") for s in app.deps.risk.signatures}
    print(f"{'days':>5} {'series':>9} {'chart':>9} {'PNG':>8} {'loop stall':>11}")
    for days in (7, 30, 90, 365):
        gathered, drawn = [], []
        for _ in range(6):
            started = time.perf_counter()
            activity = await gather_activity(app.deps.repos, days=days, now=now, zone=ZONE)
            middle = time.perf_counter()
            png = draw_chart(activity, catalogue, "vi", titles)
            gathered.append(middle - started)
            drawn.append(time.perf_counter() - middle)
        stall = await loop_stall(stats_report(app.deps, days, "vi"))
        median = lambda values: sorted(values[1:])[2]  # noqa: E731 - the warm-up run is left out
        print(
            f"{days:>5} {median(gathered) * 1000:>7.0f}ms {median(drawn) * 1000:>7.0f}ms {len(png) // 1024:>6}kB"
            f" {stall * 1000:>9.0f}ms"
        )


async def loop_stall(work) -> float:
    """The longest a 5 ms ticker on the event loop was late while `work` ran."""
    late, done = [0.0], asyncio.Event()

    async def tick() -> None:
        while not done.is_set():
            started = time.perf_counter()
            await asyncio.sleep(0.005)
            late[0] = max(late[0], time.perf_counter() - started - 0.005)

    ticker = asyncio.create_task(tick())
    await work
    done.set()
    await ticker
    return late[0]


async def main(url: str | None, days: int, per_day: int, fill_only: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = url or f"sqlite:///{tmp}/stats.sqlite3"
        now = dt.datetime.now(dt.UTC)
        app = await build_app(Settings(database=DatabaseSettings(url=url)), lambda: now, salt=b"example")
        try:
            started = time.perf_counter()
            rows = await fill(app, days, per_day, now)
            print(f"{rows:,} made-up rows over {days} days in {time.perf_counter() - started:.1f} s ({url})")
            if not fill_only:
                print(f"machine: {machine()}")
                await measure(app, now)
        finally:
            await app.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="SQLAlchemy URL of an empty database (default: a temporary SQLite file)")
    parser.add_argument("--days", type=int, default=90, help="days of made-up activity, ending now (default 90)")
    parser.add_argument("--checks-per-day", type=int, default=800, help="checks on an ordinary weekday (default 800)")
    parser.add_argument("--fill-only", action="store_true", help="fill the database, measure nothing")
    args = parser.parse_args()
    asyncio.run(main(args.database, args.days, args.checks_per_day, args.fill_only))
