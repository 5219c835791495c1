"""The fake Telegram API in a process of its own, for the benchmarks that time the bot against it.

python -m tests.fakes.telegram_process    # prints the port; stops when stdin closes
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from tests.fakes.telegram_api import FakeTelegramApi

_CHECKOUT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def in_another_process() -> Iterator[str]:
    """Start `python -m tests.fakes.telegram_process` from the checkout; yield its URL; on leaving, close its stdin
    (it stops) and wait for it. Blocks while the server starts: call it before anything is timed."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.telegram_process"],
        cwd=_CHECKOUT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        yield f"http://127.0.0.1:{int(process.stdout.readline())}"
    finally:
        if process.stdin is not None:
            process.stdin.close()
        process.wait(timeout=30)


async def _serve_until_stdin_closes() -> None:
    """Serve a fake on a free port of 127.0.0.1, print the port, stop once stdin is closed."""
    fake = FakeTelegramApi()
    await fake.start()
    print(fake.port, flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await fake.stop()


if __name__ == "__main__":
    asyncio.run(_serve_until_stdin_closes())
