"""Append hand-written genuine messages to genuine-written.jsonl.

    python tests/corpus/train/append_written.py < batch.txt

Each input line is "code|flag|text": code is a short genre code (see GENRES), flag is "t" for
teencode, "o" for obfuscated or empty (then accented/unaccented is read from the text), and "\\n" in
the text is a line break. Texts already in the file are skipped. Ids continue the file's numbering.
"""

import json
import sys
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parent / "genuine-written.jsonl"
GENRES = {
    "fam": "g10-family-money",
    "fri": "g10-friends",
    "work": "g10-work",
    "shop": "g10-shop",
    "grp": "g10-group-chat",
    "fb": "g10-facebook",
    "warn": "g10-scam-warning",
    "rec": "g10-recruiter",
    "sell": "g10-seller",
    "lend": "g10-lender-reminder",
    "home": "g10-housing",
}


def accented(text: str) -> bool:
    return "đ" in text.lower() or any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", text))


def main() -> None:
    lines = OUT.read_text("utf-8").splitlines() if OUT.exists() else []
    seen = {json.loads(line)["text"] for line in lines}
    batch = [raw.split("|", 2) for raw in sys.stdin.read().splitlines() if raw.strip()]
    bad = [parts for parts in batch if len(parts) != 3 or parts[0] not in GENRES or parts[1] not in ("", "t", "o")]
    if bad:
        sys.exit(f"nothing written; bad lines: {bad}")
    number, added = len(lines), 0
    with OUT.open("a", encoding="utf-8") as out:
        for code, flag, raw_text in batch:
            text = raw_text.strip().replace("\\n", "\n")
            if text in seen:
                print(f"skipped, already there: {text[:60]}")
                continue
            seen.add(text)
            number += 1
            added += 1
            variant = {"t": "teencode", "o": "obfuscated"}.get(flag) or ("accented" if accented(text) else "unaccented")
            row = {"id": f"{OUT.stem}-{number:05d}", "text": text, "label": "legit", "method": None}
            row |= {"variant": variant, "category": GENRES[code], "source": "written"}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"added {added}, file has {number}")


if __name__ == "__main__":
    main()
