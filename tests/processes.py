"""Running the installed `canhgiac` console script as a real process, configured by a file, as users do.

Shared by the start-up tests (tests/bot/test_startup.py) and the crash tests of the alert outbox.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.fakes.telegram_api import TOKEN as TELEGRAM_TOKEN
from tests.fakes.zalo_api import TOKEN as ZALO_TOKEN

ROOT = Path(__file__).resolve().parents[1]
CANHGIAC = Path(sys.executable).parent / "canhgiac"  # the console script installed beside this interpreter
STOP_SECONDS = 10.0
LOG_PROBLEMS = ("ERROR", "Traceback", "Unclosed", "CRITICAL")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Deployment:
    """A config file in a fresh folder, as a user would write it from config.example.toml."""

    folder: Path
    config: Path
    web_port: int


def write_config(folder: Path, telegram_url: str, zalo_url: str, extra: str = "") -> Deployment:
    """Both platforms' tokens and API roots, a SQLite file in `folder`, a free web port; `extra` is appended."""
    port = free_port()
    config = folder / "config.toml"
    config.write_text(
        f'[telegram]\ntoken = "{TELEGRAM_TOKEN}"\napi_base_url = "{telegram_url}"\n\n'
        f'[zalo]\ntoken = "{ZALO_TOKEN}"\napi_base_url = "{zalo_url}"\n\n'
        f'[database]\nurl = "sqlite:///{folder}/canhgiac.sqlite3"\n\n'
        f"[web]\nport = {port}\n{extra}",
        "utf-8",
    )
    return Deployment(folder, config, port)


def clean_env() -> dict[str, str]:
    """The caller's environment without any CANHGIAC_ setting: only the config file configures the bot."""
    return {key: value for key, value in os.environ.items() if not key.startswith("CANHGIAC_")}


async def start(how: str, deployment: Deployment) -> asyncio.subprocess.Process:
    config = str(deployment.config)
    commands = {
        "run --config FILE": [str(CANHGIAC), "run", "--config", config],
        "--config FILE run": [str(CANHGIAC), "--config", config, "run"],
        "make run CONFIG=FILE": ["make", "--no-print-directory", "-C", str(ROOT), "run", f"CONFIG={config}"],
    }
    return await asyncio.create_subprocess_exec(
        *commands[how],
        cwd=deployment.folder,
        env=clean_env(),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


def bot_pid(process: asyncio.subprocess.Process) -> int:
    """The canhgiac process itself: `make run` starts it as make's child (SIGTERM goes to it, as systemd would)."""
    deadline = time.monotonic() + 5
    while True:
        program = Path(f"/proc/{process.pid}/cmdline").read_bytes().split(b"\0")[0]
        if not program.endswith(b"make"):
            return process.pid
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        if children:
            return int(children[0])
        if time.monotonic() > deadline:
            raise AssertionError("make did not start canhgiac")
        time.sleep(0.05)


async def stop(process: asyncio.subprocess.Process) -> tuple[int, str, float]:
    """SIGTERM; the exit code, everything the process wrote, and how long it took to exit."""
    started = time.monotonic()
    os.kill(bot_pid(process), signal.SIGTERM)
    output, _ = await asyncio.wait_for(process.communicate(), STOP_SECONDS + 5)
    return process.returncode, output.decode("utf-8", "replace"), time.monotonic() - started


async def metrics(port: int) -> str:
    """GET /metrics of a running bot, as text."""
    async with httpx.AsyncClient() as client:
        response = await client.get(f"http://127.0.0.1:{port}/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return response.text


async def healthz(port: int) -> Any:
    async with httpx.AsyncClient() as client:
        for _ in range(100):
            try:
                return (await client.get(f"http://127.0.0.1:{port}/healthz")).json()
            except httpx.TransportError:
                await asyncio.sleep(0.1)
    raise AssertionError("the web server never answered /healthz")
