"""Command menus registered with setMyCommands: per audience, Vietnamese default and English."""

from __future__ import annotations

from typing import Any

from bot.app import App, build_memory_app
from bot.config import RolesSettings, Settings
from handlers.catalogue import load_catalogue
from handlers.dispatch import Role
from tests import factories as f
from tests.bot.telegram.helpers import StartAdapter, Telegram
from tests.factories import telegram_settings
from tests.fakes.telegram_api import FakeTelegramApi


def expected(app: App, *roles: Role, in_groups: bool = False) -> list[str]:
    """Registered commands with help text for these roles, in registration order."""
    return [
        c.name
        for c in app.router.commands.values()
        if c.help_key and c.requires in roles and (c.groups or not in_groups)
    ]


def menus(fake: FakeTelegramApi) -> dict[tuple[str, Any, str | None], list[dict[str, str]]]:
    out = {}
    for call in fake.sent("setMyCommands"):
        scope = call.params["scope"]
        out[(scope["type"], scope.get("chat_id"), call.params.get("language_code"))] = call.params["commands"]
    return out


def names(commands: list[dict[str, str]]) -> list[str]:
    return [c["command"] for c in commands]


async def test_citizen_and_group_admin_menus_in_both_languages(
    fake: FakeTelegramApi, memory_app: App, start_adapter: StartAdapter
) -> None:
    await start_adapter(memory_app)
    found = menus(fake)
    assert set(found) == {
        ("default", None, None),
        ("default", None, "en"),
        ("all_chat_administrators", None, None),
        ("all_chat_administrators", None, "en"),
    }
    citizen = expected(memory_app, Role.CITIZEN)
    assert {"help", "check", "checknum", "report"} <= set(citizen) and "guard" not in citizen
    assert names(found[("default", None, None)]) == names(found[("default", None, "en")]) == citizen
    admin = names(found[("all_chat_administrators", None, None)])
    assert admin == expected(memory_app, Role.CITIZEN, Role.GROUP_ADMIN, in_groups=True)
    assert "guard" in admin and "forgetme" not in admin and "reports" not in admin
    catalogue = load_catalogue()
    check_vi = found[("default", None, None)][1]["description"]
    check_en = found[("default", None, "en")][1]["description"]
    assert check_vi == catalogue.text("help.cmd.check", "vi") and check_en == catalogue.text("help.cmd.check", "en")
    assert all(0 < len(c["description"]) <= 256 for menu in found.values() for c in menu)


async def test_officers_and_superadmins_get_their_menus_in_private(
    fake: FakeTelegramApi, start_adapter: StartAdapter
) -> None:
    app = await build_memory_app(Settings(roles=RolesSettings(superadmins=("telegram:999", "zalo:5"))))
    try:
        repos = app.deps.repos
        for platform, user_id in (("telegram", f.OFFICER), ("zalo", 77)):
            await repos.users.ensure(platform, str(user_id), "Cán bộ", app.deps.now())
            await repos.users.set_officer(f"{platform}:{user_id}", True)
        fake.fail("setMyCommands", 400, times=2, description="Bad Request: chat not found")  # the default menus
        adapter = await start_adapter(app, settings=telegram_settings(fake))
        found = menus(fake)
        officer = expected(app, Role.CITIZEN, Role.OFFICER)
        assert "reports" in officer and "guard" not in officer and "grant" not in officer
        assert names(found[("chat", f.OFFICER, None)]) == names(found[("chat", f.OFFICER, "en")]) == officer
        superadmin = names(found[("chat", 999, None)])
        assert superadmin == expected(app, Role.CITIZEN, Role.OFFICER, Role.SUPERADMIN) and "grant" in superadmin
        assert not any(key[1] == 77 for key in found)  # a Zalo officer has no Telegram chat
        assert adapter.processed == 0  # failed registrations did not stop the start
    finally:
        await app.close()


async def test_grant_and_revoke_update_the_officer_menu_at_once(
    fake: FakeTelegramApi, start_adapter: StartAdapter
) -> None:
    app = await build_memory_app(Settings(roles=RolesSettings(superadmins=("telegram:999",))))
    try:
        tg = Telegram(fake, await start_adapter(app, settings=telegram_settings(fake)), app)
        before = len(fake.sent("setMyCommands"))
        await tg.say(f.message("/grant telegram:555", chat_id=999))
        granted = [c for c in fake.sent("setMyCommands")[before:] if c.params["scope"].get("chat_id") == 555]
        officer = expected(app, Role.CITIZEN, Role.OFFICER)
        assert sorted(str(c.params.get("language_code")) for c in granted) == ["None", "en"]
        assert all(names(c.params["commands"]) == officer for c in granted)
        await tg.say(f.message("/revoke telegram:555", chat_id=999))
        deleted = fake.sent("deleteMyCommands")
        assert [(c.params["scope"], c.params.get("language_code")) for c in deleted] == [
            ({"type": "chat", "chat_id": 555}, None),
            ({"type": "chat", "chat_id": 555}, "en"),
        ]
        superadmin_menus = [c for c in fake.sent("setMyCommands") if c.params["scope"].get("chat_id") == 999]
        await tg.say(f.message("/grant telegram:999", chat_id=999))  # a superadmin keeps the superadmin menu
        assert [c for c in fake.sent("setMyCommands") if c.params["scope"].get("chat_id") == 999] == superadmin_menus
    finally:
        await app.close()
