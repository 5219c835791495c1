"""Dispatch: one place that parses commands, enforces roles and flood limits, and routes to handlers.

Cross-cutting checks run here, before any handler: who the user is, what role they hold (declared at
registration with `requires=`, `in_groups=` or a variant), flood control for checks, stale buttons, and open
dialogs. Handlers never repeat them. Adapters hand over only what is meant for this bot: a command addressed
to another bot never arrives, and a link into the bot arrives as `Incoming.deep_link`.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from handlers.dispatch.callbacks import Callback, Link, parse_callback, parse_link
from handlers.dispatch.context import Context, Handler, SessionHandler
from handlers.dispatch.roles import Role, effective_role, role_of
from handlers.messages import ChatKind, Incoming, Reply
from handlers.ports import UserRecord
from handlers.ports.sharing import Session

if TYPE_CHECKING:  # for annotations only: handlers.deps is built from what the handlers use
    from handlers.deps import Deps

log = logging.getLogger(__name__)
_MENTION = re.compile(r"@[A-Za-z0-9_]{3,64}")
_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:\s+(.*))?$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Variant:
    """A form of a command chosen by its arguments, with its own handler and requirement."""

    matches: Callable[[str], bool]
    handler: Handler
    requires: Role


@dataclass(frozen=True, slots=True)
class Command:
    """One command: its handler, who may use it and where, its help text, and its variants."""

    name: str
    handler: Handler
    requires: Role = Role.CITIZEN
    in_groups: Role | None = None  # a stricter requirement inside a group (its settings are its admins')
    help_key: str | None = None
    groups: bool = True  # usable in groups
    counts_as_check: bool = False
    variants: tuple[Variant, ...] = ()

    def route(self, args: str, private: bool) -> tuple[Handler, Role]:
        """The handler for these arguments and the role it requires in this kind of chat."""
        for variant in self.variants:
            if variant.matches(args):
                return variant.handler, variant.requires
        if private or self.in_groups is None:
            return self.handler, self.requires
        return self.handler, max(self.requires, self.in_groups)


@dataclass(frozen=True, slots=True)
class SessionRoute:
    """A button or link: its handler, the session states it acts on, the role it requires."""

    handler: SessionHandler
    states: frozenset[str]
    requires: Role = Role.CITIZEN


@dataclass
class Router:
    """Registrations, in the order a reader scans them (see handlers/setup.py)."""

    commands: dict[str, Command] = field(default_factory=dict)
    callbacks: dict[str, SessionRoute] = field(default_factory=dict)
    links: dict[str, SessionRoute] = field(default_factory=dict)
    dialogs: dict[str, SessionHandler] = field(default_factory=dict)
    private_text: Handler | None = None
    group_text: Handler | None = None
    mention: str | None = None  # the command a group message addressed to the bot stands for

    def command(
        self,
        name: str,
        handler: Handler,
        *,
        requires: Role = Role.CITIZEN,
        in_groups: Role | None = None,
        help_key: str | None = None,
        groups: bool = True,
        counts_as_check: bool = False,
    ) -> None:
        self.commands[name] = Command(name, handler, requires, in_groups, help_key, groups, counts_as_check)

    def variant(self, name: str, matches: Callable[[str], bool], handler: Handler, *, requires: Role) -> None:
        """Another form of a registered command, tried before its main form when `matches(args)`."""
        command = self.commands[name]
        self.commands[name] = dataclasses.replace(
            command, variants=(*command.variants, Variant(matches, handler, requires))
        )

    def callback(
        self, prefix: Callback, handler: SessionHandler, *, states: Iterable[str], requires: Role = Role.CITIZEN
    ) -> None:
        self.callbacks[prefix] = SessionRoute(handler, frozenset(states), requires)

    def link(self, prefix: Link, handler: SessionHandler, *, states: Iterable[str]) -> None:
        self.links[prefix] = SessionRoute(handler, frozenset(states))

    def dialog(self, state: str, handler: SessionHandler) -> None:
        self.dialogs[state] = handler

    async def commands_for(self, ctx: Context) -> list[Command]:
        """The commands with help text this user may use in this chat, in registration order."""
        role = await effective_role(ctx)
        return [
            c for c in self.commands.values() if c.help_key and c.requires <= role and (ctx.msg.is_private or c.groups)
        ]

    async def dispatch(self, msg: Incoming, deps: Deps) -> list[Reply]:
        """Route one incoming message or button press; never raises for anything a user can send."""
        try:
            return await self._dispatch(msg, deps)
        except Exception:  # a bug in one handler must not stop the bot; the text is never logged
            log.exception(
                "handler failed (platform=%s chat=%s message=%s)", msg.platform, msg.chat_kind, msg.message_id
            )
            lang = "vi"
            return [Reply(deps.catalogue.text("error.internal", lang))] if msg.is_private or msg.callback_data else []

    async def _dispatch(self, msg: Incoming, deps: Deps) -> list[Reply]:
        text = msg.text.strip()
        parsed = _COMMAND.match(text) if text.startswith("/") else None
        if msg.chat_kind is not ChatKind.PRIVATE and not (parsed or msg.callback_data or msg.deep_link):
            if msg.addressed_to_bot and self.mention is not None and self.mention in self.commands:
                ctx = await self._context(msg, deps)
                return await self._command(ctx, self.mention, _MENTION.sub("", text).strip())
            return await self._group_message(msg, deps)
        ctx = await self._context(msg, deps)
        if msg.callback_data:
            prefix, session_id, answer = parse_callback(msg.callback_data)
            route = self.callbacks.get(prefix)
            if route is None:
                return [Reply(ctx.t("button.stale"))]
            return await self._step(ctx, route, session_id, answer, owner=msg.actor)
        if msg.deep_link:
            prefix, session_id = parse_link(msg.deep_link)
            route = self.links.get(prefix)
            if route is not None:  # a link this bot did not make: the message is taken as it came
                return await self._step(ctx, route, session_id, "", owner=None)
        if parsed:
            return await self._command(ctx, parsed.group(1).lower(), (parsed.group(2) or "").strip())
        return await self._text(ctx)

    async def _text(self, ctx: Context) -> list[Reply]:
        """A message that is not a command: an answer to an open dialog, or something to check."""
        if not ctx.msg.text.strip() and ctx.msg.photo is None:
            return [Reply(ctx.t("input.empty"))]
        dialog = await ctx.deps.sessions.dialog(ctx.msg.actor)
        if dialog is not None and dialog.state in self.dialogs:
            return await _kept(ctx, dialog, await self.dialogs[dialog.state](ctx, dialog))
        if self.private_text is None:
            return []
        if not await ctx.deps.flood.allow(ctx.msg.actor):
            return [Reply(ctx.t("flood.slow_down"))]
        return await self.private_text(ctx)

    async def _group_message(self, msg: Incoming, deps: Deps) -> list[Reply]:
        if self.group_text is None or not msg.text.strip():
            return []
        chat = await deps.repos.chats.get(msg.chat_key)
        if chat is None or not chat.guard or not chat.active:
            return []
        user = UserRecord(
            msg.actor, msg.platform.value, msg.user_id, msg.display_name, chat.language, False, deps.now()
        )
        return await self.group_text(Context(msg, deps, user, chat, Role.CITIZEN, chat.language, msg.text))

    async def _context(self, msg: Incoming, deps: Deps) -> Context:
        now = deps.now()
        user = await deps.repos.users.ensure(msg.platform.value, msg.user_id, msg.display_name[:128], now)
        chat = await deps.repos.chats.ensure(msg.platform.value, msg.chat_id, msg.chat_kind.value, now)
        if not chat.active:
            chat = await deps.repos.chats.mark_active(chat.chat_key, now) or chat
        lang = user.language if msg.is_private else chat.language
        return Context(msg, deps, user, chat, role_of(msg, user, deps.policy.superadmins), lang)

    async def _permitted(self, ctx: Context, requires: Role) -> Context | None:
        if requires <= Role.CITIZEN:
            return ctx
        role = await effective_role(ctx) if requires == Role.GROUP_ADMIN else ctx.role
        return dataclasses.replace(ctx, role=role) if role >= requires else None

    async def _command(self, ctx: Context, name: str, args: str) -> list[Reply]:
        command = self.commands.get(name)
        if command is None:
            return [Reply(ctx.t("command.unknown"))] if ctx.msg.is_private else []
        if not ctx.msg.is_private and not command.groups:
            return [Reply(ctx.t("command.private_only"), reply_to_message_id=ctx.msg.message_id or None)]
        handler, requires = command.route(args, ctx.msg.is_private)
        allowed = await self._permitted(ctx, requires)
        if allowed is None:
            return _refusal(ctx, requires)
        if command.counts_as_check and not await ctx.deps.flood.allow(ctx.msg.actor):
            return [Reply(ctx.t("flood.slow_down"))]
        return await handler(dataclasses.replace(allowed, args=args))

    async def _step(
        self, ctx: Context, route: SessionRoute, session_id: str, answer: str, owner: str | None
    ) -> list[Reply]:
        """A button press or link: allowed, and its session still there, in a state it acts on, and the presser's
        own (a button) or made to be shared (a link, `owner` None: whoever holds it)."""
        allowed = await self._permitted(ctx, route.requires)
        if allowed is None:
            return _refusal(ctx, route.requires)
        sessions = ctx.deps.sessions
        session = await sessions.get_shared(session_id) if owner is None else await sessions.get(session_id, owner)
        if session is None or session.state not in route.states:
            return [Reply(ctx.t("button.stale"))]
        return await _kept(ctx, session, await route.handler(dataclasses.replace(allowed, args=answer), session))


async def _kept(ctx: Context, session: Session, replies: list[Reply]) -> list[Reply]:
    """The step's replies, once what it changed in the session is kept for the next step (which another process
    may serve: `[sharing] backend = "database"`); a session the step dropped stays dropped."""
    await ctx.deps.sessions.save(session)
    return replies


def _refusal(ctx: Context, requires: Role) -> list[Reply]:
    return [Reply(ctx.t(f"refusal.{requires.name.lower()}"))]
