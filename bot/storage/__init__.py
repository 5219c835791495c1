"""Storage: the repositories of `handlers.ports` over sqlmodel (SQLite or PostgreSQL), and in memory."""

from bot.storage.database import Database, open_database
from bot.storage.memory import memory_repositories

__all__ = ["Database", "memory_repositories", "open_database"]
