"""/sig_history and /sig_rollback: every stored version of a signature, and going back to one of them."""

from __future__ import annotations

import re

from handlers.alert_rounds import zone
from handlers.dispatch import Context
from handlers.messages import Reply, quote_user_text

_ARGS = re.compile(r"^([a-z0-9][a-z0-9-]{1,63})(?:\s+v?(\d{1,6}))?$")
SHOWN = 15


async def show_history(ctx: Context) -> list[Reply]:
    """/sig_history <id>: the newest versions first, who made each change and when."""
    found = _ARGS.match(ctx.args.strip().lower())
    if found is None or found.group(2) is not None:
        return [Reply(ctx.t("sig.history_usage"))]
    versions = await ctx.deps.repos.signatures.history(found.group(1), limit=SHOWN)
    if not versions:
        return [Reply(ctx.t("sig.unknown", id=quote_user_text(found.group(1))))]
    local = zone(ctx.deps.policy.alerts_timezone)
    lines = [ctx.t("sig.history_header", id=found.group(1))]
    for version in versions:
        change = ctx.t(f"sig.change.{version.change}", version=version.note)
        if version.change == "edited" and version.note:
            change += f" ({version.note})"
        state = ctx.t("sig.state.on" if version.enabled else "sig.state.off")
        who = quote_user_text(version.actor) if version.actor else ctx.t("sig.origin.shipped")
        when = f"{version.at.astimezone(local):%d/%m/%Y %H:%M}"
        lines.append(f"• v{version.version} · {when} · {change} · {state} · {who}")
    lines.append(ctx.t("sig.history_hint", id=found.group(1)))
    return [Reply("\n".join(lines))]


async def rollback(ctx: Context) -> list[Reply]:
    """/sig_rollback <id> <version>: make an earlier version current again (itself a new version)."""
    found = _ARGS.match(ctx.args.strip().lower())
    if found is None or found.group(2) is None:
        return [Reply(ctx.t("sig.rollback_usage"))]
    signature_id, version = found.group(1), int(found.group(2))
    current = await ctx.deps.repos.signatures.get(signature_id)
    if current is None:
        return [Reply(ctx.t("sig.unknown", id=quote_user_text(signature_id)))]
    if version == current.version:
        return [Reply(ctx.t("sig.rollback_current", id=signature_id, version=version))]
    now = ctx.deps.now()
    restored = await ctx.deps.repos.signatures.rollback(signature_id, version, ctx.msg.actor, now)
    if restored is None:
        return [Reply(ctx.t("sig.rollback_unknown_version", id=signature_id, version=version))]
    live = restored.enabled and ctx.deps.risk.apply_stored(restored)
    if not live:
        ctx.deps.risk.withdraw(signature_id)
    await ctx.deps.repos.audit.add(
        actor=ctx.msg.actor,
        action="sig_rollback",
        target=f"signature:{signature_id}",
        detail=f"v{version} -> v{restored.version}",
        at=now,
    )
    key = "sig.rolled_back" if live else "sig.rolled_back_off"
    return [Reply(ctx.t(key, id=signature_id, version=version, new=restored.version))]
