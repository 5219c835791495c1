"""A broadcast survives a crash: the bot killed with SIGKILL mid-broadcast, then the round finished by hand.

The real `canhgiac run` process on Telegram (the local fake Bot API answering each send after 50 ms, as a
real one would), an officer's `/broadcast` to 60 subscribed groups, SIGKILL after 26 copies. Then
`canhgiac alerts run-due --now <2 minutes later>` (time passed in: the dead worker's leases have ended)
sends the rest. Every group gets the broadcast; the duplicates are at most the outbox's in-flight bound.

Then two processes on one PostgreSQL database (webhook mode, as behind a reverse proxy), 1,000 groups, one
process killed midway while the other keeps running: it finishes the round alone and reports it once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
from pathlib import Path

import httpx
import pytest

from bot.alerts.outbox import LEASE_SECONDS, SENDS_IN_FLIGHT
from bot.app import build_app
from bot.config import load_settings
from tests import factories as f
from tests.fakes.telegram_api import FakeTelegramApi
from tests.instances import post_update, start_instances, stop_all
from tests.instances import subscribe_groups as subscribe_on
from tests.processes import CANHGIAC, Deployment, clean_env, free_port, start, write_config

pytestmark = pytest.mark.slow  # a real bot process killed mid-broadcast and restarted


GROUPS = [-1008000 - number for number in range(60)]
KILL_AFTER = 26
MANY = 300  # queued one row at a time (about 120 rows/s before), the round took seconds to enter the outbox
SEND_LATENCY = 0.05
THOUSAND = 1000
KILL_AFTER_MANY = 300  # both instances have claimed batches (150 each at 30 messages/s) and are sending


async def subscribe_groups(config: Path, groups: list[int] = GROUPS) -> None:
    """Groups subscribed yesterday for a time six hours away (no daily alert interferes)."""
    settings = load_settings(config)
    now = dt.datetime.now(dt.UTC)
    later = (now + dt.timedelta(hours=6)).astimezone(dt.timezone(dt.timedelta(hours=7)))
    app = await build_app(settings)
    try:
        for group in groups:
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


def copies(api: FakeTelegramApi, groups: list[int] = GROUPS) -> dict[int, int]:
    """How many times each group received a message (the fake counts a send once it has answered it)."""
    counts: dict[int, int] = {}
    wanted = set(groups)
    for call in api.sent():
        chat = int(call.params.get("chat_id", 0))
        if chat in wanted:
            counts[chat] = counts.get(chat, 0) + 1
    return counts


def officer_texts(api: FakeTelegramApi) -> list[str]:
    """What the officer (f.ADMIN) was sent: answers (PTB, chat_id a number) and outbox reports (a string)."""
    return [c.params["text"] for c in api.sent() if int(c.params.get("chat_id", 0)) == f.ADMIN]


def telegram_only(tmp_path: Path, telegram_api: FakeTelegramApi) -> Deployment:
    """A deployment with one superadmin (f.ADMIN) on Telegram; Zalo left unconfigured."""
    extra = f'\n[roles]\nsuperadmins = ["telegram:{f.ADMIN}"]\n'
    deployment = write_config(tmp_path, telegram_api.url, f"http://127.0.0.1:{free_port()}", extra)
    deployment.config.write_text(deployment.config.read_text().replace('[zalo]\ntoken = "', '[zalo]\n# token = "'))
    return deployment


async def finish_by_hand(deployment: Deployment, tmp_path: Path) -> None:
    """`canhgiac alerts run-due` two minutes later (the dead worker's leases have ended): it sends the rest."""
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


async def test_a_broadcast_killed_midway_reaches_everyone_with_few_duplicates(
    tmp_path: Path, telegram_api: FakeTelegramApi
) -> None:
    deployment = telegram_only(tmp_path, telegram_api)
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

    await finish_by_hand(deployment, tmp_path)

    received = copies(telegram_api)
    duplicates = sum(count - 1 for count in received.values())
    print(
        f"\nbroadcast to {len(GROUPS)} groups, SIGKILL after {at_kill} copies: "
        f"{len(received)} groups reached, {duplicates} duplicates (bound {SENDS_IN_FLIGHT})"
    )
    assert sorted(received) == sorted(GROUPS)  # nobody missed it
    assert duplicates <= SENDS_IN_FLIGHT, received


async def test_a_broadcast_killed_while_it_is_being_queued_is_queued_whole_and_reported_truly(
    tmp_path: Path, telegram_api: FakeTelegramApi
) -> None:
    """SIGKILL at the first copy sent, while a slow one-row-at-a-time queueing would still be going on: the
    round is in the outbox whole (or not at all), so every group gets it and the officer's report is true."""
    groups = [-1009000 - number for number in range(MANY)]
    deployment = telegram_only(tmp_path, telegram_api)
    await subscribe_groups(deployment.config, groups)
    telegram_api.fail("sendMessage", 200, delay=SEND_LATENCY, times=100_000)
    process = await start("run --config FILE", deployment)
    try:
        await telegram_api.wait_for(lambda: bool(telegram_api.sent("getUpdates")), timeout=60)
        telegram_api.push(f.message("/broadcast Cảnh báo khẩn: lừa đảo nâng hạng thẻ ngân hàng.", chat_id=f.ADMIN))
        await telegram_api.wait_for(lambda: bool(copies(telegram_api, groups)), timeout=60)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        await process.wait()
    await asyncio.sleep(SEND_LATENCY * 4)
    await finish_by_hand(deployment, tmp_path)

    received = copies(telegram_api, groups)
    assert sorted(received) == sorted(groups)  # nobody missed it
    assert sum(count - 1 for count in received.values()) <= SENDS_IN_FLIGHT
    reports = officer_texts(telegram_api)
    assert any(f"Đã gửi: {MANY} · Thất bại: 0" in text for text in reports), reports


async def test_two_instances_one_killed_mid_broadcast_to_a_thousand_groups(
    tmp_path: Path, telegram_api: FakeTelegramApi, postgres_database: str
) -> None:
    """Two `canhgiac run` processes by webhook on one PostgreSQL database; the officer's /broadcast reaches the
    first, both send it, and the first is killed with SIGKILL midway. The second, still running, sends the rest
    (the dead one's claimed deliveries once their lease has run out) and reports the round to the officer: once,
    truly. Only the dead process's sends in flight may arrive twice."""
    groups = [-1007000 - number for number in range(THOUSAND)]
    extra = f'\n[roles]\nsuperadmins = ["telegram:{f.ADMIN}"]\n'
    telegram_api.fail("sendMessage", 200, delay=SEND_LATENCY, times=100_000)
    instances = await start_instances(tmp_path, telegram_api.url, postgres_database, 2, extra)
    first, second = instances
    try:
        later = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=6)).astimezone(dt.timezone(dt.timedelta(hours=7)))
        await subscribe_on(first.config, groups, f"{later:%H:%M}", since=dt.datetime.now(dt.UTC))
        async with httpx.AsyncClient() as client:
            order = f.message("/broadcast Cảnh báo khẩn: giả danh nhân viên ngân hàng.", chat_id=f.ADMIN)
            assert await post_update(client, first, {"update_id": 1, **order}) == 200
        await telegram_api.wait_for(lambda: sum(copies(telegram_api, groups).values()) >= KILL_AFTER_MANY, 120)
        first.kill()
        await first.process.wait()  # type: ignore[union-attr]
        await asyncio.sleep(SEND_LATENCY * 4)  # what the dead process had in flight is answered (and counted)
        at_kill = sum(copies(telegram_api, groups).values())

        def reported() -> bool:
            return any("Đã gửi" in text for text in officer_texts(telegram_api))

        # The dead process's claims come back when their lease (a minute) ends; then the round is finished.
        await telegram_api.wait_for(reported, timeout=LEASE_SECONDS + 90)
        assert await second.stop() == 0
    finally:
        await stop_all(instances)

    received = copies(telegram_api, groups)
    duplicates = sum(count - 1 for count in received.values())
    print(
        f"\ntwo instances, broadcast to {len(groups)} groups, one killed after {at_kill} copies: "
        f"{len(received)} groups reached, {duplicates} duplicates (bound {SENDS_IN_FLIGHT})"
    )
    assert sorted(received) == sorted(groups)  # nobody missed it
    assert duplicates <= SENDS_IN_FLIGHT, {chat: n for chat, n in received.items() if n > 1}
    to_officer = officer_texts(telegram_api)
    assert to_officer[0].startswith(f"Đang gửi thông báo #1 tới {THOUSAND} nơi")  # the acknowledgement
    reports = [text for text in to_officer if "Đã gửi" in text]
    assert len(reports) == 1 and f"Đã gửi: {THOUSAND} · Thất bại: 0 · " in reports[0], to_officer
    assert "Thất bại: 0 · Tự hủy đăng ký (bot bị chặn, bị xóa khỏi nhóm): 0" in reports[0]  # nobody left
    for instance in instances:
        assert not [line for line in instance.log().splitlines() if "ERROR" in line or "Traceback" in line]
