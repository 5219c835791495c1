"""In-memory twins of the sqlmodel repositories, for fast tests; the contract suite holds both alike."""

from __future__ import annotations

from bot.storage.memory.activity import InMemoryAuditRepo, InMemoryCheckRepo, InMemoryFeedbackRepo, InMemoryReportRepo
from bot.storage.memory.alerts import InMemoryAlertRepo, InMemorySubscriptionRepo
from bot.storage.memory.catalogue import InMemoryIndicatorRepo, InMemorySignatureRepo
from bot.storage.memory.deliveries import InMemoryDeliveryRepo
from bot.storage.memory.people import InMemoryChatRepo, InMemoryUserRepo
from bot.storage.memory.state import MemoryState
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
    )


__all__ = [
    "InMemoryAlertRepo",
    "InMemoryAuditRepo",
    "InMemoryChatRepo",
    "InMemoryCheckRepo",
    "InMemoryDeliveryRepo",
    "InMemoryFeedbackRepo",
    "InMemoryIndicatorRepo",
    "InMemoryReportRepo",
    "InMemorySignatureRepo",
    "InMemorySubscriptionRepo",
    "InMemoryUserRepo",
    "MemoryState",
    "memory_repositories",
]
