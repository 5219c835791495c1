"""The message catalogue: every text in both languages, every key the code uses present."""

import re
from pathlib import Path

from handlers.catalogue import load_catalogue
from handlers.ports.images import ImageProblem
from knowledge.vietqr import QrRisk

ROOT = Path(__file__).resolve().parents[2]
VIETNAMESE_MARKS = re.compile(r"[àáảãạăắằẳẵặâấầẩẫậèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵđ]", re.IGNORECASE)


def test_every_entry_has_vietnamese_and_english():
    catalogue = load_catalogue()
    for key in catalogue:
        entry = catalogue.entry(key)
        assert entry.get("vi", "").strip() and entry.get("en", "").strip(), key
        words = re.findall(r"[^\W\d_]+", entry["vi"])
        if len(words) >= 4:
            assert VIETNAMESE_MARKS.search(entry["vi"]), f"{key}: Vietnamese text without diacritics"


def test_every_literal_key_used_in_code_exists():
    catalogue = load_catalogue()
    used = set()
    for path in list((ROOT / "handlers").rglob("*.py")) + list((ROOT / "bot").rglob("*.py")):
        used |= set(
            re.findall(r"""(?:\.t|\.text|ctx\.t)\(\s*["']([a-z_]+(?:\.[a-z_]+)+)["']""", path.read_text("utf-8"))
        )
    missing = sorted(k for k in used if not catalogue.has(k))
    assert used and not missing, missing


def test_key_families_built_at_run_time_exist():
    catalogue = load_catalogue()
    for family, members in {
        "level": ("high", "medium", "low"),
        "refusal": ("group_admin", "officer", "superadmin"),
        "report.outcome": ("scam", "not_scam", "unclear"),
        "indicator": ("url", "phone", "account", "money"),
        "reputation": ("scam", "reported", "safe", "unknown"),
        "image.problem": tuple(p.value for p in ImageProblem),
        "image.qr_risk": tuple(r.value for r in QrRisk),
        "stats.chart.level": ("high", "medium", "low"),
        "stats.chart.decision": ("scam", "not_scam", "unclear"),
        "stats.chart": ("sent", "failed"),
    }.items():
        for member in members:
            assert catalogue.has(f"{family}.{member}"), f"{family}.{member}"
