"""Old home of the Telegram update builders, kept for benchmarks/telegram_bench.py: use tests.factories."""

from tests.factories import message, user

__all__ = ["message", "user"]
