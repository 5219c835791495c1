"""Officers' signature tools through the real handlers: list, show, test, disable and enable, with the audit trail.

Replies are compared with the catalogue's own texts, so rewording a sentence does not break these tests.
"""

import pytest

from bot.app import App, build_app
from handlers.messages import ChatKind, quote_user_text
from tests.conversation import Conversation
from tests.factories import settings_for

SCAM = (
    "Nhà cái uy tín số 1, nạp đầu tặng 100%, rút tiền siêu tốc. "
    "Chuyển khoản gấp vào STK 0123456789 rồi gọi 0912 345 678 để nhận code tân thủ."
)
OFFICER_COMMANDS = ("/sig_list", "/sig_show gambling", "/sig_test abc", "/sig_disable gambling", "/sig_enable gambling")


def t(app: App, key: str, **params: object) -> str:
    return app.deps.catalogue.text(key, "vi", **params)


async def test_list_show_and_test_a_text(app):
    officer = Conversation(app, user_id="1")  # the configured superadmin may do what officers do
    await officer.say("/sig_list")
    assert officer.text.startswith(t(app, "sig.list_header", count=len(app.deps.risk.signatures)))
    assert "gambling" in officer.text and "debt-collection" in officer.text
    await officer.say("/sig_list cờ bạc")
    assert "gambling" in officer.text and "debt-collection" not in officer.text
    await officer.say("/sig_list khôngcógì")
    assert officer.text == t(app, "sig.none", word=quote_user_text("khôngcógì"))

    await officer.say("/sig_show gambling")
    assert "AIS-08" in officer.text and t(app, "sig.state.on") in officer.text
    for bad in ("/sig_show", "/sig_show no-such-method", "/sig_show <b>x</b>"):
        await officer.say(bad)
        assert officer.text == t(app, "sig.show_usage")

    checks_before = (await app.deps.repos.checks.stats(app.deps.now().replace(year=2000))).total
    await officer.say(f"/sig_test {SCAM}")
    assert t(app, "level.high") in officer.text and "gambling" in officer.text
    assert "+" in officer.text and "method:gambling" in officer.text  # every reason with its points
    assert (await app.deps.repos.checks.stats(app.deps.now().replace(year=2000))).total == checks_before
    await officer.say("/sig_test")
    assert officer.text == t(app, "sig.test_usage")


async def test_disable_takes_a_method_out_of_every_check_and_enable_puts_it_back(app):
    officer = Conversation(app, user_id="1")
    citizen = Conversation(app, user_id="200")
    await citizen.say(SCAM)
    assert app.deps.risk.engine.check(SCAM).methods[0].id == "gambling"

    await officer.say("/sig_disable gambling")
    assert officer.text == t(app, "sig.disabled", id="gambling")
    assert "gambling" not in {s.id for s in app.deps.risk.signatures}
    assert all(m.id != "gambling" for m in app.deps.risk.engine.check(SCAM).methods)
    assert (await app.deps.repos.signatures.get("gambling")).enabled is False
    await officer.say("/sig_disable gambling")
    assert officer.text == t(app, "sig.already_off", id="gambling")
    await officer.say("/sig_list gambling")
    assert t(app, "sig.state.off") in officer.text

    await officer.say("/sig_enable gambling")
    assert officer.text == t(app, "sig.enabled", id="gambling")
    assert app.deps.risk.engine.check(SCAM).methods[0].id == "gambling"
    await officer.say("/sig_enable gambling")
    assert officer.text == t(app, "sig.already_on", id="gambling")

    trail = [(a.action, a.target, a.actor) for a in await app.deps.repos.audit.list()]
    assert trail == [
        ("sig_enable", "signature:gambling", "telegram:1"),
        ("sig_disable", "signature:gambling", "telegram:1"),
    ]


async def test_a_disabled_method_stays_off_after_a_restart(tmp_path, clock):
    settings = settings_for(f"sqlite:///{tmp_path}/bot.sqlite3")
    first = await build_app(settings, clock, salt=b"salt")
    await Conversation(first, user_id="1").say("/sig_disable gambling")
    await first.close()
    second = await build_app(settings, clock, salt=b"salt")
    try:
        assert "gambling" not in {s.id for s in second.deps.risk.signatures}
        assert "debt-collection" in {s.id for s in second.deps.risk.signatures}
    finally:
        await second.close()


@pytest.mark.parametrize("command", OFFICER_COMMANDS)
async def test_citizens_and_group_admins_are_refused_and_nothing_changes(app, command):
    citizen = Conversation(app, user_id="300")
    await citizen.say(command)
    assert citizen.text == t(app, "refusal.officer")
    admin = Conversation(app, user_id="301", chat_id="-500", kind=ChatKind.GROUP, admin=True)
    await admin.say(command)
    assert admin.text == t(app, "command.private_only")  # the library is worked on in a private chat only
    assert (await app.deps.repos.signatures.get("gambling")).enabled is True
    assert await app.deps.repos.audit.list() == []
