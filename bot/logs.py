"""The process's logging: one root handler at `[logging] level`, whose one filter holds at every level.

The filter (`Redactor`) blanks every registered secret out of each record (message, exception, stack), masks
phone and account numbers, and drops the records libraries write below their floor in `LIBRARY_FLOORS`: at DEBUG
they dump whole payloads (users' messages, names) and SQL parameters, which no setting may let into the log.
SQL parameters are also kept out of SQLAlchemy's own messages and errors (`hide_parameters`, bot/storage).

The CLI calls `configure_logging` once. A platform adapter also registers its own token with `guard_logs` when
it starts, so the guarantee holds where the adapters run without the CLI (tests, an embedding program).
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable
from urllib.parse import quote

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MASK = "***"
HANDLER_NAME = "canhgiac"
# The least each library may log at, by logger-name prefix. httpx logs every request URL (the bot token is in its
# path) at INFO; python-telegram-bot and zalo_bot (whose loggers are named "zaloBot.", "zaloHTTPXRequest"…) log
# whole updates and API payloads at DEBUG; aiosqlite logs each statement with its parameters at DEBUG, SQLAlchemy
# each statement at INFO; alembic a line per plugin at every start.
LIBRARY_FLOORS = {
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "telegram": logging.INFO,
    "zalo": logging.INFO,
    "aiosqlite": logging.INFO,
    "sqlalchemy": logging.WARNING,
    "alembic.runtime.plugins": logging.WARNING,
}
# Loggers whose own records may quote a request URL: they carry the redactor themselves, so a record is blanked
# for every handler (a test's log capture too), not only for the root handler `configure_logging` installs.
URL_LOGGERS = ("httpx", "httpcore")
# Phone and bank account numbers (nine digits or more, written together or in groups): only the last three stay.
# A date-time ("2026-12-02 17:18:09") is not one: a run of digits that starts as an ISO date is left alone.
_NUMBER = re.compile(r"(?<![\w+])(?!\d{4}-\d\d-\d\d(?!\d))\+?\d(?:[ .\-]?\d){8,}(?!\w)")


def mask_numbers(text: str) -> str:
    """`text` with every phone or account number masked: "0912 345 678" → "***678"."""
    return _NUMBER.sub(lambda m: MASK + re.sub(r"\D", "", m.group(0))[-3:], text)


class Redactor(logging.Filter):
    """Replaces every registered secret in a record's message, exception text and stack with `MASK`, masks
    phone and account numbers, and drops library records below their `LIBRARY_FLOORS` level."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: tuple[str, ...] = ()

    def add(self, *secrets: str | None) -> None:
        """Register secrets (None and empty ones are ignored)."""
        given = [value for value in secrets if value]
        # Also as a URL would carry them ("123:ABC" → "123%3AABC"), since URLs are what libraries log.
        merged = {*self._secrets, *given, *(quote(value, safe="") for value in given)}
        self._secrets = tuple(sorted(merged, key=len, reverse=True))  # a longer secret may contain a shorter one

    def redact(self, text: str) -> str:
        for value in self._secrets:
            text = text.replace(value, MASK)
        return mask_numbers(text)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < _floor(record.name):
            return False
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # arguments that do not fit the format: the handler reports that itself
            return True
        if (clean := self.redact(message)) != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = _EXCEPTIONS.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def _floor(name: str) -> int:
    return next((level for prefix, level in LIBRARY_FLOORS.items() if name.startswith(prefix)), logging.NOTSET)


_EXCEPTIONS = logging.Formatter()  # formats a traceback exactly as the handler's formatter would
# The one registry of secrets. Logging itself is process-wide, so this is too.
REDACTOR = Redactor()


def redact(text: str) -> str:
    """`text` with every registered secret blanked out (for messages built from a library's error)."""
    return REDACTOR.redact(text)


def guard_logs(*secrets: str | None) -> None:
    """Blank `secrets` out of every log record from now on, and hold the libraries' loggers at `LIBRARY_FLOORS`
    (their levels are set too, so what would be dropped is not even formatted)."""
    REDACTOR.add(*secrets)
    for name in URL_LOGGERS:
        logging.getLogger(name).addFilter(REDACTOR)  # adding it again is a no-op
    for name, level in LIBRARY_FLOORS.items():
        logger = logging.getLogger(name)
        if logger.level < level:
            logger.setLevel(level)


def configure_logging(level: int, secrets: Iterable[str | None] = ()) -> None:
    """One stderr handler on the root logger, at `level`, whose filter blanks `secrets` out of every record."""
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(REDACTOR)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:  # configured once; again replaces it
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    guard_logs(*secrets)
