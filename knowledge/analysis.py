"""What the engine found in one message: the input of scoring, kept apart from the engine that builds it."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.indicators import Indicator
from knowledge.learned import LearnedResult
from knowledge.matcher import MethodMatch
from knowledge.nearest import NearestExample
from knowledge.signals import SignalReport
from knowledge.text import WordViews


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything found in one message, before reputation data is added and the score is computed."""

    text: str
    views: WordViews
    indicators: tuple[Indicator, ...]
    signals: SignalReport
    matches: tuple[MethodMatch, ...]
    truncated: bool
    learned: LearnedResult | None = None  # the learned layer's view, when a model is loaded
    nearest: NearestExample | None = None  # the closest example scam, when the learned layer finds it scam-like
