"""The web server under slow and hostile clients: the real `canhgiac run` process, raw sockets on loopback.

Clients that never finish their headers or bodies, or hang up half-way, must not exhaust the server, hide
/healthz, or fill the log. Every wait here is bounded and waits for the network, never for a schedule.
"""

from __future__ import annotations

import asyncio
import resource
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.factories import WEBHOOK_SECRET
from tests.fakes.telegram_api import FakeTelegramApi
from tests.fakes.zalo_api import FakeZaloApi
from tests.processes import (
    CANHGIAC,
    LOG_PROBLEMS,
    ROOT,
    Deployment,
    clean_env,
    healthz,
    stop,
    write_config,
)

pytestmark = pytest.mark.slow  # real processes


SLOW_HEAD = b"GET /healthz HTTP/1.1\r\nHost: bot\r\nUser-Agent: slow"  # never finished
WEBHOOK = (
    '[telegram]\nmode = "webhook"\nwebhook_url = "https://bot.example/telegram/webhook"\n'
    f'webhook_secret = "{WEBHOOK_SECRET}"\n'
)


def webhook_deployment(folder: Path, telegram: FakeTelegramApi, zalo: FakeZaloApi, web: str = "") -> Deployment:
    """Telegram by webhook, Zalo polling; `web` adds lines to the [web] section."""
    deployment = write_config(folder, telegram.url, zalo.base_url)
    text = deployment.config.read_text("utf-8").replace("[telegram]\n", WEBHOOK, 1).replace("[web]\n", "[web]\n" + web)
    deployment.config.write_text(text, "utf-8")
    return deployment


async def launch(deployment: Deployment, open_files: int | None = None) -> asyncio.subprocess.Process:
    """`canhgiac run --config FILE`, optionally with a lower limit on open files (as a small server has)."""

    def limit() -> None:
        if open_files is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))

    return await asyncio.create_subprocess_exec(
        str(CANHGIAC),
        "run",
        "--config",
        str(deployment.config),
        cwd=deployment.folder,
        env=clean_env(),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        preexec_fn=limit,
    )


async def ready(deployment: Deployment, telegram: FakeTelegramApi) -> None:
    """The bot has set its webhook (so the web server is listening) and answers /healthz."""
    await telegram.wait_for(lambda: bool(telegram.sent("setWebhook")), timeout=60)
    await healthz(deployment.web_port)


async def open_slow(port: int, data: bytes = SLOW_HEAD) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(data)
    await writer.drain()
    return reader, writer


async def timed_healthz(port: int) -> float:
    """One GET /healthz on a new connection; how long it took (fails after 10 s)."""
    started = time.monotonic()
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(f"http://127.0.0.1:{port}/healthz")
    assert response.status_code == 200
    return time.monotonic() - started


async def test_slow_unfinished_headers_cannot_starve_healthz_on_a_small_file_limit(
    tmp_path: Path, telegram_api: FakeTelegramApi, zalo_api: FakeZaloApi
) -> None:
    """300 clients that never finish their headers, a process allowed 256 open files: /healthz still answers."""
    deployment = webhook_deployment(tmp_path, telegram_api, zalo_api)
    process = await launch(deployment, open_files=256)
    slow = []
    try:
        await ready(deployment, telegram_api)
        slow = [await open_slow(deployment.web_port) for _ in range(300)]
        seconds = sorted([await timed_healthz(deployment.web_port) for _ in range(20)])
        print(f"/healthz behind 300 slow headers: median {seconds[10]:.3f} s, max {seconds[-1]:.3f} s")
        assert seconds[-1] < 3.0
    finally:
        for _, writer in slow:
            writer.close()
        code, log, _ = await stop(process)
        print(f"log after 300 slow headers: {len(log)} bytes")
    assert code == 0, log[-3000:]
    assert not [problem for problem in LOG_PROBLEMS if problem in log], log[-3000:]
    assert len(log) < 20_000, f"{len(log)} bytes of log:\n{log[-3000:]}"


async def test_unfinished_heads_and_bodies_are_timed_out(
    tmp_path: Path, telegram_api: FakeTelegramApi, zalo_api: FakeZaloApi
) -> None:
    web = "header_timeout = 1\nbody_timeout = 1\n"
    deployment = webhook_deployment(tmp_path, telegram_api, zalo_api, web)
    process = await launch(deployment)
    try:
        await ready(deployment, telegram_api)
        port = deployment.web_port
        # A head that never ends: the connection is closed once header_timeout has passed.
        reader, writer = await open_slow(port)
        started = time.monotonic()
        assert await asyncio.wait_for(reader.read(), 5) == b""
        assert 0.9 < time.monotonic() - started < 3
        writer.close()
        # A body that stops half-way: 408, and the connection is closed.
        head = (
            "POST /telegram/webhook HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n"
            f"X-Telegram-Bot-Api-Secret-Token: {WEBHOOK_SECRET}\r\nContent-Length: 100\r\n\r\n"
        )
        reader, writer = await open_slow(port, head.encode() + b'{"update_id": 1')
        answer = await asyncio.wait_for(reader.read(), 5)
        assert answer.startswith(b"HTTP/1.1 408") and b"connection: close" in answer.lower(), answer
        writer.close()
        # After one complete request, a keep-alive connection whose next head never ends is closed too.
        reader, writer = await open_slow(port, b"GET /healthz HTTP/1.1\r\nHost: bot\r\n\r\n" + SLOW_HEAD)
        answer = await asyncio.wait_for(reader.read(), 5)
        assert answer.startswith(b"HTTP/1.1 200") and answer.endswith(b"}"), answer
        writer.close()
        assert await timed_healthz(port) < 3
    finally:
        code, log, _ = await stop(process)
    assert code == 0, log[-3000:]
    assert not [problem for problem in LOG_PROBLEMS if problem in log], log[-3000:]


async def test_a_client_hanging_up_mid_body_logs_no_traceback(
    tmp_path: Path, telegram_api: FakeTelegramApi, zalo_api: FakeZaloApi
) -> None:
    deployment = webhook_deployment(tmp_path, telegram_api, zalo_api)
    process = await launch(deployment)
    try:
        await ready(deployment, telegram_api)
        head = (
            "POST /telegram/webhook HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n"
            f"X-Telegram-Bot-Api-Secret-Token: {WEBHOOK_SECRET}\r\nContent-Length: 1000\r\n\r\n"
        )
        for _ in range(5):
            _, writer = await open_slow(deployment.web_port, head.encode() + b'{"update_id": 1')
            writer.close()
            await writer.wait_closed()
        await timed_healthz(deployment.web_port)  # the server has seen the hang-ups by now
    finally:
        code, log, _ = await stop(process)
    assert code == 0, log[-3000:]
    assert "Traceback" not in log and "Exception in ASGI application" not in log, log[-3000:]
    assert not [problem for problem in LOG_PROBLEMS if problem in log], log[-3000:]


async def test_accept_errors_are_logged_once_a_minute_not_once_a_try() -> None:
    """Out of file descriptors, every accept fails (asyncio tries up to the backlog, 2048, per wake-up and again
    each second): one short line a minute, not a traceback per try."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.bot.web_server_worker",
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    connections = []
    seen = []
    try:
        port = int(await asyncio.wait_for(process.stdout.readline(), 30))
        connections = [await asyncio.open_connection("127.0.0.1", port) for _ in range(20)]
        while not any(b"accept" in line for line in seen):  # the server has met the accept errors
            seen.append(await asyncio.wait_for(process.stderr.readline(), 15))
    finally:
        for _, writer in connections:
            writer.close()
        process.terminate()
        _, rest = await asyncio.wait_for(process.communicate(), 30)
    log = b"".join(seen).decode("utf-8", "replace") + rest.decode("utf-8", "replace")
    lines = [line for line in log.splitlines() if "accept" in line]
    assert len(lines) == 1 and "Too many open files" in lines[0], log[-3000:]
    assert "Traceback" not in log and len(log) < 2_000, log[-3000:]
