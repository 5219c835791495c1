"""Contract: signatures (seeding keeps officer edits) and reported indicators (distinct reporters)."""

from __future__ import annotations

from handlers.ports import Repositories, SeedResult
from tests.factories import T0, minutes

FAKE_POLICE = {"id": "fake-police", "title": "Giả danh công an", "keywords": ["công an", "lệnh bắt"], "weight": 40}


async def test_seed_inserts_updates_and_never_overwrites_officer_edits(repos: Repositories) -> None:
    shipped = [("fake-police", FAKE_POLICE, "h1"), ("fake-bank", {"id": "fake-bank"}, "b1")]
    assert await repos.signatures.seed_shipped(shipped, T0) == SeedResult(added=2, updated=0, kept=0)
    assert await repos.signatures.seed_shipped(shipped, minutes(1)) == SeedResult(added=0, updated=0, kept=2)

    edited = dict(FAKE_POLICE, weight=60)
    saved = await repos.signatures.save_officer_edit("fake-police", edited, "telegram:7", minutes(2))
    assert (saved.origin, saved.edited, saved.updated_by, saved.data["weight"]) == ("shipped", True, "telegram:7", 60)

    newer = [("fake-police", dict(FAKE_POLICE, weight=45), "h2"), ("fake-bank", {"id": "fake-bank", "v": 2}, "b2")]
    assert await repos.signatures.seed_shipped(newer, minutes(3)) == SeedResult(added=0, updated=1, kept=1)
    police = await repos.signatures.get("fake-police")
    bank = await repos.signatures.get("fake-bank")
    assert police is not None and police.data["weight"] == 60 and police.shipped_hash == "h1"
    assert bank is not None and (bank.data, bank.shipped_hash, bank.updated_at) == (
        {"id": "fake-bank", "v": 2},
        "b2",
        minutes(3),
    )


async def test_officer_signatures_and_enabling(repos: Repositories) -> None:
    officer_data = {"id": "new-trick", "keywords": ["x"]}
    created = await repos.signatures.save_officer_edit("new-trick", officer_data, "zalo:9", T0)
    assert (created.origin, created.edited, created.enabled, created.shipped_hash) == ("officer", True, True, None)
    assert await repos.signatures.seed_shipped([("new-trick", {"id": "new-trick"}, "s")], T0) == SeedResult(0, 0, 1)
    assert (await repos.signatures.get("new-trick")).data == officer_data  # type: ignore[union-attr]

    assert await repos.signatures.stamps() == [("new-trick", True, T0)]
    disabled = await repos.signatures.set_enabled("new-trick", False, "zalo:9", minutes(1))
    assert disabled is not None and not disabled.enabled and disabled.updated_at == minutes(1)
    assert await repos.signatures.stamps() == [("new-trick", False, minutes(1))]  # what other processes poll
    assert await repos.signatures.set_enabled("missing", True, "zalo:9", T0) is None
    assert [signature.id for signature in await repos.signatures.list_all()] == ["new-trick"]
    assert await repos.signatures.get("missing") is None


async def test_returned_data_is_a_copy(repos: Repositories) -> None:
    data = {"id": "s", "keywords": ["a"]}
    await repos.signatures.seed_shipped([("s", data, "h")], T0)
    data["keywords"].append("b")
    stored = await repos.signatures.get("s")
    assert stored is not None
    stored.data["keywords"].append("c")
    assert (await repos.signatures.get("s")).data == {"id": "s", "keywords": ["a"]}  # type: ignore[union-attr]


async def test_reports_count_distinct_reporters(repos: Repositories) -> None:
    first = await repos.indicators.add_report("phone", "+84900000001", "telegram:1", T0)
    assert (first.report_count, first.status, first.first_reported_at, first.last_reported_at) == (
        1,
        "reported",
        T0,
        T0,
    )
    again = await repos.indicators.add_report("phone", "+84900000001", "telegram:1", minutes(1))
    assert again.report_count == 1 and again.last_reported_at == minutes(1)
    other = await repos.indicators.add_report("phone", "+84900000001", "zalo:1", minutes(2))
    assert (other.report_count, other.first_reported_at, other.last_reported_at) == (2, T0, minutes(2))
    assert await repos.indicators.lookup("phone", "+84900000001") == other
    assert await repos.indicators.lookup("domain", "+84900000001") is None


async def test_set_status_creates_or_updates(repos: Repositories) -> None:
    verdict = await repos.indicators.set_status("domain", "vietcombank-xacminh.com", "scam", "fake bank site")
    assert (verdict.report_count, verdict.status, verdict.note, verdict.first_reported_at) == (
        0,
        "scam",
        "fake bank site",
        None,
    )
    reported = await repos.indicators.add_report("domain", "vietcombank-xacminh.com", "telegram:1", T0)
    assert (reported.status, reported.report_count, reported.first_reported_at) == ("scam", 1, T0)
    cleared = await repos.indicators.set_status("domain", "vietcombank-xacminh.com", "safe", None)
    assert (cleared.status, cleared.note, cleared.report_count) == ("safe", None, 1)


async def test_lookup_many_and_list(repos: Repositories) -> None:
    for reporter in ("a", "b", "c"):
        await repos.indicators.add_report("phone", "+84911111111", reporter, T0)
    await repos.indicators.add_report("url", "https://x.vn/a", "a", T0)
    await repos.indicators.add_report("account", "0123456789@vcb", "a", T0)
    await repos.indicators.set_status("domain", "x.vn", "scam", None)

    found = await repos.indicators.lookup_many([("phone", "+84911111111"), ("domain", "x.vn"), ("phone", "+840")])
    assert set(found) == {("phone", "+84911111111"), ("domain", "x.vn")}
    assert found["phone", "+84911111111"].report_count == 3
    assert await repos.indicators.lookup_many([]) == {}

    listed = [(row.kind, row.value) for row in await repos.indicators.list()]
    assert listed == [
        ("phone", "+84911111111"),
        ("account", "0123456789@vcb"),
        ("url", "https://x.vn/a"),
        ("domain", "x.vn"),
    ]
    assert [row.value for row in await repos.indicators.list(status="scam")] == ["x.vn"]
    assert [row.value for row in await repos.indicators.list(limit=2, offset=1)] == ["0123456789@vcb", "https://x.vn/a"]


async def test_every_change_is_a_version_and_rollback_restores_one(repos: Repositories) -> None:
    await repos.signatures.seed_shipped([("fake-police", FAKE_POLICE, "h1")], T0)
    edited = dict(FAKE_POLICE, weight=60)
    saved = await repos.signatures.save_officer_edit("fake-police", edited, "telegram:7", minutes(1), note="weight")
    assert saved.version == 2
    disabled = await repos.signatures.set_enabled("fake-police", False, "telegram:8", minutes(2))
    assert disabled is not None and disabled.version == 3

    history = await repos.signatures.history("fake-police")
    assert [(v.version, v.change, v.note, v.actor, v.enabled) for v in history] == [
        (3, "disabled", "", "telegram:8", False),
        (2, "edited", "weight", "telegram:7", True),
        (1, "shipped", "", None, True),
    ]
    assert history[1].data == edited and history[2].data == FAKE_POLICE and history[2].at == T0
    assert [v.version for v in await repos.signatures.history("fake-police", limit=2)] == [3, 2]

    restored = await repos.signatures.rollback("fake-police", 1, "zalo:5", minutes(3))
    assert restored is not None
    assert (restored.version, restored.data, restored.enabled, restored.edited) == (4, FAKE_POLICE, True, True)
    assert (restored.updated_by, restored.updated_at, restored.origin) == ("zalo:5", minutes(3), "shipped")
    latest = await repos.signatures.get_version("fake-police", 4)
    assert latest is not None and (latest.change, latest.note, latest.actor) == ("rolled_back", "1", "zalo:5")
    # A rolled-back signature is an officer's choice: a newer shipped file does not overwrite it.
    newer = [("fake-police", dict(FAKE_POLICE, weight=45), "h2")]
    assert await repos.signatures.seed_shipped(newer, minutes(4)) == SeedResult(added=0, updated=0, kept=1)

    assert await repos.signatures.rollback("fake-police", 9, "zalo:5", minutes(5)) is None
    assert await repos.signatures.rollback("missing", 1, "zalo:5", minutes(5)) is None
    assert await repos.signatures.get_version("fake-police", 9) is None
    assert await repos.signatures.history("missing") == []


async def test_created_and_shipped_updates_are_versions(repos: Repositories) -> None:
    created = await repos.signatures.save_officer_edit("new-trick", {"id": "new-trick"}, "zalo:9", T0)
    assert created.version == 1
    again = await repos.signatures.save_officer_edit("new-trick", {"id": "new-trick", "v": 2}, "zalo:9", minutes(1))
    assert again.version == 2 and again.origin == "officer"
    await repos.signatures.seed_shipped([("s", {"id": "s"}, "a")], T0)
    await repos.signatures.seed_shipped([("s", {"id": "s", "v": 2}, "b")], minutes(1))
    assert [(v.version, v.change) for v in await repos.signatures.history("s")] == [
        (2, "shipped_update"),
        (1, "shipped"),
    ]
    assert [(v.version, v.change) for v in await repos.signatures.history("new-trick")] == [
        (2, "edited"),
        (1, "created"),
    ]
