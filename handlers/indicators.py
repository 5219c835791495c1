"""Officers' blocklist: /block and /unblock a phone number, domain, page or bank account.

A blocked indicator is verified as a scam: every check that contains it is high. Unblocking takes the officer's
verdict back; citizens' reports of it, if any, still count (and are shown) as unverified reports.
"""

from __future__ import annotations

from handlers.dispatch import Context
from handlers.indicator_values import KINDS, ListedValue, shown, split_value
from handlers.messages import Reply

MAX_NOTE_CHARS = 500


async def block(ctx: Context) -> list[Reply]:
    """/block phone|url|domain|account <value> [note]: verified as a scam, for every check from now on."""
    listed, note = _parse(ctx)
    if listed is None:
        return [Reply(ctx.t("indicator.block_usage"))]
    what = shown(listed)
    if listed.official:
        hint = ["\n" + ctx.t("indicator.official_page_hint")] if listed.kind in ("domain", "url") else []
        return [Reply(ctx.t("indicator.official", what=what, brand=listed.official) + "".join(hint))]
    now = ctx.deps.now()
    await ctx.deps.repos.indicators.set_status(
        listed.kind, listed.value, "scam", note or None, by=ctx.msg.actor, at=now
    )
    await ctx.deps.repos.audit.add(actor=ctx.msg.actor, action="block", target=listed.key, detail=note, at=now)
    return [Reply(ctx.t("indicator.blocked", what=what))]


async def unblock(ctx: Context) -> list[Reply]:
    """/unblock phone|url|domain|account <value>: take the verdict back (reported again if citizens reported it)."""
    listed, note = _parse(ctx)
    if listed is None:
        return [Reply(ctx.t("indicator.unblock_usage"))]
    what = shown(listed)
    indicators = ctx.deps.repos.indicators
    before = await indicators.lookup(listed.kind, listed.value)
    if before is None or before.status != "scam":
        return [Reply(ctx.t("indicator.not_blocked", what=what))]
    after = await indicators.withdraw_verdict(listed.kind, listed.value)
    outcome = "reported" if after is not None else "removed"
    await ctx.deps.repos.audit.add(
        actor=ctx.msg.actor, action="unblock", target=listed.key, detail=f"{outcome} {note}".strip(), at=ctx.deps.now()
    )
    if after is None:
        return [Reply(ctx.t("indicator.unblocked", what=what))]
    return [Reply(ctx.t("indicator.unblocked_reported", what=what, count=after.report_count))]


def _parse(ctx: Context) -> tuple[ListedValue | None, str]:
    """The kind word, then the value (a number may be typed in groups), then an optional note."""
    words = ctx.args.split(maxsplit=1)
    kind = KINDS.get(words[0].lower()) if words else None
    if kind is None:
        return None, ""
    rest = words[1] if len(words) > 1 else ""
    listed, note = split_value(kind, rest, ctx.deps.risk)
    return listed, note[:MAX_NOTE_CHARS]
