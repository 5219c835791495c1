"""The risk engine: normalise → extract indicators → detect red flags → match signatures → score → verdict."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from knowledge.analysis import Analysis
from knowledge.indicators import Indicator, IndicatorKind
from knowledge.learned import LearnedModel, load_shipped_model
from knowledge.library import Library, load_shipped_library
from knowledge.links import find_links, read_link
from knowledge.matcher import Matcher
from knowledge.nearest import ExampleIndex
from knowledge.numbers import find_accounts, find_money, find_phones, read_phone
from knowledge.officials import OfficialRegistry, load_officials
from knowledge.scoring import Scorer
from knowledge.signals import SignalRules, load_signal_rules
from knowledge.signature import Signature
from knowledge.text import CleanText, Segmenter, WordViews, clean_text, word_views
from knowledge.verdict import Reason, Reputation, Verdict

# Longer messages are analysed on their first `max_chars` characters (at most MAX_INPUT_CHARS, the default):
# time per message stays bounded. Deployments lower it with [limits] max_text_chars.
MAX_INPUT_CHARS = 20_000
_MASKS = {IndicatorKind.URL: " zlinkz ", IndicatorKind.PHONE: " zphonez ", IndicatorKind.ACCOUNT: " zaccountz "}
_WORD = re.compile(r"[^\W\d_]+")


class Engine:
    """A pure, synchronous risk engine; safe to share between tasks (matching state is read-mostly)."""

    def __init__(
        self,
        library: Library | None = None,
        registry: OfficialRegistry | None = None,
        rules: SignalRules | None = None,
        max_chars: int = MAX_INPUT_CHARS,
        learned: LearnedModel | bool | None = True,
    ) -> None:
        """`learned`: True loads the shipped model (if one was trained), False or None runs without one."""
        if not 1 <= max_chars <= MAX_INPUT_CHARS:
            raise ValueError(f"max_chars must be between 1 and {MAX_INPUT_CHARS}")
        self.max_chars = max_chars
        library = library if library is not None else load_shipped_library()
        self.registry = registry or load_officials()
        self.rules = rules or load_signal_rules()
        self.learned = load_shipped_model() if learned is True else (learned or None)
        self.matcher = Matcher(library)
        self.scorer = Scorer(self._titles)
        self._segmenter = Segmenter(_vocabulary(library))
        self._examples: ExampleIndex | None = None  # built at first use, dropped when the library changes

    # Officers edit the library while the bot runs.
    def add_signature(self, signature: Signature) -> None:
        self.matcher.add(signature)
        self._examples = None

    def remove_signature(self, signature_id: str) -> None:
        self.matcher.remove(signature_id)
        self._examples = None

    @property
    def examples(self) -> ExampleIndex:
        """The live library's example scams, for the nearest-example reason."""
        index = self._examples
        if index is None:
            index = self._examples = ExampleIndex(self.signatures, self.folded_words)
        return index

    def folded_words(self, text: str) -> tuple[str, ...]:
        """The folded words the learned layer and the example index read (links and numbers as placeholders)."""
        return tuple(self.words(text).folded)

    def words(self, text: str) -> WordViews:
        """A message's word views as cue matching reads them, without the rest of the analysis."""
        clean = clean_text(text[: self.max_chars])
        return self._views(clean, self._indicators(clean))

    def _views(self, clean: CleanText, indicators: tuple[Indicator, ...]) -> WordViews:
        masked = _mask(clean.original, [i for i in indicators if i.kind in _MASKS])
        return word_views(clean_text(masked).text, self._segmenter)

    def _titles(self, method: str) -> tuple[str, str]:
        """A method's titles (Vietnamese, English); the id itself for a method the library no longer has."""
        sig = next((s for s in self.matcher.signatures if s.id == method), None)
        return (sig.title_vi, sig.title_en) if sig is not None else (method, method)

    @property
    def signatures(self) -> list[Signature]:
        return self.matcher.signatures

    def analyse(self, text: str, full_scan: bool = False) -> Analysis:
        """Find indicators, red flags and similar methods in a message."""
        truncated = len(text) > self.max_chars
        text = text[: self.max_chars]
        clean = clean_text(text)
        indicators = self._indicators(clean)
        views = self._views(clean, indicators)
        signals = self.rules.detect(views.clauses)
        match = self.matcher.match_full_scan if full_scan else self.matcher.match
        assessed = self.learned.assess(views.folded) if self.learned is not None else None
        # The closest example scam, quoted when the learned layer is the one to speak: only then is it needed.
        nearest = self.examples.closest(views.folded) if assessed is not None and assessed.supporting else None
        matches = tuple(match(views))
        return Analysis(clean.original, views, indicators, signals, matches, truncated, assessed, nearest)

    def find_indicators(self, text: str) -> tuple[Indicator, ...]:
        """Only the links, phone and account numbers and money amounts of a message, in text order."""
        return self._indicators(clean_text(text[: self.max_chars]))

    def read_link(self, text: str) -> Indicator | None:
        """The first link in `text`, keyed as `find_indicators` keys links but judged only on whether an organisation
        owns it: fast, for addresses officers type and blocklists hold."""
        return read_link(text[: self.max_chars], self.registry)

    def read_phone(self, text: str) -> Indicator | None:
        """`text` as one phone number, keyed and flagged as `find_indicators` would: fast, for numbers officers
        type and blocklists hold."""
        return read_phone(text[: self.max_chars], self.registry)

    def _indicators(self, clean: CleanText) -> tuple[Indicator, ...]:
        links = find_links(clean, self.registry)
        accounts = find_accounts(clean)
        taken = [i.span for i in links + accounts]
        phones = find_phones(clean, self.registry, taken)
        money = find_money(clean)
        return tuple(sorted(links + phones + accounts + money, key=lambda i: i.span))

    def score(
        self,
        analysis: Analysis,
        reputation: Mapping[tuple[str, str], Reputation] | None = None,
        evidence: Sequence[Reason] = (),
    ) -> Verdict:
        """Turn an analysis (plus what the reported list says about its indicators, and hard evidence found
        beside the text, such as a payment QR code's) into a verdict."""
        return self.scorer.verdict(analysis, reputation or {}, evidence)

    def check(self, text: str, reputation: Mapping[tuple[str, str], Reputation] | None = None) -> Verdict:
        """Analyse and score a message in one call."""
        return self.score(self.analyse(text), reputation)


def _mask(text: str, indicators: list[Indicator]) -> str:
    """Replace links, phone and account numbers by placeholder words so cue matching ignores them."""
    out, last = [], 0
    for ind in sorted(indicators, key=lambda i: i.span):
        start, end = ind.span
        if start < last:
            continue
        out.append(text[last:start])
        out.append(_MASKS[ind.kind])
        last = end
    out.append(text[last:])
    return "".join(out)


def _vocabulary(library: Library) -> set[str]:
    """Known words, used to split words that de-obfuscation glued together."""
    words: set[str] = set()
    for sig in library:
        for phrase in (*sig.cues, *sig.strong_cues, *sig.examples[:3]):
            words.update(w.lower() for w in _WORD.findall(phrase))
    return {w for w in words if len(w) >= 2 or w in {"a", "o", "y", "u"}}
