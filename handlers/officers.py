"""Officer and superadmin commands: roles, the review queue, the reported list (statistics: handlers/stats.py)."""

from __future__ import annotations

import re
from collections import Counter

from handlers.alert_rounds import zone
from handlers.dispatch import Context
from handlers.indicator_values import normalise, shown
from handlers.messages import Reply, quote_user_text
from handlers.ports import IndicatorKind, IndicatorStatus, ReportStatus
from handlers.review import tell_citizen

LISTED, PER_SENDER = 10, 2  # reports /reports shows, and at most this many of any one sender's
_ACTOR = re.compile(r"^(telegram|zalo|console):[A-Za-z0-9_\-]{1,64}$")
_KINDS: dict[str, IndicatorKind] = {
    "phone": "phone",
    "sdt": "phone",
    "domain": "domain",
    "link": "domain",
    "url": "domain",
    "account": "account",
    "stk": "account",
}
_STATUSES: dict[str, IndicatorStatus] = {"scam": "scam", "safe": "safe", "reported": "reported"}
_DECISIONS: dict[str, ReportStatus] = {
    "scam": "scam",
    "lua-dao": "scam",
    "not_scam": "not_scam",
    "safe": "not_scam",
    "unclear": "unclear",
}


async def _audit(ctx: Context, action: str, target: str, detail: str = "") -> None:
    await ctx.deps.repos.audit.add(actor=ctx.msg.actor, action=action, target=target, detail=detail, at=ctx.deps.now())


async def grant(ctx: Context) -> list[Reply]:
    return await _set_officer(ctx, True)


async def revoke(ctx: Context) -> list[Reply]:
    return await _set_officer(ctx, False)


async def _set_officer(ctx: Context, value: bool) -> list[Reply]:
    """/grant and /revoke <platform:user_id> (superadmins)."""
    target = ctx.args.strip()
    if not _ACTOR.match(target):
        return [Reply(ctx.t("officer.grant_usage"))]
    platform, _, user_id = target.partition(":")
    await ctx.deps.repos.users.ensure(platform, user_id, "", ctx.deps.now())
    await ctx.deps.repos.users.set_officer(target, value)
    await _audit(ctx, "grant" if value else "revoke", target)
    gateway = ctx.deps.gateways.get(platform)
    if gateway is not None:
        await gateway.role_changed(user_id, value)
    return [Reply(ctx.t("officer.granted" if value else "officer.revoked", who=quote_user_text(target)))]


async def list_reports(ctx: Context) -> list[Reply]:
    """/reports: the oldest pending reports, at most PER_SENDER of any one sender's, so that one account's many
    reports cannot bury everyone else's; a sender with more says how many more."""
    listed = await ctx.deps.repos.reports.list_pending_by_reporter(limit=LISTED, per_reporter=PER_SENDER)
    if not listed:
        return [Reply(ctx.t("officer.no_reports"))]
    pending = (await ctx.deps.repos.reports.count_by_status())["pending"]
    lines = [ctx.t("officer.reports_header", count=pending, per=PER_SENDER)]
    local = zone(ctx.deps.policy.alerts_timezone)  # officers read times in the deployment's time zone
    shown = Counter(report.actor for report, _ in listed)
    left = Counter(shown)
    for report, total in listed:
        when = report.created_at.astimezone(local).strftime("%d/%m %H:%M")
        excerpt = quote_user_text(report.text[:300].replace("\n", " "))
        line = f"• #{report.id} · {when} · {report.level or '?'} · {excerpt}"
        left[report.actor] -= 1
        if left[report.actor] == 0 and total > shown[report.actor]:  # after the sender's last line here
            line += " " + ctx.t("officer.reports_more", count=total - shown[report.actor])
        lines.append(line)
    lines.append(ctx.t("officer.decide_hint"))
    return [Reply("\n".join(lines))]


async def decide(ctx: Context) -> list[Reply]:
    """/decide <id> scam|not_scam|unclear: record a decision and tell the citizen if they asked."""
    parts = ctx.args.split()
    if len(parts) != 2 or not parts[0].lstrip("#").isdigit() or parts[1].lower() not in _DECISIONS:
        return [Reply(ctx.t("officer.decide_usage"))]
    status = _DECISIONS[parts[1].lower()]
    report = await ctx.deps.repos.reports.decide(int(parts[0].lstrip("#")), status, ctx.msg.actor, ctx.deps.now())
    if report is None:
        return [Reply(ctx.t("officer.report_unknown"))]
    await _audit(ctx, "decide", f"report:{report.id}", status)
    told = await tell_citizen(ctx, report)
    return [
        Reply(
            ctx.t("officer.decided", number=report.id, status=status)
            + ("\n" + ctx.t("officer.citizen_told") if told else "")
        )
    ]


async def verify_indicator(ctx: Context) -> list[Reply]:
    """/verify phone|link|account <value> scam|safe|reported: set the status of a reported indicator."""
    parts = ctx.args.split()
    if len(parts) != 3 or parts[0].lower() not in _KINDS or parts[2].lower() not in _STATUSES:
        return [Reply(ctx.t("officer.verify_usage"))]
    listed = normalise(_KINDS[parts[0].lower()], parts[1], ctx.deps.risk)
    if listed is None:
        return [Reply(ctx.t("officer.verify_usage"))]
    status = _STATUSES[parts[2].lower()]
    if status == "scam" and listed.official:  # the same guard as /block
        return [Reply(ctx.t("indicator.official", what=shown(listed), brand=listed.official))]
    now = ctx.deps.now()
    record = await ctx.deps.repos.indicators.set_status(
        listed.kind, listed.value, status, None, by=ctx.msg.actor, at=now
    )
    await _audit(ctx, "verify", listed.key, record.status)
    return [Reply(ctx.t("officer.verified", what=quote_user_text(listed.value), status=record.status))]
