"""/alert for everyone; /alert_new, /alert_list, /alert_cancel and /broadcast for officers.

Officers' alerts wait in the AlertRepo until each subscribed chat has had one as its daily alert (see
handlers/alert_rounds.py); a broadcast goes into the outbox at once, to every subscribed chat on the platforms
connected now, and its report comes back to the officer when the last delivery is settled.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum

from handlers.alert_rounds import content_for, due_slot, officer_content, zone
from handlers.deps import Deps
from handlers.dispatch import Context, Session
from handlers.messages import Reply, quote_user_text
from handlers.ports import NewDelivery, SubscriptionRecord

MAX_TEXT = 3000
MAX_TEXT_WITH_IMAGE = 700  # the caption of a Telegram photo is 1024 characters, header and hotlines included


class NewAlertStep(enum.StrEnum):
    """/alert_new alone asks for the alert: the next message (text, or a photo with a caption)."""

    AWAITING_TEXT = "alert.awaiting_text"


async def show_today(ctx: Context) -> list[Reply]:
    """/alert: this chat's alert of today, now (it does not count as the chat's daily alert).

    Once the chat's daily slot has passed, its last remembered item is taken to be today's and shown again.
    """
    deps, now = ctx.deps, ctx.deps.now()
    sub = await deps.repos.subscriptions.get(ctx.chat.chat_key) or _unsubscribed(ctx)
    if sub.shown_methods and due_slot(sub.local_time, sub.timezone, now, dt.timedelta(days=1)) is not None:
        sub = dataclasses.replace(sub, shown_methods=sub.shown_methods[:-1])
    day = now.astimezone(zone(sub.timezone)).date()
    content = await content_for(deps, sub, ctx.lang, day, await deps.repos.alerts.list("pending"))
    if content is None:
        return [Reply(ctx.t("alert.none"))]
    return [Reply(content.text, image_url=content.image_url)]


async def start_new_alert(ctx: Context) -> list[Reply]:
    """/alert_new [text]: with text, save it at once; without, ask for the next message (text or photo)."""
    if ctx.args.strip():
        return await _save(ctx, ctx.args.strip(), None)
    await ctx.deps.sessions.open_dialog(ctx.msg.actor, NewAlertStep.AWAITING_TEXT)
    return [Reply(ctx.t("alert.new.ask"))]


async def receive_alert_text(ctx: Context, session: Session) -> list[Reply]:
    """AWAITING_TEXT: text (a last line with an https link is the image), or a photo with a caption."""
    await ctx.deps.sessions.drop(session.id)
    photo = ctx.msg.photo
    text = (photo.caption if photo else ctx.msg.text).strip()
    image = photo.file_id if photo else None
    lines = text.splitlines()
    if image is None and lines and lines[-1].strip().startswith("https://") and " " not in lines[-1].strip():
        image, text = lines[-1].strip(), "\n".join(lines[:-1]).strip()
    if not text:
        return [Reply(ctx.t("alert.new.empty"))]
    return await _save(ctx, text, image)


async def _save(ctx: Context, text: str, image: str | None) -> list[Reply]:
    limit = MAX_TEXT_WITH_IMAGE if image else MAX_TEXT
    if len(text) > limit:
        return [Reply(ctx.t("alert.new.too_long", limit=limit, length=len(text)))]
    now = ctx.deps.now()
    alert = await ctx.deps.repos.alerts.add(text=text, image_url=image, created_by=ctx.msg.actor, at=now, kind="daily")
    await ctx.deps.repos.audit.add(
        actor=ctx.msg.actor, action="alert_new", target=f"alert:{alert.id}", detail=text[:100], at=now
    )
    preview = officer_content(ctx.deps, alert, ctx.lang, ctx.msg.platform.value)
    return [Reply(ctx.t("alert.new.saved", number=alert.id)), Reply(preview.text, image_url=preview.image_url)]


async def list_alerts(ctx: Context) -> list[Reply]:
    """/alert_list: pending officer alerts, then the five most recent others."""
    alerts = await ctx.deps.repos.alerts.list()
    pending = [a for a in alerts if a.status == "pending"]
    recent = [a for a in alerts if a.status != "pending"][-5:]
    if not alerts:
        return [Reply(ctx.t("alert.list.empty"))]
    lines = [ctx.t("alert.list.header", count=len(pending))]
    for alert in [*pending, *reversed(recent)]:
        when = alert.created_at.astimezone(_zone(ctx.deps)).strftime("%d/%m %H:%M")
        status = ctx.t(f"alert.status.{alert.status}")
        image = " 🖼" if alert.image_url else ""
        lines.append(
            f"• #{alert.id} · {when} · {status}{image} · {quote_user_text(alert.text[:80].replace(chr(10), ' '))}"
        )
    lines.append(ctx.t("alert.list.hint"))
    return [Reply("\n".join(lines))]


async def cancel_alert(ctx: Context) -> list[Reply]:
    """/alert_cancel <id>: a pending alert is dropped; chats that already had it keep it."""
    raw = ctx.args.strip().lstrip("#")
    if not raw.isdigit():
        return [Reply(ctx.t("alert.cancel.usage"))]
    alert = await ctx.deps.repos.alerts.get(int(raw))
    if alert is None:
        return [Reply(ctx.t("alert.cancel.unknown"))]
    if alert.status == "pending":
        alert = await ctx.deps.repos.alerts.cancel(alert.id, ctx.msg.actor) or alert
        cancelled_now = alert.status == "cancelled"
    else:
        cancelled_now = False
    if not cancelled_now:
        return [Reply(ctx.t("alert.cancel.too_late", number=alert.id, status=ctx.t(f"alert.status.{alert.status}")))]
    await ctx.deps.repos.audit.add(
        actor=ctx.msg.actor, action="alert_cancel", target=f"alert:{alert.id}", detail="", at=ctx.deps.now()
    )
    return [Reply(ctx.t("alert.cancel.done", number=alert.id))]


async def broadcast(ctx: Context) -> list[Reply]:
    """/broadcast <text>: to every subscribed chat on the connected platforms, now; a report follows."""
    text = ctx.args.strip()
    if not text:
        return [Reply(ctx.t("broadcast.usage"))]
    if len(text) > MAX_TEXT:
        return [Reply(ctx.t("alert.new.too_long", limit=MAX_TEXT, length=len(text)))]
    deps, now = ctx.deps, ctx.deps.now()
    subs = [s for s in await deps.repos.subscriptions.list_active() if s.platform in deps.gateways]
    if not subs:
        return [Reply(ctx.t("broadcast.nobody"))]
    alert = await deps.repos.alerts.add(text=text, image_url=None, created_by=ctx.msg.actor, at=now, kind="broadcast")
    round_id = f"broadcast:{alert.id}"
    chats = await deps.repos.chats.get_many(s.chat_key for s in subs)
    day = now.astimezone(_zone(deps)).date()
    deliveries = []
    for sub in subs:
        chat = chats.get(sub.chat_key)
        content = officer_content(deps, alert, chat.language if chat else "vi", sub.platform)
        deliveries.append(
            NewDelivery(sub.chat_key, sub.platform, sub.chat_id, round_id, day, content.text, None, round_id)
        )
    # The whole round in one transaction: a crash now queues all of it or none (the officer then hears nothing
    # and may send it again), never a part that would later be reported as the whole.
    await deps.repos.deliveries.enqueue_many(deliveries, now)
    await deps.repos.alerts.mark_sent(alert.id)
    await deps.repos.audit.add(
        actor=ctx.msg.actor, action="broadcast", target=round_id, detail=f"chats={len(subs)}", at=now
    )
    return [Reply(ctx.t("broadcast.queued", count=len(subs), number=alert.id))]


def _zone(deps: Deps) -> dt.tzinfo:
    return zone(deps.policy.alerts_timezone)


def _unsubscribed(ctx: Context) -> SubscriptionRecord:
    """A stand-in subscription for a chat that has none: nothing shown yet, the default time."""
    policy = ctx.deps.policy
    return SubscriptionRecord(
        ctx.chat.chat_key,
        ctx.msg.platform.value,
        ctx.msg.chat_id,
        policy.alerts_default_time,
        policy.alerts_timezone,
        False,
        None,
        ctx.msg.actor,
        ctx.deps.now(),
        (),
    )
