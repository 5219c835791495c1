"""The Telegram adapter: python-telegram-bot in our event loop, replies rendered as HTML, flood control."""

from bot.telegram.adapter import WEBHOOK_PATH, TelegramAdapter

__all__ = ["WEBHOOK_PATH", "TelegramAdapter"]
