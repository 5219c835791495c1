"""Contract: officers' verdicts on indicators (who and when, taking one back) and bulk imports of lists."""

from __future__ import annotations

from handlers.ports import Repositories
from tests.factories import T0, minutes

DOMAIN = "vietcombank-xacminh.com"


async def test_a_verdict_records_the_officer_and_the_time(repos: Repositories) -> None:
    verdict = await repos.indicators.set_status("domain", DOMAIN, "scam", "fake bank", by="telegram:42", at=T0)
    assert (verdict.status, verdict.note, verdict.decided_by, verdict.decided_at) == (
        "scam",
        "fake bank",
        "telegram:42",
        T0,
    )
    assert await repos.indicators.lookup("domain", DOMAIN) == verdict


async def test_withdrawing_a_verdict_on_a_reported_indicator_makes_it_reported_again(repos: Repositories) -> None:
    for reporter in ("telegram:1", "zalo:2"):
        await repos.indicators.add_report("phone", "+84912345678", reporter, T0)
    await repos.indicators.set_status(
        "phone", "+84912345678", "scam", "calls as police", by="telegram:42", at=minutes(1)
    )
    back = await repos.indicators.withdraw_verdict("phone", "+84912345678")
    assert back is not None
    assert (back.status, back.report_count, back.note, back.decided_by, back.decided_at) == (
        "reported",
        2,
        None,
        None,
        None,
    )
    assert (back.first_reported_at, back.last_reported_at) == (T0, T0)
    assert await repos.indicators.lookup("phone", "+84912345678") == back


async def test_withdrawing_a_verdict_nobody_reported_removes_the_indicator(repos: Repositories) -> None:
    await repos.indicators.set_status("account", "19031234567890", "scam", None, by="telegram:42", at=T0)
    assert await repos.indicators.withdraw_verdict("account", "19031234567890") is None
    assert await repos.indicators.lookup("account", "19031234567890") is None
    assert await repos.indicators.withdraw_verdict("account", "19031234567890") is None  # unknown: nothing to do


async def test_withdrawing_leaves_a_reported_indicator_alone(repos: Repositories) -> None:
    listed = await repos.indicators.upsert_many("domain", [DOMAIN], "reported", note="public list", by="cli", at=T0)
    assert listed.added == 1
    kept = await repos.indicators.withdraw_verdict("domain", DOMAIN)
    assert kept is not None and (kept.status, kept.note) == ("reported", "public list")


async def test_upsert_many_adds_new_values_and_a_second_run_changes_nothing(repos: Repositories) -> None:
    values = [f"scam-{n}.top" for n in range(1_200)]  # more than one statement's worth
    first = await repos.indicators.upsert_many("domain", values + values[:5], "scam", note="list A", by="cli", at=T0)
    assert (first.added, first.updated, first.kept) == (1_200, 0, 0)
    record = await repos.indicators.lookup("domain", "scam-1199.top")
    assert record is not None
    assert (record.status, record.report_count, record.note, record.decided_by, record.decided_at) == (
        "scam",
        0,
        "list A",
        "cli",
        T0,
    )
    assert record.first_reported_at is None
    again = await repos.indicators.upsert_many("domain", values, "scam", note="list A", by="cli", at=minutes(5))
    assert (again.added, again.updated, again.kept) == (0, 0, 1_200)
    assert await repos.indicators.lookup("domain", "scam-1199.top") == record


async def test_upsert_many_raises_reported_values_and_never_overrides_an_officer(repos: Repositories) -> None:
    await repos.indicators.add_report("domain", "reported.top", "telegram:1", T0)
    await repos.indicators.set_status("domain", "genuine.vn", "safe", "our partner", by="telegram:42", at=T0)
    await repos.indicators.set_status("domain", "blocked.top", "scam", "seen in court", by="telegram:42", at=T0)
    values = ["reported.top", "genuine.vn", "blocked.top", "new.top"]
    result = await repos.indicators.upsert_many("domain", values, "scam", note="list B", by="cli", at=minutes(1))
    assert (result.added, result.updated, result.kept) == (1, 1, 2)
    found = await repos.indicators.lookup_many([("domain", v) for v in values])
    raised = found["domain", "reported.top"]
    assert (raised.status, raised.report_count, raised.note, raised.decided_by) == ("scam", 1, "list B", "cli")
    assert (found["domain", "genuine.vn"].status, found["domain", "genuine.vn"].note) == ("safe", "our partner")
    assert (found["domain", "blocked.top"].decided_by, found["domain", "blocked.top"].note) == (
        "telegram:42",
        "seen in court",
    )


async def test_a_reported_import_lists_values_without_reports_or_officer(repos: Repositories) -> None:
    await repos.indicators.add_report("phone", "+84912345678", "telegram:1", T0)
    result = await repos.indicators.upsert_many(
        "phone", ["+84912345678", "+84987654321"], "reported", note=None, by="cli", at=T0
    )
    assert (result.added, result.updated, result.kept) == (1, 0, 1)
    listed = await repos.indicators.lookup("phone", "+84987654321")
    assert listed is not None
    assert (listed.status, listed.report_count, listed.decided_by, listed.first_reported_at) == (
        "reported",
        0,
        None,
        None,
    )
    reported = await repos.indicators.add_report("phone", "+84987654321", "zalo:9", minutes(1))
    assert (reported.status, reported.report_count, reported.first_reported_at) == ("reported", 1, minutes(1))


async def test_upsert_many_of_nothing(repos: Repositories) -> None:
    result = await repos.indicators.upsert_many("url", [], "scam", note=None, by="cli", at=T0)
    assert (result.added, result.updated, result.kept) == (0, 0, 0)
