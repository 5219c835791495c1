"""The one ASGI app: both platforms' webhooks and GET /healthz (Starlette, served by bot/web_server.py)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.metrics import CONTENT_TYPE, Metrics

log = logging.getLogger(__name__)
# A health check raises when what it checks is failing. It gets this long: a monitor must get an answer even
# while a database server does not.
HealthCheck = Callable[[], Awaitable[None]]
CHECK_SECONDS = 3.0


def build_web_app(
    routes: Sequence[BaseRoute],
    platforms: Sequence[str] = (),
    checks: Mapping[str, HealthCheck] | None = None,
    *,
    metrics: Metrics | None = None,
    status: Callable[[], Mapping[str, object]] | None = None,
) -> Starlette:
    """Webhook routes contributed by the platform adapters, plus a health check and the metrics.

    GET /healthz: 200 `{"status": "ok", "platforms": [...], ...status()}` (e.g. whether this process is the alert
    scheduler), or 503 with `"status": "failing"` and `"failed"` naming each failing check (with the kind of
    error) while any fails. GET /metrics: Prometheus text format (when `metrics` is given).
    """

    async def healthz(_: Request) -> JSONResponse:
        failed = await failing(checks or {})
        body: dict[str, object] = {"status": "failing" if failed else "ok", "platforms": list(platforms)}
        body.update(status() if status is not None else {})
        if failed:
            body["failed"] = failed
        return JSONResponse(body, status_code=503 if failed else 200)

    own = [Route("/healthz", healthz, methods=["GET"])]
    if metrics is not None:

        async def exposition(_: Request) -> Response:
            return Response(metrics.exposition(), media_type=CONTENT_TYPE)

        own.append(Route("/metrics", exposition, methods=["GET"]))
    return Starlette(routes=[*own, *routes])


async def failing(checks: Mapping[str, HealthCheck]) -> dict[str, str]:
    """Each failing check's name and what went wrong, all checks run together."""
    outcomes = await asyncio.gather(*(_outcome(name, check) for name, check in checks.items()))
    return {name: problem for name, problem in zip(checks, outcomes, strict=True) if problem}


async def _outcome(name: str, check: HealthCheck) -> str:
    try:
        async with asyncio.timeout(CHECK_SECONDS):
            await check()
    except TimeoutError:
        problem = f"no answer in {CHECK_SECONDS:.0f} s"
    except Exception as exc:  # noqa: BLE001 - whatever fails, the answer is "failing", never a 500
        problem = type(exc).__name__
        log.warning("health check %s failed: %s: %s", name, problem, str(exc).splitlines()[0] if str(exc) else "")
    else:
        return ""
    return problem
