"""An officer on Telegram, end to end through the fake Bot API: /sig_add answered message by message, the guard's
preview saved with its inline button, and the very next citizen check finds the new method."""

from __future__ import annotations

from handlers.signature_fields import ADD_ORDER
from tests import factories as f
from tests.bot.telegram.helpers import Telegram, buttons
from tests.factories import html_label, t
from tests.signature_answers import ANSWERS, CITIZEN_TEXT, NEW_ID


async def test_an_officer_adds_a_method_on_telegram_and_a_citizen_meets_it(tg: Telegram) -> None:
    await tg.app.deps.repos.users.ensure("telegram", str(f.OFFICER), "Cán bộ", tg.app.deps.now())
    await tg.app.deps.repos.users.set_officer(f"telegram:{f.OFFICER}", True)
    intro = await tg.say(f.message("/sig_add", chat_id=f.OFFICER))
    assert len(intro) == 2
    for field in ADD_ORDER:  # the last answer runs the guard: its first run in a process reads the genuine sample
        calls = await tg.send(f.message(ANSWERS[field], chat_id=f.OFFICER), timeout=90.0)
    [preview] = [c for c in calls if c.method == "sendMessage"]
    save, cancel = buttons(preview)
    assert (save["text"], cancel["text"]) == (t("button.sig_save"), t("button.sig_cancel"))
    [saved] = await tg.say(f.callback(save["callback_data"], chat_id=f.OFFICER))
    assert saved == t("sig.add.saved", id=NEW_ID, version=1)

    [verdict] = await tg.say(f.message(CITIZEN_TEXT))
    assert html_label(verdict) == f.HIGH and ANSWERS["title_vi"] in verdict
    [refused] = await tg.say(f.message(f"/sig_rollback {NEW_ID} 1"))
    assert refused.startswith(t("refusal.officer"))
