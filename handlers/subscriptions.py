"""/subscribe, /unsubscribe: a chat opts in to (or out of) the daily alert.

Who may is declared where they are registered (handlers/setup.py): anyone in a private chat, a group's admins
in their group, and an officer for another chat named by id (a Telegram channel the bot posts in).
"""

from __future__ import annotations

import re

from handlers.alert_rounds import parse_time
from handlers.dispatch import Context
from handlers.messages import ChatKind, Reply

_CHAT_ID = re.compile(r"^-?\d{5,20}$|^@[A-Za-z][A-Za-z0-9_]{4,31}$")


def names_a_chat(args: str) -> bool:
    """True when the first argument is another chat's id (`/subscribe -100123… 07:30`), not a time of day."""
    first = args.strip().partition(" ")[0]
    return bool(_CHAT_ID.match(first)) and not parse_time(first)


async def subscribe(ctx: Context) -> list[Reply]:
    """/subscribe [HH:MM]: this chat."""
    return await _subscribe(ctx, ctx.chat.chat_key, ctx.args.strip())


async def subscribe_named(ctx: Context) -> list[Reply]:
    """/subscribe <chat id> [HH:MM]: the chat named by id."""
    return await _subscribe(ctx, *_named(ctx))


async def unsubscribe(ctx: Context) -> list[Reply]:
    """/unsubscribe: this chat."""
    return await _unsubscribe(ctx, ctx.chat.chat_key)


async def unsubscribe_named(ctx: Context) -> list[Reply]:
    """/unsubscribe <chat id>: the chat named by id."""
    return await _unsubscribe(ctx, _named(ctx)[0])


def _named(ctx: Context) -> tuple[str, str]:
    """The chat named by the first argument (on the asker's platform), and the remaining arguments."""
    first, _, rest = ctx.args.strip().partition(" ")
    return f"{ctx.msg.platform.value}:{first}", rest.strip()


async def _subscribe(ctx: Context, target: str, rest: str) -> list[Reply]:
    local_time = parse_time(rest) if rest else ctx.deps.policy.alerts_default_time
    if local_time is None:
        return [Reply(ctx.t("subscribe.usage", time=ctx.deps.policy.alerts_default_time))]
    now, timezone = ctx.deps.now(), ctx.deps.policy.alerts_timezone
    platform, _, chat_id = target.partition(":")
    if target != ctx.chat.chat_key:
        await ctx.deps.repos.chats.ensure(platform, chat_id, ChatKind.CHANNEL.value, now)
    await ctx.deps.repos.subscriptions.subscribe(
        target,
        platform=platform,
        chat_id=chat_id,
        local_time=local_time,
        timezone=timezone,
        actor=ctx.msg.actor,
        at=now,
    )
    await ctx.deps.repos.audit.add(actor=ctx.msg.actor, action="subscribe", target=target, detail=local_time, at=now)
    key = "subscribe.done" if target == ctx.chat.chat_key else "subscribe.done_other"
    return [Reply(ctx.t(key, time=local_time, timezone=timezone, chat=chat_id))]


async def _unsubscribe(ctx: Context, target: str) -> list[Reply]:
    record = await ctx.deps.repos.subscriptions.unsubscribe(target, f"by {ctx.msg.actor}")
    await ctx.deps.repos.audit.add(
        actor=ctx.msg.actor, action="unsubscribe", target=target, detail="", at=ctx.deps.now()
    )
    return [Reply(ctx.t("unsubscribe.done" if record is not None else "unsubscribe.none"))]
