"""Renders the README's picture: a synthetic scam screenshot beside the bot's answer to it.

Run: .venv/bin/python benchmarks/image_example.py  (writes docs/images/screenshot-check.png)
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from the checkout

from PIL import Image, ImageDraw

from bot.app import build_memory_app
from bot.markup.plain import render_plain
from handlers.messages import ChatKind, Incoming, Photo, Platform
from tests.screenshots import _font, sms_scam, variant

OUT = ROOT / "docs" / "images" / "screenshot-check.png"


async def answer(data: bytes) -> str:
    app = await build_memory_app()

    async def fetch(ref: str, max_bytes: int) -> bytes:
        return data

    app.add_image_fetcher("telegram", fetch)
    incoming = Incoming(Platform.TELEGRAM, "1", ChatKind.PRIVATE, "1", photo=Photo("example"))
    [reply] = await app.handle(incoming)
    await app.close()
    return "".join(ch for ch in render_plain(reply.text) if ord(ch) < 0x2600)  # the font has no emoji


def main() -> None:
    screen = sms_scam(dark=True).image
    text = asyncio.run(answer(variant(screen, "tg")))
    shot = screen.resize((screen.width * 900 // screen.height, 900))
    lines = [line for paragraph in text.splitlines() for line in _wrap(paragraph, 62)]
    canvas = Image.new("RGB", (shot.width + 1000, max(900, 40 + 27 * len(lines))), (245, 246, 248))
    canvas.paste(shot, (0, 0))
    draw = ImageDraw.Draw(canvas)
    for i, line in enumerate(lines):
        draw.text((shot.width + 30, 20 + 27 * i), line, font=_font(20), fill=(20, 20, 20))
    canvas.save(OUT, optimize=True)
    print(OUT)


def _wrap(text: str, width: int) -> list[str]:
    out, line = [], ""
    for word in text.split(" "):
        if line and len(line) + len(word) + 1 > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*out, line]


if __name__ == "__main__":
    main()
