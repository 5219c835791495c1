"""Validate the genuine training files and check that none of them leaks into an evaluation set.

    python tests/corpus/train/validate_genuine.py

Checks every genuine-*.jsonl here: valid JSON, required fields and values, unique ids and texts;
prints counts per file, category and variant. The scam-*.jsonl files beside them belong to another
brief: only their ids and texts are read, for unique ids and for genuine/scam text clashes.
Then compares every genuine text with the texts of the evaluation sets (tests/corpus/*.jsonl and
tests/corpus/unseen/*.jsonl), which it reads only for this and never prints: a training text fails
if it equals an evaluation text after lower-casing and removing digits (or also diacritics and
punctuation), or if their character 4-grams overlap with Jaccard >= NEAR. Exit status 1 on failure.
"""

import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
EVAL_FILES = sorted((HERE.parent).glob("*.jsonl")) + sorted((HERE.parent / "unseen").glob("*.jsonl"))
FIELDS = {"id", "text", "label", "method", "variant", "category", "source"}
VARIANTS = {"accented", "unaccented", "obfuscated", "teencode"}
SOURCES = {"template", "written"}
NEAR = 0.6


def key_digits(text: str) -> str:
    return " ".join(re.sub(r"\d", "", text.lower()).split())


def key_loose(text: str) -> str:
    text = unicodedata.normalize("NFD", key_digits(text).replace("đ", "d"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def shingles(text: str) -> set[str]:
    text = key_loose(text)
    return {text[i : i + 4] for i in range(max(1, len(text) - 3))}


def check_rows(errors: list[str]) -> list[dict]:
    rows, ids, texts = [], set(), {}
    for path in sorted(HERE.glob("genuine-*.jsonl")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            where = f"{path.name}:{number}"
            try:
                row = json.loads(line)
            except ValueError as exc:
                errors.append(f"{where}: not JSON ({exc})")
                continue
            if set(row) != FIELDS:
                errors.append(f"{where}: fields {sorted(row)}")
                continue
            problems = [
                row["label"] != "legit" and "label",
                row["method"] is not None and "method",
                row["variant"] not in VARIANTS and "variant",
                row["source"] not in SOURCES and "source",
                not (isinstance(row["text"], str) and row["text"].strip()) and "text",
                not (isinstance(row["category"], str) and re.fullmatch(r"g\d+-[a-z0-9-]+", row["category"]))
                and "category",
                row["id"] in ids and "duplicate id",
                row["text"] in texts and f"same text as {texts.get(row['text'])}",
            ]
            problems.append(not row["id"].startswith(path.stem + "-") and "id prefix")
            errors.extend(f"{where}: bad {p}" for p in problems if p)
            ids.add(row["id"])
            texts.setdefault(row["text"], row["id"])
            rows.append({**row, "file": path.name})
    return rows


def other_training_files(rows: list[dict], errors: list[str]) -> None:
    """Ids stay unique across every file here; no genuine text equals a scam training text."""
    mine = {key_digits(r["text"]): r["id"] for r in rows}
    ids = {r["id"] for r in rows}
    clashes = 0
    for path in sorted(set(HERE.glob("*.jsonl")) - set(HERE.glob("genuine-*.jsonl"))):
        for line in path.read_text("utf-8").splitlines():
            row = json.loads(line)
            if row.get("id") in ids:
                errors.append(f"{path.name}: id {row['id']} also used in a genuine file")
            if key_digits(row.get("text", "")) in mine and row.get("label") != "legit":
                clashes += 1
                errors.append(f"{mine[key_digits(row['text'])]}: same text as a {row.get('label')} row in {path.name}")
    print(f"genuine texts equal to a scam training text (other files here): {clashes}")


def overlap(rows: list[dict]) -> tuple[list[str], int]:
    """Training rows that equal or nearly equal an evaluation text (ids and scores only)."""
    eval_texts = [
        json.loads(line)["text"] for path in EVAL_FILES for line in path.read_text("utf-8").splitlines() if line.strip()
    ]
    exact_digits = {key_digits(t) for t in eval_texts}
    exact_loose = {key_loose(t) for t in eval_texts}
    grams = [shingles(t) for t in eval_texts]
    index = defaultdict(list)
    for number, gram_set in enumerate(grams):
        for gram in gram_set:
            index[gram].append(number)
    found = []
    for row in rows:
        if key_digits(row["text"]) in exact_digits or key_loose(row["text"]) in exact_loose:
            found.append(f"{row['id']} ({row['category']}): identical after normalising")
            continue
        mine = shingles(row["text"])
        shared = Counter(n for gram in mine for n in index.get(gram, ()))
        best = max((count / len(mine | grams[n]) for n, count in shared.items()), default=0.0)
        if best >= NEAR:
            found.append(f"{row['id']} ({row['category']}): 4-gram Jaccard {best:.2f}")
    return found, len(eval_texts)


def main() -> int:
    errors: list[str] = []
    rows = check_rows(errors)
    print(f"{len(rows)} training messages in {len({r['file'] for r in rows})} files")
    for name in sorted({r["file"] for r in rows}):
        mine = [r for r in rows if r["file"] == name]
        print(f"\n{name}: {len(mine)}  variants {dict(Counter(r['variant'] for r in mine).most_common())}")
        for category, count in sorted(Counter(r["category"] for r in mine).items()):
            variants = Counter(r["variant"] for r in mine if r["category"] == category)
            print(f"  {category:24} {count:5}  {dict(variants.most_common())}")
    loose_dupes = len(rows) - len({key_digits(r["text"]) for r in rows})
    print(f"\ntexts equal to another training text after lower-casing and removing digits: {loose_dupes}")
    other_training_files(rows, errors)
    found, checked = overlap(rows)
    print(f"overlap with {checked} evaluation texts in {len(EVAL_FILES)} files: {len(found)} (Jaccard >= {NEAR})")
    errors.extend(f"overlap: {item}" for item in found)
    for error in errors:
        print("ERROR", error)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
