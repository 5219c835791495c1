"""The composition root: builds storage, the risk service and the handlers' dependencies once."""

from __future__ import annotations

import datetime as dt
import gc
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.config import Settings, secret
from bot.images import Fetcher, ImageService, build_image_service
from bot.metrics import Metrics
from bot.recent import OneProcessUpdates, SeenUpdates
from bot.sharing import OfferedChoices, shared_state
from bot.storage import Database, memory_repositories, open_database
from bot.storage.salt import shared_salt
from handlers.catalogue import load_catalogue
from handlers.deps import Deps, Gateway, Policy
from handlers.dispatch import Router
from handlers.messages import Incoming, Reply
from handlers.ports import Repositories
from handlers.retention import Retention
from handlers.risk import RiskService
from handlers.setup import build_router
from knowledge.library import load_shipped_library

log = logging.getLogger(__name__)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class App:
    """Everything a platform adapter needs: `handle` an incoming message, get replies."""

    settings: Settings
    deps: Deps
    router: Router
    database: Database | None = None
    images: ImageService | None = None
    metrics: Metrics = field(default_factory=Metrics)
    # Updates any process serving the bot took (`[sharing] backend`): the adapters drop one taken elsewhere.
    seen: SeenUpdates = field(default_factory=OneProcessUpdates)
    # Numbered choices (Zalo's buttons) offered by any process serving the bot; None: each process's own memory.
    choices: OfferedChoices | None = None

    def __post_init__(self) -> None:
        self.deps.risk.observer = self.metrics.observe_check

    async def handle(self, incoming: Incoming) -> list[Reply]:
        return await self.router.dispatch(incoming, self.deps)

    def add_gateway(self, platform: str, gateway: Gateway) -> None:
        self.deps.gateways[platform] = gateway

    def add_image_fetcher(self, platform: str, fetcher: Fetcher) -> None:
        """How the image reader downloads a platform's images (a Telegram file id, a Zalo URL)."""
        if self.images is not None:
            self.images.add_fetcher(platform, fetcher)

    async def close(self) -> None:
        if self.images is not None:
            self.images.close()
        if self.database is not None:
            await self.database.close()


async def _salt(settings: Settings, database: Database | None) -> bytes:
    """The hash salt from config, or the one kept in the database (see bot/storage/salt.py)."""
    configured = secret(settings.privacy.hash_salt)
    if configured:
        return configured.encode()
    if database is None:
        raise ValueError("in-memory storage has no place for a salt: pass one to build_app")
    return await shared_salt(database.engine, legacy_salt_path(settings.database.url))


def legacy_salt_path(database_url: str) -> Path:
    """Where versions before the salt moved into the database kept it: beside a SQLite database file,
    `data/hash_salt` under the working directory for a server database."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(url.database).expanduser().parent / "hash_salt"
    return Path("data") / "hash_salt"


async def build_app(
    settings: Settings,
    clock: Callable[[], dt.datetime] = utc_now,
    repos: Repositories | None = None,
    salt: bytes | None = None,
) -> App:
    """Open (and migrate) the database, seed signatures, and wire the handlers."""
    database = None
    if repos is None:
        database = await open_database(settings.database.url)
        repos = database.repos
    risk = await RiskService.load(
        repos,
        load_shipped_library(),
        salt if salt is not None else await _salt(settings, database),
        clock,
        settings.limits.max_text_chars,
    )
    shared = shared_state(settings, database, clock)
    policy = Policy(
        superadmins=frozenset(settings.roles.superadmins),
        checks_per_minute=settings.limits.checks_per_minute,
        reports_per_hour=settings.limits.reports_per_hour,
        reports_per_day=settings.limits.reports_per_day,
        max_report_chars=settings.limits.max_report_chars,
        alerts_timezone=settings.alerts.timezone,
        alerts_default_time=settings.alerts.default_time,
        guard_max_share=settings.signatures.guard_max_share,
        retention=Retention(**settings.retention.model_dump()),
    )
    deps = Deps(
        repos=repos,
        risk=risk,
        catalogue=load_catalogue(),
        clock=clock,
        sessions=shared.sessions,
        flood=shared.flood,
        policy=policy,
        images=build_image_service(settings.ocr),
    )
    gc.freeze()  # the signature library and index live for the whole run: keep them out of GC scans
    images = deps.images if isinstance(deps.images, ImageService) else None
    return App(settings, deps, build_router(), database, images, seen=shared.seen, choices=shared.choices)


async def build_memory_app(settings: Settings | None = None, clock: Callable[[], dt.datetime] = utc_now) -> App:
    """An app on in-memory storage (tests, demos)."""
    return await build_app(settings or Settings(), clock, memory_repositories(), salt=b"test-salt")
