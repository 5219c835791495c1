"""Starting: a bad token or a dead server fails fast and clearly; the other platforms go on."""

from __future__ import annotations

import logging
import socket

import pytest

from bot.app import App
from bot.platforms import start_adapters
from bot.zalo.adapter import ZaloAdapter, ZaloStartError
from tests.factories import EVERYDAY_UNACCENTED, LOW, label, zalo_settings
from tests.fakes.zalo_api import FakeZaloApi, text_event

BAD_TOKEN = "999:not-the-right-token"


def dead_url() -> str:
    """A loopback address where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.mark.parametrize("refusal", ["http", "ok_false"])
async def test_a_bad_token_fails_fast_without_showing_it(app: App, fake_zalo: FakeZaloApi, refusal: str) -> None:
    fake_zalo.token_refusal = refusal
    adapter = ZaloAdapter(app, zalo_settings(fake_zalo, token=BAD_TOKEN))
    with pytest.raises(ZaloStartError) as failed:
        await adapter.start()
    message = str(failed.value)
    assert message == "Zalo Bot API rejected the token (getMe: error 401)"
    assert BAD_TOKEN not in message and "not-the-right" not in message
    assert [r.method for r in fake_zalo.requests] == ["getMe"] and "zalo" not in app.deps.gateways


async def test_a_server_that_is_down_fails_fast(app: App) -> None:
    url = dead_url()
    adapter = ZaloAdapter(app, zalo_settings(FakeZaloApi(), api_base_url=url, token=BAD_TOKEN))
    with pytest.raises(ZaloStartError, match=f"Zalo Bot API at {url} is unreachable") as failed:
        await adapter.start()
    assert BAD_TOKEN not in str(failed.value)


async def test_a_server_error_at_start_is_reported(app: App, fake_zalo: FakeZaloApi) -> None:
    fake_zalo.fail("getMe", "http", code=503)
    with pytest.raises(ZaloStartError, match="answered getMe with error 503"):
        await ZaloAdapter(app, zalo_settings(fake_zalo)).start()


async def test_a_missing_token_is_reported(app: App, fake_zalo: FakeZaloApi) -> None:
    with pytest.raises(ZaloStartError, match="no token"):
        await ZaloAdapter(app, zalo_settings(fake_zalo, token=None)).start()


async def test_one_platform_failing_at_start_does_not_stop_another(
    app: App, fake_zalo: FakeZaloApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    dead = ZaloAdapter(app, zalo_settings(fake_zalo, api_base_url=dead_url()))
    good = ZaloAdapter(app, zalo_settings(fake_zalo))
    started = await start_adapters([dead, good])
    try:
        assert started == [good]
        assert "zalo could not start: ZaloStartError: Zalo Bot API at http://127.0.0.1:" in caplog.text
        await fake_zalo.push(text_event("u1", EVERYDAY_UNACCENTED))
        [verdict] = await fake_zalo.wait_sent("u1")
        assert label(verdict) == LOW
        assert fake_zalo.token not in caplog.text
    finally:
        for adapter in started:
            await adapter.stop()
