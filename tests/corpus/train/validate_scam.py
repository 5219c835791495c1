"""Validate the scam TRAINING files (scam-*.jsonl) in tests/corpus/train/.

    python3 tests/corpus/train/validate_scam.py

Checks: valid JSON, required fields and allowed values, unique ids across every train/*.jsonl, no duplicate
texts, every method id at least MIN_PER_METHOD times (overall and in the written file), and that no text is
identical or nearly identical (lower-cased, digits removed) to a text of the evaluation files
tests/corpus/*.jsonl and tests/corpus/unseen/*.jsonl. Evaluation texts are read only to compare; they are
never printed. Prints counts per family, method, variant, category and source, and the heuristic share of
first contacts. Exit code 1 on any failure.
"""

import collections
import json
import re
import sys
import unicodedata
from difflib import SequenceMatcher
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent
SCAM_FILES = ["scam-templated.jsonl", "scam-written.jsonl"]
FIELDS = ["id", "text", "label", "method", "family", "variant", "category", "source"]
NEW_METHODS = {"debt-collection", "sex-service-deposit", "fake-documents", "premium-callback"}
FAMILIES = {
    "bank-phishing", "gambling", "job-task", "fake-payout", "debt-threat", "fake-prize", "sex-deposit",
    "traffic-fine", "fake-documents", "easy-loan", "premium-callback", "impersonation", "other",
}  # fmt: skip
VARIANTS = {"accented", "unaccented", "obfuscated", "teencode"}
MIN_PER_METHOD = 20
NEAR_RATIO = 0.9

CHANNEL = re.compile(
    r"\b(zalo|zl|tele|telegram|ib|inbox|ket ban|kb|lien he|lh|goi lai|goi ngay|goi|nhan tin|whatsapp)\b|t\.me|@\w{3,}"
)
LINK = re.compile(r"\b[a-z0-9-]+\s?(\.|\(\.\)|\[\.\]| cham )\s?(top|vip|cc|xyz|online|site|icu|shop|live|info|club|"
                  r"asia|tk|one|pro|link|click|buzz|cfd|sbs|com|net|vn|bet|me)\b")  # fmt: skip
ASK = re.compile(
    r"chuyen (khoan|tien|gap|giup|lai|vao|cho|phi|coc|nham)|\bck\b|\bstk\b|so tai khoan|\botp\b|ma xac|seri|"
    r"thanh toan|dong (phi|thue|tien)|\bnop\b|\bcoc\b|nap (them|tien|phi|lai|bu|du)|phi (van chuyen|ship|kich hoat|"
    r"ho so|bao hiem|xu ly|mo khoa|dich vu)|cccd 2 mat|anh cccd|mat khau|so the|cvv"
)
PHONE = re.compile(r"(\+84|\b0)\d{2,3}[ .]?\d{3}[ .]?\d{3,4}\b")


def fold(text):
    text = text.replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text.lower())


def norm(text):
    return re.sub(r"\s+", " ", re.sub(r"\d", "", text.lower())).strip()


def shingles(text, n=4):
    return {text[i : i + n] for i in range(max(1, len(text) - n + 1))}


def is_first_contact(text):
    t = fold(text).replace("\u200b", "")
    return bool(CHANNEL.search(t)) and not LINK.search(t) and not ASK.search(t)


def load(path, errors):
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            errors.append(f"{path.name}:{n} invalid JSON ({exc})")
    return rows


def near_matches(rows, others):
    """(exact, near): ids of our rows whose normalised text equals or nearly equals one of `others`."""
    views = [fold(norm(t)) for t in others]
    exact_set = set(views) | {norm(t) for t in others}
    index = collections.defaultdict(list)
    sizes = []
    for i, v in enumerate(views):
        sh = shingles(v)
        sizes.append(len(sh))
        for g in sh:
            index[g].append(i)
    exact, near = [], []
    for r in rows:
        fa = fold(norm(r["text"]))
        if fa in exact_set or norm(r["text"]) in exact_set:
            exact.append(r["id"])
            continue
        s = shingles(fa)
        shared = collections.Counter(i for g in s for i in index.get(g, ()))
        for i, k in shared.items():
            if k / (len(s) + sizes[i] - k) >= 0.5 and SequenceMatcher(None, fa, views[i]).ratio() >= NEAR_RATIO:
                near.append(r["id"])
                break
    return exact, near


def eval_texts():
    paths = sorted(CORPUS.glob("*.jsonl")) + sorted((CORPUS / "unseen").glob("*.jsonl"))
    return [json.loads(line).get("text", "") for p in paths for line in p.read_text(encoding="utf-8").splitlines()]


def main():
    methods_file = HERE.parents[2] / "knowledge" / "signatures" / "METHODS.txt"
    lines = methods_file.read_text(encoding="utf-8").splitlines()
    methods = {ln.split()[0] for ln in lines if ln.strip() and not ln.startswith("#")} | NEW_METHODS
    errors, rows, by_file = [], [], {}
    for name in SCAM_FILES:
        by_file[name] = load(HERE / name, errors)
        rows += by_file[name]
    all_ids = collections.Counter(r.get("id") for p in sorted(HERE.glob("*.jsonl")) for r in load(p, errors))
    errors += [f"duplicate id {i}" for i, c in all_ids.items() if c > 1]
    for r in rows:
        missing = [f for f in FIELDS if not r.get(f)]
        if missing:
            errors.append(f"{r.get('id')}: missing {missing}")
            continue
        bad = [(k, r[k]) for k, ok in [("label", {"scam"}), ("method", methods), ("family", FAMILIES),
                                         ("variant", VARIANTS), ("source", {"template", "written"})]
               if r[k] not in ok]  # fmt: skip
        if bad:
            errors.append(f"{r['id']}: bad values {bad}")
    texts = collections.Counter(r["text"] for r in rows)
    errors += [f"duplicate text ({c}x): {t[:60]!r}" for t, c in texts.items() if c > 1]
    n = len(rows)
    print(f"{n} scam messages; methods known: {len(methods)}")
    for name, rs in by_file.items():
        print(f"  {name}: {len(rs)}")
    for key in ("family", "method", "variant", "category", "source"):
        counts = collections.Counter(r[key] for r in rows)
        print(f"\n{key}: " + ", ".join(f"{k} {v} ({v / n:.1%})" for k, v in counts.most_common()))
    for label, rs in (("all", rows), ("written", by_file["scam-written.jsonl"])):
        counts = collections.Counter(r["method"] for r in rs)
        low = {m: counts.get(m, 0) for m in methods if counts.get(m, 0) < MIN_PER_METHOD}
        errors += [f"method below {MIN_PER_METHOD} in {label}: {low}"] if low else []
    first = sum(is_first_contact(r["text"]) for r in rows)
    stk_phone = sum(bool(re.search(r"\bstk\b|so tai khoan", fold(r["text"])) and PHONE.search(r["text"])) for r in rows)
    print(f"\nfirst contacts (heuristic: channel move, no link, no ask): {first} ({first / n:.1%})")
    print(f"account number + phone number in one message: {stk_phone}")
    sys.path.insert(0, str(HERE))
    from make_scam_sms import parse_templates

    print(f"distinct templates in the generator: {len(parse_templates())}")
    evals = eval_texts()
    exact, near = near_matches(rows, evals)
    print(
        f"overlap with {len(evals)} evaluation texts: {len(exact)} identical, {len(near)} near (ratio >= {NEAR_RATIO})"
    )
    errors += [f"overlaps evaluation text: {i}" for i in exact + near]
    genuine = [r.get("text", "") for p in sorted(HERE.glob("genuine-*.jsonl")) for r in load(p, errors)]
    exact, _ = near_matches(rows, genuine)
    print(
        f"scam texts identical (lower-cased, digits removed) to one of {len(genuine)} genuine train texts: {len(exact)}"
    )
    errors += [f"same text as a genuine train message: {i}" for i in exact]
    print("\n" + ("\n".join(errors) if errors else "OK: no errors"))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
