"""`canhgiac signatures export` and `import`, run as real processes on a SQLite file."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.signature_answers import ANSWERS

pytestmark = pytest.mark.slow  # each test runs the `canhgiac` command as a process

ROOT = Path(__file__).resolve().parents[3]
NEW = {
    "id": "game-item-sale",
    "method": "OFFICER",
    "title_vi": ANSWERS["title_vi"],
    "title_en": "Cheap game items",
    "summary_vi": ANSWERS["summary_vi"],
    "summary_en": ANSWERS["summary_en"],
    "weight": 1.0,
    "cues": ANSWERS["cues"].replace("• ", "").splitlines(),
    "strong_cues": [],
    "advice_vi": ANSWERS["advice_vi"].splitlines(),
    "advice_en": ["Do not pay strangers first.", "Buy items only in the game's own app."],
    "examples": ANSWERS["examples"].splitlines(),
    "counter_examples": ANSWERS["counter_examples"].splitlines(),
    "sources": [],
}
GREEDY = dict(NEW, id="balance-alert", cues=["giao dịch thành công", "số dư khả dụng", "số dư tài khoản", "quý khách"])


def canhgiac(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CANHGIAC_DATABASE__URL": f"sqlite:///{tmp_path}/bot.sqlite3"}
    command = [sys.executable, "-m", "bot.cli", *args]
    return subprocess.run(command, check=False, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=180)


def lines(*signatures: dict) -> str:
    return "".join(json.dumps(s, ensure_ascii=False) + "\n" for s in signatures)


def test_export_import_round_trip_is_idempotent_and_versioned(tmp_path):
    exported = tmp_path / "library.jsonl"
    out = canhgiac(tmp_path, "signatures", "export", str(exported))
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in exported.read_text("utf-8").splitlines()]
    assert len(rows) >= 30 and all(r["enabled"] is True for r in rows) and "gambling" in {r["id"] for r in rows}

    again = canhgiac(tmp_path, "signatures", "import", str(exported))
    assert again.returncode == 0 and "nothing changed" in again.stdout  # the library as stored: no new versions

    gambling = next(r for r in rows if r["id"] == "gambling")
    edited = tmp_path / "edited.jsonl"
    edited.write_text(lines(dict(gambling, weight=1.2, enabled=False), NEW), "utf-8")
    first = canhgiac(tmp_path, "signatures", "import", str(edited))
    assert first.returncode == 0, first.stderr
    assert "2 added or changed: gambling, game-item-sale" in first.stdout
    second = canhgiac(tmp_path, "signatures", "import", str(edited))
    assert second.returncode == 0 and "nothing changed" in second.stdout

    after = tmp_path / "after.jsonl"
    canhgiac(tmp_path, "signatures", "export", str(after))
    stored = {r["id"]: r for r in map(json.loads, after.read_text("utf-8").splitlines())}
    assert stored["gambling"]["weight"] == 1.2 and stored["gambling"]["enabled"] is False
    assert stored["game-item-sale"]["cues"] == NEW["cues"]


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ("not json\n", "bad.jsonl:1: not valid JSON"),
        (lines(NEW) + lines(dict(NEW, cues=["một"])), "bad.jsonl:2: "),
        (lines(NEW, NEW), "bad.jsonl:2: signature 'game-item-sale' appears twice"),
        (lines(NEW) + "[1, 2]\n", "bad.jsonl:2: a line must be one JSON object"),
        (lines(dict(NEW, enabled="yes")), "bad.jsonl:1: enabled must be true or false"),
    ],
)
def test_a_malformed_file_is_rejected_with_its_line_and_nothing_imported(tmp_path, content, where):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content, "utf-8")
    out = canhgiac(tmp_path, "signatures", "import", str(bad))
    assert out.returncode == 2 and "nothing imported" in out.stderr and where in out.stderr
    exported = tmp_path / "library.jsonl"
    canhgiac(tmp_path, "signatures", "export", str(exported))
    assert "game-item-sale" not in exported.read_text("utf-8")


def test_the_guard_stops_an_import_that_flags_genuine_messages(tmp_path):
    greedy = tmp_path / "greedy.jsonl"
    greedy.write_text(lines(GREEDY), "utf-8")
    refused = canhgiac(tmp_path, "signatures", "import", str(greedy))
    assert refused.returncode == 1 and "balance-alert: would flag" in refused.stdout
    assert "--force" in refused.stderr
    assert "nothing imported" in canhgiac(tmp_path, "signatures", "import", str(greedy), "--yes").stderr
    forced = canhgiac(tmp_path, "signatures", "import", str(greedy), "--force")
    assert forced.returncode == 0 and "1 added or changed: balance-alert" in forced.stdout


def test_a_folder_of_signature_files_imports_like_the_shipped_library(tmp_path):
    folder = tmp_path / "sigs"
    folder.mkdir()
    (folder / "broken.toml").write_text('id = "broken"\nmethod = \n', "utf-8")
    out = canhgiac(tmp_path, "signatures", "import", str(folder))
    assert out.returncode == 2 and "broken.toml:2" in out.stderr
