"""The scheduler calls run_due at start and on its interval; `canhgiac alerts run-due` runs one round."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import sqlite3
import sys
from pathlib import Path

import pytest

from bot.alerts import AlertScheduler, configured_platforms
from bot.app import build_app
from tests.factories import T0, settings_for

ROOT = Path(__file__).resolve().parents[2]


async def test_the_scheduler_runs_a_missed_round_right_at_start(app):
    await app.deps.repos.chats.ensure("telegram", "-1", "group", T0 - dt.timedelta(days=1))
    await app.deps.repos.subscriptions.subscribe(
        "telegram:-1",
        platform="telegram",
        chat_id="-1",
        local_time="08:00",
        timezone="Asia/Ho_Chi_Minh",
        actor="telegram:1",
        at=T0 - dt.timedelta(days=1),
    )
    late = T0 + dt.timedelta(hours=2)  # the process comes back at 10:00, within the 4-hour grace
    scheduler = AlertScheduler(app.deps, grace=dt.timedelta(hours=4), platforms=("telegram",), clock=lambda: late)
    scheduler.start()  # the production interval (INTERVAL_SECONDS): the first tick runs at once
    try:
        for _ in range(500):
            if scheduler.ticks:
                break
            await asyncio.sleep(0.01)
    finally:
        await scheduler.stop()
    assert scheduler.ticks == 1
    summary = await app.deps.repos.deliveries.round_summary("daily:telegram:2026-05-01T01:00Z")
    assert summary["pending"] == 1


async def test_stopping_lets_a_tick_in_progress_finish_its_transaction(tmp_path, caplog):
    """SIGTERM right after start used to cancel the first tick mid-transaction (CancelledError logged)."""
    caplog.set_level(logging.INFO)
    path = tmp_path / "bot.sqlite3"
    app = await build_app(settings_for(f"sqlite:///{path}"), lambda: T0, salt=b"s")
    try:
        await app.deps.repos.chats.ensure("telegram", "-1", "group", T0 - dt.timedelta(days=1))
        await app.deps.repos.subscriptions.subscribe(
            "telegram:-1",
            platform="telegram",
            chat_id="-1",
            local_time="08:00",
            timezone="Asia/Ho_Chi_Minh",
            actor="telegram:1",
            at=T0 - dt.timedelta(days=1),
        )
        blocker = sqlite3.connect(path, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")  # another process holds the write lock: the tick has to wait for it
        scheduler = AlertScheduler(app.deps, grace=dt.timedelta(hours=4), platforms=("telegram",), clock=lambda: T0)
        scheduler.start()
        await asyncio.sleep(0.3)  # the first tick is now inside its transaction, waiting on the lock
        stopping = asyncio.create_task(scheduler.stop())
        await asyncio.sleep(0.3)
        assert not stopping.done()  # it waits for the tick rather than cancelling it
        blocker.execute("COMMIT")
        blocker.close()
        await asyncio.wait_for(stopping, 10)
        assert scheduler.ticks == 1
        summary = await app.deps.repos.deliveries.round_summary("daily:telegram:2026-05-01T01:00Z")
        assert summary["pending"] == 1
    finally:
        await app.close()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "CancelledError" not in caplog.text


def test_no_token_means_no_platform():
    assert configured_platforms(settings_for()) == ()


async def run_cli(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "alerts",
        "run-due",
        *args,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode, out.decode(), err.decode()


@pytest.mark.slow  # runs the command as a process
async def test_run_due_without_tokens_says_so(tmp_path):
    code, _out, err = await run_cli(
        env={
            "CANHGIAC_DATABASE__URL": f"sqlite:///{tmp_path}/x.sqlite3",
            "CANHGIAC_TELEGRAM__TOKEN": "",
            "CANHGIAC_ZALO__TOKEN": "",
        }
    )
    assert code == 1 and "no Telegram or Zalo token" in err


@pytest.mark.slow  # runs the command as a process
async def test_run_due_from_the_command_line_sends_the_round_once(fake_api, clock, tmp_path):
    url = f"sqlite:///{tmp_path}/bot.sqlite3"
    app = await build_app(settings_for(url), clock, salt=b"s")
    for chat_id in ("-1001", "-1002"):
        await app.deps.repos.chats.ensure("telegram", chat_id, "group", T0 - dt.timedelta(days=1))
        await app.deps.repos.subscriptions.subscribe(
            f"telegram:{chat_id}",
            platform="telegram",
            chat_id=chat_id,
            local_time="08:00",
            timezone="Asia/Ho_Chi_Minh",
            actor="telegram:1",
            at=T0 - dt.timedelta(days=1),
        )
    await app.close()
    env = {
        "CANHGIAC_DATABASE__URL": url,
        "CANHGIAC_TELEGRAM__TOKEN": "123:TEST",
        "CANHGIAC_TELEGRAM__API_BASE_URL": fake_api.url,
        "CANHGIAC_PRIVACY__HASH_SALT": "s",
    }
    code, out, err = await run_cli("--now", "2026-05-01T08:05+07:00", env=env)
    assert code == 0, err
    assert "daily:telegram:2026-05-01T01:00Z: pending=0 sending=0 sent=2" in out
    code, out, _err = await run_cli("--now", "2026-05-01T08:06+07:00", env=env)  # again: nothing new
    assert code == 0 and "0 round(s)" in out
    assert fake_api.copies() == {"-1001": 1, "-1002": 1}
    assert "Cảnh giác mỗi ngày" in fake_api.messages["-1001"][0]["text"]
