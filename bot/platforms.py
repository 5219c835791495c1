"""Running the platform adapters together: one process, one event loop, one web server."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import signal
import socket
from collections.abc import Callable
from typing import Protocol

from starlette.routing import BaseRoute

from bot.app import App, build_app
from bot.config import Settings, secret
from bot.pace_sharing import PaceSharing
from bot.pacing import RateLimiter
from bot.web import HealthCheck, build_web_app
from bot.web_server import PortUnavailable, build_server, limit_accept_error_logs, listen

log = logging.getLogger(__name__)


class PlatformAdapter(Protocol):
    """What every platform adapter offers the runner."""

    name: str

    async def start(self) -> None:
        """Connect, register commands, and start polling or set the webhook."""

    async def stop(self) -> None: ...

    def routes(self) -> list[BaseRoute]:
        """Webhook routes for the shared web app (empty in polling mode)."""
        ...


def configured_adapters(app: App, settings: Settings) -> list[PlatformAdapter]:
    """An adapter for every platform whose token is set."""
    adapters: list[PlatformAdapter] = []
    if secret(settings.telegram.token):
        from bot.telegram.adapter import TelegramAdapter

        adapters.append(TelegramAdapter(app, settings.telegram))
    if secret(settings.zalo.token):
        from bot.zalo.adapter import ZaloAdapter

        adapters.append(ZaloAdapter(app, settings.zalo))
    return adapters


async def start_adapters(adapters: list[PlatformAdapter]) -> list[PlatformAdapter]:
    """Start each adapter; one that fails (bad token, server down) is reported and the others go on."""
    started = []
    for adapter in adapters:
        try:
            await adapter.start()
        except Exception as exc:  # noqa: BLE001 - any start failure is reported the same way
            log.error("%s could not start: %s", adapter.name, type(exc).__name__ + (f": {exc}" if str(exc) else ""))
            continue
        log.info("%s started", adapter.name)
        started.append(adapter)
    return started


async def serve_platforms(settings: Settings, stop: asyncio.Event | None = None) -> int:
    """Run until SIGINT/SIGTERM (or `stop` is set): 0; 1 when no platform could start; 2 when the web port is
    unavailable (found before anything connects: nothing to undo)."""
    try:
        sock = listen(settings.web)
    except PortUnavailable as exc:
        log.error("%s: set [web] port, or stop the program that holds it", exc)
        return 2
    with sock:  # closed on every way out (uvicorn closes it too when it stops)
        app = await build_app(settings)
        try:
            return await _serve(app, settings, sock, stop or asyncio.Event())
        finally:
            await app.close()


def shared_pacing(app: App, started: list[PlatformAdapter], clock: Callable[[], dt.datetime]) -> PaceSharing:
    """Each started platform's pacing shared with the other processes serving the same bot, when `[sharing]
    backend = "database"`; with nothing to share (memory), a PaceSharing that does nothing."""
    from bot.alerts.outbox import worker_name

    sharing = PaceSharing(app.deps.repos.leases, worker_name(), clock)
    if app.settings.sharing.backend != "database":
        return sharing
    for adapter in started:
        pacing, tag = getattr(adapter, "limiter", None), getattr(adapter, "tag", None)
        if isinstance(pacing, RateLimiter) and tag:
            sharing.add(adapter.name, tag, pacing)
    return sharing


def web_checks(app: App) -> dict[str, HealthCheck]:
    """What /healthz checks: the database, when there is one (not for in-memory storage)."""
    return {"database": app.database.ping} if app.database is not None else {}


async def _serve(app: App, settings: Settings, sock: socket.socket, stop: asyncio.Event) -> int:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # no signal handlers off the main thread
            loop.add_signal_handler(sig, stop.set)
    started = await start_adapters(configured_adapters(app, settings))
    if not started:
        log.error("no platform could start; see the errors above")
        return 1
    # The scheduler queues due alerts; one outbox drainer per started platform sends them, on its pacing.
    from bot.alerts import DELIVERY_PLATFORMS, AlertDelivery
    from bot.app import utc_now

    pace_sharing = shared_pacing(app, started, utc_now)
    await pace_sharing.start()

    alert_platforms = tuple(a.name for a in started if a.name in DELIVERY_PLATFORMS)
    alert_delivery = AlertDelivery(
        app.deps,
        settings,
        alert_platforms,
        utc_now,
        {a.name: pacing for a in started if (pacing := getattr(a, "limiter", None))},
        on_outcome=app.metrics.observe_delivery,
    )
    scheduler = alert_delivery.scheduler
    app.metrics.scheduler_leader.set_function(lambda: float(scheduler.leader))
    scheduler.purge.on_purge = app.metrics.observe_purge
    routes = [route for adapter in started for route in adapter.routes()]
    web = build_web_app(
        routes,
        [a.name for a in started],
        web_checks(app),
        metrics=app.metrics,
        status=lambda: {"scheduler_leader": scheduler.leader},
    )
    server = build_server(web, settings.web)
    limit_accept_error_logs(loop)
    server_task = asyncio.create_task(server.serve(sockets=[sock]))
    app.metrics.count_errors()
    alert_delivery.start()
    try:
        await stop.wait()
    finally:
        await alert_delivery.stop()  # in-flight alert sends finish and are marked before the adapters stop
        await pace_sharing.stop()
        app.metrics.stop_counting_errors()
        server.should_exit = True
        await server_task
        for adapter in reversed(started):
            try:
                await adapter.stop()
            except Exception:
                log.exception("%s did not stop cleanly", adapter.name)
    return 0
