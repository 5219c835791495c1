"""The command menus Telegram shows, per audience and language, from the router's registrations.

Everyone sees the citizen commands; group administrators also see /guard; officers (and superadmins) see
their commands in their private chat with the bot. Vietnamese is the default menu, English is set for
clients whose language is English. Descriptions come from the catalogue's help keys.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeChat,
    BotCommandScopeDefault,
)
from telegram.error import TelegramError

from handlers.catalogue import Catalogue
from handlers.deps import Deps
from handlers.dispatch import Command, Role, Router

log = logging.getLogger(__name__)

MAX_DESCRIPTION = 256
LANGUAGES = (("vi", None), ("en", "en"))  # (catalogue language, Telegram language_code; None = default)


def menu(router: Router, role: Role, *, in_groups: bool = False) -> list[Command]:
    """The commands a role may use, in registration order (only those with help text).

    Group-admin commands belong in group menus only; in a private chat they would do nothing useful.
    """
    return [
        c
        for c in router.commands.values()
        if c.help_key
        and c.requires <= role
        and (c.groups or not in_groups)
        and (c.requires is not Role.GROUP_ADMIN or in_groups)
    ]


def bot_commands(commands: Iterable[Command], catalogue: Catalogue, lang: str) -> list[BotCommand]:
    return [BotCommand(c.name, catalogue.text(c.help_key or "", lang)[:MAX_DESCRIPTION]) for c in commands]


def staff_chats(deps: Deps, officers: Iterable[str]) -> dict[int, Role]:
    """Private chats (Telegram user ids) of officers and superadmins, with the role whose menu they get."""
    chats: dict[int, Role] = {}
    for actor in officers:
        _, _, user_id = actor.partition(":")
        if user_id.isdigit():
            chats[int(user_id)] = Role.OFFICER
    for actor in deps.policy.superadmins:
        platform, _, user_id = actor.partition(":")
        if platform == "telegram" and user_id.isdigit():
            chats[int(user_id)] = Role.SUPERADMIN
    return chats


async def refresh_user_menu(bot: Bot, router: Router, deps: Deps, user_id: str, officer: bool) -> None:
    """After /grant or /revoke: the officer menu in that user's private chat, or back to the default menu.

    Superadmins keep theirs. A failure (a user who never opened a chat with the bot) is logged, not raised.
    """
    if not user_id.isdigit() or f"telegram:{user_id}" in deps.policy.superadmins:
        return
    scope = BotCommandScopeChat(int(user_id))
    for lang, code in LANGUAGES:
        try:
            if officer:
                commands = bot_commands(menu(router, Role.OFFICER), deps.catalogue, lang)
                await bot.set_my_commands(commands, scope=scope, language_code=code)
            else:
                await bot.delete_my_commands(scope=scope, language_code=code)
        except TelegramError as exc:
            log.warning("Updating the command menu failed for a user (%s): %s", code or "default", type(exc).__name__)


async def register_commands(bot: Bot, router: Router, deps: Deps) -> None:
    """setMyCommands for every audience; a failure is logged and the bot carries on without menus."""
    officers = [u.actor for u in await deps.repos.users.list_officers() if u.platform == "telegram"]
    audiences: list[tuple[BotCommandScope, list[Command]]] = [
        (BotCommandScopeDefault(), menu(router, Role.CITIZEN)),
        (BotCommandScopeAllChatAdministrators(), menu(router, Role.GROUP_ADMIN, in_groups=True)),
    ]
    audiences += [
        (BotCommandScopeChat(chat_id), menu(router, role)) for chat_id, role in staff_chats(deps, officers).items()
    ]
    for scope, commands in audiences:
        for lang, code in LANGUAGES:
            try:
                await bot.set_my_commands(bot_commands(commands, deps.catalogue, lang), scope=scope, language_code=code)
            except TelegramError as exc:  # e.g. an officer who never opened a chat with the bot
                log.warning("setMyCommands failed for %s (%s): %s", scope.type, code or "default", type(exc).__name__)
