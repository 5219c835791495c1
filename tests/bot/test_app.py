"""The composition root's choices: where the hash salt comes from."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from bot.app import App, build_app, build_memory_app
from bot.config import PrivacySettings
from tests.factories import settings_for

TEXT = "Chúc mừng bạn trúng thưởng, bấm vào link để nhận quà"


def text_hash(app: App) -> str:
    return app.deps.risk.text_hash(app.deps.risk.engine.check(TEXT))


async def hash_once(url: str, **changes: object) -> str:
    """Start the bot's app on `url` as a process would (no salt handed in), hash TEXT, close."""
    settings = settings_for(url)
    if changes:
        settings = settings.model_copy(update=changes)
    app = await build_app(settings)
    try:
        return text_hash(app)
    finally:
        await app.close()


async def test_the_salt_lives_in_the_database_wherever_the_process_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process started elsewhere, or the database file moved alone (a restore), hashes exactly as before."""
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    monkeypatch.chdir(first)
    before = await hash_once(f"sqlite:///{first}/data/bot.sqlite3")
    shutil.copy(first / "data" / "bot.sqlite3", second / "bot.sqlite3")  # closed, so its WAL is checkpointed
    monkeypatch.chdir(second)
    assert await hash_once(f"sqlite:///{second}/bot.sqlite3") == before
    assert not (second / "hash_salt").exists() and not (second / "data").exists()  # nothing beside it, or in cwd


async def test_a_salt_file_from_an_older_version_moves_into_the_database(tmp_path: Path) -> None:
    """Hashes stored before the salt moved keep matching: the file's salt becomes the database's."""
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "hash_salt").write_bytes(b"0123456789abcdef0123456789abcdef")
    url = f"sqlite:///{folder}/bot.sqlite3"
    memory = await build_memory_app()
    normalised = memory.deps.risk.engine.check(TEXT).normalised
    await memory.close()
    expected = hashlib.sha256(b"0123456789abcdef0123456789abcdef" + normalised.encode("utf-8")).hexdigest()
    assert await hash_once(url) == expected
    (folder / "hash_salt").unlink()  # from now on the database holds it
    assert await hash_once(url) == expected


async def test_a_configured_salt_still_wins(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/bot.sqlite3"
    stored = await hash_once(url)
    configured = await hash_once(url, privacy=PrivacySettings(hash_salt="from-the-config"))
    assert configured != stored and configured == await hash_once(
        url, privacy=PrivacySettings(hash_salt="from-the-config")
    )
