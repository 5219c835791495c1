"""The daily round as plain async functions, the clock passed in: what is due, what it says, the outbox, the report.

`run_due(deps, now)` is idempotent: it may run every minute, twice at once, or again after a crash. The
outbox's uniqueness on (chat, "daily", local date) makes a second enqueue of the same chat's daily alert a
no-op, whatever content the second run would have picked; the scheduler only decides when to call it.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Collection
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from handlers.deps import Deps
from handlers.messages import quote_user_text
from handlers.ports import AlertRecord, SubscriptionRecord
from knowledge import Signature, choose_method, warning_cues

log = logging.getLogger(__name__)

DAILY_KEY = "daily"
REPORT_ROUND = "reports"
SYSTEM_ACTOR = "system:alerts"
MIN_WINDOW = dt.timedelta(minutes=2)  # a due slot stays catchable for at least two scheduler ticks
MAX_ADVICE = 3
_TIME = re.compile(r"^([01]?\d|2[0-3])(?::|h|g)([0-5]\d)?$", re.IGNORECASE)


def parse_time(text: str) -> str | None:
    """ "7:30", "07:30", "7h30", "7h" → "07:30" / "07:00"; None when it is not a time of day."""
    match = _TIME.match(text.strip())
    if match is None or (match.group(2) is None and ":" in text):
        return None
    return f"{int(match.group(1)):02d}:{match.group(2) or '00'}"


def zone(name: str) -> dt.tzinfo:
    """The named time zone; UTC for an unknown name (logged) rather than a crash in the round."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("unknown time zone %r, using UTC", name)
        return dt.UTC


def due_slot(
    local_time: str, timezone: str, now: dt.datetime, grace: dt.timedelta, since: dt.datetime | None = None
) -> tuple[dt.date, dt.datetime] | None:
    """(local date, due instant) when a subscription's slot for *today* (its local today) is due at `now`.

    Due means: the slot has come, and `now` is still within the grace window after it (at least MIN_WINDOW,
    so a slot is caught by the next tick even with grace 0). Yesterday's slot is never due, however large the
    grace. A slot before `since` (the subscription's creation) is not due: subscribing at 09:00 for 08:00 starts
    tomorrow.
    """
    tz = zone(timezone)
    day = now.astimezone(tz).date()
    hour, minute = (int(part) for part in local_time.split(":"))
    due_at = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz).astimezone(dt.UTC)
    if not due_at <= now <= due_at + max(grace, MIN_WINDOW):
        return None
    if since is not None and due_at < since:
        return None
    return day, due_at


def daily_round_id(platform: str, due_at: dt.datetime) -> str:
    """Every chat of one platform due at the same instant forms one round (one report)."""
    return f"daily:{platform}:{due_at.astimezone(dt.UTC):%Y-%m-%dT%H:%MZ}"


def alert_marker(alert_id: int) -> str:
    """How a chat's rotation memory remembers it received officer alert `alert_id`."""
    return f"alert:{alert_id}"


@dataclass(frozen=True, slots=True)
class Content:
    """One chat's alert for one day."""

    text: str
    image_url: str | None = None
    method_id: str | None = None  # the method of the day, to remember in the rotation
    alert_id: int | None = None  # the officer alert, to remember likewise
    restart: bool = False  # the rotation starts again (every method was shown)


async def content_for(
    deps: Deps, sub: SubscriptionRecord, lang: str, day: dt.date, pending: list[AlertRecord]
) -> Content | None:
    """The oldest pending officer alert the chat has not had yet, otherwise its next method of the day."""
    for alert in pending:
        if alert.kind == "daily" and alert_marker(alert.id) not in sub.shown_methods:
            return officer_content(deps, alert, lang, sub.platform)
    choice = choose_method(deps.risk.signatures, sub.shown_methods, day)
    if choice is None:
        return None
    return Content(
        method_text(deps, choice.signature, lang, choice.season), None, choice.signature.id, restart=choice.restart
    )


def officer_content(deps: Deps, alert: AlertRecord, lang: str, platform: str) -> Content:
    """An officer's alert: header, their text (escaped, never markup), hotlines."""
    t = deps.catalogue.text
    text = "\n".join((t("alert.officer.header", lang), quote_user_text(alert.text), t("verdict.hotlines", lang)))
    image = alert.image_url
    if image and platform != "telegram" and not image.startswith("https://"):
        image = None  # a Telegram file id means nothing to other platforms
    return Content(text, image, alert_id=alert.id)


def method_text(deps: Deps, signature: Signature, lang: str, season: str | None) -> str:
    """The method of the day: how it goes, the warning signs, what to do, the hotlines."""
    t = deps.catalogue.text
    lines = [t("alert.daily.title", lang, title=signature.title(lang))]
    if season:
        lines.append(t(f"alert.season.{season}", lang))
    lines += [t("alert.daily.how", lang), signature.summary(lang), t("alert.daily.signs", lang)]
    lines += [f"• «{cue}»" for cue in warning_cues(signature)]
    lines.append(t("verdict.advice", lang))
    lines += [f"• {advice}" for advice in signature.advice(lang)[:MAX_ADVICE]]
    lines.append(t("verdict.hotlines", lang))
    return "\n".join(lines)


async def run_due(
    deps: Deps,
    now: dt.datetime,
    *,
    grace: dt.timedelta = dt.timedelta(minutes=240),
    platforms: Collection[str] | None = None,
    memo: set[tuple[str, dt.date]] | None = None,
) -> list[str]:
    """Queue the daily alert of every subscription due at `now`; return the ids of rounds that gained deliveries.

    `platforms` limits the run to platforms that have a sender; `memo` (kept by a long-running caller) skips
    chats already queued today without touching the database; it is an optimisation only.
    """
    repos = deps.repos
    pending = await repos.alerts.list("pending")
    rounds: set[str] = set()
    for sub in await repos.subscriptions.list_active():
        if platforms is not None and sub.platform not in platforms:
            continue
        slot = due_slot(sub.local_time, sub.timezone, now, grace, since=sub.created_at)
        if slot is None or (memo is not None and (sub.chat_key, slot[0]) in memo):
            continue
        day, due_at = slot
        chat = await repos.chats.get(sub.chat_key)
        content = await content_for(deps, sub, chat.language if chat else "vi", day, pending)
        if content is None:
            continue
        round_id = daily_round_id(sub.platform, due_at)
        queued = await repos.deliveries.enqueue(
            chat_key=sub.chat_key,
            platform=sub.platform,
            chat_id=sub.chat_id,
            alert_key=DAILY_KEY,
            day=day,
            text=content.text,
            image_url=content.image_url,
            round_id=round_id,
            now=now,
        )
        if queued:  # only the run that queued the chat's alert advances its rotation
            await _remember(deps, sub, content, pending)
            rounds.add(round_id)
        if memo is not None:
            memo.add((sub.chat_key, day))
    await _retire_delivered_alerts(deps, pending, platforms)
    return sorted(rounds)


async def _remember(deps: Deps, sub: SubscriptionRecord, content: Content, pending: list[AlertRecord]) -> None:
    subscriptions = deps.repos.subscriptions
    if content.alert_id is not None:
        await subscriptions.record_shown(sub.chat_key, alert_marker(content.alert_id))
        return
    if content.restart:
        await subscriptions.reset_shown(sub.chat_key)
        for alert in pending:  # keep the memory of officer alerts still going out
            if alert_marker(alert.id) in sub.shown_methods:
                await subscriptions.record_shown(sub.chat_key, alert_marker(alert.id))
    if content.method_id is not None:
        await subscriptions.record_shown(sub.chat_key, content.method_id)


async def _retire_delivered_alerts(deps: Deps, pending: list[AlertRecord], platforms: Collection[str] | None) -> None:
    """An officer alert is done ("sent") once every subscribed chat has had it as its daily alert."""
    daily = [alert for alert in pending if alert.kind == "daily"]
    if not daily:
        return
    subs = [s for s in await deps.repos.subscriptions.list_active() if platforms is None or s.platform in platforms]
    for alert in daily:
        if subs and all(alert_marker(alert.id) in sub.shown_methods for sub in subs):
            await deps.repos.alerts.mark_sent(alert.id)


def round_started_at(round_id: str, alert: AlertRecord | None) -> dt.datetime | None:
    """When a round began: its due instant (daily) or the broadcast's creation."""
    if round_id.startswith("daily:"):
        stamp = round_id.split(":", 2)[2]  # daily:<platform>:<YYYY-MM-DDTHH:MMZ>
        return dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%MZ").replace(tzinfo=dt.UTC)
    return alert.created_at if alert else None


async def finish_round(deps: Deps, round_id: str, now: dt.datetime) -> str | None:
    """When every delivery of a round is settled, report it once; return the report, or None if not finished.

    Daily rounds report to the officers' log (audit); a broadcast also reports to the officer who started it,
    through the outbox, so the unique (chat, "report:<round>", day) key sends that report once.
    """
    summary = await deps.repos.deliveries.round_summary(round_id)
    if summary["pending"] or summary["sending"] or round_id == REPORT_ROUND:
        return None
    alert = None
    if round_id.startswith("broadcast:"):
        alert = await deps.repos.alerts.get(int(round_id.partition(":")[2]))
    started = round_started_at(round_id, alert)
    seconds = max(0.0, (now - started).total_seconds()) if started else 0.0
    counts = " ".join(f"{state}={summary[state]}" for state in ("sent", "failed", "unsubscribed"))
    detail = f"{counts} seconds={seconds:.1f}"
    recent = await deps.repos.audit.list(limit=200)
    if any(entry.action == "alert_round" and entry.target == round_id for entry in recent):
        return None  # another worker reported it already
    if alert is not None:
        platform, _, user_id = alert.created_by.partition(":")
        officer = await deps.repos.users.get(alert.created_by)
        lang = officer.language if officer else "vi"
        text = deps.catalogue.text(
            "alert.report",
            lang,
            round=round_id,
            sent=summary["sent"],
            failed=summary["failed"],
            unsubscribed=summary["unsubscribed"],
            seconds=f"{seconds:.1f}",
        )
        if platform in ("telegram", "zalo"):
            await deps.repos.deliveries.enqueue(
                chat_key=alert.created_by,
                platform=platform,
                chat_id=user_id,
                alert_key=f"report:{round_id}",
                day=now.date(),
                text=text,
                image_url=None,
                round_id=REPORT_ROUND,
                now=now,
            )
    await deps.repos.audit.add(actor=SYSTEM_ACTOR, action="alert_round", target=round_id, detail=detail, at=now)
    log.info("alert round %s finished: %s", round_id, detail)
    return detail
