"""Generate genuine (label "legit") transactional Vietnamese messages for TRAINING only.

Deterministic: the same seed gives the same file. Python 3.11 standard library only.

    python tests/corpus/train/make_transactional.py [--seed 20250314] [--out PATH]

Templates and word lists live beside this script in transactional_templates.txt (its header
explains the mini-syntax). The genres follow what real Vietnamese inboxes hold.
Never write this output next to the evaluation files in tests/corpus/.
"""

import argparse
import datetime as dt
import json
import random
import re
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "transactional_templates.txt"
OUT = HERE / "genuine-transactional.jsonl"
SEED = 20250314

# genre -> (category, messages wanted, share of accented templates sent without diacritics,
#           share of unaccented messages with bank-style abbreviations)
PLAN = {
    "balance": ("g1-balance", 215, 0.6, 0.35),
    "bank_notice": ("g1-bank-notice", 105, 0.6, 0.3),
    "otp_vn": ("g2-otp", 245, 0.6, 0.2),
    "otp_en": ("g3-2fa-en", 105, 0.0, 0.0),
    "telco_notice": ("g4-telco-notice", 115, 0.5, 0.3),
    "telco_qc": ("g4-telco-qc", 105, 0.5, 0.2),
    "ecommerce": ("g5-ecommerce", 95, 0.4, 0.1),
    "wallet": ("g5-wallet", 85, 0.4, 0.1),
    "ride": ("g5-ride", 55, 0.4, 0.0),
    "promo": ("g5-promo", 85, 0.4, 0.1),
    "delivery": ("g6-delivery", 95, 0.5, 0.2),
    "shipper": ("g6-shipper", 45, 0.3, 0.0),
    "utility": ("g7-utility", 80, 0.5, 0.3),
    "gov": ("g7-gov", 95, 0.4, 0.2),
    "health": ("g7-health", 55, 0.4, 0.1),
    "school": ("g8-school", 90, 0.45, 0.1),
    "finance": ("g9-finance", 100, 0.5, 0.2),
    "bank_ad": ("g9-bank-ad", 55, 0.5, 0.2),
    "insurance": ("g9-insurance", 45, 0.4, 0.2),
    "retail": ("g9-retail-ad", 55, 0.4, 0.1),
}
PUSH_STRIP = 0.1  # app pushes (templates marked ~) are rarely sent without diacritics
ABBREVIATIONS = {
    "quy khach": "QK",
    "tai khoan": "TK",
    "giao dich": "GD",
    "so du": "SD",
    "noi dung": "ND",
    "lien he": "LH",
    "hieu luc": "HL",
    "thong bao": "TB",
    "chuyen khoan": "CK",
    "ngan hang": "NH",
    "khach hang": "KH",
    "thue bao": "TB",
    "thanh toan": "TT",
    "hoc sinh": "HS",
    "sinh vien": "SV",
    "phu huynh": "PH",
}
MOBILE_PREFIXES = [
    "032", "033", "034", "035", "036", "037", "038", "039", "070", "076", "077", "078", "079", "081", "082",
    "083", "084", "085", "086", "088", "089", "090", "091", "093", "094", "096", "097", "098", "056", "058",
    "059",
]  # fmt: skip
PHONE_MASKS = ["#xxx###", "#.xxx.###", "xxxx###", "#######"]
HASH_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
BRACE = re.compile(r"\{([^{}]*)\}")


def load(path: Path) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Word lists (@name) and genre templates (== genre) from the data file."""
    lists: dict[str, list[str]] = {}
    genres: dict[str, list[str]] = {}
    current: list[str] = []
    for raw in path.read_text("utf-8").splitlines():
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("//"):
            continue
        if line.startswith("@"):
            current = lists.setdefault(line[1:].strip(), [])
        elif line.startswith("== "):
            current = genres.setdefault(line[3:].strip(), [])
        else:
            current.append(line.replace("\\n", "\n"))
    return lists, genres


def strip_marks(text: str) -> str:
    """Vietnamese without diacritics, as GSM-7 SMS are sent."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


def pattern(rng: random.Random, spec: str) -> str:
    """# digit, @ capital letter, * capital letter or digit; anything else is kept."""
    pools = {"#": "0123456789", "@": "ABCDEFGHKLMNPQRSTUVXYZ", "*": "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"}
    return "".join(rng.choice(pools[c]) if c in pools else c for c in spec)


def new_state(rng: random.Random) -> dict:
    """A message's own date, number format and memo of filled slots."""
    day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(900))
    return {
        "memo": {},
        "day": day,
        "money_sep": rng.choices([",", ".", ""], [0.45, 0.45, 0.1])[0],
        "date_fmt": rng.choice(["%d/%m/%y", "%d/%m/%Y", "%d-%m-%Y", "%d/%m/%Y", "%d/%m"]),
    }


def money(state: dict, rng: random.Random, low: int, high: int, step: int) -> str:
    value = rng.randrange(low, high, step)
    if step == 1 and rng.random() < 0.7:
        value -= value % 1000
    return f"{value:,}".replace(",", state["money_sep"])


def person(rng: random.Random, lists: dict[str, list[str]]) -> str:
    parts = [rng.choice(lists["surname"]), rng.choice(lists["middle"]), rng.choice(lists["given"])]
    if rng.random() < 0.15:
        parts.insert(2, rng.choice(lists["middle"]))
    return " ".join(parts)


def clock(rng: random.Random) -> str:
    seconds = f":{rng.randrange(60):02d}" if rng.random() < 0.3 else ""
    return f"{rng.randrange(24):02d}:{rng.randrange(60):02d}{seconds}"


def computed(state: dict, rng: random.Random, lists: dict[str, list[str]]) -> dict:
    """Slots drawn by code rather than from a word list, each a function of nothing."""
    day, memo = state["day"], state["memo"]
    return {
        "amt_s": lambda: money(state, rng, 10_000, 500_000, 1000),
        "amt_s2": lambda: money(state, rng, 100_000, 900_000, 50_000),
        "amt": lambda: money(state, rng, 50_000, 20_000_000, 1),
        "amt_l": lambda: money(state, rng, 5_000_000, 500_000_000, 100_000),
        "bal": lambda: money(state, rng, 20_000, 150_000_000, 1),
        "date": lambda: day.strftime(state["date_fmt"]),
        "due": lambda: (day + dt.timedelta(days=rng.randint(2, 25))).strftime(rng.choice(["%d/%m/%Y", "%d/%m"])),
        "ddmm": lambda: day.strftime("%d/%m"),
        "dd": lambda: day.strftime("%d"),
        "mm": lambda: day.strftime("%m"),
        "yy": lambda: day.strftime("%y"),
        "yyyy": lambda: day.strftime("%Y"),
        "bill": lambda: (day.replace(day=1) - dt.timedelta(days=1)).strftime("%m/%Y"),
        "time": lambda: clock(rng),
        "hr": lambda: str(rng.randint(7, 16)),
        "hr2": lambda: str(int(memo.get("hr", "8")) + rng.randint(2, 4)),
        "code": lambda: pattern(rng, "#" * rng.choice([4, 5, 6, 6, 6, 6, 8])),
        "code4": lambda: pattern(rng, "####"),
        "code5": lambda: pattern(rng, "#####"),
        "code6": lambda: pattern(rng, "######"),
        "hash": lambda: "".join(rng.choice(HASH_CHARS) for _ in range(11)),
        "phone": lambda: rng.choice(MOBILE_PREFIXES) + pattern(rng, rng.choice(PHONE_MASKS)),
        "name": lambda: person(rng, lists),
        "gname": lambda: rng.choice(lists["given"]),
    }


def fill(slot: str, state: dict, rng: random.Random, lists: dict[str, list[str]]) -> str:
    """The value of {slot}: choices, patterns, memoised list entries and computed values."""
    if "|" in slot:
        return rng.choice(slot.split("|"))
    if slot.startswith("%"):
        return pattern(rng, slot[1:])
    key, _, field = slot.partition(".")
    upper = key.isupper()
    key = key.lower()
    memo = state["memo"]
    if key not in memo:
        makers = computed(state, rng, lists)
        base = key if key in lists or key in makers else key.rstrip("0123456789")  # {name2}: a second name
        if base in lists:
            value = rng.choice(lists[base])
        elif base in makers:
            value = makers[base]()
        else:
            raise KeyError(f"unknown slot {{{slot}}}")
        memo[key] = expand(value, state, rng, lists)
    value = memo[key].split("^")[int(field) if field else 0]
    return strip_marks(value).upper() if upper else value


def expand(text: str, state: dict, rng: random.Random, lists: dict[str, list[str]]) -> str:
    for _ in range(30):
        if not BRACE.search(text):
            return text
        text = BRACE.sub(lambda m: fill(m.group(1), state, rng, lists), text, count=1)
    raise ValueError(f"template does not settle: {text}")


def finish(template: str, genre: str, rng: random.Random, lists: dict[str, list[str]]) -> tuple[str, str]:
    """One message from one template, with the variation axes of section 5.2; returns (text, variant)."""
    teencode = template.startswith("!")
    push = template.startswith("~")
    body = template.lstrip("~!")
    text = expand(body, new_state(rng), rng, lists)
    _, _, strip_share, abbr_share = PLAN[genre]
    native_plain = strip_marks(body) == body
    if native_plain or rng.random() < (PUSH_STRIP if push else strip_share):
        text = strip_marks(text)
        if not teencode and rng.random() < abbr_share:
            for long, short in ABBREVIATIONS.items():
                text = re.sub(rf"\b{long}\b", short, text, flags=re.IGNORECASE)
        if not teencode and genre != "otp_en" and rng.random() < 0.03:
            text = text.upper()
    elif rng.random() < 0.04:  # half-typed diacritics
        text = " ".join(w if rng.random() < 0.5 else strip_marks(w) for w in text.split(" "))
    text = re.sub(r"[ \t]+", " ", text).replace(" \n", "\n").strip()
    if teencode:
        return text, "teencode"
    return text, "accented" if strip_marks(text) != text else "unaccented"


def norm_key(text: str) -> str:
    """Texts that differ only in digits, case or spacing count as one."""
    return " ".join(re.sub(r"\d", "", text.lower()).split())


def generate(seed: int) -> list[dict]:
    rng = random.Random(seed)
    lists, genres = load(DATA)
    rows, seen = [], set()
    for genre, (category, wanted, _, _) in PLAN.items():
        templates, made = genres[genre], 0
        for _ in range(wanted * 40):
            if made == wanted:
                break
            text, variant = finish(rng.choice(templates), genre, rng, lists)
            if norm_key(text) in seen:
                continue
            seen.add(norm_key(text))
            made += 1
            rows.append({"text": text, "label": "legit", "method": None, "variant": variant, "category": category})
        if made < wanted:
            print(f"warning: {genre}: only {made} of {wanted} distinct messages")
    rng.shuffle(rows)
    return [{"id": f"{OUT.stem}-{i:05d}", **row, "source": "template"} for i, row in enumerate(rows, 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rows = generate(args.seed)
    with args.out.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    _, genres = load(DATA)
    print(f"{len(rows)} messages from {sum(map(len, genres.values()))} templates -> {args.out}")


if __name__ == "__main__":
    main()
