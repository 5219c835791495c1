"""Images the bot made (the /stats chart) on Zalo: lent by address from the bot's web server, or a note instead."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import httpx
import pytest
from PIL import Image

from bot.app import App, build_memory_app
from bot.config import Settings, WebSettings
from bot.web import build_web_app
from bot.zalo.adapter import ZaloAdapter
from bot.zalo.media import MediaShelf
from handlers.stats_chart import PIXELS
from tests.factories import fixed_parts, t, zalo_settings
from tests.fakes.zalo_api import FakeZaloApi, text_event

PUBLIC = "https://bot.example.vn"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
async def public_app() -> AsyncIterator[App]:
    """An app whose web server is reachable from the internet at PUBLIC."""
    app = await build_memory_app(Settings(web=WebSettings(public_url=PUBLIC + "/")))
    yield app
    await app.close()


async def make_officer(app: App, user_id: str) -> None:
    await app.deps.repos.users.ensure("zalo", user_id, "Cán bộ", app.deps.now())
    await app.deps.repos.users.set_officer(f"zalo:{user_id}", True)


def accepted_photos(fake: FakeZaloApi) -> list[dict[str, str]]:
    return [r.params for r in fake.calls("sendPhoto") if r.params.get("accepted") == "yes"]


async def test_the_chart_is_sent_as_an_address_the_web_app_serves(public_app: App, fake_zalo: FakeZaloApi) -> None:
    await make_officer(public_app, "u-officer")
    adapter = ZaloAdapter(public_app, zalo_settings(fake_zalo))
    await adapter.start()
    try:
        await fake_zalo.push(text_event("u-officer", "/stats 14"))
        await fake_zalo.wait_for(lambda: bool(accepted_photos(fake_zalo)), timeout=30)
        [photo] = accepted_photos(fake_zalo)
        web = build_web_app(adapter.routes(), ["zalo"])
    finally:
        await adapter.stop()
    assert photo["chat_id"] == "u-officer" and photo["photo"].startswith(f"{PUBLIC}/media/")
    assert photo["caption"].startswith(fixed_parts("stats.summary")[0].strip("*") + " 14 ")
    assert t("stats.chart_elsewhere") not in photo["caption"] and fake_zalo.sent("u-officer") == []
    path = photo["photo"].removeprefix(PUBLIC)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url=PUBLIC) as client:
        served = await client.get(path)
        assert served.status_code == 200 and served.headers["content-type"] == "image/png"
        assert served.headers["cache-control"] == "no-store" and served.content.startswith(PNG)
        with Image.open(io.BytesIO(served.content)) as image:
            assert image.size == PIXELS
        assert (await client.get(path.removesuffix(".png") + "x.png")).status_code == 404
        assert (await client.get(path.removesuffix(".png") + ".jpg")).status_code == 404


async def test_without_a_public_address_the_summary_comes_with_a_note(
    app: App, zalo: ZaloAdapter, fake_zalo: FakeZaloApi
) -> None:
    await make_officer(app, "u-officer")
    await fake_zalo.push(text_event("u-officer", "/stats"))
    [summary] = await fake_zalo.wait_sent("u-officer", timeout=30)
    assert summary.startswith(fixed_parts("stats.summary")[0].strip("*") + " 7 ")
    assert summary.endswith(t("stats.chart_elsewhere")) and fake_zalo.calls("sendPhoto") == []
    assert zalo.media is None and zalo.routes() == []


def test_images_expire_and_only_the_newest_are_kept() -> None:
    now = [0.0]
    shelf = MediaShelf(PUBLIC, ttl_seconds=60, max_images=2, clock=lambda: now[0])
    addresses = [shelf.put(bytes([n])) for n in range(3)]
    names = [address.removeprefix(f"{PUBLIC}/media/").removesuffix(".png") for address in addresses]
    assert len(set(names)) == 3 and all(len(name) >= 32 for name in names)  # 192 random bits each
    assert [shelf.get(name) for name in names] == [None, b"\x01", b"\x02"]  # the oldest made room
    now[0] = 59.9
    assert shelf.get(names[2]) == b"\x02"
    now[0] = 60.0
    assert shelf.get(names[2]) is None and len(shelf) == 0
