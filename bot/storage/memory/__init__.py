"""In-memory twins of the sqlmodel repositories, for fast tests; the contract suite holds both alike."""

from __future__ import annotations

from bot.storage.memory.alerts import InMemoryAlertRepo
from bot.storage.memory.audit import InMemoryAuditRepo
from bot.storage.memory.chats import InMemoryChatRepo
from bot.storage.memory.checks import InMemoryCheckRepo
from bot.storage.memory.deliveries import InMemoryDeliveryRepo
from bot.storage.memory.feedback import InMemoryFeedbackRepo
from bot.storage.memory.indicators import InMemoryIndicatorRepo
from bot.storage.memory.leases import InMemoryLeaseRepo
from bot.storage.memory.reports import InMemoryReportRepo
from bot.storage.memory.retention import InMemoryRetentionRepo
from bot.storage.memory.signatures import InMemorySignatureRepo
from bot.storage.memory.state import MemoryState
from bot.storage.memory.subscriptions import InMemorySubscriptionRepo
from bot.storage.memory.users import InMemoryUserRepo
from handlers.ports import Repositories


def memory_repositories(state: MemoryState | None = None) -> Repositories:
    """Every repository over one shared in-memory state."""
    state = state if state is not None else MemoryState()
    return Repositories(
        users=InMemoryUserRepo(state),
        chats=InMemoryChatRepo(state),
        signatures=InMemorySignatureRepo(state),
        indicators=InMemoryIndicatorRepo(state),
        checks=InMemoryCheckRepo(state),
        reports=InMemoryReportRepo(state),
        feedback=InMemoryFeedbackRepo(state),
        subscriptions=InMemorySubscriptionRepo(state),
        alerts=InMemoryAlertRepo(state),
        deliveries=InMemoryDeliveryRepo(state),
        audit=InMemoryAuditRepo(state),
        leases=InMemoryLeaseRepo(state),
        retention=InMemoryRetentionRepo(state),
    )


__all__ = [
    "InMemoryAlertRepo",
    "InMemoryAuditRepo",
    "InMemoryChatRepo",
    "InMemoryCheckRepo",
    "InMemoryDeliveryRepo",
    "InMemoryFeedbackRepo",
    "InMemoryIndicatorRepo",
    "InMemoryLeaseRepo",
    "InMemoryReportRepo",
    "InMemoryRetentionRepo",
    "InMemorySignatureRepo",
    "InMemorySubscriptionRepo",
    "InMemoryUserRepo",
    "MemoryState",
    "memory_repositories",
]
