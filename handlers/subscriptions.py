"""/subscribe, /unsubscribe: a chat opts in to (or out of) the daily alert.

In a group only its admins may change the subscription (read from the platform when it matters); anyone may in
a private chat; an officer may also name another chat by id (a Telegram channel the bot posts in).
"""

from __future__ import annotations

import re

from handlers.alert_rounds import parse_time
from handlers.messages import ChatKind, Reply
from handlers.roles import Role
from handlers.router import Context, effective_role

_CHAT_ID = re.compile(r"^-?\d{5,20}$|^@[A-Za-z][A-Za-z0-9_]{4,31}$")


async def subscribe(ctx: Context) -> list[Reply]:
    """/subscribe [chat id] [HH:MM]."""
    target, rest = await _target(ctx)
    if target is None:
        return [Reply(ctx.t(rest))]
    local_time = parse_time(rest) if rest else ctx.deps.policy.alerts_default_time
    if local_time is None:
        return [Reply(ctx.t("subscribe.usage", time=ctx.deps.policy.alerts_default_time))]
    now, timezone = ctx.deps.now(), ctx.deps.policy.alerts_timezone
    platform, _, chat_id = target.partition(":")
    if target != ctx.chat.chat_key:
        await ctx.deps.repos.chats.ensure(platform, chat_id, ChatKind.CHANNEL.value, now)
    await ctx.deps.repos.subscriptions.subscribe(target, platform, chat_id, local_time, timezone, ctx.msg.actor, now)
    await ctx.deps.repos.audit.add(actor=ctx.msg.actor, action="subscribe", target=target, detail=local_time, at=now)
    key = "subscribe.done" if target == ctx.chat.chat_key else "subscribe.done_other"
    return [Reply(ctx.t(key, time=local_time, timezone=timezone, chat=chat_id))]


async def unsubscribe(ctx: Context) -> list[Reply]:
    """/unsubscribe [chat id]."""
    target, refusal = await _target(ctx)
    if target is None:
        return [Reply(ctx.t(refusal))]
    record = await ctx.deps.repos.subscriptions.unsubscribe(target, f"by {ctx.msg.actor}")
    await ctx.deps.repos.audit.add(
        actor=ctx.msg.actor, action="unsubscribe", target=target, detail="", at=ctx.deps.now()
    )
    return [Reply(ctx.t("unsubscribe.done" if record is not None else "unsubscribe.none"))]


async def _target(ctx: Context) -> tuple[str | None, str]:
    """The chat to change and the remaining arguments; (None, refusal key) when the asker may not."""
    first, _, rest = ctx.args.strip().partition(" ")
    if _CHAT_ID.match(first) and not parse_time(first):
        if ctx.role < Role.OFFICER:
            return None, "refusal.officer"
        return f"{ctx.msg.platform.value}:{first}", rest.strip()
    if not ctx.msg.is_private and await effective_role(ctx) < Role.GROUP_ADMIN:
        return None, "refusal.group_admin"
    return ctx.chat.chat_key, ctx.args.strip()
