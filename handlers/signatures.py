"""Officers' signature tools: list, show, test a text, disable and enable a method; every change audited.

A change reaches this process's engine at once (`RiskService.apply_stored` / `withdraw`) and the stored library;
every other process on the same database rebuilds from it within `handlers.risk.REFRESH_SECONDS`.
"""

from __future__ import annotations

import re

from handlers.dispatch import Context
from handlers.messages import Reply, quote_user_text
from handlers.ports import SignatureRecord

_ID = re.compile(r"^[a-z0-9-]{1,64}$")
LIST_LIMIT = 60
SHOW_CUES = 12
TEST_REASONS = 12
TEST_METHODS = 3


async def list_signatures(ctx: Context) -> list[Reply]:
    """/sig_list [word]: every method (or those whose id or title contains the word), enabled first."""
    word = ctx.args.strip().lower()
    records = await ctx.deps.repos.signatures.list_all()
    if word:
        records = [r for r in records if word in r.id or word in _title(r, ctx.lang).lower()]
    if not records:
        return [Reply(ctx.t("sig.none", word=quote_user_text(word)))]
    records.sort(key=lambda r: (not r.enabled, r.id))
    lines = [ctx.t("sig.list_header", count=len(records))]
    for record in records[:LIST_LIMIT]:
        state = ctx.t("sig.state.on" if record.enabled else "sig.state.off")
        origin = ctx.t(f"sig.origin.{record.origin}") + (ctx.t("sig.edited") if record.edited else "")
        lines.append(f"• {record.id} · {quote_user_text(_title(record, ctx.lang))} · {state} · {origin}")
    lines.append(ctx.t("sig.list_hint"))
    return [Reply("\n".join(lines))]


async def show_signature(ctx: Context) -> list[Reply]:
    """/sig_show <id>: what a method looks for and says."""
    record = await _record(ctx)
    if record is None:
        return [Reply(ctx.t("sig.show_usage"))]
    data = record.data
    cues = [str(c) for c in data.get("cues", [])]
    strong = [str(c) for c in data.get("strong_cues", [])]
    shown = ", ".join(cues[:SHOW_CUES]) + (" …" if len(cues) > SHOW_CUES else "")
    text = ctx.t(
        "sig.show",
        id=record.id,
        title=quote_user_text(_title(record, ctx.lang)),
        method=quote_user_text(str(data.get("method", ""))),
        summary=quote_user_text(str(data.get("summary_en" if ctx.lang == "en" else "summary_vi", ""))),
        state=ctx.t("sig.state.on" if record.enabled else "sig.state.off"),
        origin=ctx.t(f"sig.origin.{record.origin}") + (ctx.t("sig.edited") if record.edited else ""),
        cue_count=len(cues),
        cues=quote_user_text(shown),
        strong=quote_user_text(", ".join(strong) or "—"),
        examples=len(data.get("examples", [])),
        counter_examples=len(data.get("counter_examples", [])),
    )
    return [Reply(text)]


async def test_text(ctx: Context) -> list[Reply]:
    """/sig_test <text>: how the live engine scores a text, every reason with its points (nothing is recorded)."""
    text = ctx.args.strip()
    if not text:
        return [Reply(ctx.t("sig.test_usage"))]
    outcome = await ctx.deps.risk.check(text, ctx.msg.platform, record=False)
    verdict = outcome.verdict
    lines = [ctx.t("sig.test_header", level=ctx.t(f"level.{verdict.level.value}"), score=verdict.score)]
    if verdict.methods:
        lines.append(ctx.t("sig.test_methods"))
        lines += [
            f"• {m.id} · {quote_user_text(m.title(ctx.lang))} · {m.similarity}% · "
            + quote_user_text(", ".join(m.cues) or "—")
            for m in verdict.methods[:TEST_METHODS]
        ]
    else:
        lines.append(ctx.t("sig.test_no_method"))
    if verdict.reasons:
        lines.append(ctx.t("sig.test_reasons"))
        lines += [
            f"• {r.points:+d} {r.code}: {quote_user_text(r.text(ctx.lang))}" for r in verdict.reasons[:TEST_REASONS]
        ]
    return [Reply("\n".join(lines))]


async def disable_signature(ctx: Context) -> list[Reply]:
    return await _set_enabled(ctx, False)


async def enable_signature(ctx: Context) -> list[Reply]:
    return await _set_enabled(ctx, True)


async def _set_enabled(ctx: Context, enabled: bool) -> list[Reply]:
    """/sig_disable and /sig_enable <id>: take a method out of every check at once, or put it back."""
    record = await _record(ctx)
    if record is None:
        return [Reply(ctx.t("sig.enable_usage" if enabled else "sig.disable_usage"))]
    if record.enabled == enabled:
        return [Reply(ctx.t("sig.already_on" if enabled else "sig.already_off", id=record.id))]
    updated = await ctx.deps.repos.signatures.set_enabled(record.id, enabled, ctx.msg.actor, ctx.deps.now())
    if updated is None:
        return [Reply(ctx.t("sig.unknown", id=quote_user_text(record.id)))]
    if enabled:
        ctx.deps.risk.apply_stored(updated)
    else:
        ctx.deps.risk.withdraw(record.id)
    await ctx.deps.repos.audit.add(
        actor=ctx.msg.actor,
        action="sig_enable" if enabled else "sig_disable",
        target=f"signature:{record.id}",
        detail="",
        at=ctx.deps.now(),
    )
    return [Reply(ctx.t("sig.enabled" if enabled else "sig.disabled", id=record.id))]


async def _record(ctx: Context) -> SignatureRecord | None:
    signature_id = ctx.args.strip().lower()
    if not _ID.match(signature_id):
        return None
    return await ctx.deps.repos.signatures.get(signature_id)


def _title(record: SignatureRecord, lang: str) -> str:
    return str(record.data.get("title_en" if lang == "en" else "title_vi", record.id))
