"""Checking images: a screenshot or photo sent in private, an album of them, or one that /check replies to.

Each image is read by the reader behind `deps.images` (text and QR codes); the texts, captions and any QR link
go through the usual check together, a payment QR code's risks count as hard evidence, and one verdict comes
with what was read in each image and the QR codes' details.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from handlers.check import verdict_reply
from handlers.dispatch import Context
from handlers.image_view import image_section, qr_lines, read_lines
from handlers.messages import Photo, Reply
from handlers.ports import IndicatorRecord
from handlers.ports.images import ImageProblem, ImageReading, ImageRefused
from handlers.risk import CheckOutcome
from knowledge import IndicatorKind, Reason, Reputation
from knowledge.vietqr import QrCode, QrKind, qr_evidence, qr_risks, read_qr

MAX_IMAGES = 10  # Telegram's largest album; more are not read


@dataclass(frozen=True, slots=True)
class _Read:
    """One image of the batch: what was read and its QR codes, or why it was not read."""

    reading: ImageReading | None
    problem: ImageProblem | None = None
    codes: tuple[QrCode, ...] = ()


async def check_image(ctx: Context, photo: Photo) -> list[Reply]:
    """Read one image, check its text with the caption, and answer with the verdict and what was read."""
    return await check_images(ctx, (photo,))


async def check_images(ctx: Context, photos: tuple[Photo, ...]) -> list[Reply]:
    """Read each image (one at a time: an album must not fill the shared queue), check everything read together
    with the captions, and answer once."""
    photos = photos[:MAX_IMAGES]
    reads = [await _read(ctx, photo) for photo in photos]
    captions = "\n".join(dict.fromkeys(p.caption.strip() for p in photos if p.caption.strip()))
    if all(r.reading is None for r in reads):
        problems = [Reply(ctx.t(f"image.problem.{p.value}")) for p in dict.fromkeys(r.problem for r in reads) if p]
        if not captions:
            return problems
        outcome = await ctx.deps.risk.check(captions, ctx.msg.platform.value)  # the caption is still worth a verdict
        return [await verdict_reply(ctx, outcome, captions), *problems]
    text = "\n".join(part for part in (captions, *(_text(r) for r in reads)) if part)
    if not text.strip():
        return [Reply(ctx.t("image.nothing_read"))]
    records = {c.account: await _record(ctx, c) for r in reads for c in r.codes if c.account}
    written = {i.value for i in ctx.deps.risk.find_indicators(text) if i.kind is IndicatorKind.ACCOUNT}
    evidence = _evidence(reads, text, {a: r for a, r in records.items() if a not in written})
    outcome = await ctx.deps.risk.check(text, ctx.msg.platform.value, evidence=evidence)
    reply = await verdict_reply(ctx, outcome, text)
    section = _section(ctx, reads, text, records, outcome)
    return [dataclasses.replace(reply, text=f"{reply.text}\n\n{section}" if section else reply.text)]


async def _read(ctx: Context, photo: Photo) -> _Read:
    images = ctx.deps.images
    try:
        if images is None or not images.available:
            raise ImageRefused(ImageProblem.OFF)
        reading = await images.read(ctx.msg.platform.value, photo.file_id)
        return _Read(reading, codes=tuple(read_qr(text) for text in reading.qr_texts))
    except ImageRefused as refused:
        return _Read(None, refused.problem)


def _text(read: _Read) -> str:
    """An image's text for the check: the lines read, what QR codes say (a link, a payee's name and note) and
    the entities a second reading found."""
    if read.reading is None:
        return ""
    codes = read.codes
    qr_words = [c.raw for c in codes if c.kind is not QrKind.PAYMENT] + [
        f"{c.name} {c.purpose}".strip() for c in codes if c.kind is QrKind.PAYMENT
    ]
    return "\n".join(part for part in (read.reading.text, *qr_words, *read.reading.extra) if part)


async def _record(ctx: Context, code: QrCode) -> IndicatorRecord | None:
    return await ctx.deps.repos.indicators.lookup("account", code.account)


def _evidence(reads: list[_Read], text: str, records: dict[str, IndicatorRecord | None]) -> tuple[Reason, ...]:
    """Every payment code's hard evidence, once per reason and account. `records` leaves out the accounts the
    text itself names: the check counts their reputation already."""
    out: dict[tuple[str, str], Reason] = {}
    for code in (c for r in reads for c in r.codes):
        record = records.get(code.account)
        reputation = Reputation(record.status, record.report_count) if record is not None else None
        for reason in qr_evidence(code, qr_risks(code, text), reputation):
            out.setdefault((reason.code, code.account), reason)
    return tuple(out.values())


def _section(
    ctx: Context, reads: list[_Read], text: str, records: dict[str, IndicatorRecord | None], outcome: CheckOutcome
) -> str:
    """What was read in each image (numbered in an album), its QR codes, and the images that were not read."""
    lines: list[str] = []
    album = len(reads) > 1
    for number, read in enumerate(reads, 1):
        if album:
            lines += ["", ctx.t("image.album_item", number=number, count=len(reads))]
        if read.reading is None:
            lines.append(ctx.t(f"image.problem.{read.problem.value}") if read.problem else "")
            continue
        if read.reading.lines:
            lines += read_lines(read.reading.lines, ctx.deps.catalogue, ctx.lang, short=album)
        for code in read.codes:
            risks = qr_risks(code, text)
            lines += ["", *qr_lines(code, risks, records.get(code.account), ctx.deps.catalogue, ctx.lang)]
    return image_section(lines, outcome.verdict.indicators).strip("\n")
