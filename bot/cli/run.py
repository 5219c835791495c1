"""Starting the bot: every platform whose token is set, in one process and one event loop."""

from __future__ import annotations

import sys

from bot.app import build_app
from bot.config import Settings, masked_url, secret
from bot.console import ConsoleChat, ConsoleGateway

CONSOLE_USERS = {"citizen": "citizen", "officer": "officer", "superadmin": "admin"}


async def run_console(settings: Settings, role: str = "citizen") -> int:
    """Console chat on the configured database; `role` lets a developer try officer commands."""
    user_id = CONSOLE_USERS[role]
    if role == "superadmin":
        roles = settings.roles.model_copy(update={"superadmins": (*settings.roles.superadmins, f"console:{user_id}")})
        settings = settings.model_copy(update={"roles": roles})
    app = await build_app(settings)
    try:
        app.add_gateway("console", ConsoleGateway(sys.stdout))
        if role == "officer":
            await app.deps.repos.users.ensure("console", user_id, "Cán bộ", app.deps.now())
            await app.deps.repos.users.set_officer(f"console:{user_id}", True)
        await ConsoleChat(app, sys.stdout, user_id).run(sys.stdin)
    finally:
        await app.close()
    return 0


def console_only(settings: Settings) -> bool:
    """No platform token is configured: `canhgiac run` opens the console chat."""
    return not secret(settings.telegram.token) and not secret(settings.zalo.token)


async def run_bot(settings: Settings, role: str = "citizen") -> int:
    """Start the configured platforms; with no token at all, the console chat."""
    if console_only(settings):
        sys.stderr.write(_no_token_notice(settings) + "\n")
        return await run_console(settings, role)
    from bot.platforms import serve_platforms

    return await serve_platforms(settings)


def _no_token_notice(settings: Settings) -> str:
    from handlers.catalogue import load_catalogue

    return load_catalogue().text("console.no_token", "vi", database=masked_url(settings.database.url))
