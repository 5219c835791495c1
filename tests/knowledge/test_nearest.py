"""The nearest confirmed example: which example scam of the live library a message reads most like."""

from __future__ import annotations

import numpy as np

from knowledge import Engine, Level, signature_from_dict
from knowledge.features import FEATURE_SPACE
from knowledge.learned import LearnedModel
from knowledge.nearest import MIN_SIMILARITY

ENGINE = Engine()
# A model that calls everything a scam: the learned reason always speaks, so the nearest example is looked for.
CERTAIN = LearnedModel(
    np.zeros(FEATURE_SPACE, np.float32),
    50.0,
    0.5,
    np.zeros((1, 1 << 15), np.float32),
    np.zeros(1, np.float32),
    ("gambling",),
    (9,),
)


def test_a_near_copy_of_an_example_finds_it_and_an_everyday_message_finds_none():
    gambling = next(s for s in ENGINE.signatures if s.id == "gambling")
    example = gambling.examples[0]
    variant = example.replace("100%", "200%") + " Nhanh tay lên!"
    nearest = ENGINE.examples.closest(ENGINE.folded_words(variant))
    assert nearest is not None and nearest.method == "gambling" and nearest.text == example
    assert MIN_SIMILARITY <= nearest.similarity <= 1.0
    assert ENGINE.examples.closest(ENGINE.folded_words("Tối nay mấy giờ cả nhà ăn cơm? Mẹ nấu canh chua nhé.")) is None
    assert ENGINE.examples.closest(()) is None


def test_the_learned_reason_quotes_the_closest_example_and_still_lifts_to_suspicious_only():
    engine = Engine(learned=CERTAIN)
    officer_example = "Ban acc game gia re, skin hiem gia hat de, chuyen khoan truoc giao acc ngay trong 5 phut"
    engine.add_signature(
        signature_from_dict(
            {
                "id": "game-item-sale",
                "method": "OFFICER",
                "title_vi": "Lừa bán vật phẩm game giá rẻ",
                "title_en": "Cheap game items",
                "summary_vi": "x",
                "summary_en": "x",
                "cues": ["mua bán vật phẩm ảo", "giao dịch trung gian game", "đặt cọc giữ acc", "nạp kim cương rẻ"],
                "advice_vi": ["a", "b"],
                "advice_en": ["a", "b"],
                "examples": [officer_example, "một hai ba", "bốn năm sáu"],
                "counter_examples": ["x y", "z w"],
            }
        )
    )
    verdict = engine.check("Ban acc game gia re lam, skin hiem gia hat de, chuyen khoan truoc giao acc ngay nhe")
    reason = next(r for r in verdict.reasons if r.code == "learned")
    assert "«Lừa bán vật phẩm game giá rẻ»" in reason.text_vi and officer_example[:40] in reason.text_vi
    assert "«Cheap game items»" in reason.text_en and reason.evidence.endswith("game-item-sale")
    assert verdict.level is Level.MEDIUM
    engine.remove_signature("game-item-sale")  # the index follows the library
    after = engine.examples.closest(engine.folded_words(officer_example))
    assert after is None or after.method != "game-item-sale"
