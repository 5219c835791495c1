"""Albums on Telegram, end to end: photos sent together (one media_group_id) arrive as separate updates from the
fake Bot API; the adapter gathers them and the citizen gets one verdict over all of them."""

from __future__ import annotations

import asyncio
import re
from html import unescape
from typing import Any

from bot.app import App
from bot.telegram.albums import MAX_PHOTOS, AlbumCollector
from handlers.messages import ChatKind, Incoming, Photo, Platform
from tests import factories as f
from tests.bot.telegram.helpers import StartAdapter
from tests.factories import HIGH, label, t
from tests.fakes.telegram_api import FakeTelegramApi
from tests.screenshots import bank_notice, png, require_ocr, shop_bill, sms_scam, variant


def plain(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def album_photo(fake: FakeTelegramApi, data: bytes, group: str, **extra: Any) -> dict[str, Any]:
    file_id = fake.add_file(data)
    sizes = [{"file_id": file_id, "file_unique_id": file_id, "width": 576, "height": 1280}]
    return f.message(None, photo=sizes, media_group_id=group, **extra)


async def test_an_album_of_screenshots_gets_one_verdict(
    fake: FakeTelegramApi, memory_app: App, start_adapter: StartAdapter
) -> None:
    require_ocr()
    await start_adapter(memory_app, album_window=0.5)
    images = [png(bank_notice().image), variant(sms_scam(True).image, "tg"), variant(shop_bill().image, "tg")]
    for number, data in enumerate(images):
        caption = {"caption": "Tin này thật không?"} if number == 0 else {}
        fake.push(album_photo(fake, data, "album-1", **caption))
    [verdict] = await fake.wait_sent(timeout=30)
    await asyncio.sleep(1.0)  # nothing more comes
    assert len(fake.sent()) == 1 and len(fake.sent("getFile")) == 3
    text = plain(verdict.params["text"])
    assert label(text) == HIGH and "vietcombank-xacthuc[.]top" in text  # from the second image
    for number in (1, 2, 3):
        assert plain(t("image.album_item", number=number, count=3).replace("*", "")) in text


async def test_a_text_sent_after_an_album_is_answered_on_its_own(
    fake: FakeTelegramApi, memory_app: App, start_adapter: StartAdapter
) -> None:
    require_ocr()
    await start_adapter(memory_app, album_window=0.5)
    fake.push(album_photo(fake, png(bank_notice().image), "album-2"))
    fake.push(album_photo(fake, png(bank_notice(True).image), "album-2"))
    fake.push(f.message(f.SCAM_UNACCENTED))
    sent = await fake.wait_sent(2, timeout=30)
    texts = sorted(plain(c.params["text"]) for c in sent)
    assert sum(t("image.album_item", number=2, count=2).strip("*") in text for text in texts) == 1


def incoming(number: int, chat: str = "1") -> Incoming:
    return Incoming(
        Platform.TELEGRAM, chat, ChatKind.PRIVATE, chat, text="", message_id=str(number), photo=Photo(f"f{number}")
    )


async def test_the_collector_answers_when_the_window_ends_or_the_album_is_full() -> None:
    handled: list[Incoming] = []
    window = asyncio.Event()

    async def handle(message: Incoming) -> None:
        handled.append(message)

    async def sleep(seconds: float) -> None:  # the window ends when the test says so
        await window.wait()

    albums = AlbumCollector(handle, sleep=sleep)
    albums.add("a", incoming(1))
    albums.add("a", incoming(2))
    albums.add("a", incoming(3, chat="2"))  # another chat's album with the same id is another album
    for number in range(MAX_PHOTOS + 2):
        albums.add("full", incoming(100 + number, chat="3"))
    await asyncio.sleep(0)
    [full] = handled  # the tenth photo ended that album without waiting
    assert len(full.album) == MAX_PHOTOS and full.photo == full.album[0]
    window.set()
    await albums.close()
    albums_seen = sorted((m.chat_id, [p.file_id for p in m.album]) for m in handled)
    assert albums_seen == [
        ("1", ["f1", "f2"]),
        ("2", ["f3"]),
        ("3", [f"f{100 + n}" for n in range(MAX_PHOTOS)]),
        ("3", ["f110", "f111"]),  # photos beyond the largest album are another one
    ]


async def test_closing_answers_an_album_still_gathering() -> None:
    handled: list[Incoming] = []

    async def handle(message: Incoming) -> None:
        handled.append(message)

    albums = AlbumCollector(handle, window=3600)
    albums.add("a", incoming(1))
    albums.add("a", incoming(2))
    await asyncio.wait_for(albums.close(), 5)  # no hour-long wait
    assert [[p.file_id for p in m.album] for m in handled] == [["f1", "f2"]]
