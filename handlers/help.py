"""/start, /help, /privacy, /lang and /forgetme."""

from __future__ import annotations

from handlers.messages import Button, Reply
from handlers.roles import Role
from handlers.router import Context, Router, effective_role


def help_for(router: Router):
    """/help and /start list the commands this user's role may use, from the catalogue."""

    async def show_help(ctx: Context) -> list[Reply]:
        if ctx.args.startswith("d_"):
            details = ctx.deps.sessions.get(ctx.args[2:])
            if details is not None:
                return [Reply(details.data["text"])]
            return [Reply(ctx.t("button.stale"))]
        role = await effective_role(ctx)
        lines = [ctx.t("help.intro"), "", ctx.t("help.commands")]
        for command in router.commands.values():
            if command.help_key and command.requires <= role and (ctx.msg.is_private or command.groups):
                lines.append(f"• /{command.name} — {ctx.t(command.help_key)}")
        lines += ["", ctx.t("verdict.hotlines")]
        return [Reply("\n".join(lines))]

    return show_help


async def show_privacy(ctx: Context) -> list[Reply]:
    return [Reply(ctx.t("privacy.text"))]


async def set_language(ctx: Context) -> list[Reply]:
    """/lang vi|en: in private for the user; in a group for the group (group admins)."""
    lang = ctx.args.strip().lower()
    if lang not in ("vi", "en"):
        return [Reply(ctx.t("lang.usage"))]
    if ctx.msg.is_private:
        await ctx.deps.repos.users.set_language(ctx.msg.actor, lang)
    else:
        if await effective_role(ctx) < Role.GROUP_ADMIN:
            return [Reply(ctx.t("refusal.group_admin"))]
        await ctx.deps.repos.chats.set_language(ctx.chat.chat_key, lang, ctx.deps.now())
    return [Reply(ctx.deps.catalogue.text("lang.done", lang))]


async def forget_me(ctx: Context) -> list[Reply]:
    """/forgetme: ask for confirmation first."""
    session = ctx.deps.sessions.create(ctx.msg.actor, "forget")
    buttons = (
        (
            Button(ctx.t("button.forget_yes"), f"fg:{session.id}:yes"),
            Button(ctx.t("button.forget_no"), f"fg:{session.id}:no"),
        ),
    )
    return [Reply(ctx.t("forget.confirm"), buttons=buttons)]


async def forget_confirmed(ctx: Context) -> list[Reply]:
    session_id, _, answer = ctx.args.partition(":")
    session = ctx.deps.sessions.get(session_id, ctx.msg.actor)
    if session is None:
        return [Reply(ctx.t("button.stale"))]
    ctx.deps.sessions.drop(session.id)
    if answer != "yes":
        return [Reply(ctx.t("forget.kept"))]
    count = await ctx.deps.repos.users.forget(ctx.msg.actor)
    ctx.deps.sessions.forget_owner(ctx.msg.actor)
    return [Reply(ctx.t("forget.done", count=count))]
