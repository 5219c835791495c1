"""A broadcast survives a crash: the bot killed with SIGKILL mid-broadcast, then the round finished by hand.

The real `canhgiac run` process on Telegram (the local fake Bot API answering each send after 50 ms, as a
real one would), an officer's `/broadcast` to 60 subscribed groups, SIGKILL after 26 copies. Then
`canhgiac alerts run-due --now <2 minutes later>` (time passed in: the dead worker's leases have ended)
sends the rest. Every group gets the broadcast; the duplicates are at most the outbox's in-flight bound.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
from pathlib import Path

import pytest

from bot.alerts.outbox import SENDS_IN_FLIGHT
from bot.app import build_app
from bot.config import load_settings
from tests import factories as f
from tests.fakes.telegram_api import FakeTelegramApi
from tests.processes import CANHGIAC, clean_env, free_port, start, telegram_api, write_config

pytestmark = pytest.mark.slow  # a real bot process killed mid-broadcast and restarted

__all__ = ["telegram_api"]  # a fixture, used by name

GROUPS = [-1008000 - number for number in range(60)]
KILL_AFTER = 26
SEND_LATENCY = 0.05


async def subscribe_groups(config: Path) -> None:
    """60 groups subscribed yesterday for a time six hours away (no daily alert interferes)."""
    settings = load_settings(config)
    now = dt.datetime.now(dt.UTC)
    later = (now + dt.timedelta(hours=6)).astimezone(dt.timezone(dt.timedelta(hours=7)))
    app = await build_app(settings)
    try:
        for group in GROUPS:
            key = f"telegram:{group}"
            await app.deps.repos.chats.ensure("telegram", str(group), "group", now - dt.timedelta(days=1))
            await app.deps.repos.subscriptions.subscribe(
                key,
                platform="telegram",
                chat_id=str(group),
                local_time=f"{later:%H:%M}",
                timezone=settings.alerts.timezone,
                actor="telegram:1",
                at=now,
            )
    finally:
        await app.close()


def copies(api: FakeTelegramApi) -> dict[int, int]:
    """How many times each group received a message (the fake counts a send once it has answered it)."""
    counts: dict[int, int] = {}
    for call in api.sent():
        chat = int(call.params.get("chat_id", 0))
        if chat in GROUPS:
            counts[chat] = counts.get(chat, 0) + 1
    return counts


async def test_a_broadcast_killed_midway_reaches_everyone_with_few_duplicates(
    tmp_path: Path, telegram_api: FakeTelegramApi
) -> None:
    extra = f'\n[roles]\nsuperadmins = ["telegram:{f.ADMIN}"]\n'
    deployment = write_config(tmp_path, telegram_api.url, f"http://127.0.0.1:{free_port()}", extra)
    # Zalo is left unconfigured: only Telegram runs.
    deployment.config.write_text(deployment.config.read_text().replace('[zalo]\ntoken = "', '[zalo]\n# token = "'))
    await subscribe_groups(deployment.config)
    telegram_api.fail("sendMessage", 200, delay=SEND_LATENCY, times=10_000)  # every send answered after 50 ms
    process = await start("run --config FILE", deployment)
    try:
        await telegram_api.wait_for(lambda: bool(telegram_api.sent("getUpdates")), timeout=60)
        telegram_api.push(
            f.message("/broadcast Cảnh báo khẩn: giả danh công an gọi video yêu cầu chuyển tiền.", chat_id=f.ADMIN)
        )
        await telegram_api.wait_for(lambda: sum(copies(telegram_api).values()) >= KILL_AFTER, timeout=60)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        await process.wait()
    await asyncio.sleep(SEND_LATENCY * 4)  # sends the dead process had in flight are answered (and counted)
    at_kill = sum(copies(telegram_api).values())

    later = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=2)).isoformat()
    finish = await asyncio.create_subprocess_exec(
        str(CANHGIAC),
        "alerts",
        "run-due",
        "--config",
        str(deployment.config),
        "--now",
        later,
        cwd=tmp_path,
        env=clean_env(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(finish.communicate(), 120)
    assert finish.returncode == 0, output.decode()

    received = copies(telegram_api)
    duplicates = sum(count - 1 for count in received.values())
    print(
        f"\nbroadcast to {len(GROUPS)} groups, SIGKILL after {at_kill} copies: "
        f"{len(received)} groups reached, {duplicates} duplicates (bound {SENDS_IN_FLIGHT})"
    )
    assert sorted(received) == sorted(GROUPS)  # nobody missed it
    assert duplicates <= SENDS_IN_FLIGHT, received
