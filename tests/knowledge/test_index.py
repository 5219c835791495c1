"""The cue index: live additions (pending postings), merges, replacement, removal, compaction, large vocabularies."""

import random

import pytest

from knowledge.index import CueIndex
from knowledge.library import Library, load_shipped_library
from knowledge.matcher import Matcher
from knowledge.signature import Signature
from knowledge.text import clean_text, word_views
from knowledge.typos import TypoNeighbours

SHIPPED = load_shipped_library()
WORDS = sorted({w for s in SHIPPED for c in s.cues for w in c.split()})


def _signature(i: int, cues: tuple[str, ...]) -> Signature:
    base = SHIPPED.signatures[0]
    return Signature(
        id=f"gen-{i}",
        method="GEN",
        title_vi=f"Thủ đoạn {i}",
        title_en=f"Method {i}",
        summary_vi=base.summary_vi,
        summary_en=base.summary_en,
        weight=1.0,
        cues=cues,
        strong_cues=(),
        advice_vi=base.advice_vi,
        advice_en=base.advice_en,
        examples=cues[:3],
        counter_examples=cues[3:5],
    )


def _generated(count: int, seed: int = 3) -> list[Signature]:
    rng = random.Random(seed)
    return [
        _signature(i, tuple(" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 5))) for _ in range(6)))
        for i in range(count)
    ]


def _views(text: str):
    return word_views(clean_text(text).text)


def _summary(matches) -> list[tuple[str, float, tuple[str, ...]]]:
    return [(m.signature.id, round(m.raw_points, 6), tuple(h.phrase for h in m.hits)) for m in matches]


def _messages(signatures: list[Signature], count: int = 60) -> list[str]:
    rng = random.Random(5)
    texts = [example for s in SHIPPED for example in s.examples]
    out = []
    for _ in range(count):
        chosen = rng.choice(signatures)
        out.append(f"{rng.choice(texts)} {rng.choice(chosen.cues)} {rng.choice(texts)[:80]}")
    return out


def test_signatures_added_one_by_one_match_like_a_bulk_load_before_and_after_merging():
    extra = _generated(400)
    bulk = Matcher(Library(SHIPPED.signatures + tuple(extra)))
    live = Matcher(SHIPPED)
    for signature in extra:
        live.add(signature)
    assert len(live.index._pending_keys) > 0, "some postings should still be pending"
    messages = _messages(extra)
    expected = [_summary(bulk.match(_views(t), limit=5)) for t in messages]
    assert any(expected), "the generated cues should be found in the messages built from them"
    assert [_summary(live.match(_views(t), limit=5)) for t in messages] == expected
    live.index.merge()
    assert len(live.index._pending_keys) == 0
    assert [_summary(live.match(_views(t), limit=5)) for t in messages] == expected


def test_replacing_a_signature_drops_its_old_cues():
    matcher = Matcher(SHIPPED)
    old = _signature(1, ("nhận quà tặng cá voi xanh", "cá voi xanh miễn phí", "quà tặng cá voi", "voi xanh"))
    new = _signature(1, ("ngựa vằn hồng đặc biệt", "ngựa vằn hồng tặng", "vằn hồng đặc", "ngựa vằn"))
    matcher.add(old)
    assert matcher.match(_views("Bạn được nhận quà tặng cá voi xanh miễn phí"))[0].signature.id == "gen-1"
    matcher.add(new)
    assert "gen-1" not in [m.signature.id for m in matcher.match(_views("Bạn được nhận quà tặng cá voi xanh miễn phí"))]
    hit = matcher.match(_views("Tặng bạn ngựa vằn hồng đặc biệt hôm nay"))[0]
    assert hit.signature.id == "gen-1" and hit.hits[0].phrase.startswith("ngựa vằn hồng")
    assert matcher.index.signature_count == len(SHIPPED) + 1


def test_removing_many_signatures_compacts_and_keeps_the_rest_exact():
    extra = _generated(600, seed=9)
    matcher = Matcher(Library(SHIPPED.signatures + tuple(extra)))
    reference = Matcher(Library(SHIPPED.signatures + tuple(extra[400:])))
    cues_before = len(matcher.index._starts)
    for signature in extra[:400]:
        matcher.remove(signature.id)
    assert len(matcher.index._starts) < cues_before, "tombstones should have been compacted away"
    messages = _messages(extra[400:]) + _messages(extra[:400], 20)
    assert [_summary(matcher.match(_views(t), limit=5)) for t in messages] == [
        _summary(reference.match(_views(t), limit=5)) for t in messages
    ]
    owners = {cue.signature_id for _, cue in matcher.index.live_cues}
    assert owners == {s.id for s in SHIPPED} | {s.id for s in extra[400:]}


@pytest.mark.slow
def test_a_vocabulary_beyond_two_bytes_widens_the_word_columns():
    index = CueIndex()
    rng = random.Random(1)
    consonants, vowels = "bcdghklmnpqrstvx", "aeiou"  # alternating, so normalisation leaves the words alone
    words = sorted({"".join(rng.choice(vowels if i % 2 else consonants) for i in range(7)) for _ in range(80_000)})
    cues = tuple(f"{a} {b}" for a, b in zip(words[::2], words[1::2], strict=False))
    index.add(_signature(7, cues), merge=False)
    index.merge()
    assert index.vocabulary_size > 65_536
    last = index.cue(len(cues) - 1)
    assert last is not None and last.folded == tuple(cues[-1].split()) and last.signature_id == "gen-7"
    numbers = index.word_numbers(cues[-1].split())
    aligned = index.align(numbers, max_positions=6)
    assert aligned.cues.tolist() == [len(cues) - 1] and aligned.starts.tolist() == [0]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("chuyenn", {"chuyen"}),  # an extra letter
        ("chuyn", {"chuyen"}),  # a missing letter
        ("khoam", {"khoan"}),  # a wrong letter
        ("chuyen", {"chuyen"}),  # exact
        ("chuyne", set()),  # two edits (a swap)
        ("xin", set()),  # too short to be treated as a typo
    ],
)
def test_typo_neighbours_find_words_one_edit_away(typed, expected):
    typos = TypoNeighbours()
    vocabulary = ["chuyen", "khoan", "ngan", "hang", "xinh"]
    for number, word in enumerate(vocabulary):
        typos.add(word, number)
    assert {vocabulary[n] for n in typos.near(typed)} == expected


def test_window_bounds_only_skip_starts_that_could_not_score():
    """Bounding each (cue, start) by the words in its window is pruning only: results are identical."""
    extra = _generated(3000, seed=13)
    matcher = Matcher(Library(SHIPPED.signatures + tuple(extra)))
    texts = _messages(extra, 80) + [e for s in SHIPPED for e in s.examples]
    matcher.window_bound_min_starts = 10**9  # never bound
    unbounded = [_summary(matcher.match(_views(t), limit=5)) for t in texts]
    matcher.window_bound_min_starts = 0  # always bound
    assert [_summary(matcher.match(_views(t), limit=5)) for t in texts] == unbounded
    assert sum(bool(u) for u in unbounded) > 60


def test_typo_neighbours_of_several_words_at_once():
    typos = TypoNeighbours()
    vocabulary = ["chuyen", "khoan", "ngan", "hang"]
    for number, word in enumerate(vocabulary):
        typos.add(word, number)
    assert sorted(typos.near_all({"chuyenn", "khoam", "xin", "hangg"})) == [0, 1, 3]


def test_long_messages_are_matched_in_chunks_without_losing_cues():
    """A cue is found at the start, straddling a chunk boundary and at the end of a long message."""
    from knowledge.matcher import CHUNK_WORDS

    matcher = Matcher(SHIPPED)
    words = ["hôm", "nay", "trời", "đẹp", "quá"] * 400  # 2,000 words that match nothing
    boundary = CHUNK_WORDS - 2  # the cue runs past the first chunk's end: only the next chunk holds it whole
    for signature in list(SHIPPED)[:5]:
        cue = signature.cues[0]
        single = _summary(matcher.match(_views(cue), limit=1))
        assert single, signature.id
        for at in (0, boundary, len(words)):
            text = " ".join([*words[:at], cue, *words[at:]])
            found = _summary(matcher.match(_views(text), limit=1))
            assert found and found[0][0] == single[0][0] and found[0][2][0] == single[0][2][0], (signature.id, at)
