"""The command line, run as a real process."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from handlers.catalogue import load_catalogue
from tests.factories import fixed_parts, t

pytestmark = pytest.mark.slow  # each test runs the `canhgiac` command as a process

ROOT = Path(__file__).resolve().parents[3]


def canhgiac(*args, stdin="", cwd=None, env=None):
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        check=False,
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_check_prints_a_vietnamese_verdict():
    out = canhgiac("check", "Tài khoản của bạn bị khóa, xác thực tại vietcombank-xacthuc.top ngay")
    assert out.returncode == 0 and out.stdout.startswith("🔴 NGUY CƠ LỪA ĐẢO CAO")


def test_check_json_and_stdin():
    out = canhgiac("check", "--json", stdin="Mẹ ơi tối con về ăn cơm nhé")
    verdict = json.loads(out.stdout)
    assert verdict["level"] == "low" and 0 <= verdict["score"] <= 100


def test_jsonl_batch_reports_bad_lines_and_goes_on(tmp_path):
    batch = tmp_path / "in.jsonl"
    batch.write_text(
        '{"id": "a", "text": "Chuyển 5tr vào STK 0123456789 ngay, không được nói với ai"}\n'
        "not json\n"
        '{"id": "b"}\n'
        '{"id": "c", "text": ""}\n',
        "utf-8",
    )
    out = canhgiac("check", "--jsonl", str(batch))
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r.get("id") for r in rows] == ["a", None, None, "c"]
    assert {"id", "level", "score", "methods", "reasons"} <= rows[0].keys()
    assert rows[1]["line"] == 2 and "error" in rows[1] and rows[2]["line"] == 3
    assert out.returncode == 1


def _strict_json(line: str) -> dict:
    """One output line, parsed as standard JSON (no NaN or Infinity, which Python's own parser accepts)."""

    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(line, parse_constant=refuse)


@pytest.mark.parametrize("workers", [1, 2])
def test_jsonl_hostile_lines_get_an_error_each_and_the_batch_goes_on(tmp_path, workers):
    good = '{{"id": "{}", "text": "Chuyển 5tr vào STK 0123456789 ngay, không được nói với ai"}}'
    hostile = {
        250: '{"id": ' + "[" * 100_000 + "]" * 100_000 + ', "text": "nested"}',  # RecursionError in the parser
        260: '{"id": "\\ud800", "text": "lone surrogate"}',  # UnicodeEncodeError when written out
        270: '{"id": NaN, "text": "not a number"}',  # Python reads NaN; echoing it would not be JSON
        280: '{"id": 1e999, "text": "infinity"}',
    }
    lines = [hostile.get(n, good.format(n)) for n in range(1, 451)]  # the hostile lines sit in the second chunk
    lines[0] = "\ufeff" + good.format("bom")  # a file saved by an editor that writes a byte-order mark
    batch = tmp_path / "in.jsonl"
    batch.write_text("\n".join(lines) + "\n", "utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "bot.cli", "check", "--jsonl", str(batch), "--workers", str(workers)],
        check=False,
        capture_output=True,
        cwd=ROOT,
        timeout=300,
    )
    assert out.returncode == 1, out.stderr.decode("utf-8", "replace")[-3000:]
    assert b"Traceback" not in out.stderr
    rows = [_strict_json(line) for line in out.stdout.decode("utf-8").splitlines()]
    assert len(rows) == len(lines)
    assert rows[0]["id"] == "bom" and rows[0]["level"] in ("high", "medium", "low")
    for number, row in enumerate(rows, 1):
        if number in hostile:
            assert row["line"] == number and row["error"] and "id" not in row, row
        elif number > 1:
            assert row["id"] == str(number) and row["level"] == rows[0]["level"], row


def test_console_chat_with_no_token_on_sqlite(tmp_path):
    env = {"CANHGIAC_DATABASE__URL": f"sqlite:///{tmp_path}/chat.sqlite3", "CANHGIAC_PRIVACY__HASH_SALT": "s"}
    script = "Bạn trúng thưởng iPhone, đóng phí 300k tại shopee-tritan.vip\n1\n/stats\n/quit\n"
    out = canhgiac("run", stdin=script, cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stderr
    assert "console chat" in out.stderr
    assert "NGUY CƠ LỪA ĐẢO CAO" in out.stdout and "[1]" in out.stdout and "Cảm ơn" in out.stdout
    assert "dành cho cán bộ" in out.stdout
    assert (tmp_path / "chat.sqlite3").exists()
    images = tmp_path / "images"
    officer = canhgiac(
        "chat",
        "--as",
        "officer",
        stdin="/stats\n",
        cwd=tmp_path,
        env={**env, "CANHGIAC_CONSOLE__IMAGE_DIR": str(images)},
    )
    assert all(piece.replace("*", "") in officer.stdout for piece in fixed_parts("stats.summary"))
    checks_line = load_catalogue().entry("stats.summary")["vi"].splitlines()[1]
    assert checks_line.format(total=1, high=1, medium=0, low=0) in officer.stdout  # the one check made above
    [chart] = images.iterdir()
    assert t("console.image_saved", path=chart) in officer.stdout and chart.read_bytes().startswith(b"\x89PNG")


def test_config_command_redacts_secrets():
    out = canhgiac("config", env={"CANHGIAC_TELEGRAM__TOKEN": "999:TOPSECRET"})
    assert out.returncode == 0 and "TOPSECRET" not in out.stdout and "********" in out.stdout


DATABASE_WITH_PASSWORD = "postgresql+psycopg://canhgiac:pa55%40w0rd@127.0.0.1:{port}/bot"


def test_config_command_masks_the_database_password():
    out = canhgiac("config", env={"CANHGIAC_DATABASE__URL": DATABASE_WITH_PASSWORD.format(port=5432)})
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["database"]["url"] == "postgresql+psycopg://canhgiac:***@127.0.0.1:5432/bot"
    assert "pa55" not in out.stdout + out.stderr


def test_console_start_notice_masks_the_database_password(tmp_path):
    with socket.socket() as unused:  # nothing listens there: the chat cannot start, but the notice comes first
        unused.bind(("127.0.0.1", 0))
        url = DATABASE_WITH_PASSWORD.format(port=unused.getsockname()[1])
    out = canhgiac("run", stdin="/quit\n", cwd=tmp_path, env={"CANHGIAC_DATABASE__URL": url})
    assert "postgresql+psycopg://canhgiac:***@127.0.0.1:" in out.stderr
    assert "pa55" not in out.stdout + out.stderr


def test_jsonl_in_worker_processes_matches_one_process():
    from io import StringIO

    from bot.cli.engine import run_jsonl
    from knowledge.engine import Engine

    texts = ["Chuyển 5tr vào STK 0123456789 ngay", "Mẹ ơi tối con về", "Trúng thưởng iPhone, đóng phí 300k"] * 80
    lines = "".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts))
    lines += "{not json\n"
    single, multi = StringIO(), StringIO()
    assert run_jsonl(Engine(), StringIO(lines), single, workers=1) == 1
    assert run_jsonl(Engine(), StringIO(lines), multi, workers=2) == 1
    assert single.getvalue() == multi.getvalue() and len(single.getvalue().splitlines()) == 241


def test_eval_defaults_to_the_corpus_and_lists_errors():
    out = canhgiac("eval")
    assert out.returncode == 0, out.stderr
    assert "dev.jsonl" in out.stdout and "holdout.jsonl" in out.stdout
    overall = next(line for line in out.stdout.splitlines() if line.startswith("all "))
    assert int(overall.split()[1]) >= 350  # scams in dev + held-out
    unseen = canhgiac("eval", "tests/corpus/unseen/blind.jsonl", "--errors")
    assert unseen.returncode == 0 and "missed scams:" in unseen.stdout and "false alarms:" in unseen.stdout
    missing = canhgiac("eval", "no/such/file.jsonl")
    assert missing.returncode == 2 and "no/such/file.jsonl" in missing.stderr and "Traceback" not in missing.stderr


def test_a_reader_that_goes_away_stops_the_command_quietly(tmp_path):
    """`canhgiac check --jsonl FILE | head -1`: no BrokenPipeError traceback when the reader stops reading."""
    batch = tmp_path / "many.jsonl"
    batch.write_text("".join(json.dumps({"text": f"Mẹ ơi tối nay con về muộn {i}"}) + "\n" for i in range(3000)))
    with subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "check", "--jsonl", str(batch)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.readline()
        process.stdout.close()  # what `head -1` does after its line
        err = process.stderr.read().decode()
        code = process.wait(timeout=120)
    assert json.loads(first)["level"] == "low"
    assert code == 1 and "Traceback" not in err and "BrokenPipe" not in err
