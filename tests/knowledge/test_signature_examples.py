"""Golden test: every shipped signature's examples and counter-examples behave."""

import pytest

from knowledge.engine import Engine
from knowledge.library import load_shipped_library
from knowledge.verdict import Level

LIBRARY = load_shipped_library()
ENGINE = Engine(LIBRARY)

EXAMPLES = [(s.id, i, text) for s in LIBRARY for i, text in enumerate(s.examples)]
COUNTERS = [(s.id, i, text) for s in LIBRARY for i, text in enumerate(s.counter_examples)]


@pytest.mark.parametrize("sig_id,index,text", EXAMPLES, ids=[f"{s}-{i}" for s, i, _ in EXAMPLES])
def test_example_is_flagged_as_its_method(sig_id, index, text):
    verdict = ENGINE.check(text)
    assert verdict.level is not Level.LOW, (verdict.score, [(r.code, r.points) for r in verdict.reasons])
    assert sig_id in [m.id for m in verdict.methods], [m.id for m in verdict.methods]


@pytest.mark.parametrize("sig_id,index,text", COUNTERS, ids=[f"{s}-{i}" for s, i, _ in COUNTERS])
def test_counter_example_stays_low(sig_id, index, text):
    verdict = ENGINE.check(text)
    assert verdict.level is Level.LOW, (verdict.score, [(r.code, r.points) for r in verdict.reasons])
