"""Dispatch: one place that parses commands, enforces roles and flood limits, and routes to handlers.

Cross-cutting checks run here, before any handler: who the user is, what role they hold (declared at
registration with `requires=`), flood control for checks, and open dialogs. Handlers never repeat them.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from handlers.deps import Deps
from handlers.messages import ChatKind, Incoming, Reply
from handlers.ports import ChatRecord, UserRecord
from handlers.roles import Role
from handlers.sessions import Session

log = logging.getLogger(__name__)
_MENTION = re.compile(r"@[A-Za-z0-9_]{3,64}")
_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{1,64}))?(?:\s+(.*))?$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Context:
    """What a handler receives: the message, its arguments, and who is asking."""

    msg: Incoming
    deps: Deps
    user: UserRecord
    chat: ChatRecord
    role: Role
    lang: str
    args: str = ""
    session: Session | None = None

    def t(self, key: str, **params: object) -> str:
        return self.deps.catalogue.text(key, self.lang, **params)


Handler = Callable[[Context], Awaitable[list[Reply]]]


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    handler: Handler
    requires: Role = Role.CITIZEN
    help_key: str | None = None
    groups: bool = True  # usable in groups
    counts_as_check: bool = False


@dataclass
class Router:
    """Registrations, in the order a reader scans them (see handlers/setup.py)."""

    commands: dict[str, Command] = field(default_factory=dict)
    callbacks: dict[str, tuple[Handler, Role]] = field(default_factory=dict)
    dialogs: dict[str, Handler] = field(default_factory=dict)
    private_text: Handler | None = None
    group_text: Handler | None = None

    def command(
        self,
        name: str,
        handler: Handler,
        *,
        requires: Role = Role.CITIZEN,
        help_key: str | None = None,
        groups: bool = True,
        counts_as_check: bool = False,
    ) -> None:
        self.commands[name] = Command(name, handler, requires, help_key, groups, counts_as_check)

    def callback(self, prefix: str, handler: Handler, *, requires: Role = Role.CITIZEN) -> None:
        self.callbacks[prefix] = (handler, requires)

    def dialog(self, state: str, handler: Handler) -> None:
        self.dialogs[state] = handler

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
        if msg.chat_kind is not ChatKind.PRIVATE and not parsed and not msg.callback_data:
            if msg.addressed_to_bot and "check" in self.commands:
                # "@bot" in a group, as a reply or with text: the same as /check.
                ctx = await self._context(msg, deps)
                return await self._command(ctx, "check", _MENTION.sub("", text).strip())
            return await self._group_message(msg, deps)
        if (
            parsed
            and parsed.group(2)
            and deps.policy.bot_names
            and parsed.group(2).lower() not in deps.policy.bot_names
        ):
            return []  # a command for another bot in the same group
        ctx = await self._context(msg, deps)
        if msg.callback_data:
            return await self._callback(ctx)
        if parsed:
            return await self._command(ctx, parsed.group(1).lower(), (parsed.group(3) or "").strip())
        if not text and msg.photo is None:
            return [Reply(ctx.t("input.empty"))]
        dialog = deps.sessions.dialog(msg.actor)
        if dialog is not None and dialog.state in self.dialogs:
            return await self.dialogs[dialog.state](_with(ctx, session=dialog))
        if self.private_text is None:
            return []
        if not deps.flood.allow(msg.actor):
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
        role = (
            Role.SUPERADMIN
            if msg.actor in deps.policy.superadmins
            else Role.OFFICER
            if user.is_officer
            else Role.CITIZEN
        )
        return Context(msg, deps, user, chat, role, lang)

    async def _permitted(self, ctx: Context, requires: Role) -> Context | None:
        if requires <= Role.CITIZEN:
            return ctx
        role = await effective_role(ctx) if requires == Role.GROUP_ADMIN else ctx.role
        return _with(ctx, role=role) if role >= requires else None

    async def _command(self, ctx: Context, name: str, args: str) -> list[Reply]:
        command = self.commands.get(name)
        if command is None:
            return [Reply(ctx.t("command.unknown"))] if ctx.msg.is_private else []
        if not ctx.msg.is_private and not command.groups:
            return [Reply(ctx.t("command.private_only"), reply_to_message_id=ctx.msg.message_id or None)]
        allowed = await self._permitted(ctx, command.requires)
        if allowed is None:
            return [Reply(ctx.t(f"refusal.{command.requires.name.lower()}"))]
        if command.counts_as_check and not ctx.deps.flood.allow(ctx.msg.actor):
            return [Reply(ctx.t("flood.slow_down"))]
        return await command.handler(_with(allowed, args=args))

    async def _callback(self, ctx: Context) -> list[Reply]:
        prefix, _, rest = (ctx.msg.callback_data or "").partition(":")
        entry = self.callbacks.get(prefix)
        if entry is None:
            return [Reply(ctx.t("button.stale"))]
        handler, requires = entry
        allowed = await self._permitted(ctx, requires)
        if allowed is None:
            return [Reply(ctx.t(f"refusal.{requires.name.lower()}"))]
        return await handler(_with(allowed, args=rest))


async def effective_role(ctx: Context) -> Role:
    """The role, counting group-admin status read from the platform (asked only when it matters)."""
    if ctx.role >= Role.OFFICER or ctx.msg.is_private:
        return ctx.role
    if ctx.msg.chat_admin is not None:
        return Role.GROUP_ADMIN if ctx.msg.chat_admin else ctx.role
    gateway = ctx.deps.gateways.get(ctx.msg.platform.value)
    if gateway is not None and await gateway.is_chat_admin(ctx.msg.chat_id, ctx.msg.user_id):
        return Role.GROUP_ADMIN
    return ctx.role


def _with(ctx: Context, **changes: object) -> Context:
    return dataclasses.replace(ctx, **changes)  # type: ignore[arg-type]
