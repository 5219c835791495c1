"""Checking an image: a screenshot or photo sent in private, or one that /check replies to.

The image is read by the reader behind `deps.images` (text and QR codes); its text, the caption and any QR
link go through the usual check, and the verdict comes with what was read and the QR codes' details.
"""

from __future__ import annotations

import dataclasses

from handlers.check import verdict_reply
from handlers.dispatch import Context
from handlers.image_view import image_section, qr_lines, read_lines
from handlers.messages import Photo, Reply
from handlers.ports.images import ImageProblem, ImageRefused
from knowledge.vietqr import QrKind, qr_risks, read_qr


async def check_image(ctx: Context, photo: Photo) -> list[Reply]:
    """Read the image, check its text with the caption, and answer with the verdict and what was read."""
    images = ctx.deps.images
    try:
        if images is None or not images.available:
            raise ImageRefused(ImageProblem.OFF)
        reading = await images.read(ctx.msg.platform.value, photo.file_id)
    except ImageRefused as refused:
        problem = Reply(ctx.t(f"image.problem.{refused.problem.value}"))
        caption = photo.caption.strip()
        if not caption:
            return [problem]
        outcome = await ctx.deps.risk.check(caption, ctx.msg.platform.value)  # the caption is still worth a verdict
        return [await verdict_reply(ctx, outcome, caption), problem]
    codes = [read_qr(text) for text in reading.qr_texts]
    qr_words = [c.raw for c in codes if c.kind is not QrKind.PAYMENT] + [
        f"{c.name} {c.purpose}".strip() for c in codes if c.kind is QrKind.PAYMENT
    ]
    text = "\n".join(part for part in (photo.caption.strip(), reading.text, *qr_words, *reading.extra) if part)
    if not text.strip():
        return [Reply(ctx.t("image.nothing_read"))]
    outcome = await ctx.deps.risk.check(text, ctx.msg.platform.value)
    reply = await verdict_reply(ctx, outcome, text)
    lines = read_lines(reading.lines, ctx.deps.catalogue, ctx.lang) if reading.lines else []
    for code in codes:
        record = await ctx.deps.repos.indicators.lookup("account", code.account) if code.account else None
        lines += ["", *qr_lines(code, qr_risks(code, text), record, ctx.deps.catalogue, ctx.lang)]
    section = image_section(lines, outcome.verdict.indicators)
    return [dataclasses.replace(reply, text=f"{reply.text}\n\n{section}" if section else reply.text)]
