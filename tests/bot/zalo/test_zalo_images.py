"""Screenshots on Zalo, end to end: the image event's URL is fetched from the fake server, read, and checked."""

from __future__ import annotations

import pytest

from bot.zalo.adapter import ZaloAdapter
from tests.factories import HIGH, LOW, label, t
from tests.fakes.zalo_api import FakeZaloApi, image_event
from tests.screenshots import bank_notice, png, require_ocr, shop_bill, sms_scam, variant, vietqr_prize

pytestmark = pytest.mark.usefixtures("ocr")


@pytest.fixture
def ocr() -> None:
    require_ocr()


async def test_a_fake_bank_sms_screenshot_gets_high_naming_the_link(zalo: ZaloAdapter, fake_zalo: FakeZaloApi) -> None:
    url = fake_zalo.add_image(variant(sms_scam().image, "heavy"))  # Zalo recompresses: the worst case
    await fake_zalo.push(image_event("u1", url))
    [verdict] = await fake_zalo.wait_sent("u1")
    assert label(verdict) == HIGH and "vietcombank-xacthuc[.]top" in verdict
    assert t("image.read_header").replace("*", "") in verdict


async def test_a_genuine_notification_is_low(zalo: ZaloAdapter, fake_zalo: FakeZaloApi) -> None:
    url = fake_zalo.add_image(png(bank_notice(True).image), "image/png")
    await fake_zalo.push(image_event("u1", url))
    [verdict] = await fake_zalo.wait_sent("u1")
    assert label(verdict) == LOW


async def test_a_vietqr_screenshot_shows_the_bank_and_account(zalo: ZaloAdapter, fake_zalo: FakeZaloApi) -> None:
    url = fake_zalo.add_image(variant(vietqr_prize(True).image, "tg"))
    await fake_zalo.push(image_event("u1", url))
    text = "\n".join(await fake_zalo.wait_sent("u1"))
    assert t("image.qr_account", account="0398765432") in text
    assert t("image.qr_amount", amount="2.000.000") in text
    assert label(text) == HIGH and "MB ***5432, 2.000.000 đồng" in text


async def test_a_swapped_shop_qr_is_high(zalo: ZaloAdapter, fake_zalo: FakeZaloApi) -> None:
    url = fake_zalo.add_image(variant(shop_bill(swapped=True).image, "heavy"))
    await fake_zalo.push(image_event("u1", url))
    text = "\n".join(await fake_zalo.wait_sent("u1"))
    assert label(text) == HIGH and "khác với tài khoản ghi trong tin nhắn (MB ***5432" in text


async def test_a_huge_image_is_refused(zalo: ZaloAdapter, fake_zalo: FakeZaloApi) -> None:
    url = fake_zalo.add_image(b"\xff\xd8" + bytes(21 * 1024 * 1024))
    await fake_zalo.push(image_event("u1", url))
    assert await fake_zalo.wait_sent("u1") == [t("image.problem.too_large")]


async def test_a_non_image_is_refused(zalo: ZaloAdapter, fake_zalo: FakeZaloApi) -> None:
    url = fake_zalo.add_image(b"<html>not a picture</html>", "text/html")
    await fake_zalo.push(image_event("u1", url))
    assert await fake_zalo.wait_sent("u1") == [t("image.problem.not_an_image")]
