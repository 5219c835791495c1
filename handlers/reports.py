"""/report: a citizen submits a scam message for officers, with explicit consent to keep its text."""

from __future__ import annotations

from handlers.check import consent_buttons
from handlers.messages import Reply
from handlers.risk import storage_key
from handlers.router import Context

AWAITING_TEXT = "report.awaiting_text"
MAX_REPORT_CHARS = 8000


async def start_report(ctx: Context) -> list[Reply]:
    """/report <text>, /report replying to a message, or /report then the next message."""
    text = ctx.args or (ctx.msg.reply_to.text if ctx.msg.reply_to else "")
    if text.strip():
        return _ask_consent(ctx, text)
    if not ctx.msg.is_private:
        return [Reply(ctx.t("report.group_usage"))]
    ctx.deps.sessions.open_dialog(ctx.msg.actor, AWAITING_TEXT)
    return [Reply(ctx.t("report.send_text"))]


async def receive_report_text(ctx: Context) -> list[Reply]:
    """The message that follows /report."""
    if ctx.session is not None:
        ctx.deps.sessions.drop(ctx.session.id)
    text = ctx.msg.text.strip() or (ctx.msg.photo.caption.strip() if ctx.msg.photo else "")
    if not text:
        return [Reply(ctx.t("check.photo_unsupported"))]
    return _ask_consent(ctx, text)


def _ask_consent(ctx: Context, text: str) -> list[Reply]:
    session = ctx.deps.sessions.create(ctx.msg.actor, "report", {"text": text[:MAX_REPORT_CHARS], "check_id": 0})
    return [Reply(ctx.t("report.consent"), buttons=consent_buttons(ctx, session.id))]


async def consent(ctx: Context) -> list[Reply]:
    """Consent buttons: submit (and maybe be told the outcome), or cancel and keep nothing."""
    session_id, _, choice = ctx.args.partition(":")
    session = ctx.deps.sessions.get(session_id, ctx.msg.actor)
    if session is None or choice not in ("notify", "quiet", "cancel"):
        return [Reply(ctx.t("button.stale"))]
    ctx.deps.sessions.drop(session.id)
    if choice == "cancel":
        return [Reply(ctx.t("report.cancelled"))]
    text = session.data["text"]
    outcome = await ctx.deps.risk.check(text, ctx.msg.platform.value, record=not session.data.get("check_id"))
    now = ctx.deps.now()
    report_id = await ctx.deps.repos.reports.add(
        actor=ctx.msg.actor,
        platform=ctx.msg.platform.value,
        chat_id=ctx.msg.user_id if not ctx.msg.is_private else ctx.msg.chat_id,
        text=text,
        at=now,
        notify=choice == "notify",
        check_id=session.data.get("check_id") or outcome.check_id or None,
        level=outcome.verdict.level.value,
    )
    for indicator in outcome.verdict.indicators:
        key = storage_key(indicator)
        if key:
            await ctx.deps.repos.indicators.add_report(key[0], key[1], ctx.msg.actor, now)
    done = "report.thanks_notify" if choice == "notify" else "report.thanks"
    return [Reply(ctx.t(done, number=report_id))]
