"""Two real `canhgiac run` processes serving one Telegram bot behind one webhook URL, `[sharing] backend =
"database"` on one SQLite file (and on PostgreSQL when it is set up): an update posted to both is answered once, a
button under one's answer works on the other, each takes half the send rate, and both stop cleanly."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from bot.alerts.scheduler import LEASE
from bot.storage.database import Database
from bot.storage.tables import LeaseRow
from bot.telegram import WEBHOOK_PATH
from tests import factories as f
from tests.databases import empty_databases
from tests.factories import SCAM, WEBHOOK_SECRET, t
from tests.fakes.telegram_api import FakeTelegramApi
from tests.processes import (
    LOG_PROBLEMS,
    TELEGRAM_TOKEN,
    Deployment,
    free_port,
    healthz,
    start,
    stop,
)

pytestmark = pytest.mark.slow  # real processes


def deployment(folder: Path, telegram_url: str, database_url: str) -> Deployment:
    """One process's config: the shared bot token, database and sharing backend; its own folder and web port."""
    folder.mkdir()
    port = free_port()
    config = folder / "config.toml"
    config.write_text(
        f'[telegram]\ntoken = "{TELEGRAM_TOKEN}"\napi_base_url = "{telegram_url}"\nmode = "webhook"\n'
        f'webhook_url = "https://bot.example.vn/telegram/webhook"\nwebhook_secret = "{WEBHOOK_SECRET}"\n\n'
        f'[database]\nurl = "{database_url}"\n\n[sharing]\nbackend = "database"\n\n[web]\nport = {port}\n',
        "utf-8",
    )
    return Deployment(folder, config, port)


async def both_saw_each_other(database: Database, timeout: float = 60.0) -> None:
    """Wait until each process has renewed its send-rate heartbeat after a moment when both heartbeats were live:
    that beat counted two processes (and logged it). Polls the leases table; under a loaded machine a process's
    beat may come late, which a fixed wait would miss."""
    query = select(LeaseRow.name, LeaseRow.until).where(LeaseRow.name != LEASE)
    deadline = time.monotonic() + timeout
    both_live_until = None
    while time.monotonic() < deadline:
        async with database.engine.connect() as connection:
            untils = [row.until for row in (await connection.execute(query)).all()]
        if len(untils) == 2:
            if both_live_until is None:
                both_live_until = max(untils)  # the later beat so far; both rows were live when read
            elif min(untils) > both_live_until:
                return  # both have beaten again since
        await asyncio.sleep(0.2)
    raise AssertionError(f"the two processes' heartbeats never overlapped: {untils}")


async def post(port: int, update: dict[str, Any]) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"http://127.0.0.1:{port}{WEBHOOK_PATH}",
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
        )
    assert response.status_code == 200


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_two_processes_serve_one_bot_behind_one_webhook(
    kind: str, tmp_path: Path, postgres_url: str | None, telegram_api: FakeTelegramApi
) -> None:
    async with empty_databases(kind, tmp_path, postgres_url) as open_one:
        database = await open_one()  # migrated (and emptied) before the processes start
        url = postgres_url if kind == "postgresql" else f"sqlite:///{tmp_path / 'data' / 'canhgiac.sqlite3'}"
        assert url is not None
        deployments = [deployment(tmp_path / name, telegram_api.url, url) for name in ("a", "b")]
        processes = [await start("run --config FILE", d) for d in deployments]
        logs = []
        try:
            await telegram_api.wait_for(lambda: len(telegram_api.sent("setWebhook")) == 2, timeout=60)
            for d in deployments:
                assert (await healthz(d.web_port))["platforms"] == ["telegram"]
            scam = {"update_id": 70001, **f.message(SCAM)}
            for d in deployments:  # delivered twice, once to each process
                await post(d.web_port, dict(scam))
            await telegram_api.wait_for(lambda: len(telegram_api.sent()) >= 1)
            [verdict] = telegram_api.sent()
            wrong = verdict.params["reply_markup"]["inline_keyboard"][0][1]["callback_data"]
            await post(deployments[1].web_port, {"update_id": 70002, **f.callback(wrong)})  # pressed on the other
            help_update = {"update_id": 70003, **f.message("/help")}
            await post(deployments[0].web_port, help_update)  # after the press, in the same chat

            def answers() -> list[str]:
                return [c.params["text"] for c in [*telegram_api.sent(), *telegram_api.sent("editMessageText")]]

            await telegram_api.wait_for(lambda: len(answers()) >= 3)
            texts = answers()
            assert not [text for text in texts if text == t("button.stale")]
            assert any(text.startswith(f.fixed_parts("feedback.offer_review")[0]) for text in texts)
            assert sum(1 for text in texts if f.HIGH in text) == 1  # the update was answered once
            await both_saw_each_other(database)
        finally:
            for process in processes:
                logs.append(await stop(process))
    for code, log, _ in logs:
        assert code == 0, log
        assert not [problem for problem in LOG_PROBLEMS if problem in log], log
        assert TELEGRAM_TOKEN not in log
    # Each took half the send rate once both were up.
    assert all("2 processes serve this bot, each at 1/2 of the rate" in log for _, log, _ in logs)
