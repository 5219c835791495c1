"""What `GET /metrics` shows, in Prometheus text format (prometheus_client): checks by platform and level, check
latency, alert deliveries by outcome, errors logged, records the retention purge removed by kind, and whether this
process is the alert scheduler.

Each App has its own registry (several apps live in one test process); nothing here identifies a citizen.
"""

from __future__ import annotations

import logging

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from handlers.ports import PurgeCounts

CONTENT_TYPE = CONTENT_TYPE_LATEST
# Check latency buckets, in seconds: the engine's p50 is a few milliseconds; a slow database shows above.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class Metrics:
    """One process's counters."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.checks = Counter(
            "canhgiac_checks",
            "Messages checked, by platform and verdict level",
            ["platform", "level"],
            registry=self.registry,
        )
        self.check_seconds = Histogram(
            "canhgiac_check_seconds",
            "Time to check one message (engine and database)",
            ["platform"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.deliveries = Counter(
            "canhgiac_deliveries",
            "Alert deliveries settled, by platform and outcome",
            ["platform", "outcome"],
            registry=self.registry,
        )
        self.purged = Counter(
            "canhgiac_purged_rows",
            "Records the retention purge removed (or blanked), by kind",
            ["kind"],
            registry=self.registry,
        )
        self.errors = Counter("canhgiac_errors", "Log records at ERROR or above", ["logger"], registry=self.registry)
        self.scheduler_leader = Gauge(
            "canhgiac_scheduler_leader",
            "1 when this process holds the alert scheduler's lease",
            registry=self.registry,
        )
        self._handler: _ErrorCounter | None = None

    def observe_check(self, platform: str, level: str, seconds: float) -> None:
        self.checks.labels(platform, level).inc()
        self.check_seconds.labels(platform).observe(seconds)

    def observe_delivery(self, platform: str, outcome: str) -> None:
        self.deliveries.labels(platform, outcome).inc()

    def observe_purge(self, counts: PurgeCounts) -> None:
        for kind in counts.kinds():
            self.purged.labels(kind).inc(getattr(counts, kind))

    def count_errors(self) -> None:
        """Count ERROR records of every logger from now on (until `stop_counting_errors`)."""
        if self._handler is None:
            self._handler = _ErrorCounter(self.errors)
            logging.getLogger().addHandler(self._handler)

    def stop_counting_errors(self) -> None:
        if self._handler is not None:
            logging.getLogger().removeHandler(self._handler)
            self._handler = None

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class _ErrorCounter(logging.Handler):
    def __init__(self, counter: Counter) -> None:
        super().__init__(level=logging.ERROR)
        self._counter = counter

    def emit(self, record: logging.LogRecord) -> None:
        self._counter.labels(record.name.split(".")[0]).inc()
