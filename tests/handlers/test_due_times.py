"""When a subscription's slot is due: local time zones, midnight, grace after downtime, never yesterday's."""

from __future__ import annotations

import datetime as dt

import pytest

from handlers.alert_rounds import daily_round_id, due_slot, parse_time, round_started_at

UTC = dt.UTC
GRACE = dt.timedelta(minutes=240)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7:30", "07:30"),
        ("07:30", "07:30"),
        ("7h30", "07:30"),
        ("7h", "07:00"),
        ("23:59", "23:59"),
        ("0:00", "00:00"),
        ("24:00", None),
        ("7:60", None),
        ("7:", None),
        ("abc", None),
        ("-100123", None),
    ],
)
def test_times_people_type_are_understood(text, expected):
    assert parse_time(text) == expected


def test_a_slot_is_due_from_its_local_time_until_the_grace_ends():
    tz = "Asia/Ho_Chi_Minh"
    assert due_slot("08:00", tz, at("2026-05-01T00:59:59+00:00"), GRACE) is None
    day, due_at = due_slot("08:00", tz, at("2026-05-01T01:00:00+00:00"), GRACE)
    assert (day, due_at) == (dt.date(2026, 5, 1), at("2026-05-01T01:00:00+00:00"))
    assert due_slot("08:00", tz, at("2026-05-01T05:00:00+00:00"), GRACE) is not None  # 4 h late: still sent
    assert due_slot("08:00", tz, at("2026-05-01T05:00:01+00:00"), GRACE) is None  # past the grace


def test_grace_zero_still_lets_the_next_tick_catch_the_slot():
    tz = "Asia/Ho_Chi_Minh"
    assert due_slot("08:00", tz, at("2026-05-01T01:01:30+00:00"), dt.timedelta(0)) is not None
    assert due_slot("08:00", tz, at("2026-05-01T01:03:00+00:00"), dt.timedelta(0)) is None


def test_the_local_date_decides_the_day_across_utc_midnight():
    # 00:10 in Hà Nội is 17:10 UTC the day before: the delivery belongs to the local date.
    day, due_at = due_slot("00:10", "Asia/Ho_Chi_Minh", at("2026-05-01T17:10:00+00:00"), GRACE)
    assert day == dt.date(2026, 5, 2) and due_at == at("2026-05-01T17:10:00+00:00")


def test_yesterdays_missed_slot_is_not_sent_after_midnight_whatever_the_grace():
    # 23:50 slot missed by a downtime until 00:20 local: today's 23:50 is not due yet, yesterday's is gone.
    now = at("2026-05-01T17:20:00+00:00")  # 00:20 on 2 May in Hà Nội
    assert due_slot("23:50", "Asia/Ho_Chi_Minh", now, dt.timedelta(hours=12)) is None


def test_other_time_zones_and_daylight_saving():
    # Los Angeles moves to PDT on 8 March 2026: 08:00 local is 16:00 UTC the day before, 15:00 UTC that day.
    assert due_slot("08:00", "America/Los_Angeles", at("2026-03-07T16:00:00+00:00"), GRACE)[0] == dt.date(2026, 3, 7)
    assert due_slot("08:00", "America/Los_Angeles", at("2026-03-08T15:00:00+00:00"), GRACE)[0] == dt.date(2026, 3, 8)
    assert due_slot("08:00", "America/Los_Angeles", at("2026-03-08T14:59:00+00:00"), GRACE) is None
    # Kiritimati (UTC+14) is already on the next date.
    assert due_slot("07:00", "Pacific/Kiritimati", at("2026-04-30T17:00:00+00:00"), GRACE)[0] == dt.date(2026, 5, 1)


def test_a_slot_that_passed_before_the_subscription_waits_for_tomorrow():
    now = at("2026-05-01T02:00:00+00:00")  # 09:00 local
    assert due_slot("08:00", "Asia/Ho_Chi_Minh", now, GRACE, since=at("2026-05-01T01:59:00+00:00")) is None
    assert due_slot("08:00", "Asia/Ho_Chi_Minh", now, GRACE, since=at("2026-04-20T00:00:00+00:00")) is not None


def test_an_unknown_time_zone_falls_back_to_utc():
    assert due_slot("08:00", "Mars/Olympus", at("2026-05-01T08:00:00+00:00"), GRACE) is not None


def test_round_ids_carry_the_due_instant():
    round_id = daily_round_id("telegram", at("2026-05-01T08:00:00+07:00"))
    assert round_id == "daily:telegram:2026-05-01T01:00Z"
    assert round_started_at(round_id, None) == at("2026-05-01T01:00:00+00:00")
