"""`canhgiac purge [--dry-run]` run as the installed console script on a SQLite file filled beforehand."""

from __future__ import annotations

import datetime as dt
import os
import subprocess

import pytest

from bot.storage import open_database
from tests.processes import CANHGIAC, ROOT

pytestmark = pytest.mark.slow  # each test runs the command as a process

SECRET_TEXT = "chuyen ngay 5 trieu vao STK 0123456789"


def canhgiac(*args: str, url: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "CANHGIAC_DATABASE__URL": url, "CANHGIAC_PRIVACY__HASH_SALT": "s", **env}
    return subprocess.run(
        [str(CANHGIAC), *args], capture_output=True, text=True, cwd=ROOT, env=environ, timeout=120, check=False
    )


async def fill(url: str) -> None:
    """An old check, pending report and audit entry (past every default), and a recent one of each."""
    now = dt.datetime.now(dt.UTC)
    database = await open_database(url)
    repos = database.repos
    try:
        for at in (now - dt.timedelta(days=1000), now - dt.timedelta(days=1)):
            await repos.checks.add(platform="zalo", at=at, level="high", score=90, methods=[], text_hash="h")
            await repos.reports.add(actor="zalo:1", platform="zalo", chat_id="1", text=SECRET_TEXT, at=at, notify=False)
            await repos.audit.add(actor="telegram:9", action="report.decide", target="1", detail="", at=at)
    finally:
        await database.close()


async def remaining(url: str) -> tuple[int, int, int]:
    database = await open_database(url)
    try:
        repos = database.repos
        reports = sum((await repos.reports.count_by_status()).values())
        checks = (await repos.checks.stats(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))).total
        return checks, reports, len(await repos.audit.list())
    finally:
        await database.close()


async def test_a_dry_run_counts_then_the_purge_removes_printing_counts_only(tmp_path):
    url = f"sqlite:///{tmp_path}/bot.sqlite3"
    await fill(url)

    dry = canhgiac("purge", "--dry-run", url=url)
    assert dry.returncode == 0, dry.stderr
    assert "would remove: checks=1 feedback=0 deliveries=0 pending_reports=1" in dry.stdout
    assert "audit=1 (total 3)" in dry.stdout
    assert await remaining(url) == (2, 2, 2)  # nothing changed

    done = canhgiac("purge", url=url)
    assert done.returncode == 0, done.stderr
    assert "removed: checks=1" in done.stdout and "(total 3)" in done.stdout
    assert await remaining(url) == (1, 1, 1)
    for output in (dry.stdout, dry.stderr, done.stdout, done.stderr):
        assert "0123456789" not in output and "chuyen" not in output

    again = canhgiac("purge", url=url)
    assert "removed:" in again.stdout and "(total 0)" in again.stdout


async def test_zero_days_from_the_environment_keeps_the_check_log(tmp_path):
    url = f"sqlite:///{tmp_path}/bot.sqlite3"
    await fill(url)
    done = canhgiac("purge", url=url, CANHGIAC_RETENTION__CHECKS_DAYS="0")
    assert done.returncode == 0, done.stderr
    assert "removed: checks=0" in done.stdout
    assert await remaining(url) == (2, 1, 1)
