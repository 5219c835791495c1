"""One logging set-up: every secret blanked out of every record, message and traceback alike."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot.logs import HANDLER_NAME, configure_logging, guard_logs, redact

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
    err = capsys.readouterr().err
    assert "report from ***678 about account ***899" in err
    assert "international ***678, chat 12345, round 2026-12-02, amount 5.000.000" in err
    assert "0912" not in err and "1903556" not in err
