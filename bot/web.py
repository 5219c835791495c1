"""The one ASGI app: both platforms' webhooks and GET /healthz (Starlette, served by uvicorn)."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route


def build_web_app(routes: Sequence[BaseRoute], platforms: Sequence[str] = ()) -> Starlette:
    """Webhook routes contributed by the platform adapters, plus a health check."""

    async def healthz(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "platforms": list(platforms)})

    return Starlette(routes=[Route("/healthz", healthz, methods=["GET"]), *routes])
