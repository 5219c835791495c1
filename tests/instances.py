"""Several real `canhgiac run` processes on one database, Telegram by webhook, as a deployment behind a proxy.

Each instance is the installed console script with its own config file and web port; all of them share one
`[database] url` and one bot token, and set the same (public, proxy) webhook URL. Updates are posted to an
instance's own `/telegram/webhook`, as the reverse proxy would. Shared by the multi-process tests and
benchmarks/load_bench.py. Each instance's output goes to a file (a pipe nobody reads would fill and stall it).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx

from bot.app import build_app
from bot.config import load_settings
from tests.fakes.telegram_api import TOKEN
from tests.processes import clean_env, free_port

CANHGIAC = Path(sys.executable).parent / "canhgiac"
WEBHOOK_SECRET = "proxy-webhook-secret"
PUBLIC_WEBHOOK = "https://canhgiac.example.vn/telegram/webhook"  # what the proxy serves; never contacted
HEALTHY_WITHIN = 60.0
SUBSCRIBE_TOGETHER = 10  # within the connection pool (5 + 10 overflow)


@dataclass
class Instance:
    """One running bot process."""

    name: str
    folder: Path
    config: Path
    port: int
    process: asyncio.subprocess.Process | None = None
    output: IO[bytes] | None = field(default=None, repr=False)

    @property
    def webhook(self) -> str:
        return f"http://127.0.0.1:{self.port}/telegram/webhook"

    @property
    def log_path(self) -> Path:
        return self.folder / f"{self.name}.log"

    def log(self) -> str:
        return self.log_path.read_text("utf-8", "replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL: no shutdown, no lease released, sends in flight cut off."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)

    async def stop(self, timeout: float = 15.0) -> int:
        """SIGTERM (as systemd stops it); the exit status."""
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.process.wait(), timeout)

    async def healthz(self) -> dict[str, Any]:
        async with httpx.AsyncClient() as client:
            answer: dict[str, Any] = (await client.get(f"http://127.0.0.1:{self.port}/healthz", timeout=5)).json()
            return answer


def write_instance_config(
    folder: Path, name: str, api_url: str, database_url: str, port: int, extra: str, telegram_extra: str = ""
) -> Path:
    """A config file for one instance: Telegram only, webhook mode, the shared database, its own port; `extra`
    is appended, `telegram_extra` goes into [telegram]."""
    config = folder / f"{name}.toml"
    config.write_text(
        f'[telegram]\ntoken = "{TOKEN}"\napi_base_url = "{api_url}"\nmode = "webhook"\n'
        f'webhook_url = "{PUBLIC_WEBHOOK}"\nwebhook_secret = "{WEBHOOK_SECRET}"\n{telegram_extra}\n'
        f'[database]\nurl = "{database_url}"\n\n'
        f"[web]\nport = {port}\n\n[ocr]\nenabled = false\n{extra}",
        "utf-8",
    )
    return config


async def start_instances(
    folder: Path, api_url: str, database_url: str, count: int = 2, extra: str = "", *, telegram_extra: str = ""
) -> list[Instance]:
    """Start `count` instances together (their schema migrations at start are safe together) and wait until
    each answers /healthz."""
    instances = []
    for number in range(count):
        name = f"bot{number + 1}"
        port = free_port()
        config = write_instance_config(folder, name, api_url, database_url, port, extra, telegram_extra)
        instance = Instance(name, folder, config, port)
        instance.output = instance.log_path.open("wb")
        instance.process = await asyncio.create_subprocess_exec(
            str(CANHGIAC),
            "run",
            "--config",
            str(config),
            cwd=folder,
            env=clean_env(),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=instance.output,
            stderr=asyncio.subprocess.STDOUT,
        )
        instances.append(instance)
    try:
        await asyncio.gather(*(wait_healthy(instance) for instance in instances))
    except BaseException:
        await stop_all(instances)
        raise
    return instances


async def wait_healthy(instance: Instance, timeout: float = HEALTHY_WITHIN) -> None:
    """Poll /healthz until the instance answers ok (its platforms started), or fail with its log."""
    deadline = time.monotonic() + timeout
    while True:
        assert instance.process is not None
        if instance.process.returncode is not None:
            raise AssertionError(f"{instance.name} exited {instance.process.returncode}:\n{instance.log()}")
        try:
            if (await instance.healthz()).get("platforms") == ["telegram"]:
                return
        except (httpx.TransportError, ValueError):
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{instance.name} not healthy in {timeout:.0f} s:\n{instance.log()}")
        await asyncio.sleep(0.2)


async def stop_all(instances: list[Instance]) -> None:
    """Stop whatever still runs (SIGTERM, then SIGKILL for one that hangs); close the log files."""
    for instance in instances:
        if instance.process is not None and instance.process.returncode is None:
            try:
                await instance.stop()
            except TimeoutError:
                instance.kill()
                await instance.process.wait()
        if instance.output is not None:
            instance.output.close()


async def post_update(client: httpx.AsyncClient, instance: Instance, update: dict[str, Any]) -> int:
    """POST an update to the instance's webhook as Telegram (through the proxy) would; the HTTP status."""
    response = await client.post(
        instance.webhook, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
    )
    return response.status_code


async def subscribe_groups(config: Path, groups: list[int], local_time: str, *, since: dt.datetime) -> None:
    """Subscribe Telegram groups (created at `since`) for `local_time` in [alerts] timezone, through the
    repositories of a short-lived app on the shared database."""
    settings = load_settings(config)
    app = await build_app(settings)
    repos = app.deps.repos

    async def subscribe(group: int) -> None:
        await repos.chats.ensure("telegram", str(group), "group", since)
        await repos.subscriptions.subscribe(
            f"telegram:{group}",
            platform="telegram",
            chat_id=str(group),
            local_time=local_time,
            timezone=settings.alerts.timezone,
            actor="telegram:1",
            at=since,
        )

    try:
        for start in range(0, len(groups), SUBSCRIBE_TOGETHER):
            await asyncio.gather(*(subscribe(group) for group in groups[start : start + SUBSCRIBE_TOGETHER]))
    finally:
        await app.close()
