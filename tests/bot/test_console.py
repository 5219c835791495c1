"""The console chat: replies printed, and an image it is sent saved to a file whose path is printed."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from bot.app import build_memory_app
from bot.config import ConsoleSettings, Settings
from bot.console import ConsoleChat
from handlers.stats_chart import PIXELS
from tests.factories import t


async def test_an_officers_stats_chart_is_saved_to_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "images"
    app = await build_memory_app(Settings(console=ConsoleSettings(image_dir=str(folder))))
    await app.deps.repos.users.ensure("console", "officer-7", "Cán bộ", app.deps.now())
    await app.deps.repos.users.set_officer("console:officer-7", True)
    out = io.StringIO()
    chat = ConsoleChat(app, out, "officer-7")

    [reply] = await chat.say("/stats 14")

    [saved] = folder.iterdir()
    assert saved.suffix == ".png" and "officer-7" not in saved.name
    assert saved.read_bytes() == reply.attachment.png
    with Image.open(saved) as image:
        assert image.size == PIXELS
    printed = out.getvalue()
    assert reply.text.splitlines()[0].strip("*") in printed
    assert t("console.image_saved", path=saved) in printed
    assert t("stats.chart_elsewhere") not in printed  # the console shows the chart, so no "see Telegram" note
    await chat.say("/stats")
    assert len(list(folder.iterdir())) == 2  # a new file each time
    await app.close()


async def test_without_a_folder_the_system_temporary_folder_is_used(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)  # forget the folder tempfile chose before TMPDIR was set
    app = await build_memory_app()
    await app.deps.repos.users.ensure("console", "officer", "", app.deps.now())
    await app.deps.repos.users.set_officer("console:officer", True)
    out = io.StringIO()
    await ConsoleChat(app, out, "officer").say("/stats")
    line = next(line for line in out.getvalue().splitlines() if line.startswith(t("console.image_saved", path="")))
    saved = line.removeprefix(t("console.image_saved", path=""))
    assert saved.startswith(f"{tmp_path}/canhgiac-") and saved.endswith(".png")
    with Image.open(saved) as image:
        assert image.format == "PNG"
    await app.close()
