"""/start, /help, /privacy, /lang and /forgetme."""

from __future__ import annotations

import datetime as dt
import enum

from handlers.check import FEEDBACK_TTL
from handlers.dispatch import Callback, Context, Handler, Router, Session
from handlers.messages import Button, Reply
from handlers.ports import Language

_LANGUAGES: dict[str, Language] = {"vi": "vi", "en": "en"}
YES, NO = "yes", "no"


class ForgetStep(enum.StrEnum):
    """/forgetme asks before erasing anything."""

    AWAITING_CONFIRMATION = "forget.awaiting_confirmation"


def help_for(router: Router) -> Handler:
    """/help and /start list the commands this user may use here, from the catalogue."""

    async def show_help(ctx: Context) -> list[Reply]:
        lines = [ctx.t("help.intro"), "", ctx.t("help.commands")]
        for command in await router.commands_for(ctx):
            if command.help_key:
                lines.append(f"• /{command.name} — {ctx.t(command.help_key)}")
        images = ctx.deps.images
        lines += ["", ctx.t("help.images_on" if images is not None and images.available else "help.images_off")]
        lines += ["", ctx.t("verdict.hotlines")]
        return [Reply("\n".join(lines))]

    return show_help


async def show_privacy(ctx: Context) -> list[Reply]:
    """/privacy: what is kept, for how long a checked text stays in memory for its buttons, and how long reports
    are kept ([retention]; said only when both periods are set, as "for ever" has no honest short wording here)."""
    text = ctx.t("privacy.text", hours=round(FEEDBACK_TTL / dt.timedelta(hours=1)))
    retention = ctx.deps.policy.retention
    if retention.pending_reports_days and retention.report_text_days:
        text += "\n" + ctx.t(
            "privacy.retention", pending=retention.pending_reports_days, decided=retention.report_text_days
        )
    return [Reply(text)]


async def set_language(ctx: Context) -> list[Reply]:
    """/lang vi|en: in private for the user; in a group for the group."""
    lang = _LANGUAGES.get(ctx.args.strip().lower())
    if lang is None:
        return [Reply(ctx.t("lang.usage"))]
    if ctx.msg.is_private:
        await ctx.deps.repos.users.set_language(ctx.msg.actor, lang)
    else:
        await ctx.deps.repos.chats.set_language(ctx.chat.chat_key, lang, ctx.deps.now())
    return [Reply(ctx.deps.catalogue.text("lang.done", lang))]


async def forget_me(ctx: Context) -> list[Reply]:
    """/forgetme: ask for confirmation first."""
    session = await ctx.deps.sessions.create(ctx.msg.actor, ForgetStep.AWAITING_CONFIRMATION)
    buttons = (
        (
            Button(ctx.t("button.forget_yes"), Callback.FORGET.payload(session.id, YES)),
            Button(ctx.t("button.forget_no"), Callback.FORGET.payload(session.id, NO)),
        ),
    )
    return [Reply(ctx.t("forget.confirm"), buttons=buttons)]


async def forget_confirmed(ctx: Context, session: Session) -> list[Reply]:
    """The answer to /forgetme: erase everything about the user, or keep it."""
    await ctx.deps.sessions.drop(session.id)
    if ctx.args != YES:
        return [Reply(ctx.t("forget.kept"))]
    count = await ctx.deps.repos.users.forget(ctx.msg.actor)
    await ctx.deps.sessions.forget_owner(ctx.msg.actor)
    return [Reply(ctx.t("forget.done", count=count))]
