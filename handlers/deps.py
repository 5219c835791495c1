"""Everything a handler may use, built once by the composition root (bot/app.py) and passed in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from handlers.catalogue import Catalogue
from handlers.messages import Reply
from handlers.ports import Repositories
from handlers.ports.images import ImageReader
from handlers.ports.sharing import CheckLimiter, SessionStore
from handlers.retention import Retention
from handlers.risk import RiskService


class Gateway(Protocol):
    """What handlers may ask of a platform beyond replying: admin status, and messages to other chats."""

    async def is_chat_admin(self, chat_id: str, user_id: str) -> bool: ...

    async def send(self, chat_id: str, replies: list[Reply]) -> bool:
        """Send to a chat; False when the platform refused (blocked, removed)."""
        ...

    async def role_changed(self, user_id: str, officer: bool) -> None:
        """A user became or stopped being an officer: refresh what the platform shows them (command menus)."""
        ...


@dataclass(frozen=True, slots=True)
class Policy:
    """Settings handlers need, copied from the typed config."""

    superadmins: frozenset[str] = frozenset()
    checks_per_minute: int = 20
    reports_per_hour: int = 5
    reports_per_day: int = 20
    max_report_chars: int = 4000
    alerts_timezone: str = "Asia/Ho_Chi_Minh"
    alerts_default_time: str = "08:00"
    # Above this share of genuine messages flagged, a new or edited signature needs a superadmin to confirm it.
    guard_max_share: float = 0.005
    # How long records are kept ([retention]); the daily purge enforces it.
    retention: Retention = field(default_factory=Retention)


@dataclass
class Deps:
    repos: Repositories
    risk: RiskService
    catalogue: Catalogue
    clock: Callable[[], dt.datetime]
    sessions: SessionStore
    flood: CheckLimiter
    policy: Policy = field(default_factory=Policy)
    gateways: dict[str, Gateway] = field(default_factory=dict)
    # Screenshot reading (bot/images); None where the bot reads no images.
    images: ImageReader | None = None

    def now(self) -> dt.datetime:
        return self.clock()
