"""Officers add and edit signatures from a chat: /sig_add (a guided dialog) and /sig_edit (one field at a time).

Each answer is checked as it comes (`handlers.signature_fields`); the finished signature is validated whole,
then run through the false-alarm guard (`RiskService.guard`) and shown with the guard's verdict before anything
is stored. The officer confirms with a button; above the configured share of genuine messages flagged only a
superadmin may. Saving stores a new version, makes it live in this process at once (other processes within
`handlers.risk.REFRESH_SECONDS`) and writes the audit log.
"""

from __future__ import annotations

import enum
from typing import Any

from handlers.dispatch import Callback, Context, Role, Session
from handlers.messages import Button, Reply, quote_user_text
from handlers.signature_fields import ADD_ORDER, EDITABLE, ID_PATTERN, FieldError, read_field, shown_value
from knowledge import GuardResult, Signature, SignatureError, signature_from_dict

SAVE, CANCEL = "save", "cancel"
CANCEL_WORDS = frozenset({"huỷ", "hủy", "huy", "cancel", "/cancel", "thoát", "thoat"})
ACCEPT_WORDS = frozenset({"ok", "được", "duoc", "đồng ý", "dong y", "yes"})
SHOWN_FLAGGED = 3
EXCERPT = 160


class SignatureStep(enum.StrEnum):
    """A signature draft waiting for the officer's next answer, then for the save button."""

    AWAITING_FIELD = "sig.awaiting_field"
    AWAITING_CONFIRMATION = "sig.awaiting_confirmation"


async def start_add(ctx: Context) -> list[Reply]:
    """/sig_add: open the dialog; the first question is the new method's id."""
    data = {"mode": "add", "draft": {}, "at": 0}
    await ctx.deps.sessions.open_dialog(ctx.msg.actor, SignatureStep.AWAITING_FIELD, data)
    return [Reply(ctx.t("sig.add.intro")), Reply(_question(ctx, ADD_ORDER[0], {}))]


async def start_add_prefilled(ctx: Context, suggestions: dict[str, str]) -> list[Reply]:
    """/sig_add opened from the review queue: fields with a suggestion (cue phrases, examples taken from the
    reviewed messages) show it, and "ok" takes it."""
    data = {"mode": "add", "draft": {}, "at": 0, "suggest": dict(suggestions)}
    await ctx.deps.sessions.open_dialog(ctx.msg.actor, SignatureStep.AWAITING_FIELD, data)
    return [Reply(ctx.t("sig.add.intro")), Reply(_question(ctx, ADD_ORDER[0], {}))]


async def start_edit(ctx: Context) -> list[Reply]:
    """/sig_edit <id> [field]: show the fields (or ask for the one named) of a stored signature."""
    parts = ctx.args.split()
    if not parts or not ID_PATTERN.match(parts[0].lower()) or len(parts) > 2:
        return [Reply(ctx.t("sig.edit.usage", fields=", ".join(EDITABLE)))]
    record = await ctx.deps.repos.signatures.get(parts[0].lower())
    if record is None:
        return [Reply(ctx.t("sig.unknown", id=quote_user_text(parts[0])))]
    if len(parts) == 1:
        return [Reply(ctx.t("sig.edit.choose", id=record.id, fields=", ".join(EDITABLE)))]
    field = parts[1].lower()
    if field not in EDITABLE:
        return [Reply(ctx.t("sig.edit.usage", fields=", ".join(EDITABLE)))]
    data = {"mode": "edit", "draft": dict(record.data), "field": field, "version": record.version}
    await ctx.deps.sessions.open_dialog(ctx.msg.actor, SignatureStep.AWAITING_FIELD, data)
    current = quote_user_text(shown_value(record.data.get(field, "")))
    return [Reply(ctx.t("sig.edit.current", field=field, value=current)), Reply(_question(ctx, field, record.data))]


async def receive_field(ctx: Context, session: Session) -> list[Reply]:
    """AWAITING_FIELD: the answer to the current question; the next question, or the preview to confirm."""
    text = ctx.msg.text.strip()
    if text.lower() in CANCEL_WORDS:
        await ctx.deps.sessions.drop(session.id)
        return [Reply(ctx.t("sig.add.cancelled"))]
    draft: dict[str, Any] = session.data["draft"]
    mode = session.data["mode"]
    field = ADD_ORDER[session.data["at"]] if mode == "add" else session.data["field"]
    suggested = session.data.get("suggest", {}).get(field)
    if suggested and text.lower() in ACCEPT_WORDS:
        text = suggested
    if field == "id":
        value: Any = await _new_id(ctx, text)
    else:
        value = read_field(field, text, draft)
    suggest = session.data.get("suggest", {})
    if isinstance(value, FieldError):
        return [Reply(ctx.t(value.key, **value.params) + "\n" + _question(ctx, field, draft, suggest))]
    draft[field] = value
    if mode == "add" and session.data["at"] + 1 < len(ADD_ORDER):
        session.data["at"] += 1
        return [Reply(_question(ctx, ADD_ORDER[session.data["at"]], draft, suggest))]
    await ctx.deps.sessions.drop(session.id)
    return await _preview(ctx, draft, mode, note=field if mode == "edit" else "")


async def _new_id(ctx: Context, text: str) -> str | FieldError:
    signature_id = text.lower()
    if not ID_PATTERN.match(signature_id):
        return FieldError("sig.field.id", {})
    if await ctx.deps.repos.signatures.get(signature_id) is not None:
        return FieldError("sig.field.id_taken", {"id": signature_id})
    return signature_id


async def _preview(ctx: Context, draft: dict[str, Any], mode: str, note: str) -> list[Reply]:
    """Validate the whole signature, run the guard, and offer to save (or say why it cannot be saved)."""
    try:
        signature = signature_from_dict(dict(draft), source="")
    except SignatureError as exc:
        return [Reply(ctx.t("sig.add.invalid", problem=quote_user_text(str(exc))))]
    result = await ctx.deps.risk.guard(signature)
    allowed = _may_confirm(ctx, result)
    lines = [_summary(ctx, signature), _guard_text(ctx, result)]
    if not allowed:
        lines.append(ctx.t("sig.guard.refused", limit=_percent(ctx, ctx.deps.policy.guard_max_share)))
        return [Reply("\n\n".join(lines))]
    data = {"mode": mode, "draft": signature.to_dict(), "note": note, "flagged": len(result.flagged)}
    session = await ctx.deps.sessions.create(ctx.msg.actor, SignatureStep.AWAITING_CONFIRMATION, data)
    over = result.share > ctx.deps.policy.guard_max_share
    save_label = ctx.t("button.sig_save_superadmin" if over else "button.sig_save")
    buttons = (
        (
            Button(save_label, Callback.SIGNATURE.payload(session.id, SAVE)),
            Button(ctx.t("button.sig_cancel"), Callback.SIGNATURE.payload(session.id, CANCEL)),
        ),
    )
    return [Reply("\n\n".join(lines), buttons=buttons)]


def _may_confirm(ctx: Context, result: GuardResult) -> bool:
    return result.share <= ctx.deps.policy.guard_max_share or ctx.role >= Role.SUPERADMIN


async def confirm(ctx: Context, session: Session) -> list[Reply]:
    """The save or cancel button under a previewed signature."""
    await ctx.deps.sessions.drop(session.id)
    if ctx.args != SAVE:
        return [Reply(ctx.t("sig.add.cancelled"))]
    draft = session.data["draft"]
    signature = signature_from_dict(dict(draft), source="")  # validated at preview; the same data again
    now = ctx.deps.now()
    note = session.data["note"]
    record = await ctx.deps.repos.signatures.save_officer_edit(signature.id, draft, ctx.msg.actor, now, note=note)
    if record.enabled:
        ctx.deps.risk.apply(signature)
    action = "sig_add" if session.data["mode"] == "add" else "sig_edit"
    detail = f"v{record.version}" + (f" {note}" if note else "") + f"; guard flagged {session.data['flagged']}"
    await ctx.deps.repos.audit.add(
        actor=ctx.msg.actor, action=action, target=f"signature:{signature.id}", detail=detail, at=now
    )
    key = "sig.add.saved" if record.enabled else "sig.add.saved_disabled"
    return [Reply(ctx.t(key, id=signature.id, version=record.version))]


def _question(ctx: Context, field: str, draft: dict[str, Any], suggest: dict[str, str] | None = None) -> str:
    question = ctx.t(f"sig.ask.{field}", title=quote_user_text(str(draft.get("title_vi", ""))))
    suggested = (suggest or {}).get(field)
    return question + ("\n" + ctx.t("sig.suggested", value=quote_user_text(suggested)) if suggested else "")


def _summary(ctx: Context, signature: Signature) -> str:
    return ctx.t(
        "sig.add.preview",
        id=signature.id,
        title=quote_user_text(signature.title(ctx.lang)),
        method=quote_user_text(signature.method),
        cues=quote_user_text(", ".join(signature.cues)),
        advice=len(signature.advice_vi),
        examples=len(signature.examples),
        counter_examples=len(signature.counter_examples),
    )


def _guard_text(ctx: Context, result: GuardResult) -> str:
    if not result.flagged:
        return ctx.t("sig.guard.clean", checked=result.checked)
    shown = [
        "• " + quote_user_text(text[:EXCERPT].replace("\n", " ") + ("…" if len(text) > EXCERPT else ""))
        for text in result.flagged[:SHOWN_FLAGGED]
    ]
    share = _percent(ctx, result.share)
    header = ctx.t("sig.guard.flagged", count=len(result.flagged), checked=result.checked, share=share)
    return "\n".join([header, *shown])


def _percent(ctx: Context, share: float) -> str:
    """A share as people write it: "0,5%" in Vietnamese, "0.5%" in English."""
    number = f"{share * 100:.2f}".rstrip("0").rstrip(".")
    return (number if ctx.lang == "en" else number.replace(".", ",")) + "%"
