"""Synthetic phone screenshots with exact ground truth: SMS, Zalo and Messenger chats, a Facebook post, bank
notice and transfer screens, VietQR screens (a prize scam, a shop's bill), light and dark, rendered with Pillow
and Debian's Noto Sans (every Vietnamese letter), plus the sizes Telegram and re-forwarding make of them. A plain
module: tests, the benchmark and the README picture use it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import zxingcpp
from PIL import Image, ImageDraw, ImageFont

from knowledge.vietqr import NAPAS_GUID, build_payload

FONT_DIR = Path("/usr/share/fonts/truetype/noto")
WIDTH, HEIGHT = 1080, 2340
LIGHT = {"bg": (255, 255, 255), "text": (20, 20, 20), "muted": (110, 110, 110), "bubble": (238, 240, 243)}
DARK = {"bg": (18, 18, 20), "text": (235, 235, 235), "muted": (150, 150, 150), "bubble": (44, 46, 52)}


def fonts_installed() -> bool:
    return (FONT_DIR / "NotoSans-Regular.ttf").is_file()


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / ("NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf")), size)


@dataclass
class Screen:
    """A rendered screen, the exact text on it (one entry per line, top to bottom) and its key strings."""

    name: str
    image: Image.Image
    lines: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    qr: str = ""

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


class _Canvas:
    def __init__(self, name: str, dark: bool) -> None:
        self.theme = DARK if dark else LIGHT
        self.screen = Screen(name, Image.new("RGB", (WIDTH, HEIGHT), self.theme["bg"]))
        self.draw = ImageDraw.Draw(self.screen.image)
        self.y = 60

    def line(
        self,
        text: str,
        size: int = 40,
        bold: bool = False,
        muted: bool = False,
        x: int = 60,
        colour: tuple[int, int, int] | None = None,
    ) -> None:
        fill = colour or (self.theme["muted"] if muted else self.theme["text"])
        self.draw.text((x, self.y), text, font=_font(size, bold), fill=fill)
        self.screen.lines.append(text)
        self.y += int(size * 1.55)

    def bubble(
        self,
        texts: list[str],
        size: int = 40,
        fill: tuple[int, int, int] | None = None,
        colour: tuple[int, int, int] | None = None,
        right: bool = False,
    ) -> None:
        """A chat bubble; `right` is a sent one (Messenger's are white text on a mid-tone blue or purple)."""
        top, height = self.y - 20, int(len(texts) * size * 1.55) + 30
        left = 120 if right else 40
        box = (left, top, WIDTH - (40 if right else 120), top + height)
        self.draw.rounded_rectangle(box, 36, fill=fill or self.theme["bubble"])
        for text in texts:
            self.line(text, size, x=left + 40, colour=colour)
        self.y += 50

    def button(self, text: str, fill: tuple[int, int, int], size: int = 40) -> None:
        """A filled button with white text, centred (coloured buttons are where plain Tesseract loses text)."""
        width = int(_font(size, True).getlength(text)) + 120
        left, top = (WIDTH - width) // 2, self.y - 24
        self.draw.rounded_rectangle((left, top, left + width, top + int(size * 1.55) + 40), 20, fill=fill)
        self.line(text, size, bold=True, x=left + 60, colour=(255, 255, 255))
        self.y += 40

    def band(self, texts: list[tuple[str, int, bool]], fill: tuple[int, int, int]) -> None:
        """A coloured header band with white text: (text, size, bold) lines."""
        height = sum(int(size * 1.55) for _, size, _ in texts) + 60
        self.draw.rectangle((0, self.y - 30, WIDTH, self.y - 30 + height), fill=fill)
        for text, size, bold in texts:
            self.line(text, size, bold=bold, colour=(255, 255, 255))
        self.y += 60

    def qr(self, payload: str, module: int = 10) -> None:
        code = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode)
        image = Image.fromarray(bytes_array(code.to_image(scale=module, add_quiet_zones=True)))
        self.screen.image.paste(image.convert("RGB"), ((WIDTH - image.width) // 2, self.y))
        self.y += image.height + 40
        self.screen.qr = payload


def bytes_array(image: object) -> object:
    import numpy as np

    return np.asarray(image)


def sms_scam(dark: bool = False) -> Screen:
    """An SMS thread from a sender named like a bank, with a look-alike link."""
    c = _Canvas(f"sms-scam-{'dark' if dark else 'light'}", dark)
    c.line("Vietcombank", 52, bold=True)
    c.line("Tin nhắn văn bản • Hôm nay 09:41", 32, muted=True)
    c.y += 40
    c.bubble(
        [
            "Vietcombank thông báo: tài khoản của",
            "Quý khách đang bị tạm khóa do chưa",
            "cập nhật sinh trắc học. Vui lòng xác",
            "thực ngay tại vietcombank-xacthuc.top",
            "để tránh bị gián đoạn giao dịch.",
        ]
    )
    c.line("Gửi tin nhắn", 36, muted=True)
    c.screen.entities = ["vietcombank-xacthuc.top"]
    return c.screen


def zalo_police(dark: bool = False) -> Screen:
    """A Zalo chat from someone posing as the police, with a phone number and an account."""
    c = _Canvas(f"zalo-police-{'dark' if dark else 'light'}", dark)
    c.line("Cán bộ Công an Quận 3", 48, bold=True)
    c.line("Vừa mới truy cập", 30, muted=True)
    c.y += 40
    c.bubble(
        [
            "Anh liên quan đến vụ án rửa tiền.",
            "Gọi ngay số 0987 654 321 để được hướng",
            "dẫn, chuyển 50.000.000 đồng vào STK",
            "1903 5566 7788 01 Techcombank để",
            "chứng minh tài sản trong hôm nay.",
        ]
    )
    c.screen.entities = ["0987 654 321", "1903 5566 7788 01", "50.000.000"]
    return c.screen


def bank_notice(dark: bool = False) -> Screen:
    """A genuine balance-change notification: nothing to worry about."""
    c = _Canvas(f"bank-notice-{'dark' if dark else 'light'}", dark)
    c.line("Thông báo biến động số dư", 46, bold=True)
    c.line("Hôm nay 14:05", 30, muted=True)
    c.y += 40
    c.bubble(
        [
            "TK 0011004455667 +1.500.000 VND",
            "lúc 14:05 12/03. Số dư 8.250.000 VND.",
            "Nội dung: Mẹ gửi tiền học tháng 3.",
        ]
    )
    c.screen.entities = ["0011004455667", "1.500.000", "8.250.000"]
    return c.screen


def vietqr_prize(dark: bool = False) -> Screen:
    """A 'scan to receive your prize' screen with a VietQR that pays a mule account."""
    c = _Canvas(f"vietqr-prize-{'dark' if dark else 'light'}", dark)
    payload = vietqr_payload("970422", "0398765432", "2000000", "NHAN THUONG TRI AN")
    c.line("Chúc mừng bạn trúng thưởng!", 50, bold=True)
    c.line("Quét mã QR để nhận tiền thưởng", 40)
    c.line("Phí xác nhận: 2.000.000 đồng", 40)
    c.y += 30
    c.qr(payload)
    c.line("MB • 0398765432", 40, bold=True)
    c.screen.entities = ["0398765432", "2.000.000"]
    return c.screen


def messenger_loan(dark: bool = False) -> Screen:
    """A Messenger chat from a hacked friend's account asking to borrow money; the reader's own answers sit in
    the blue (light) or purple (dark) "sent" bubbles, white text on a mid-tone colour."""
    c = _Canvas(f"messenger-loan-{'dark' if dark else 'light'}", dark)
    sent = (130, 70, 235) if dark else (0, 132, 255)
    c.line("Nguyễn Thị Lan", 48, bold=True)
    c.line("Đang hoạt động", 30, muted=True)
    c.y += 40
    c.bubble(["Em ơi, chị đang kẹt chút việc gấp,", "cho chị mượn 5.000.000 đồng nhé,", "tối nay chị trả."])
    c.bubble(["Chị cần gấp vậy ạ? Chị đang ở đâu?"], fill=sent, colour=(255, 255, 255), right=True)
    c.bubble(
        [
            "Chuyển giúp chị vào STK 0451000234567",
            "Vietcombank, chủ tài khoản TRAN VAN BINH.",
            "Đừng gọi điện nhé, chị đang họp.",
        ]
    )
    c.bubble(["Dạ để em kiểm tra lại đã."], fill=sent, colour=(255, 255, 255), right=True)
    c.screen.entities = ["0451000234567", "5.000.000"]
    return c.screen


def facebook_loan(dark: bool = False) -> Screen:
    """A sponsored Facebook post offering a loan without paperwork, with a blue button and a look-alike link."""
    c = _Canvas(f"facebook-loan-{'dark' if dark else 'light'}", dark)
    c.line("Hỗ Trợ Vay Vốn Nhanh 24h", 44, bold=True)
    c.line("Được tài trợ · 2 giờ", 30, muted=True)
    c.y += 30
    for text in (
        "Giải ngân trong 30 phút, không cần thế chấp,",
        "chỉ cần CCCD. Lãi suất 0% tháng đầu.",
        "Hạn mức từ 10.000.000 đến 500.000.000 đồng.",
        "Đăng ký tại vayvon-nhanh24h.online",
        "Liên hệ Zalo: 0912 345 678",
    ):
        c.line(text, 38)
    c.y += 40
    c.button("Đăng ký ngay", (24, 119, 242))
    c.line("1,2K lượt thích · 348 bình luận", 30, muted=True)
    c.screen.entities = ["vayvon-nhanh24h.online", "0912 345 678", "10.000.000", "500.000.000"]
    return c.screen


def bank_transfer(dark: bool = False) -> Screen:
    """A bank app's "transfer successful" screen: a green band, the details, a blue button."""
    c = _Canvas(f"bank-transfer-{'dark' if dark else 'light'}", dark)
    c.y += 30
    c.band([("Chuyển tiền thành công", 48, True), ("15.000.000 VND", 56, True)], (0, 150, 90))
    for label, value in (
        ("Người nhận", "NGUYEN VAN HUNG"),
        ("Số tài khoản", "1903 5566 7788 01"),
        ("Ngân hàng", "Techcombank"),
        ("Nội dung", "Chuyển tiền đặt cọc nhà"),
        ("Mã giao dịch", "FT24071234567"),
        ("Thời gian", "09:41 12/07/2024"),
    ):
        c.line(label, 32, muted=True)
        c.line(value, 40, bold=True)
        c.y += 10
    c.y += 30
    c.button("Về trang chủ", (0, 110, 200))
    c.screen.entities = ["15.000.000", "1903 5566 7788 01", "FT24071234567", "12/07/2024"]
    return c.screen


SHOP_ACCOUNT = "0071000123456"
SWAPPED_ACCOUNT = "0398765432"


def shop_bill(dark: bool = False, swapped: bool = False) -> Screen:
    """A shop's bill with its VietQR: the amount and the account printed under the code match the code (genuine).
    `swapped`: the code pays another account (MB) than the one printed, as a swapped sticker does."""
    c = _Canvas(f"shop-bill-{'dark' if dark else 'light'}{'-swapped' if swapped else ''}", dark)
    payload = (
        vietqr_payload("970422", SWAPPED_ACCOUNT, "350000", "THANH TOAN DH20240815")
        if swapped
        else vietqr_payload("970436", SHOP_ACCOUNT, "350000", "THANH TOAN DH20240815")
    )
    c.line("Cửa hàng hoa Mai Anh", 48, bold=True)
    c.line("Thanh toán đơn hàng DH20240815", 40)
    c.line("Tổng tiền: 350.000 đồng", 40)
    c.y += 30
    c.qr(payload)
    c.line(f"Vietcombank • STK {SHOP_ACCOUNT}", 40, bold=True)
    c.line("Cảm ơn quý khách!", 36, muted=True)
    c.screen.entities = [SHOP_ACCOUNT, "350.000", "DH20240815"]
    return c.screen


def vietqr_payload(bin_: str, account: str, amount: str, purpose: str) -> str:
    def tlv(*objects: tuple[str, str]) -> str:
        return "".join(f"{tag}{len(value):02d}{value}" for tag, value in objects)

    beneficiary = tlv(("00", bin_), ("01", account))
    return build_payload(
        [
            ("00", "01"),
            ("01", "12"),
            ("38", tlv(("00", NAPAS_GUID), ("01", beneficiary), ("02", "QRIBFTTA"))),
            ("53", "704"),
            ("54", amount),
            ("58", "VN"),
            ("62", tlv(("08", purpose))),
        ]
    )


ALL_SCREENS = (
    sms_scam,
    zalo_police,
    bank_notice,
    vietqr_prize,
    messenger_loan,
    facebook_loan,
    bank_transfer,
    shop_bill,
)
# The screens added with Messenger's mid-tone bubbles, coloured buttons and bands (measured apart in benchmarks).
COLOURED_SCREENS = (messenger_loan, facebook_loan, bank_transfer)


def variant(image: Image.Image, kind: str) -> bytes:
    """The bytes a bot receives: "orig" (a PNG sent as a file), "tg" (a Telegram photo: long side 1280 px, JPEG
    q82), "heavy" (a re-forwarded thumbnail: long side 960 px, JPEG q55 then q70)."""
    if kind == "orig":
        return png(image)
    side, qualities = (1280, (82,)) if kind == "tg" else (960, (55, 70))
    scale = side / max(image.size)
    current = image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.LANCZOS)
    data = b""
    for quality in qualities:
        buffer = io.BytesIO()
        current.save(buffer, "JPEG", quality=quality)
        data = buffer.getvalue()
        current = Image.open(io.BytesIO(data)).convert("RGB")
    return data


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def blank_png() -> bytes:
    return png(Image.new("RGB", (400, 300), (255, 255, 255)))


def bomb_png(side: int = 20_000) -> bytes:
    """A small file that unpacks to side x side pixels (a decompression bomb)."""
    return png(Image.new("1", (side, side), 1))


def ocr_ready() -> bool:
    """Tesseract's Vietnamese data and the fonts are installed (CI installs them: `make system-deps`)."""
    from bot.images.ocr import find_tessdata

    return find_tessdata() is not None and fonts_installed()


def require_ocr() -> None:
    """Skip a test that needs Tesseract and the fonts, except where they are required (CI): fail there."""
    import os

    import pytest

    if ocr_ready():
        return
    if os.environ.get("CANHGIAC_REQUIRE_OCR"):
        pytest.fail("Tesseract's Vietnamese data or fonts-noto-core is missing: run `make system-deps`")
    pytest.skip("Tesseract's Vietnamese data or fonts-noto-core is not installed (make system-deps)")
