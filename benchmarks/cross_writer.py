"""Cross-writer validation of the learned layer: leave one independent writer's set out, train on the rest.

Each retired blind set in `tests/corpus/train/` was written by a helper who never saw the rules, the model or any
other set, and so was each written weak-families set. Holding one of them out, training the learned layer on
everything else and checking the held-out set with the full engine estimates how the model does on a writer it has
never read, without spending a new blind set. The rules were already corrected after most of these sets were read,
so the rules' share of these numbers is optimistic; the comparison between model settings is what this is for.

    .venv/bin/python benchmarks/cross_writer.py [--only NAME] [--dump FILE.jsonl]
    .venv/bin/python benchmarks/cross_writer.py [--c 32] [--budget 0.01] [--folds 5]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from knowledge import Engine, load_corpus, load_shipped_library
from knowledge.evaluation import LabelledMessage, evaluate
from knowledge.training import TrainingOptions, library_messages, train

TRAIN_DIR = Path(__file__).resolve().parent.parent / "tests" / "corpus" / "train"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--c", type=float, default=TrainingOptions().c_scam)
    parser.add_argument("--budget", type=float, default=TrainingOptions().genuine_budget)
    parser.add_argument("--folds", type=int, default=TrainingOptions().folds)
    parser.add_argument("--dump", type=Path, help="write each held-out message's rules score and probability (JSONL)")
    parser.add_argument("--only", default="", help="hold out only files whose name contains this")
    args = parser.parse_args()
    options = TrainingOptions(c_scam=args.c, genuine_budget=args.budget, folds=args.folds)

    files = sorted(TRAIN_DIR.glob("*.jsonl"))
    # Every file written by one independent writer: the retired blind sets and the written weak-family sets.
    held_out = [f for f in files if f.name.startswith(("retired-blind", "written-weak")) and args.only in f.name]
    rules = Engine(learned=False)
    library = library_messages(load_shipped_library())
    totals = np.zeros(4)
    folded: dict[str, tuple[str, ...]] = {}
    print(f"C={options.c_scam} budget={options.genuine_budget} folds={options.folds}")
    for target in held_out:
        started = time.perf_counter()
        rest = load_corpus([f for f in files if f != target]) + library
        model, _ = train(rest, rules, options, folded)
        test: list[LabelledMessage] = load_corpus([target])
        engine = Engine(learned=model)
        report = evaluate(engine, test)
        if args.dump:
            with args.dump.open("a", encoding="utf-8") as dump:
                for m in test:
                    verdict = rules.check(m.text)
                    final = engine.check(m.text)
                    p = model.assess(folded.get(m.text) or rules.analyse(m.text).views.folded).probability
                    row = {
                        "id": m.id,
                        "label": m.label,
                        "family": m.family,
                        "rules": verdict.score,
                        "level": verdict.level.name,
                        "final": final.level.name,
                        "p": round(p, 4),
                        "threshold": round(model.threshold, 4),
                        "codes": [r.code for r in final.reasons],
                        "text": m.text[:160],
                    }
                    dump.write(json.dumps(row) + "\n")
        t = report.overall
        totals += [t.caught, t.scams, t.fp_medium, t.legit]
        print(
            f"{target.name:<36} recall {t.recall:.3f}  fpr≥med {t.fpr_medium:.3f}  fpr high {t.fpr_high:.3f}"
            f"  threshold {model.threshold:.3f}  ({time.perf_counter() - started:.0f} s)"
        )
    print(f"{'all held-out sets':<36} recall {totals[0] / totals[1]:.3f}  fpr≥med {totals[2] / totals[3]:.3f}")


if __name__ == "__main__":
    main()
