"""Images the bot made itself (the /stats chart) go to Telegram as uploaded photos."""

from __future__ import annotations

import io

from PIL import Image

from bot.telegram.render import MAX_CAPTION, plan
from handlers.messages import Attachment, Reply
from handlers.stats_chart import PIXELS
from tests import factories as f
from tests.bot.telegram.helpers import Telegram

PNG = b"\x89PNG\r\n\x1a\n"


async def test_an_officers_stats_arrive_as_a_photo_with_the_summary_as_caption(tg: Telegram) -> None:
    repos = tg.app.deps.repos
    await repos.users.ensure("telegram", str(f.OFFICER), "Cán bộ", tg.app.deps.now())
    await repos.users.set_officer(f"telegram:{f.OFFICER}", True)
    calls = await tg.send(f.message("/stats 30", chat_id=f.OFFICER), timeout=30)
    [photo] = [c for c in calls if c.method == "sendPhoto"]
    assert [c.method for c in calls if c.method.startswith("send")] == ["sendPhoto"]
    assert photo.params["chat_id"] == f.OFFICER and photo.params["parse_mode"] == "HTML"
    upload = photo.params["photo"]
    assert isinstance(upload, bytes) and upload.startswith(PNG)
    with Image.open(io.BytesIO(upload)) as image:
        assert image.size == PIXELS
    heading = f.fixed_parts("stats.summary")[0].strip("*")  # "Statistics for", before the number of days
    assert photo.params["caption"].startswith(f"<b>{heading} 30 ")


def test_a_long_text_follows_the_photo() -> None:
    png = PNG + b"rest"
    [photo] = plan(Reply("*Thống kê*", attachment=Attachment(png)), "1", "bot")
    assert photo.photo == png and photo.html == "<b>Thống kê</b>"
    long = "chữ " * 400
    assert len(long) > MAX_CAPTION
    first, *rest = plan(Reply(long, attachment=Attachment(png)), "1", "bot")
    assert first.photo == png and first.html == "" and rest and all(out.photo is None for out in rest)
