"""The bot as users start it: the installed `canhgiac` console script, a real process, both platforms.

Configured the three ways the README documents (`canhgiac run --config FILE`, `canhgiac --config FILE run`,
`make run CONFIG=FILE`), with a Telegram and a Zalo token pointed at local fake API servers, and nothing else
changed from the production defaults: the alert scheduler runs at its own interval, the web server serves
/healthz, the database is a SQLite file. `.ci/run` also runs this file against the newest dependency versions
that pyproject.toml allows.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import socket
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.alerts.scheduler import INTERVAL_SECONDS
from bot.app import build_app
from bot.config import load_settings
from tests import factories as f
from tests.fakes.telegram_api import FakeTelegramApi
from tests.fakes.zalo_api import FakeZaloApi, text_event
from tests.processes import (
    CANHGIAC,
    LOG_PROBLEMS,
    STOP_SECONDS,
    TELEGRAM_TOKEN,
    ZALO_TOKEN,
    clean_env,
    free_port,
    healthz,
    metrics,
    start,
    stop,
    write_config,
)

pytestmark = pytest.mark.slow  # real `canhgiac` processes, started and stopped each way the README says


SCAM = (
    "Tài khoản Vietcombank của quý khách sẽ bị khóa sau 24h. Xác thực ngay tại vietcombank-xacthuc.top "
    "và cung cấp mã OTP cho nhân viên để tránh gián đoạn."
)
HIGH = "NGUY CƠ LỪA ĐẢO CAO"
SUBSCRIBED_GROUP = -1007001


async def subscribe_a_group_due_now(config: Path) -> None:
    """A group subscribed yesterday for this very minute: the scheduler's first check must send its alert."""
    settings = load_settings(config)
    now = dt.datetime.now(dt.UTC)
    local = now.astimezone(ZoneInfo(settings.alerts.timezone))
    app = await build_app(settings)
    try:
        repos, yesterday = app.deps.repos, now - dt.timedelta(days=1)
        await repos.chats.ensure("telegram", str(SUBSCRIBED_GROUP), "group", yesterday)
        await repos.subscriptions.subscribe(
            f"telegram:{SUBSCRIBED_GROUP}",
            platform="telegram",
            chat_id=str(SUBSCRIBED_GROUP),
            local_time=f"{local:%H:%M}",
            timezone=settings.alerts.timezone,
            actor="telegram:1",
            at=yesterday,
        )
    finally:
        await app.close()


async def alerts_sent(telegram: FakeTelegramApi) -> list[dict]:
    """The daily alerts the outbox sent to the subscribed group (its JSON bodies carry the chat id as text)."""

    def to_group() -> list[dict]:
        return [c.params for c in telegram.sent() if str(c.params.get("chat_id")) == str(SUBSCRIBED_GROUP)]

    await telegram.wait_for(lambda: bool(to_group()), timeout=30)
    return to_group()


async def check_on_both_platforms(telegram: FakeTelegramApi, zalo: FakeZaloApi) -> None:
    """A scam message on each platform gets a high verdict."""
    telegram.push(f.message(SCAM, chat_id=f.CITIZEN))
    [verdict] = (await telegram.wait_sent(1, chat_id=f.CITIZEN, timeout=30))[:1]
    assert HIGH in verdict.params["text"]
    await zalo.push(text_event("zalo-citizen", SCAM))
    [answer] = (await zalo.wait_sent("zalo-citizen", timeout=30))[:1]
    assert answer.startswith("🔴 " + HIGH)


@pytest.mark.parametrize("how", ["run --config FILE", "--config FILE run", "make run CONFIG=FILE"])
async def test_the_bot_serves_telegram_and_zalo_as_the_readme_starts_it(
    how: str, tmp_path: Path, telegram_api: FakeTelegramApi, zalo_api: FakeZaloApi
) -> None:
    deployment = write_config(tmp_path, telegram_api.url, zalo_api.base_url)
    await subscribe_a_group_due_now(deployment.config)
    process = await start(how, deployment)
    try:
        await telegram_api.wait_for(lambda: bool(telegram_api.sent("getUpdates")), timeout=60)
        await zalo_api.wait_for(lambda: bool(zalo_api.calls("getUpdates")), timeout=60)
        assert (await healthz(deployment.web_port))["platforms"] == ["telegram", "zalo"]
        await check_on_both_platforms(telegram_api, zalo_api)
        # The scheduler's first check (production interval) queued the group's daily alert; the outbox sent it.
        [alert] = await alerts_sent(telegram_api)
        assert "Cảnh giác mỗi ngày" in alert["text"]
        health = await healthz(deployment.web_port)
        assert health["status"] == "ok" and health["scheduler_leader"] is True  # the only process: it schedules
        exposition = await metrics(deployment.web_port)
        assert 'canhgiac_checks_total{level="high",platform="telegram"} 1.0' in exposition
        assert 'canhgiac_checks_total{level="high",platform="zalo"} 1.0' in exposition
        assert 'canhgiac_deliveries_total{outcome="sent",platform="telegram"} 1.0' in exposition
        assert "canhgiac_scheduler_leader 1.0" in exposition
    finally:
        code, log, seconds = await stop(process)
    assert code == 0, log
    assert seconds < STOP_SECONDS
    assert "telegram started" in log and "zalo started" in log
    assert f"daily alert scheduler started: checks every {INTERVAL_SECONDS} s" in log
    assert not [problem for problem in LOG_PROBLEMS if problem in log], log
    assert TELEGRAM_TOKEN not in log and ZALO_TOKEN not in log


async def test_one_platform_unreachable_the_other_serves(tmp_path: Path, telegram_api: FakeTelegramApi) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    deployment = write_config(tmp_path, telegram_api.url, dead)
    process = await start("run --config FILE", deployment)
    try:
        await telegram_api.wait_for(lambda: bool(telegram_api.sent("getUpdates")), timeout=60)
        assert (await healthz(deployment.web_port))["platforms"] == ["telegram"]
        telegram_api.push(f.message(SCAM, chat_id=f.CITIZEN))
        [verdict] = (await telegram_api.wait_sent(1, chat_id=f.CITIZEN, timeout=30))[:1]
        assert HIGH in verdict.params["text"]
    finally:
        code, log, seconds = await stop(process)
    assert code == 0, log
    assert seconds < STOP_SECONDS
    assert f"zalo could not start: ZaloStartError: Zalo Bot API at {dead} is unreachable" in log
    assert "telegram started" in log
    problems = [line for line in log.splitlines() if any(p in line for p in LOG_PROBLEMS)]
    assert problems == [line for line in problems if "zalo could not start" in line] and len(problems) == 1, log


async def test_no_platform_reachable_exits_with_an_error_and_closes_everything(tmp_path: Path) -> None:
    deployment = write_config(tmp_path, f"http://127.0.0.1:{free_port()}", f"http://127.0.0.1:{free_port()}")
    process = await start("run --config FILE", deployment)
    output, _ = await asyncio.wait_for(process.communicate(), 60)
    log = output.decode("utf-8", "replace")
    assert process.returncode == 1, log
    assert "telegram could not start" in log and "zalo could not start" in log
    assert "no platform could start" in log
    assert "Unclosed" not in log and "Traceback" not in log, log


async def test_a_taken_web_port_fails_before_connecting_to_any_platform(
    tmp_path: Path, telegram_api: FakeTelegramApi, zalo_api: FakeZaloApi
) -> None:
    deployment = write_config(tmp_path, telegram_api.url, zalo_api.base_url)
    with socket.socket() as other_program:
        other_program.bind(("127.0.0.1", deployment.web_port))
        other_program.listen()
        process = await start("run --config FILE", deployment)
        output, _ = await asyncio.wait_for(process.communicate(), 60)
    log = output.decode("utf-8", "replace")
    assert process.returncode == 2, log
    assert f"cannot listen on 127.0.0.1:{deployment.web_port}: the port is in use" in log
    assert telegram_api.calls == [] and zalo_api.requests == []  # nothing connected, nothing to undo
    assert "Traceback" not in log and "Unclosed" not in log, log


def test_config_shows_the_same_file_either_way(tmp_path: Path) -> None:
    """`--config` before or after the command reads the same file (`canhgiac config` prints it, redacted)."""
    deployment = write_config(tmp_path, "http://127.0.0.1:1", "http://127.0.0.1:2")
    outputs = [
        subprocess.run([str(CANHGIAC), *args], check=False, capture_output=True, text=True, env=clean_env(), timeout=60)
        for args in (["config", "--config", str(deployment.config)], ["--config", str(deployment.config), "config"])
    ]
    assert outputs[0].returncode == 0 and outputs[0].stdout == outputs[1].stdout
    shown = json.loads(outputs[0].stdout)
    assert shown["web"]["port"] == deployment.web_port and shown["telegram"]["token"] == "********"
