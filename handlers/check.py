"""Checking messages: private text, forwarded messages, /check, /checknum, and the buttons under a verdict."""

from __future__ import annotations

import datetime as dt
import enum
import re

from handlers.dispatch import Callback, Context, Session
from handlers.messages import Button, Reply, quote_user_text
from handlers.reports import consent_reply, over_limit, report_text
from handlers.risk import CheckOutcome, storage_key
from handlers.verdict_view import defang_links, render_verdict, reputation_sentence
from knowledge import IndicatorKind

FEEDBACK_TTL = dt.timedelta(hours=6)
_DIGITS = re.compile(r"^[\d .\-]{8,30}$")
RIGHT, WRONG = "y", "n"


class VerdictStep(enum.StrEnum):
    """A verdict on screen: its buttons record feedback, or lead to the report's consent (handlers/reports.py)."""

    SHOWN = "verdict.shown"


async def verdict_reply(ctx: Context, outcome: CheckOutcome, text: str) -> Reply:
    """The verdict with its feedback buttons. What they need stays in memory only, until they expire: the check's
    id, and as much of the text as a report would keep (handlers/reports.py)."""
    session = await ctx.deps.sessions.create(
        ctx.msg.actor, VerdictStep.SHOWN, {"check_id": outcome.check_id, **report_text(ctx, text)}, ttl=FEEDBACK_TTL
    )
    body = render_verdict(outcome.verdict, ctx.deps.catalogue, ctx.lang, outcome.reputation, ctx.deps.risk.max_chars)
    buttons = (
        (
            Button(ctx.t("button.correct"), Callback.FEEDBACK.payload(session.id, RIGHT)),
            Button(ctx.t("button.wrong"), Callback.FEEDBACK.payload(session.id, WRONG)),
        ),
        (Button(ctx.t("button.report_this"), Callback.REPORT_THIS.payload(session.id)),),
    )
    return Reply(body, buttons=buttons, reply_to_message_id=None if ctx.msg.is_private else ctx.msg.message_id or None)


async def check_text(ctx: Context) -> list[Reply]:
    """Any text or forwarded message in a private chat."""
    if ctx.msg.photo is not None:
        from handlers.image_check import check_images  # it builds on verdict_reply below

        return await check_images(ctx, ctx.msg.album or (ctx.msg.photo,))
    text = ctx.msg.text.strip()
    outcome = await ctx.deps.risk.check(text, ctx.msg.platform.value)
    return [await verdict_reply(ctx, outcome, text)]


async def check_command(ctx: Context) -> list[Reply]:
    """/check <text>, or /check as a reply to the message (or image) to check, or as an image's caption."""
    if ctx.msg.photo is not None:  # /check as the caption of an image or an album
        from handlers.image_check import check_images

        return await check_images(ctx, ctx.msg.album or (ctx.msg.photo,))
    photo = ctx.msg.reply_to.photo if ctx.msg.reply_to and not ctx.args else None
    if photo is not None:
        from handlers.image_check import check_images

        return await check_images(ctx, (photo,))
    text = ctx.args or (ctx.msg.reply_to.text if ctx.msg.reply_to else "")
    if not text.strip():
        return [Reply(ctx.t("check.usage"))]
    outcome = await ctx.deps.risk.check(text, ctx.msg.platform.value)
    return [await verdict_reply(ctx, outcome, text)]


async def check_indicator(ctx: Context) -> list[Reply]:
    """/checknum <phone | link | account>: what we know about one indicator."""
    value = ctx.args.strip()
    if not value:
        return [Reply(ctx.t("checknum.usage"))]
    outcome = await ctx.deps.risk.check(value[:500], ctx.msg.platform.value, record=False)
    found = [i for i in outcome.verdict.indicators if storage_key(i)]
    if not found and _DIGITS.match(value):
        digits = re.sub(r"\D", "", value)
        record = await ctx.deps.repos.indicators.lookup("account", digits)
        what = quote_user_text(digits)
        rep = ctx.deps.risk.reputation_from_record(record)
        return [
            Reply("\n".join([ctx.t("checknum.header"), reputation_sentence(rep, what, ctx.deps.catalogue, ctx.lang)]))
        ]
    if not found:
        return [Reply(ctx.t("checknum.nothing"))]
    reputation, verdict = outcome.reputation, outcome.verdict
    lines = [ctx.t("checknum.header")]
    for ind in found[:5]:
        what = quote_user_text(ind.text)
        lines.append(
            "• " + reputation_sentence(reputation.get((ind.kind.value, ind.value)), what, ctx.deps.catalogue, ctx.lang)
        )
        flags = [r.text(ctx.lang) for r in verdict.reasons if r.evidence == ind.text]
        lines.extend(f"  {f}" for f in flags[:2])
    if any(i.kind is IndicatorKind.PHONE for i in found):
        lines.append(ctx.t("checknum.phone_note"))
    return [Reply(defang_links("\n".join(lines), tuple(found)))]


async def feedback(ctx: Context, session: Session) -> list[Reply]:
    """Buttons "Đúng" / "Sai" under a verdict: record feedback; "Sai" offers to send the message for review."""
    answer = ctx.args
    if answer not in (RIGHT, WRONG):
        return [Reply(ctx.t("button.stale"))]
    check_id = session.data.get("check_id") or 0
    if check_id:
        await ctx.deps.repos.feedback.add(
            check_id=check_id, actor=ctx.msg.actor, correct=answer == RIGHT, at=ctx.deps.now()
        )
    if answer == RIGHT:
        return [Reply(ctx.t("feedback.thanks"))]
    session.data["kind"] = "wrong_verdict"  # if they send it, officers see it as a verdict to look at again
    return [consent_reply(ctx, "feedback.offer_review", session)]


async def ask_report_consent(ctx: Context, session: Session) -> list[Reply]:
    """The "report this" button under a verdict: ask for consent before keeping the text."""
    if (refusal := await over_limit(ctx)) is not None:
        return [refusal]
    return [consent_reply(ctx, "report.consent", session)]
