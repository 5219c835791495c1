"""One logging set-up: every secret blanked out of every record, message and traceback alike."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import httpx
import pytest

from bot.logs import HANDLER_NAME, configure_logging, guard_logs, redact
from tests import factories as f
from tests.fakes.telegram_api import FakeTelegramApi
from tests.fakes.zalo_api import FakeZaloApi, text_event
from tests.processes import (
    TELEGRAM_TOKEN,
    ZALO_TOKEN,
    Deployment,
    free_port,
    healthz,
    start,
    stop,
    write_config,
)

TOKEN = "424242:logs-test-token"


@pytest.fixture
def configured() -> Iterator[None]:
    """configure_logging for one test; the root logger is put back as it was afterwards."""
    root = logging.getLogger()
    level = root.level
    try:
        yield
    finally:
        for handler in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
            root.removeHandler(handler)
        root.setLevel(level)


def test_secrets_are_blanked_in_messages_and_tracebacks_at_every_level(
    configured: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(logging.DEBUG, [TOKEN, None, ""])
    log = logging.getLogger("tests.logs")
    log.debug("POST https://api.telegram.org/bot%s/getMe", TOKEN)
    try:
        raise RuntimeError(f"cannot reach /bot{TOKEN}/sendMessage")
    except RuntimeError:
        log.exception("send failed")
    err = capsys.readouterr().err
    assert "DEBUG tests.logs: POST https://api.telegram.org/bot***/getMe" in err
    assert "RuntimeError: cannot reach /bot***/sendMessage" in err
    assert TOKEN not in err


def test_a_token_registered_without_the_cli_is_blanked_from_library_logs(caplog: pytest.LogCaptureFixture) -> None:
    guard_logs("777:adapter-only-token")  # what an adapter does when it starts
    logging.getLogger("httpx").warning("HTTP Request: POST http://127.0.0.1/bot777:adapter-only-token/getMe")
    assert "bot***/getMe" in caplog.text and "adapter-only-token" not in caplog.text
    assert redact("error at /bot777:adapter-only-token/x") == "error at /bot***/x"
    assert logging.getLogger("httpx").level == logging.WARNING  # its request lines stay out at INFO


def test_phone_and_account_numbers_are_masked(configured: None, capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(logging.INFO)
    log = logging.getLogger("tests.logs")
    log.info("report from %s about account %s", "0912 345 678", "19035566778899")
    log.info("international +84912345678, chat 12345, round 2026-12-02, amount 5.000.000")
    log.info("due 2026-12-02 17:18:09, again 2026-12-02 17 18, account 2026 1202 1718")
    err = capsys.readouterr().err
    assert "report from ***678 about account ***899" in err
    assert "international ***678, chat 12345, round 2026-12-02, amount 5.000.000" in err
    assert "due 2026-12-02 17:18:09, again 2026-12-02 17 18, account ***718" in err
    assert "0912" not in err and "1903556" not in err


# The real `canhgiac run` at [logging] level = "DEBUG", both platforms on their real libraries ---------------------

CITIZEN_NAME = "Trần Bí Mật"
PHONE, ACCOUNT = "0912 345 678", "19035566778899"
TEXT = f"Chị gọi số {PHONE} rồi chuyển 5 triệu vào STK {ACCOUNT} giúp em nhé, bí mật đừng nói ai"
ZALO_SECRET = "zalo-webhook-secret-123"


async def run_at_debug(deployment: Deployment, until: Callable[[], Awaitable[None]]) -> tuple[int, str]:
    """`canhgiac run` at DEBUG until `until()` returns (then SIGTERM); its exit code and whole log."""
    with deployment.config.open("a", encoding="utf-8") as config:
        config.write('\n[logging]\nlevel = "DEBUG"\n')
    process = await start("run --config FILE", deployment)
    try:
        await until()
    except BaseException as exc:
        code, log, _ = await stop(process)
        raise AssertionError(f"exit {code}, log:\n{log[-5000:]}") from exc
    code, log, _ = await stop(process)
    return code, log


@pytest.mark.slow
async def test_at_debug_the_log_holds_no_secret_number_name_or_text(
    tmp_path: Path, telegram_api: FakeTelegramApi, zalo_api: FakeZaloApi
) -> None:
    deployment = write_config(tmp_path, telegram_api.url, zalo_api.base_url)
    deployment.config.write_text(
        deployment.config.read_text("utf-8").replace(
            "[zalo]\n",
            f'[zalo]\nmode = "webhook"\nwebhook_url = "https://bot.example/zalo"\nwebhook_secret = "{ZALO_SECRET}"\n',
        ),
        "utf-8",
    )

    async def converse() -> None:
        await telegram_api.wait_for(lambda: bool(telegram_api.sent("getUpdates")), timeout=60)
        await healthz(deployment.web_port)
        telegram_api.push(f.message(TEXT, sender=f.user(first_name=CITIZEN_NAME)))
        await telegram_api.wait_sent(1, chat_id=f.CITIZEN, timeout=30)
        async with httpx.AsyncClient() as client:  # the webhook body goes through uvicorn, Starlette and zalo_bot
            answer = await client.post(
                f"http://127.0.0.1:{deployment.web_port}/zalo/webhook",
                json=text_event("zalo-citizen", TEXT, name=CITIZEN_NAME),
                headers={"X-Bot-Api-Secret-Token": ZALO_SECRET},
            )
            assert answer.status_code == 200
        await zalo_api.wait_sent("zalo-citizen", timeout=30)

    code, log = await run_at_debug(deployment, converse)
    assert code == 0, log
    assert " DEBUG " in log  # the level took effect
    leaks = [TELEGRAM_TOKEN, ZALO_TOKEN, ZALO_SECRET, CITIZEN_NAME, "bí mật đừng nói ai", PHONE, ACCOUNT]
    leaks += [PHONE.replace(" ", ""), ACCOUNT[:9]]
    found = [leak for leak in leaks if leak in log]
    assert not found, "\n".join(line for line in log.splitlines() if any(leak in line for leak in found))[:5000]


@pytest.mark.slow
@pytest.mark.parametrize("refusal", [401, 404])
async def test_a_rejected_telegram_token_is_not_logged_at_debug(
    tmp_path: Path, telegram_api: FakeTelegramApi, refusal: int
) -> None:
    """python-telegram-bot's InvalidToken names the token; getMe answering 401 (wrong token) or 404 (wrong API root)."""
    api_root = telegram_api.url if refusal == 401 else f"{telegram_api.url}/no-such-root"
    deployment = write_config(tmp_path, api_root, f"http://127.0.0.1:{free_port()}")
    wrong_token = "987654:WRONG-token-must-not-be-logged"
    deployment.config.write_text(deployment.config.read_text("utf-8").replace(TELEGRAM_TOKEN, wrong_token), "utf-8")
    with deployment.config.open("a", encoding="utf-8") as config:
        config.write('\n[logging]\nlevel = "DEBUG"\n')
    process = await start("run --config FILE", deployment)
    output, _ = await asyncio.wait_for(process.communicate(), 60)
    log = output.decode("utf-8", "replace")
    assert process.returncode == 1 and "telegram could not start: InvalidToken" in log, log
    assert " DEBUG " in log
    assert "WRONG-token" not in log and ZALO_TOKEN not in log, log
