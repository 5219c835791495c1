"""`canhgiac train`: fit the learned layer from the labelled files in the repository (and officers' decisions).

Inputs: the training corpus (`tests/corpus/train/*.jsonl` unless files are named), every signature's examples
and counter-examples, and with `--include-reviewed` the reports officers decided (scam / not a scam) in the
configured database: only their text and the decision, never who sent them. The evaluation sets
(`tests/corpus/*.jsonl`, `tests/corpus/unseen/`) are never training data. Output: `knowledge/data/learned.npz`,
and beside it `genuine.jsonl.gz`, the corpus's genuine messages that the false-alarm guard runs signatures against.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import TextIO

import knowledge
from bot.cli.engine import DEFAULT_CORPUS
from bot.config import Settings
from knowledge import Engine, load_corpus, load_shipped_library
from knowledge.evaluation import LabelledMessage
from knowledge.guard import write_genuine_sample
from knowledge.training import library_messages, train

EVALUATION_DIR = DEFAULT_CORPUS
TRAINING_DIR = DEFAULT_CORPUS / "train"
MODEL_PATH = Path(knowledge.__file__).resolve().parent / "data" / "learned.npz"
GENUINE_NAME = "genuine.jsonl.gz"


def run_train(
    files: list[Path], output: Path | None, *, include_reviewed: bool, settings: Settings, out: TextIO, err: TextIO
) -> int:
    """Train, save, and print what the model learned and how it did out of fold. 2 on bad input."""
    files = files or sorted(TRAINING_DIR.glob("*.jsonl"))
    refused = [f for f in files if _is_evaluation_set(f)]
    if refused:
        err.write(f"canhgiac: {refused[0]} is an evaluation set; training on it would make its numbers meaningless\n")
        return 2
    try:
        corpus = load_corpus(files)
    except (OSError, ValueError) as exc:
        err.write(f"canhgiac: cannot read the training files: {exc}\n")
        return 2
    reviewed = asyncio.run(decided_reports(settings.database.url)) if include_reviewed else []
    messages = corpus + library_messages(load_shipped_library()) + reviewed
    if not any(m.label == "scam" for m in messages) or not any(m.label == "legit" for m in messages):
        err.write("canhgiac: training needs both scam and genuine messages\n")
        return 2
    started = time.perf_counter()
    model, report = train(messages, Engine(max_chars=settings.limits.max_text_chars, learned=False))
    target = output or MODEL_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    model.save(target)
    # The false-alarm guard's genuine messages travel with the model they were trained beside.
    genuine_path = target.with_name(GENUINE_NAME)
    genuine = write_genuine_sample((m.text for m in corpus if m.label == "legit"), genuine_path)
    out.write(
        f"trained on {report.scams} scams and {report.genuine} genuine messages ({len(reviewed)} decided by officers)"
        f" from {len(files)} file(s) in {time.perf_counter() - started:.1f} s; {report.methods} methods\n"
        f"threshold {report.threshold:.3f}: out of fold, {report.recall:.3f} of scams and "
        f"{report.genuine_above:.4f} of genuine messages reach it\n"
        f"wrote {target} ({target.stat().st_size / 1e6:.2f} MB) and {genuine} genuine messages to {genuine_path}\n"
    )
    for family, (total, hit) in report.by_family.items():
        out.write(f"  {family:<22} {hit:>5}/{total:<5} {hit / total:.3f}\n")
    return 0


async def decided_reports(url: str) -> list[LabelledMessage]:
    """Reports officers decided as scam or not a scam: text and decision only."""
    from bot.storage import open_database

    async with await open_database(url) as database:
        decided = await database.repos.reports.list_decided()
    return [
        LabelledMessage(f"report:{r.id}", r.text, "scam" if r.status == "scam" else "legit", category="reviewed")
        for r in decided
    ]


def _is_evaluation_set(path: Path) -> bool:
    """The dev, holdout and unseen sets measure the engine; a file outside the training folder is checked by name."""
    resolved = path.resolve()
    return resolved.parent == EVALUATION_DIR or EVALUATION_DIR / "unseen" in resolved.parents
