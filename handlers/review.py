"""/review: officers work through what citizens sent, one item at a time.

An item is a group of pending reports that are near-duplicates of each other (the same message from several
people: `knowledge.duplicates`), citizens' own reports and messages sent after "wrong verdict" alike; items
with more people come first, then the oldest. Under each item: scam (optionally also starting /sig_add
prefilled from the text), not a scam, unclear, add its phones / links / accounts to the verified list, skip.
A decision covers every report of the item; each citizen who asked is told, in their own language. Decided
reports become training data for `canhgiac train --include-reviewed` (text and decision only).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from handlers.dispatch import Callback, Context, Session
from handlers.indicator_values import blockable
from handlers.messages import Button, Reply, quote_user_text
from handlers.ports import IndicatorKind, ReportRecord, ReportStatus
from handlers.risk import storage_key
from handlers.signature_edit import start_add_prefilled
from knowledge.cue_suggestions import suggest_cues
from knowledge.duplicates import group_near_duplicates

QUEUE_WINDOW = 500  # pending reports grouped per /review (the oldest first)
EXCERPT = 700
SUGGESTED_CUES = 6
SCAM, SCAM_SIGNATURE, NOT_SCAM, UNCLEAR, BLOCK, SKIP = "scam", "sig", "not_scam", "unclear", "block", "skip"
_DECISIONS: dict[str, ReportStatus] = {SCAM: "scam", SCAM_SIGNATURE: "scam", NOT_SCAM: "not_scam", UNCLEAR: "unclear"}


class ReviewStep(enum.StrEnum):
    """An item shown to an officer, waiting for one of its buttons."""

    SHOWN = "review.shown"


@dataclass(frozen=True, slots=True)
class Item:
    reports: tuple[ReportRecord, ...]

    @property
    def people(self) -> int:
        return len({r.actor for r in self.reports})

    @property
    def first(self) -> ReportRecord:
        return self.reports[0]


async def start_review(ctx: Context) -> list[Reply]:
    """/review: the most-sent pending item."""
    return await _show_next(ctx, skipped=())


async def act(ctx: Context, session: Session) -> list[Reply]:
    """A button under an item."""
    await ctx.deps.sessions.drop(session.id)
    ids: list[int] = session.data["ids"]
    skipped: list[int] = session.data["skipped"]
    if ctx.args == SKIP:
        return await _show_next(ctx, skipped=[*skipped, *ids])
    reports = [r for r in [await ctx.deps.repos.reports.get(i) for i in ids] if r is not None and r.status == "pending"]
    if not reports:  # another officer decided it meanwhile
        return [Reply(ctx.t("review.gone")), *await _show_next(ctx, skipped)]
    item = Item(tuple(reports))
    if ctx.args == BLOCK:
        blocked = await _block(ctx, item)
        done = Reply(ctx.t("review.blocked", values=quote_user_text(", ".join(blocked))))
        return [done, *await _render(ctx, item, skipped)]
    status = _DECISIONS.get(ctx.args)
    if status is None:
        return [Reply(ctx.t("button.stale"))]
    told = 0
    for report in reports:
        decided = await ctx.deps.repos.reports.decide(report.id, status, ctx.msg.actor, ctx.deps.now())
        if decided is not None:
            told += await tell_citizen(ctx, decided)
    await ctx.deps.repos.audit.add(
        actor=ctx.msg.actor,
        action="review",
        target="reports:" + ",".join(str(r.id) for r in reports),
        detail=status,
        at=ctx.deps.now(),
    )
    done = Reply(ctx.t("review.decided", status=ctx.t(f"review.status.{status}"), count=len(reports), told=told))
    if ctx.args == SCAM_SIGNATURE:
        return [done, *await start_add_prefilled(ctx, _suggestions(item))]
    return [done, *await _show_next(ctx, skipped)]


async def tell_citizen(ctx: Context, report: ReportRecord) -> int:
    """Tell the citizen the outcome of their report if they asked, in their language; 1 when sent."""
    gateway = ctx.deps.gateways.get(report.platform)
    if not report.notify or gateway is None or report.status == "pending":
        return 0
    user = await ctx.deps.repos.users.get(report.actor)
    lang = user.language if user is not None else "vi"
    text = ctx.deps.catalogue.text(f"report.outcome.{report.status}", lang, number=report.id)
    return 1 if await gateway.send(report.chat_id, [Reply(text)]) else 0


async def _show_next(ctx: Context, skipped: Sequence[int]) -> list[Reply]:
    pending = await ctx.deps.repos.reports.list_pending(limit=QUEUE_WINDOW)
    items = _items([r for r in pending if r.id not in set(skipped)])
    if not items:
        return [Reply(ctx.t("review.empty" if not skipped else "review.only_skipped"))]
    return await _render(ctx, items[0], skipped, remaining=len(items))


def _items(pending: list[ReportRecord]) -> list[Item]:
    groups = group_near_duplicates([r.text for r in pending])
    items = [Item(tuple(pending[i] for i in group)) for group in groups]
    return sorted(items, key=lambda item: (-item.people, item.first.created_at, item.first.id))


async def _render(ctx: Context, item: Item, skipped: Sequence[int], remaining: int | None = None) -> list[Reply]:
    verdict = ctx.deps.risk.engine.check(item.first.text)
    kinds = sorted({r.kind for r in item.reports})
    method = verdict.methods[0].title(ctx.lang) if verdict.methods else ctx.t("review.no_method")
    indicators = [i for i in verdict.indicators if storage_key(i)]
    text = item.first.text[:EXCERPT] + ("…" if len(item.first.text) > EXCERPT else "")
    lines = [
        ctx.t(
            "review.item",
            left=remaining if remaining is not None else "…",
            people=item.people,
            reports=len(item.reports),
            kinds=", ".join(ctx.t(f"review.kind.{k}") for k in kinds),
            numbers=", ".join(f"#{r.id}" for r in item.reports[:10]),
        ),
        ctx.t("review.now", level=ctx.t(f"level.{verdict.level.value}"), method=quote_user_text(method)),
        quote_user_text(text),
    ]
    if indicators:
        lines.append(ctx.t("review.indicators", values=quote_user_text(", ".join(i.value for i in indicators[:8]))))
    data = {"ids": [r.id for r in item.reports], "skipped": list(skipped)}
    session = await ctx.deps.sessions.create(ctx.msg.actor, ReviewStep.SHOWN, data)

    def button(key: str, answer: str) -> Button:
        return Button(ctx.t(key), Callback.REVIEW.payload(session.id, answer))

    rows: list[tuple[Button, ...]] = [
        (button("button.review_scam", SCAM), button("button.review_scam_signature", SCAM_SIGNATURE)),
        (button("button.review_not_scam", NOT_SCAM), button("button.review_unclear", UNCLEAR)),
    ]
    if indicators:
        rows.append((button("button.review_block", BLOCK),))
    rows.append((button("button.review_skip", SKIP),))
    return [Reply("\n\n".join(lines), buttons=tuple(rows))]


async def _block(ctx: Context, item: Item) -> list[str]:
    """Every phone, link domain and account in the item's messages, verified as scam indicators, as /block would
    list them: never a genuine organisation's site or hotline (a scam often quotes the real bank's address)."""
    blocked: dict[tuple[IndicatorKind, str], None] = {}
    for report in item.reports:
        for indicator in ctx.deps.risk.find_indicators(report.text):
            listed = blockable(indicator, ctx.deps.risk)
            if listed is not None:
                blocked[listed.kind, listed.value] = None
    note = f"review {','.join(str(r.id) for r in item.reports[:5])}"
    now = ctx.deps.now()
    for kind, value in blocked:
        await ctx.deps.repos.indicators.set_status(kind, value, "scam", note=note, by=ctx.msg.actor, at=now)
        await ctx.deps.repos.audit.add(
            actor=ctx.msg.actor, action="block", target=f"{kind}:{value}", detail="review", at=now
        )
    return [value for _, value in blocked]


def _suggestions(item: Item) -> dict[str, str]:
    """A signature draft from the item: its messages as examples and their longest clauses as cue phrases."""
    cues = suggest_cues((r.text for r in item.reports), limit=SUGGESTED_CUES)
    examples = list(dict.fromkeys(" ".join(r.text.split()) for r in item.reports))[:5]
    return {"cues": "\n".join(cues), "examples": "\n".join(examples)}
