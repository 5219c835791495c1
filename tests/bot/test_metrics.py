"""Metrics: checks by platform and level with their latency, alert deliveries by outcome, errors logged; in
Prometheus text format, and nothing in them identifies a citizen."""

from __future__ import annotations

import logging

from prometheus_client.parser import text_string_to_metric_families

from tests.conversation import Conversation
from tests.factories import EVERYDAY, SCAM


def samples(app) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = app.metrics.exposition().decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def test_checks_are_counted_by_platform_and_level_with_their_latency(app):
    citizen = Conversation(app, user_id="300")
    await citizen.say(SCAM)
    await citizen.say(EVERYDAY)
    await citizen.say(EVERYDAY)
    found = samples(app)
    assert found[("canhgiac_checks_total", (("level", "high"), ("platform", "telegram")))] == 1
    assert found[("canhgiac_checks_total", (("level", "low"), ("platform", "telegram")))] == 2
    assert found[("canhgiac_check_seconds_count", (("platform", "telegram"),))] == 3
    labels = {name for _, pairs in found for name, _ in pairs}
    assert labels <= {"platform", "level", "le", "outcome", "logger"}  # nothing names a user, a chat or a text


async def test_deliveries_and_errors_are_counted(app):
    app.metrics.observe_delivery("zalo", "sent")
    app.metrics.observe_delivery("zalo", "gone")
    app.metrics.count_errors()
    try:
        logging.getLogger("bot.zalo.adapter").error("something broke")
        logging.getLogger("bot.zalo.adapter").warning("only a warning")
    finally:
        app.metrics.stop_counting_errors()
    logging.getLogger("bot").error("after stopping: not counted")
    found = samples(app)
    assert found[("canhgiac_deliveries_total", (("outcome", "sent"), ("platform", "zalo")))] == 1
    assert found[("canhgiac_errors_total", (("logger", "bot"),))] == 1
