"""/report: a citizen submits a scam message for officers, with explicit consent to keep its text.

A report comes from /report (with the text, as a reply, or alone: then the next message is the text) or from
the buttons under a verdict (handlers/check.py). Either way the text waits in memory until the citizen
consents; nothing is stored if they decline. A report keeps at most `[limits] max_report_chars` of the text
(the citizen is told when it is cut), and one person may file at most `[limits] reports_per_hour` and
`reports_per_day`: counted from the stored reports, so the limit holds across restarts and processes, and asked
before the text is taken as well as at consent.
"""

from __future__ import annotations

import datetime as dt
import enum

from handlers.dispatch import Callback, Context, Session
from handlers.messages import Button, Reply
from handlers.risk import storage_key

NOTIFY, QUIET, CANCEL = "notify", "quiet", "cancel"
HOUR, DAY = dt.timedelta(hours=1), dt.timedelta(days=1)


class ReportStep(enum.StrEnum):
    """The /report dialog: the text to report (when /report came alone), then consent to keep it."""

    AWAITING_TEXT = "report.awaiting_text"
    AWAITING_CONSENT = "report.awaiting_consent"


async def start_report(ctx: Context) -> list[Reply]:
    """/report <text>, /report replying to a message, or /report then the next message."""
    if (refusal := await over_limit(ctx)) is not None:
        return [refusal]
    text = ctx.args or (ctx.msg.reply_to.text if ctx.msg.reply_to else "")
    if text.strip():
        return await _ask_consent(ctx, text)
    if not ctx.msg.is_private:
        return [Reply(ctx.t("report.group_usage"))]
    await ctx.deps.sessions.open_dialog(ctx.msg.actor, ReportStep.AWAITING_TEXT)
    return [Reply(ctx.t("report.send_text"))]


async def receive_report_text(ctx: Context, session: Session) -> list[Reply]:
    """AWAITING_TEXT: the message that follows /report."""
    await ctx.deps.sessions.drop(session.id)
    text = ctx.msg.text.strip() or (ctx.msg.photo.caption.strip() if ctx.msg.photo else "")
    if not text:
        return [Reply(ctx.t("check.photo_unsupported"))]
    return await _ask_consent(ctx, text)


def report_text(ctx: Context, text: str) -> dict[str, object]:
    """What a session keeps of a text a report may be made of: as much as a report keeps, and whether it was cut."""
    limit = ctx.deps.policy.max_report_chars
    return {"text": text[:limit], "cut": len(text) > limit}


async def _ask_consent(ctx: Context, text: str) -> list[Reply]:
    session = await ctx.deps.sessions.create(
        ctx.msg.actor, ReportStep.AWAITING_CONSENT, {**report_text(ctx, text), "check_id": 0}
    )
    return [consent_reply(ctx, "report.consent", session)]


def consent_reply(ctx: Context, key: str, session: Session) -> Reply:
    """The question `key` with the consent buttons, saying so when only the start of the text would be kept."""
    text = ctx.t(key)
    if session.data.get("cut"):
        text += "\n" + ctx.t("report.truncated", limit=ctx.deps.policy.max_report_chars)
    return Reply(text, buttons=consent_buttons(ctx, session.id))


def consent_buttons(ctx: Context, session_id: str) -> tuple[tuple[Button, ...], ...]:
    """Submit and be told the outcome, submit quietly, or keep nothing."""
    return (
        (Button(ctx.t("button.submit_notify"), Callback.CONSENT.payload(session_id, NOTIFY)),),
        (Button(ctx.t("button.submit_quiet"), Callback.CONSENT.payload(session_id, QUIET)),),
        (Button(ctx.t("button.no_thanks"), Callback.CONSENT.payload(session_id, CANCEL)),),
    )


async def over_limit(ctx: Context) -> Reply | None:
    """A polite refusal when the user has filed as many reports as allowed in the last day or hour; else None."""
    policy, now, reports = ctx.deps.policy, ctx.deps.now(), ctx.deps.repos.reports
    if await reports.count_since(ctx.msg.actor, now - DAY) >= policy.reports_per_day:
        return Reply(ctx.t("report.limit_day", count=policy.reports_per_day))
    if await reports.count_since(ctx.msg.actor, now - HOUR) >= policy.reports_per_hour:
        return Reply(ctx.t("report.limit_hour", count=policy.reports_per_hour))
    return None


async def consent(ctx: Context, session: Session) -> list[Reply]:
    """AWAITING_CONSENT (or a verdict's "wrong" / "report this"): submit the text, or keep nothing."""
    choice = ctx.args
    if choice not in (NOTIFY, QUIET, CANCEL):
        return [Reply(ctx.t("button.stale"))]
    if choice == CANCEL:
        await ctx.deps.sessions.drop(session.id)
        return [Reply(ctx.t("report.cancelled"))]
    if (refusal := await over_limit(ctx)) is not None:
        return [refusal]  # the session stays: the same button works once the limit allows
    await ctx.deps.sessions.drop(session.id)
    text = session.data["text"]
    outcome = await ctx.deps.risk.check(text, ctx.msg.platform.value, record=not session.data.get("check_id"))
    report_id = await ctx.deps.repos.reports.add(
        actor=ctx.msg.actor,
        platform=ctx.msg.platform.value,
        chat_id=ctx.msg.user_id if not ctx.msg.is_private else ctx.msg.chat_id,
        text=text,
        at=ctx.deps.now(),
        notify=choice == NOTIFY,
        check_id=session.data.get("check_id") or outcome.check_id or None,
        level=outcome.verdict.level.value,
        kind="wrong_verdict" if session.data.get("kind") == "wrong_verdict" else "report",
        indicators=[key for indicator in outcome.verdict.indicators if (key := storage_key(indicator))],
    )
    done = "report.thanks_notify" if choice == NOTIFY else "report.thanks"
    return [Reply(ctx.t(done, number=report_id))]
