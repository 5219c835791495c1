"""Old home of the fake Telegram Bot API, kept for benchmarks/telegram_bench.py: use tests.fakes.telegram_api."""

from tests.fakes.telegram_api import TOKEN
from tests.fakes.telegram_api import FakeTelegramApi as FakeBotAPI

__all__ = ["TOKEN", "FakeBotAPI"]
