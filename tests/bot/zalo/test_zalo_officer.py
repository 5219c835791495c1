"""An officer on Zalo, end to end through the fake Bot API: /sig_add answered message by message, the guard's
preview saved with the numbered choice "1", and the very next citizen check finds the new method."""

from __future__ import annotations

from bot.app import App
from bot.zalo.adapter import ZaloAdapter
from handlers.signature_fields import ADD_ORDER
from tests.factories import HIGH, label, t
from tests.fakes.zalo_api import FakeZaloApi, text_event
from tests.signature_answers import ANSWERS, CITIZEN_TEXT, NEW_ID

# The guard's first run in a process reads the whole genuine sample: seconds, more on a busy machine.
GUARD_WAIT = 90.0


async def say(fake: FakeZaloApi, user: str, text: str) -> str:
    """Send one message and return everything the bot answered to it."""
    before = len(fake.sent(user))
    await fake.push(text_event(user, text))
    await fake.wait_for(lambda: len(fake.sent(user)) > before, timeout=GUARD_WAIT)
    return "\n".join(fake.sent(user)[before:])


async def test_an_officer_adds_a_method_on_zalo_and_a_citizen_meets_it(
    app: App, zalo: ZaloAdapter, fake_zalo: FakeZaloApi
) -> None:
    await app.deps.repos.users.ensure("zalo", "u-officer", "Cán bộ", app.deps.now())
    await app.deps.repos.users.set_officer("zalo:u-officer", True)
    await fake_zalo.push(text_event("u-officer", "/sig_add"))
    await fake_zalo.wait_sent("u-officer", 2)  # the introduction, then the first question
    for field in ADD_ORDER:
        answer = await say(fake_zalo, "u-officer", ANSWERS[field])
    assert "1. " + t("button.sig_save") in answer and "2. " + t("button.sig_cancel") in answer
    saved = await say(fake_zalo, "u-officer", "1")
    assert saved == t("sig.add.saved", id=NEW_ID, version=1)

    verdict = await say(fake_zalo, "u-citizen", CITIZEN_TEXT)
    assert label(verdict) == HIGH and ANSWERS["title_vi"] in verdict

    history = await say(fake_zalo, "u-officer", f"/sig_history {NEW_ID}")
    assert "v1" in history and "zalo:u-officer" in history
    refused = await say(fake_zalo, "u-citizen", f"/sig_rollback {NEW_ID} 1")
    assert refused.startswith(t("refusal.officer"))
