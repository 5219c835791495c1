"""The quiet group guard: off by default; when on, it speaks only about messages rated high."""

from __future__ import annotations

import datetime as dt
import enum

from handlers.dispatch import Context, Link, Session
from handlers.messages import Button, Reply
from handlers.verdict_view import render_verdict
from knowledge import Level

DETAILS_TTL = dt.timedelta(hours=2)


class WarningStep(enum.StrEnum):
    """A group warning is short; its full verdict waits behind a link that opens a private chat."""

    DETAILS_OFFERED = "guard.details_offered"


async def set_guard(ctx: Context) -> list[Reply]:
    """/guard on|off (group admins, in a group)."""
    choice = ctx.args.strip().lower()
    if choice not in ("on", "off", "bat", "bật", "tat", "tắt"):
        state = ctx.t("guard.state_on" if ctx.chat.guard else "guard.state_off")
        return [Reply(ctx.t("guard.usage", state=state))]
    on = choice in ("on", "bat", "bật")
    await ctx.deps.repos.chats.set_guard(ctx.chat.chat_key, on, ctx.deps.now())
    await ctx.deps.repos.audit.add(
        actor=ctx.msg.actor, action="guard", target=ctx.chat.chat_key, detail="on" if on else "off", at=ctx.deps.now()
    )
    return [Reply(ctx.t("guard.on" if on else "guard.off"))]


async def watch_group_message(ctx: Context) -> list[Reply]:
    """A group message while the guard is on: a short warning for high risk, silence otherwise."""
    outcome = await ctx.deps.risk.check(ctx.msg.text, ctx.msg.platform.value)
    if outcome.verdict.level is not Level.HIGH:
        return []
    details = render_verdict(outcome.verdict, ctx.deps.catalogue, ctx.lang, outcome.reputation, ctx.deps.risk.max_chars)
    session = await ctx.deps.sessions.create(
        ctx.msg.actor,
        WarningStep.DETAILS_OFFERED,
        {"text": details, "chat": ctx.msg.chat_key},
        ttl=DETAILS_TTL,
        shared=True,  # the link under the warning is for anyone in the group
    )
    top = outcome.verdict.methods[0].title(ctx.lang) if outcome.verdict.methods else ""
    text = ctx.t("guard.warning", method=top) if top else ctx.t("guard.warning_plain")
    button = Button(ctx.t("button.details"), deep_link=Link.DETAILS.payload(session.id))
    return [Reply(text, buttons=((button,),), reply_to_message_id=ctx.msg.message_id or None)]


async def show_details(ctx: Context, session: Session) -> list[Reply]:
    """DETAILS_OFFERED: the warning's link was opened. It shows what the group's members saw: in a private chat
    (where the link leads) or in the group itself, never in another group."""
    if not ctx.msg.is_private and ctx.msg.chat_key != session.data.get("chat"):
        return [Reply(ctx.t("guard.details_elsewhere"))]
    text = session.data.get("text")
    return [Reply(text if isinstance(text, str) and text else ctx.t("button.stale"))]
