"""Downloading a citizen's image from Telegram: getFile, then the file itself, within the size limit."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import BadRequest, TelegramError

from bot.telegram.sender import describe_error
from handlers.ports.images import ImageProblem, ImageRefused

log = logging.getLogger(__name__)


class TelegramImages:
    """A `bot.images.Fetcher` for Telegram file ids."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def __call__(self, file_id: str, max_bytes: int) -> bytes:
        try:
            file = await self._bot.get_file(file_id)
        except BadRequest as exc:  # "file is too big": the Bot API serves files up to 20 MB
            if "too big" in str(exc).lower():
                raise ImageRefused(ImageProblem.TOO_LARGE) from exc
            log.warning("getFile refused: %s", describe_error(exc))
            raise ImageRefused(ImageProblem.DOWNLOAD_FAILED) from exc
        except TelegramError as exc:
            log.warning("getFile failed: %s", describe_error(exc))
            raise ImageRefused(ImageProblem.DOWNLOAD_FAILED) from exc
        if file.file_size is not None and file.file_size > max_bytes:
            raise ImageRefused(ImageProblem.TOO_LARGE)
        try:
            data = bytes(await file.download_as_bytearray())
        except TelegramError as exc:
            log.warning("file download failed: %s", describe_error(exc))
            raise ImageRefused(ImageProblem.DOWNLOAD_FAILED) from exc
        if len(data) > max_bytes:
            raise ImageRefused(ImageProblem.TOO_LARGE)
        return data
