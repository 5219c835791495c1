"""`canhgiac indicators import` run as the installed console script, on list files written as public lists are."""

from __future__ import annotations

import os
import subprocess

import pytest

from bot.app import build_app
from bot.storage import open_database
from tests.conversation import Conversation
from tests.factories import settings_for, t
from tests.processes import CANHGIAC, ROOT

pytestmark = pytest.mark.slow  # each test runs the command as a process

DOMAINS = """\
# Scam domains seen in November
# source: a public list

evil-shop.top
https://www.evil-shop.top/login        # the same domain, written as a link
vietcombank-xacthuc[.]top # defanged
0.0.0.0 hosts-style.xyz

not a domain
vietcombank.com.vn
mail@evil-shop.top
EVIL-SHOP.TOP
"""


def canhgiac(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CANHGIAC_DATABASE__URL": url, "CANHGIAC_PRIVACY__HASH_SALT": "s"}
    return subprocess.run(
        [str(CANHGIAC), *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, check=False
    )


async def test_a_domain_list_is_imported_once_and_checks_containing_it_are_high(tmp_path, clock):
    url = f"sqlite:///{tmp_path}/bot.sqlite3"
    path = tmp_path / "domains.txt"
    path.write_text(DOMAINS, "utf-8")

    first = canhgiac("indicators", "import", str(path), "--kind", "domain", "--note", "public list", url=url)
    assert first.returncode == 0, first.stderr
    assert "3 added, 0 raised from reported, 0 already listed" in first.stdout
    assert "2 repeated, 2 invalid, 1 genuine (not listed), 4 blank or comments" in first.stdout
    assert "line 9: not a domain" in first.stderr and "line 11: mail@evil-shop.top" in first.stderr
    assert "line 10: vietcombank.com.vn (Vietcombank)" in first.stderr
    assert "importing" not in first.stderr  # no progress bar when nobody watches a terminal

    again = ("indicators", "import", str(path), "--kind", "domain", "--status", "verified", "--note", "public list")
    second = canhgiac(*again, url=url)  # verified is the default: the same import, spelled out
    assert second.returncode == 0, second.stderr
    assert "0 added, 0 raised from reported, 3 already listed" in second.stdout

    async with await open_database(url) as database:
        listed = await database.repos.indicators.list()
        audit = await database.repos.audit.list()
    assert sorted(r.value for r in listed) == ["evil-shop.top", "hosts-style.xyz", "vietcombank-xacthuc.top"]
    assert {(r.kind, r.status, r.note, r.decided_by, r.report_count) for r in listed} == {
        ("domain", "scam", "public list", "cli", 0)
    }
    assert [(a.actor, a.action, a.target) for a in audit] == [("cli", "import", "domain:domains.txt")] * 2
    assert "added=3" in audit[1].detail and "added=0" in audit[0].detail

    app = await build_app(settings_for(url), clock, salt=b"s")
    citizen = Conversation(app, user_id="200")
    await citizen.say("Áo đẹp lắm, chị xem ở evil-shop.top/ao-khoac rồi đặt giúp em nhé.")
    await app.close()
    assert citizen.text.splitlines()[0].strip("*") == t("level.high")


async def test_a_reported_phone_list_keeps_officers_verdicts(tmp_path):
    url = f"sqlite:///{tmp_path}/bot.sqlite3"
    async with await open_database(url) as database:
        await database.repos.indicators.set_status(
            "phone", "+84912345678", "scam", "police impersonator", by="telegram:42"
        )
    path = tmp_path / "phones.txt"
    path.write_text("0912 345 678\n+84 987 654 321  # spam calls\n0987.654.321\n12345\n", "utf-8")

    done = canhgiac("indicators", "import", str(path), "--kind", "phone", "--status", "reported", url=url)
    assert done.returncode == 0, done.stderr
    assert "1 added, 0 raised from reported, 1 already listed" in done.stdout and "line 4: 12345" in done.stderr
    async with await open_database(url) as database:
        found = await database.repos.indicators.lookup_many([("phone", "+84912345678"), ("phone", "+84987654321")])
    assert (found["phone", "+84912345678"].status, found["phone", "+84912345678"].note) == (
        "scam",
        "police impersonator",
    )
    assert (found["phone", "+84987654321"].status, found["phone", "+84987654321"].decided_by) == ("reported", None)


def test_bad_arguments_and_unreadable_files_exit_with_status_2(tmp_path):
    url = f"sqlite:///{tmp_path}/bot.sqlite3"
    path = tmp_path / "list.txt"
    path.write_text("evil-shop.top\n", "utf-8")
    assert canhgiac("indicators", "import", str(path), url=url).returncode == 2  # --kind is required
    assert canhgiac("indicators", "import", str(path), "--kind", "fax", url=url).returncode == 2
    assert canhgiac("indicators", "import", str(path), "--kind", "url", "--status", "maybe", url=url).returncode == 2
    missing = canhgiac("indicators", "import", str(tmp_path / "nope.txt"), "--kind", "url", url=url)
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    folder = canhgiac("indicators", "import", str(tmp_path), "--kind", "url", url=url)
    assert folder.returncode == 2 and "cannot read" in folder.stderr
