"""Daily alerts and broadcasts: the scheduler says when, the outbox and its senders deliver."""

from bot.alerts.delivery import DELIVERY_PLATFORMS, AlertDelivery, configured_platforms, run_alerts_once
from bot.alerts.outbox import SENDS_IN_FLIGHT, Drainer
from bot.alerts.scheduler import AlertScheduler
from bot.pacing import RateLimiter

__all__ = [
    "DELIVERY_PLATFORMS",
    "SENDS_IN_FLIGHT",
    "AlertDelivery",
    "AlertScheduler",
    "Drainer",
    "RateLimiter",
    "configured_platforms",
    "run_alerts_once",
]
