"""/stats [days]: officers' statistics, a short summary and a chart, over the last days (counts only)."""

from __future__ import annotations

import asyncio

from handlers.activity import Activity, gather_activity
from handlers.alert_rounds import zone
from handlers.catalogue import Catalogue
from handlers.deps import Deps
from handlers.dispatch import Context
from handlers.messages import Attachment, Reply

DEFAULT_DAYS, MAX_DAYS = 7, 365
TOP_IN_SUMMARY = 5


def parse_days(args: str) -> int | None:
    """The number of days asked for: DEFAULT_DAYS when none, None when it is not a whole number from 1 to MAX_DAYS."""
    text = args.strip()
    if not text:
        return DEFAULT_DAYS
    if not (text.isascii() and text.isdigit()) or len(text) > 3 or not 1 <= int(text) <= MAX_DAYS:
        return None
    return int(text)


async def show_stats(ctx: Context) -> list[Reply]:
    """/stats [days]: the summary, with the chart attached."""
    days = parse_days(ctx.args)
    if days is None:
        return [Reply(ctx.t("stats.usage", max=MAX_DAYS))]
    text, png = await stats_report(ctx.deps, days, ctx.lang)
    return [Reply(text, attachment=Attachment(png, fallback=ctx.t("stats.chart_elsewhere")))]


async def stats_report(deps: Deps, days: int, lang: str) -> tuple[str, bytes]:
    """The summary (portable markup) and the chart (PNG) of the last `days` days, days in the deployment's zone."""
    from handlers.stats_chart import draw_chart  # matplotlib loads on the first /stats, not at every start

    activity = await gather_activity(deps.repos, days=days, now=deps.now(), zone=zone(deps.policy.alerts_timezone))
    titles = {signature.id: signature.title(lang) for signature in deps.risk.signatures}
    # Drawing takes a CPU for a fraction of a second: off the event loop, which keeps answering everyone else.
    png = await asyncio.to_thread(draw_chart, activity, deps.catalogue, lang, titles)
    return summary(activity, deps.catalogue, lang), png


def summary(activity: Activity, catalogue: Catalogue, lang: str) -> str:
    """The statistics in a few lines."""
    top = ", ".join(f"{method} ({count})" for method, count in activity.methods[:TOP_IN_SUMMARY]) or "—"
    decisions = {status: sum(series) for status, series in activity.decisions.items()}
    first, last = activity.period
    return catalogue.text(
        "stats.summary",
        lang,
        days=len(activity.days),
        first=first,
        last=last,
        total=activity.total_checks,
        **{level: sum(series) for level, series in activity.checks.items()},
        methods=top,
        received=sum(activity.received),
        decided=activity.total_decisions,
        **decisions,
        pending=activity.pending,
        correct=activity.feedback.correct,
        wrong=activity.feedback.incorrect,
        sent=sum(activity.deliveries["sent"]),
        failed=sum(activity.deliveries["failed"]),
    )
