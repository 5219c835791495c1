"""A platform gateway that records what handlers send to other chats (the edge handlers talk to, in memory)."""

from __future__ import annotations

from handlers.messages import Reply


class RecordingGateway:
    """Answers admin questions from a set, and keeps every message sent and every role change."""

    def __init__(self, admins: tuple[str, ...] = ()) -> None:
        self.admins = set(admins)
        self.sent: list[tuple[str, list[str]]] = []
        self.roles: list[tuple[str, bool]] = []

    async def is_chat_admin(self, chat_id: str, user_id: str) -> bool:
        return user_id in self.admins

    async def role_changed(self, user_id: str, officer: bool) -> None:
        self.roles.append((user_id, officer))

    async def send(self, chat_id: str, replies: list[Reply]) -> bool:
        self.sent.append((chat_id, [r.text for r in replies]))
        return True
