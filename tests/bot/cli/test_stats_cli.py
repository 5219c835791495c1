"""`canhgiac stats`, run as a real process the way the README shows it."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from handlers.stats_chart import PIXELS
from tests.factories import fixed_parts
from tests.processes import CANHGIAC, ROOT, clean_env

pytestmark = pytest.mark.slow  # each test runs processes

PNG = b"\x89PNG\r\n\x1a\n"


def run(*command: str | Path, folder: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command],
        check=False,
        capture_output=True,
        text=True,
        cwd=folder,
        env={**clean_env(), **(env or {})},
        timeout=180,
    )


def test_the_readme_commands_fill_a_database_and_draw_its_chart(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/example.sqlite3"
    filled = run(sys.executable, ROOT / "benchmarks/stats_bench.py", "--database", url, "--days", "45", "--fill-only",
                 folder=tmp_path)  # fmt: skip
    assert filled.returncode == 0, filled.stderr
    drawn = run(CANHGIAC, "stats", "--days", "30", "--out", "stats.png", folder=tmp_path,
                env={"CANHGIAC_DATABASE__URL": url})  # fmt: skip
    assert drawn.returncode == 0, drawn.stderr
    png = (tmp_path / "stats.png").read_bytes()
    assert png.startswith(PNG)
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == PIXELS
    summary = drawn.stdout
    assert all(piece.replace("*", "") in summary for piece in fixed_parts("stats.summary"))  # bold markers gone
    assert summary.startswith(fixed_parts("stats.summary")[0].strip("*") + " 30 ") and "*" not in summary
    assert "Traceback" not in drawn.stderr and not (tmp_path / "hash_salt").exists()
    refused = run(sys.executable, ROOT / "benchmarks/stats_bench.py", "--database", url, "--fill-only",
                  folder=tmp_path)  # fmt: skip
    assert refused.returncode != 0 and "already holds checks" in refused.stderr  # made-up rows never mix with real


def test_config_file_before_or_after_the_command_and_english(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/bot.sqlite3"\n', "utf-8")
    for command in (("--config", config, "stats"), ("stats", "--config", config)):
        done = run(CANHGIAC, *command, "--out", tmp_path / "week.png", "--lang", "en", folder=tmp_path)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("Statistics for 7 days")
        assert (tmp_path / "bot.sqlite3").exists() and (tmp_path / "week.png").read_bytes().startswith(PNG)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("--days", "0", "--out", "a.png"), "--days must be a whole number from 1 to 365"),
        (("--days", "366", "--out", "a.png"), "--days must be a whole number from 1 to 365"),
        (("--days", "abc", "--out", "a.png"), "--days must be a whole number from 1 to 365"),
        (("--out", "a.jpg"), "--out must name a .png file"),
        (("--out", "no/such/folder/a.png"), "there is no folder"),
        (("--days", "7"), "the following arguments are required: --out"),
    ],
)
def test_bad_arguments_exit_with_status_2_and_say_why(tmp_path: Path, arguments: tuple[str, ...], message: str) -> None:
    done = run(
        CANHGIAC, "stats", *arguments, folder=tmp_path, env={"CANHGIAC_DATABASE__URL": f"sqlite:///{tmp_path}/x"}
    )
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written, not even the database
