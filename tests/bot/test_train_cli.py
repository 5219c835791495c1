"""`canhgiac train`, run as the installed console script, on small corpora so that it takes seconds."""

import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.storage import open_database
from knowledge.learned import load_model

ROOT = Path(__file__).resolve().parents[2]
CANHGIAC = Path(sys.executable).parent / "canhgiac"
T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.slow

SCAMS = [
    "Nha cai uy tin so 1, nap dau tang 100%, rut tien sieu toc, lien he Zalo 0912345678",
    "Tuyen CTV lam viec tai nha, moi ngay 500k, chi can dien thoai, ket ban Zalo 0987654321",
    "Vay tien online chi can CCCD, khong tham dinh, giai ngan 30 phut, phi ho so 500k truoc",
    "Tai khoan cua ban bi khoa, xac thuc ngay tai vcb-xacminh.top de tranh mat tien",
    "Ban da trung thuong xe SH, nop phi 2 trieu vao STK 0123456789 de nhan giai",
    "Em gai xinh dich vu tan noi, chuyen coc 500k truoc moi gui dia chi, lien he tele @emxinh",
]
GENUINE = [
    "Ma OTP cua quy khach la 123456, KHONG chia se cho bat ky ai. Vietcombank",
    "Me oi toi nay con ve an com, me nau canh chua nhe",
    "Viettel: Goi ST90 uu dai 1GB/ngay, soan ST90 gui 191. Tu choi QC soan TC gui 199",
    "TK 1234xxx890 +2,000,000 VND luc 09:30 01/12. SD 5,400,000 VND. ND: luong thang 11",
    "Chieu nay hop phu huynh luc 16h tai phong 204, cac anh chi nho den dung gio",
    "Don hang 8123 cua ban da duoc giao thanh cong. Cam on ban da mua sam tai Tiki",
]


def canhgiac(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CANHGIAC), *args],
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def corpus_file(folder: Path) -> Path:
    path = folder / "small.jsonl"
    rows = [{"id": f"s{i}", "text": t, "label": "scam", "method": "gambling"} for i, t in enumerate(SCAMS)]
    rows += [{"id": f"g{i}", "text": t, "label": "legit"} for i, t in enumerate(GENUINE)]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def test_train_writes_a_model_the_engine_can_load(tmp_path):
    output = tmp_path / "model.npz"
    result = canhgiac("train", str(corpus_file(tmp_path)), "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert "0 decided by officers" in result.stdout and f"wrote {output}" in result.stdout
    model = load_model(output)
    assert model.threshold >= 0.5 and "gambling" in model.methods
    assert "threshold" in result.stdout and "of genuine messages reach it" in result.stdout


def test_train_refuses_an_evaluation_set_and_bad_files(tmp_path):
    output = tmp_path / "model.npz"
    result = canhgiac("train", "tests/corpus/holdout.jsonl", "--output", str(output))
    assert result.returncode == 2 and "evaluation set" in result.stderr and not output.exists()
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": 1, "text": "x"}\nnot json\n', "utf-8")
    result = canhgiac("train", str(broken), "--output", str(output))
    assert result.returncode == 2 and "broken.jsonl:1" in result.stderr and not output.exists()
    assert "Traceback" not in result.stderr


async def _decided_reports(url: str) -> None:
    async with await open_database(url) as database:
        reports = database.repos.reports
        kwargs = {"platform": "telegram", "chat_id": "5", "notify": False}
        scam = await reports.add(actor="telegram:5", text=SCAMS[0] + " (bao cao)", at=T0, **kwargs)
        genuine = await reports.add(actor="telegram:6", text="Lich cat dien khu pho 3 ngay mai", at=T0, **kwargs)
        unclear = await reports.add(actor="telegram:7", text="Khong ro", at=T0, **kwargs)
        await reports.add(actor="telegram:8", text="Chua xem", at=T0, **kwargs)
        await reports.decide(scam, "scam", "telegram:1", T0)
        await reports.decide(genuine, "not_scam", "telegram:1", T0)
        await reports.decide(unclear, "unclear", "telegram:1", T0)


def test_include_reviewed_learns_from_officers_decisions(tmp_path):
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    asyncio.run(_decided_reports(url))
    output = tmp_path / "model.npz"
    env = {"CANHGIAC_DATABASE__URL": url}
    result = canhgiac("train", str(corpus_file(tmp_path)), "--include-reviewed", "--output", str(output), env=env)
    assert result.returncode == 0, result.stderr
    assert "(2 decided by officers)" in result.stdout  # scam and not-a-scam; unclear and pending are not labels
    assert output.exists()
