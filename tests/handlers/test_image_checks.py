"""Screenshots through the handlers: payment QR codes as hard evidence, and albums answered once.

The images are the synthetic screenshots of tests/screenshots.py, read by the real reader (Tesseract, zxing-cpp)
that the app builds; only the download is served from memory, as a platform's file server would.
"""

from __future__ import annotations

import pytest

from bot.app import App
from tests.conversation import Conversation
from tests.factories import t
from tests.screenshots import (
    SHOP_ACCOUNT,
    SWAPPED_ACCOUNT,
    bank_notice,
    png,
    require_ocr,
    shop_bill,
    sms_scam,
    variant,
    vietqr_prize,
)

pytestmark = pytest.mark.usefixtures("ocr")


@pytest.fixture
def ocr() -> None:
    require_ocr()


def level(chat: Conversation) -> str:
    return chat.text.splitlines()[0]


async def test_a_scan_to_receive_the_prize_qr_is_high_naming_bank_account_and_amount(app: App) -> None:
    chat = Conversation(app)
    await chat.say("", images=(variant(vietqr_prize().image, "tg"),))
    assert level(chat) == f"*{t('level.high')}*"
    assert "MB ***5432, 2.000.000 đồng" in chat.text  # the reason names the payee, masked, and the amount
    assert "nhận tiền" in chat.text


async def test_a_shops_bill_qr_whose_account_and_amount_match_stays_low(app: App) -> None:
    chat = Conversation(app)
    for dark in (False, True):
        await chat.say("", images=(variant(shop_bill(dark).image, "tg"),))
        assert level(chat) == f"*{t('level.low')}*", chat.text
        assert SHOP_ACCOUNT in chat.text and t("image.qr_header") in chat.text
        assert "***" not in chat.text  # no QR reason


async def test_a_qr_paying_another_account_than_the_printed_one_is_high(app: App) -> None:
    chat = Conversation(app)
    await chat.say("", images=(variant(shop_bill(swapped=True).image, "tg"),))
    assert level(chat) == f"*{t('level.high')}*"
    assert "khác với tài khoản ghi trong tin nhắn (MB ***5432, 350.000 đồng)" in chat.text
    assert t("image.qr_risk.account_differs") in chat.text


async def test_a_qr_paying_a_verified_scam_account_names_it(app: App) -> None:
    await app.deps.repos.indicators.set_status("account", SWAPPED_ACCOUNT, "scam", "tài khoản nhận tiền lừa đảo")
    chat = Conversation(app)
    await chat.say("", images=(png(shop_bill(swapped=True).image),))  # the code's account is written nowhere
    assert level(chat) == f"*{t('level.high')}*"
    assert "tài khoản đã được cơ quan chức năng xác minh là lừa đảo (MB ***5432, 350.000 đồng)" in chat.text


async def test_a_reported_account_printed_beside_its_qr_counts_once(app: App) -> None:
    for reporter in ("telegram:1", "telegram:2", "telegram:3"):
        await app.deps.repos.indicators.add_report("account", SHOP_ACCOUNT, reporter, app.deps.now())
    chat = Conversation(app)
    await chat.say("", images=(png(shop_bill().image),))
    assert level(chat) != f"*{t('level.high')}*"  # citizens' reports alone never make a verdict high
    assert "10/100" in chat.text  # the text's own "reported" reason; the code's same account adds nothing


async def test_an_album_gets_one_verdict_over_all_its_images(app: App) -> None:
    chat = Conversation(app)
    images = (png(bank_notice().image), variant(sms_scam().image, "tg"), variant(vietqr_prize(True).image, "tg"))
    replies = await chat.say("Mấy tin này có phải lừa đảo không?", images=images)
    assert len(replies) == 1
    assert level(chat) == f"*{t('level.high')}*"
    for number in (1, 2, 3):
        assert t("image.album_item", number=number, count=3) in chat.text
    assert "vietcombank-xacthuc[.]top" in chat.text  # from the second image
    assert "MB ***5432" in chat.text  # from the third image's QR code
    assert "Mẹ gửi tiền học tháng 3." not in chat.text  # four lines per image of an album: its third line


async def test_an_album_with_an_unreadable_image_still_checks_the_others(app: App) -> None:
    chat = Conversation(app)
    await chat.say("", images=(b"not a picture", variant(sms_scam().image, "tg")))
    assert level(chat) == f"*{t('level.high')}*"
    assert t("image.problem.not_an_image") in chat.text
