"""Screenshots on Telegram, end to end: the real python-telegram-bot downloads them from the fake Bot API
(getFile, then the file endpoint), the image reader reads them, and the verdict says what was read."""

from __future__ import annotations

import asyncio
import re
import threading
from html import unescape
from typing import Any

import pytest

from bot.app import App
from bot.images import ImageService
from handlers.ports.images import ImageReading
from tests import factories as f
from tests.bot.telegram.helpers import StartAdapter, Telegram
from tests.factories import HIGH, LOW, label, t
from tests.fakes.telegram_api import FakeTelegramApi
from tests.screenshots import bank_notice, png, require_ocr, shop_bill, sms_scam, variant, vietqr_prize

pytestmark = pytest.mark.usefixtures("ocr")


@pytest.fixture
def ocr() -> None:
    require_ocr()


def plain(html: str) -> str:
    """A sent message as the citizen reads it: tags dropped, entities unescaped, markup stars gone."""
    return unescape(re.sub(r"<[^>]+>", "", html))


async def say(tg: Telegram, update: dict[str, Any]) -> list[str]:
    return [plain(text) for text in await tg.say(update)]


def photo(fake: FakeTelegramApi, data: bytes, size: int | None = None, **extra: Any) -> dict[str, Any]:
    file_id = fake.add_file(data, size)
    sizes = [{"file_id": f"thumb-{file_id}", "file_unique_id": "t", "width": 90, "height": 200}]
    sizes.append({"file_id": file_id, "file_unique_id": "p", "width": 576, "height": 1280})
    return f.message(None, photo=sizes, **extra)


def document(fake: FakeTelegramApi, data: bytes, mime: str = "image/png") -> dict[str, Any]:
    file_id = fake.add_file(data)
    return f.message(None, document={"file_id": file_id, "file_unique_id": "d", "mime_type": mime, "file_name": "a"})


async def test_a_fake_bank_sms_screenshot_gets_high_naming_the_link(tg: Telegram) -> None:
    [verdict] = await say(tg, photo(tg.fake, variant(sms_scam(True).image, "tg")))
    assert label(verdict) == HIGH
    assert "vietcombank-xacthuc[.]top" in verdict and "vietcombank-xacthuc.top" not in verdict
    assert plain(t("image.read_header").replace("*", "")) in verdict
    assert [c.params["file_id"] for c in tg.fake.sent("getFile")] == ["file-1"]  # the largest size


async def test_a_genuine_bank_notification_sent_as_a_file_is_low(tg: Telegram) -> None:
    [verdict] = await say(tg, document(tg.fake, png(bank_notice().image)))
    assert label(verdict) == LOW
    assert "Mẹ gửi tiền học tháng 3." in verdict


async def test_a_vietqr_screenshot_shows_bank_account_amount_and_risk(tg: Telegram) -> None:
    [verdict] = await say(tg, photo(tg.fake, variant(vietqr_prize().image, "tg")))
    assert t("image.qr_bank", bank="MB (Ngân hàng TMCP Quân đội)") in verdict
    assert t("image.qr_account", account="0398765432") in verdict
    assert t("image.qr_amount", amount="2.000.000") in verdict
    assert t("image.qr_risk.to_receive").replace("*", "") in verdict
    assert label(verdict) == HIGH and "MB ***5432, 2.000.000 đồng" in verdict  # the code counts in the score


async def test_a_shops_bill_qr_is_low_and_a_swapped_one_high(tg: Telegram) -> None:
    [genuine] = await say(tg, photo(tg.fake, variant(shop_bill().image, "tg")))
    assert label(genuine) == LOW
    [swapped] = await say(tg, photo(tg.fake, variant(shop_bill(swapped=True).image, "tg")))
    assert label(swapped) == HIGH and "MB ***5432, 350.000 đồng" in swapped


async def test_check_replying_to_a_photo_in_a_group(tg: Telegram) -> None:
    shared = photo(tg.fake, variant(sms_scam().image, "tg"), chat=f.chat(f.GROUP))["message"]
    update = f.message("/check", chat_id=f.GROUP, reply_to_message=shared)
    [verdict] = await say(tg, update)
    assert label(verdict) == HIGH


async def test_a_huge_image_is_refused_before_download(tg: Telegram) -> None:
    [answer] = await say(tg, photo(tg.fake, b"\xff\xd8 not read", size=25 * 1024 * 1024))
    assert answer == t("image.problem.too_large")
    assert not tg.fake.sent("file")


async def test_a_non_image_photo_is_refused(tg: Telegram) -> None:
    [answer] = await say(tg, document(tg.fake, b"%PDF-1.7 a document, not a picture"))
    assert answer == t("image.problem.not_an_image")


async def test_a_slow_image_does_not_delay_another_users_text(
    fake: FakeTelegramApi, memory_app: App, start_adapter: StartAdapter
) -> None:
    release = threading.Event()

    def slow(data: bytes) -> ImageReading:
        release.wait(10)
        return ImageReading(("Tin nhắn bình thường",))

    memory_app.images = ImageService(slow, workers=1, timeout=15)
    memory_app.deps.images = memory_app.images
    await start_adapter(memory_app)
    fake.push(photo(fake, b"image bytes"))
    await fake.wait_for(lambda: bool(fake.sent("file")))
    fake.push(f.message(f.SCAM_UNACCENTED, chat_id=f.OFFICER, sender=f.user(f.OFFICER)))
    [other] = await fake.wait_sent(chat_id=f.OFFICER, timeout=5)
    assert label(plain(other.params["text"])) == HIGH
    assert not fake.sent(chat_id=f.CITIZEN)  # the image is still being read
    release.set()
    await fake.wait_sent(chat_id=f.CITIZEN, timeout=5)
    await asyncio.sleep(0)
