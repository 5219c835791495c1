"""`canhgiac alerts run-due` runs one round of due alerts, as a process."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
from pathlib import Path

import pytest

from bot.app import build_app
from tests.factories import T0, settings_for

pytestmark = pytest.mark.slow  # each test runs the command as a process

ROOT = Path(__file__).resolve().parents[3]


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


async def test_run_due_without_tokens_says_so(tmp_path):
    code, _out, err = await run_cli(
        env={
            "CANHGIAC_DATABASE__URL": f"sqlite:///{tmp_path}/x.sqlite3",
            "CANHGIAC_TELEGRAM__TOKEN": "",
            "CANHGIAC_ZALO__TOKEN": "",
        }
    )
    assert code == 1 and "no Telegram or Zalo token" in err


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
