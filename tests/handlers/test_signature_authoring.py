"""Officers write signatures in a chat: /sig_add step by step, /sig_edit one field, the false-alarm guard before
anything goes live, and every change a version they can list and go back to (/sig_history, /sig_rollback).

Replies are compared with the catalogue's own texts; the guard runs for real over the shipped genuine sample.
"""

from __future__ import annotations

import dataclasses

import pytest

from bot.app import App, build_memory_app
from handlers.messages import ChatKind, quote_user_text
from handlers.signature_fields import ADD_ORDER
from knowledge import load_genuine_sample
from knowledge.signature import LIST_FIELDS
from tests.conversation import Conversation
from tests.factories import settings_from_toml, t
from tests.signature_answers import ANSWERS, CITIZEN_TEXT, NEW_ID

# Wording every genuine bank SMS shares (balance notices, OTP messages): a signature made of it flags them.
BALANCE_CUES = (
    "giao dịch thành công\nsố dư khả dụng\ntài khoản của quý khách\nsố dư tài khoản\nmã otp\nquý khách vui lòng"
)


async def officer_of(app: App, user_id: str = "50") -> Conversation:
    """A plain officer (not a superadmin), granted by the configured superadmin."""
    await Conversation(app, user_id="1").say(f"/grant telegram:{user_id}")
    return Conversation(app, user_id=user_id)


async def add(officer: Conversation, answers: dict[str, str]) -> None:
    await officer.say("/sig_add")
    for field in ADD_ORDER:
        await officer.say(answers[field])


async def test_an_officer_adds_a_method_and_the_next_check_finds_it(app):
    officer = await officer_of(app)
    await officer.say("/sig_add")
    assert [r.text for r in officer.last] == [t("sig.add.intro"), t("sig.ask.id", title=quote_user_text(""))]
    for field in ADD_ORDER[:-1]:
        await officer.say(ANSWERS[field])
        assert officer.text == t(
            f"sig.ask.{ADD_ORDER[ADD_ORDER.index(field) + 1]}",
            title=quote_user_text(ANSWERS["title_vi"] if ADD_ORDER.index(field) >= 2 else ""),
        )
    assert await app.deps.repos.signatures.get(NEW_ID) is None  # nothing stored before the officer saves
    await officer.say(ANSWERS["counter_examples"])
    assert t("sig.guard.clean", checked=len(load_genuine_sample())) in officer.text
    await officer.press(t("button.sig_save"))
    assert officer.text == t("sig.add.saved", id=NEW_ID, version=1)

    citizen = Conversation(app, user_id="300")
    await citizen.say(CITIZEN_TEXT)
    assert ANSWERS["title_vi"] in citizen.text and t("level.high") in citizen.text
    stored = await app.deps.repos.signatures.get(NEW_ID)
    assert stored is not None and stored.origin == "officer" and stored.version == 1
    assert stored.data["method"] == "OFFICER" and stored.data["title_en"] == ANSWERS["title_vi"]
    assert stored.data["advice_en"] == stored.data["advice_vi"] and len(stored.data["cues"]) == 4
    audit = [(a.action, a.target, a.actor) for a in await app.deps.repos.audit.list()]
    assert audit[0] == ("sig_add", f"signature:{NEW_ID}", "telegram:50")


async def test_each_answer_is_checked_and_the_question_repeated(app):
    officer = await officer_of(app)
    await officer.say("/sig_add")
    for bad, problem in (
        ("Không Dấu!", t("sig.field.id")),
        ("gambling", t("sig.field.id_taken", id="gambling")),
    ):
        await officer.say(bad)
        assert officer.text == problem + "\n" + t("sig.ask.id", title=quote_user_text(""))
    for field in ADD_ORDER[:6]:
        await officer.say(ANSWERS[field])
    await officer.say("acc\nchuyển khoản trước giao acc\nskin hiếm giá hạt dẻ\ninbox admin shop game")
    assert officer.text.startswith(t("sig.field.cue_words", cue="acc"))
    await officer.say("bán acc game giá rẻ\nchuyển khoản trước giao acc")
    assert officer.text.startswith(t("sig.field.too_few", minimum=4, count=2))
    await officer.say("x" * 2001 + " y\n" + ANSWERS["cues"])
    assert officer.text.startswith(t("sig.field.too_long", limit=2000, length=2003))
    await officer.say("huỷ")
    assert officer.text == t("sig.add.cancelled")
    await officer.say(ANSWERS["cues"])  # the dialog is over: this is an ordinary check now
    assert await app.deps.repos.signatures.get(NEW_ID) is None


async def test_the_guard_shows_genuine_messages_a_signature_would_flag_and_refuses_above_the_share(app):
    officer = await officer_of(app)
    greedy = dict(ANSWERS, id="balance-alert", cues=BALANCE_CUES)
    await add(officer, greedy)
    assert "⚠️" in officer.text and "Số dư khả dụng" in officer.text  # the flagged genuine bank SMS are shown
    assert t("sig.guard.refused", limit="0,5%") in officer.text
    assert officer.last[-1].buttons == ()  # an officer cannot save it
    assert await app.deps.repos.signatures.get("balance-alert") is None

    superadmin = Conversation(app, user_id="1")
    await add(superadmin, greedy)
    assert t("sig.guard.refused", limit="0,5%") not in superadmin.text
    await superadmin.press(t("button.sig_save_superadmin"))
    assert superadmin.text == t("sig.add.saved", id="balance-alert", version=1)
    detail = (await app.deps.repos.audit.list())[0].detail
    assert detail.startswith("v1; guard flagged ") and int(detail.rsplit(" ", 1)[1]) > 0


async def test_below_the_share_the_officer_sees_the_flagged_messages_and_may_confirm(app):
    app.deps.policy = dataclasses.replace(app.deps.policy, guard_max_share=0.5)
    officer = await officer_of(app)
    await add(officer, dict(ANSWERS, id="balance-alert", cues=BALANCE_CUES))
    assert "⚠️" in officer.text and t("sig.guard.refused", limit="50%") not in officer.text
    await officer.press(t("button.sig_save"))
    assert officer.text == t("sig.add.saved", id="balance-alert", version=1)


async def test_a_not_scam_decision_joins_the_genuine_messages_the_guard_runs(app):
    decided = "Shop em bán acc game giá rẻ, chuyển khoản trước giao acc nhưng có bảo hành, mọi người yên tâm nhé."
    report = await app.deps.repos.reports.add(
        actor="telegram:300", platform="telegram", chat_id="300", text=decided, at=app.deps.now(), notify=False
    )
    await app.deps.repos.reports.decide(report, "not_scam", "telegram:1", app.deps.now())
    checked = len(load_genuine_sample()) + 1
    officer = await officer_of(app)
    await add(officer, ANSWERS)
    share = f"{100 / checked:.2f}%".replace(".", ",")
    assert t("sig.guard.flagged", count=1, checked=checked, share=share) in officer.text
    assert "bảo hành" in officer.text


async def test_edit_one_field_then_history_and_rollback(app):
    officer = await officer_of(app)
    await add(officer, ANSWERS)
    await officer.press(t("button.sig_save"))

    await officer.say(f"/sig_edit {NEW_ID}")
    assert "cues" in officer.text and "/sig_edit" in officer.text
    await officer.say(f"/sig_edit {NEW_ID} cues")
    assert "bán acc game giá rẻ" in officer.last[0].text  # the current value, to copy and change
    await officer.say("mua bán vật phẩm ảo\ngiao dịch trung gian game\nđặt cọc giữ acc\nnạp kim cương giá rẻ")
    await officer.press(t("button.sig_save"))
    assert officer.text == t("sig.add.saved", id=NEW_ID, version=2)
    assert all(m.id != NEW_ID for m in app.deps.risk.engine.check(CITIZEN_TEXT).methods)  # the old cues are gone

    await officer.say(f"/sig_history {NEW_ID}")
    assert officer.text.startswith(t("sig.history_header", id=NEW_ID))
    assert "v2" in officer.text and f"{t('sig.change.edited', version='cues')} (cues)" in officer.text
    assert t("sig.change.created", version="") in officer.text

    await officer.say(f"/sig_rollback {NEW_ID} 1")
    assert officer.text == t("sig.rolled_back", id=NEW_ID, version=1, new=3)
    assert app.deps.risk.engine.check(CITIZEN_TEXT).methods[0].id == NEW_ID
    stored = await app.deps.repos.signatures.get(NEW_ID)
    assert stored is not None and stored.version == 3 and "bán acc game giá rẻ" in stored.data["cues"]
    await officer.say(f"/sig_rollback {NEW_ID} 3")
    assert officer.text == t("sig.rollback_current", id=NEW_ID, version=3)
    await officer.say(f"/sig_rollback {NEW_ID} 9")
    assert officer.text == t("sig.rollback_unknown_version", id=NEW_ID, version=9)
    for bad in ("/sig_rollback", f"/sig_rollback {NEW_ID}", "/sig_rollback <b>x</b> 1"):
        await officer.say(bad)
        assert officer.text == t("sig.rollback_usage")
    actions = [a.action for a in await app.deps.repos.audit.list()]
    assert actions[:3] == ["sig_rollback", "sig_edit", "sig_add"]


async def test_rolling_back_to_a_disabled_version_takes_the_method_out(app):
    officer = await officer_of(app)
    await officer.say("/sig_disable gambling")  # shipped v1 → disabled v2
    await officer.say("/sig_enable gambling")  # v3
    assert "gambling" in {s.id for s in app.deps.risk.signatures}
    await officer.say("/sig_rollback gambling 2")
    assert officer.text == t("sig.rolled_back_off", id="gambling", version=2, new=4)
    assert "gambling" not in {s.id for s in app.deps.risk.signatures}


async def test_a_shipped_method_edited_keeps_its_origin_and_a_stale_save_button_is_refused(app):
    officer = await officer_of(app)
    await officer.say("/sig_edit gambling weight")
    await officer.say("1,2")
    preview = officer.last
    other = await officer_of(app, user_id="51")
    other.last = preview
    await other.press(t("button.sig_save"))  # someone else's preview
    assert other.text == t("button.stale")
    officer.last = preview
    await officer.press(t("button.sig_save"))
    stored = await app.deps.repos.signatures.get("gambling")
    assert stored is not None and (stored.origin, stored.edited, stored.data["weight"]) == ("shipped", True, 1.2)
    officer.last = preview
    await officer.press(t("button.sig_save"))  # pressed twice: saved once
    assert officer.text == t("button.stale")
    assert (await app.deps.repos.signatures.get("gambling")).version == 2  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "command", ["/sig_add", "/sig_edit gambling cues", "/sig_history gambling", "/sig_rollback gambling 1"]
)
async def test_citizens_and_group_admins_cannot_write_signatures(app, command):
    citizen = Conversation(app, user_id="300")
    await citizen.say(command)
    assert citizen.text == t("refusal.officer")
    await citizen.say("gambling-copy")  # no dialog was opened for them: this is an ordinary check
    admin = Conversation(app, user_id="301", chat_id="-500", kind=ChatKind.GROUP, admin=True)
    await admin.say(command)
    assert admin.text == t("command.private_only")
    assert (await app.deps.repos.signatures.get("gambling")).version == 1  # type: ignore[union-attr]
    assert await app.deps.repos.signatures.get("gambling-copy") is None
    assert await app.deps.repos.audit.list() == []


async def test_the_guard_share_comes_from_the_config_file(tmp_path, clock):
    settings = settings_from_toml(
        tmp_path, '[roles]\nsuperadmins = ["telegram:1"]\n[signatures]\nguard_max_share = 0.5\n'
    )
    configured = await build_memory_app(settings, clock)
    try:
        assert configured.deps.policy.guard_max_share == 0.5
        officer = await officer_of(configured)
        await add(officer, dict(ANSWERS, id="balance-alert", cues=BALANCE_CUES))
        assert "⚠️" in officer.text and officer.last[-1].buttons  # flagged, yet below 50 %: the officer may save
    finally:
        await configured.close()
    with pytest.raises(ValueError):
        settings_from_toml(tmp_path, "[signatures]\nguard_max_share = 2\n")


async def test_a_list_can_be_given_on_one_line_separated_by_semicolons(app):
    """A terminal (the console chat) sends every line as its own message."""
    officer = await officer_of(app)
    one_line = {
        field: "; ".join(value.replace("• ", "").splitlines()) if field in LIST_FIELDS else value
        for field, value in ANSWERS.items()
    }
    await add(officer, one_line)
    await officer.press(t("button.sig_save"))
    stored = await app.deps.repos.signatures.get(NEW_ID)
    assert stored is not None and stored.data["cues"] == ANSWERS["cues"].replace("• ", "").splitlines()
    assert len(stored.data["examples"]) == 3
