"""The Zalo adapter: the Zalo Bot API by long polling or webhook, replies as plain text."""

from bot.zalo.adapter import WEBHOOK_PATH, ZaloAdapter, ZaloStartError

__all__ = ["WEBHOOK_PATH", "ZaloAdapter", "ZaloStartError"]
