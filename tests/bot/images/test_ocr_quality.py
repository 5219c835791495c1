"""Reading synthetic Vietnamese screenshots: character error rate, diacritic words, exact entities, QR codes.

Thresholds are set from the measurement recorded in docs/benchmarks.md, with a margin: the synthetic set is
cleaner than real screenshots (other fonts, emoji, avatars), so these guard against regressions, not promise
accuracy on real ones.
"""

from __future__ import annotations

import pytest

from bot.images.ocr import TextReader, find_tessdata
from bot.images.reading import ScreenshotReader
from tests.bot.images.scoring import cer, found_entities, found_words
from tests.screenshots import ALL_SCREENS, bank_notice, require_ocr, sms_scam, variant, vietqr_prize

MAX_CER = 0.03  # measured 0.4 % mean, 1.0 % worst over 24 images
MIN_WORD_RECALL = 0.95  # measured 97.8 % (540 of 552)
MIN_ENTITY_RECALL = 0.95  # measured 100 % (54 of 54)


@pytest.fixture(scope="module")
def reader() -> ScreenshotReader:
    require_ocr()
    return ScreenshotReader(TextReader(find_tessdata() or ""))


@pytest.mark.parametrize("make", [sms_scam, bank_notice])
def test_an_original_screenshot_is_read(reader: ScreenshotReader, make) -> None:
    screen = make(False)
    reading = reader(variant(screen.image, "orig"))
    assert cer(screen.text, reading.text) <= MAX_CER
    found, total = found_entities(screen.entities, reading.text)
    assert found == total, (screen.entities, reading.text)


def test_a_vietqr_screen_gives_its_payload(reader: ScreenshotReader) -> None:
    screen = vietqr_prize(True)
    for kind in ("orig", "tg", "heavy"):
        assert reader(variant(screen.image, kind)).qr_texts == (screen.qr,)


@pytest.mark.slow
def test_the_whole_synthetic_set_meets_the_thresholds(reader: ScreenshotReader) -> None:
    rates, words, entities = [], [0, 0], [0, 0]
    for make in ALL_SCREENS:
        for dark in (False, True):
            screen = make(dark)
            for kind in ("orig", "tg", "heavy"):
                reading = reader(variant(screen.image, kind))
                rates.append(cer(screen.text, reading.text))
                for tally, (hit, total) in (
                    (words, found_words(screen.text, reading.text)),
                    (entities, found_entities(screen.entities, reading.text)),
                ):
                    tally[0] += hit
                    tally[1] += total
                if screen.qr:
                    assert reading.qr_texts == (screen.qr,), f"{screen.name} {kind}"
    assert sum(rates) / len(rates) <= MAX_CER / 2 and max(rates) <= MAX_CER
    assert words[0] / words[1] >= MIN_WORD_RECALL
    assert entities[0] / entities[1] >= MIN_ENTITY_RECALL
