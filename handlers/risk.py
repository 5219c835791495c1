"""The risk service: the engine fed from the signature table, the reported list, and the anonymous check log."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from handlers.ports import IndicatorKind as ReportedKind
from handlers.ports import IndicatorRecord, Repositories, SignatureRecord
from knowledge import (
    MAX_INPUT_CHARS,
    Engine,
    GuardResult,
    Indicator,
    IndicatorKind,
    Library,
    Reason,
    Reputation,
    Signature,
    SignatureError,
    Verdict,
    shipped_guard,
    signature_from_dict,
    signature_hash,
)

log = logging.getLogger(__name__)
# How often a process looks whether the stored library changed (an edit made by another process): every check
# after this many seconds reads the signatures' (id, enabled, updated_at) and rebuilds the engine if they moved.
REFRESH_SECONDS = 5.0

# Engine indicator kinds → kinds of the reported-indicator list (links are reported by registrable domain).
STORAGE_KIND: dict[IndicatorKind, ReportedKind] = {
    IndicatorKind.URL: "domain",
    IndicatorKind.PHONE: "phone",
    IndicatorKind.ACCOUNT: "account",
}


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    verdict: Verdict
    reputation: dict[tuple[str, str], Reputation]
    check_id: int


def storage_key(indicator: Indicator) -> tuple[ReportedKind, str] | None:
    """The key of an indicator in the reported list; None for kinds the list does not hold (money)."""
    kind = STORAGE_KIND.get(indicator.kind)
    return (kind, indicator.value) if kind else None


def lookup_keys(indicator: Indicator) -> list[tuple[ReportedKind, str]]:
    """Every key the list may hold an indicator under: its own and, for a link, its page and the paths above it
    (officers block a page on a shared host, with everything beneath it)."""
    key = storage_key(indicator)
    if key is None:
        return []
    pages: list[tuple[ReportedKind, str]] = [("url", page) for page in indicator.pages()]
    return [key, *pages]


def _weight(record: IndicatorRecord) -> tuple[int, int]:
    """Which of several records about one indicator speaks for it: an officer's scam verdict, then a genuine one,
    then the most reports."""
    return ({"scam": 2, "safe": 1}.get(record.status, 0), record.report_count)


class RiskService:
    """Checks messages; keeps the engine in step with officers' signature edits."""

    def __init__(self, engine: Engine, repos: Repositories, salt: bytes, clock: Callable[[], dt.datetime]) -> None:
        self.engine = engine
        self._repos = repos
        self._salt = salt
        self._clock = clock
        self._stamps: list[tuple[str, bool, dt.datetime]] | None = None  # the stored library the engine was built from
        self._looked_at: dt.datetime | None = None
        self._refreshing = asyncio.Lock()
        self._guarding = asyncio.Lock()
        # Told of every recorded check (platform, level, seconds): the runtime's metrics, when it keeps them.
        self.observer: Callable[[str, str, float], None] | None = None

    async def refresh(self) -> bool:
        """Rebuild the engine when the stored library changed (another process's edit); looks at most every
        REFRESH_SECONDS. True when it rebuilt."""
        now = self._clock()
        if self._looked_at is not None and (now - self._looked_at).total_seconds() < REFRESH_SECONDS:
            return False
        async with self._refreshing:
            self._looked_at = now
            if await self._repos.signatures.stamps() == self._stamps:
                return False
            stamps, library = await _stored_library(self._repos)
            # Building the index takes a moment for a large library: off the event loop.
            self.engine = await asyncio.to_thread(Engine, library, max_chars=self.engine.max_chars)
            self._stamps = stamps
            log.info("signature library reloaded: %d signatures", len(library))
            return True

    @classmethod
    async def load(
        cls,
        repos: Repositories,
        shipped: Library,
        salt: bytes,
        clock: Callable[[], dt.datetime],
        max_chars: int = MAX_INPUT_CHARS,
    ) -> RiskService:
        """Seed shipped signatures (never overwriting officers' edits) and build the engine from the table."""
        await repos.signatures.seed_shipped(((s.id, s.to_dict(), signature_hash(s)) for s in shipped), clock())
        stamps, library = await _stored_library(repos)
        service = cls(Engine(library, max_chars=max_chars), repos, salt, clock)
        service._stamps, service._looked_at = stamps, clock()
        return service

    @property
    def max_chars(self) -> int:
        """How much of a message is analysed; verdicts on longer ones say where reading stopped."""
        return self.engine.max_chars

    @property
    def signatures(self) -> list[Signature]:
        """The live signatures: the table's, with officers' edits applied."""
        return self.engine.signatures

    def find_indicators(self, text: str) -> tuple[Indicator, ...]:
        """The links, phone and account numbers and amounts in a text, normalised as the reported list keys them."""
        return self.engine.find_indicators(text)

    def read_link(self, text: str) -> Indicator | None:
        """One address as typed, keyed like the links of a message (see `Engine.read_link`)."""
        return self.engine.read_link(text)

    def read_phone(self, text: str) -> Indicator | None:
        """One phone number as typed, keyed like the numbers of a message (see `Engine.read_phone`)."""
        return self.engine.read_phone(text)

    def text_hash(self, verdict: Verdict) -> str:
        """Salted hash of the normalised text: lets officers count repeats without keeping the text."""
        return hashlib.sha256(self._salt + verdict.normalised.encode("utf-8")).hexdigest()

    async def reputation(self, indicators: tuple[Indicator, ...]) -> dict[tuple[str, str], Reputation]:
        """What the reported list says about each indicator, keyed like the engine expects."""
        keys = {ind: lookup_keys(ind) for ind in indicators}
        wanted = sorted({k for ind_keys in keys.values() for k in ind_keys})
        if not wanted:
            return {}
        found = await self._repos.indicators.lookup_many(wanted)
        best: dict[tuple[str, str], IndicatorRecord] = {}
        for ind, ind_keys in keys.items():
            # Links on one domain share the engine's key: the strongest record among all their pages speaks.
            for record in (found[k] for k in ind_keys if k in found):
                held = best.get((ind.kind.value, ind.value))
                if held is None or _weight(record) > _weight(held):
                    best[ind.kind.value, ind.value] = record
        return {key: Reputation(record.status, record.report_count) for key, record in best.items()}

    @staticmethod
    def reputation_from_record(record: IndicatorRecord | None) -> Reputation | None:
        return Reputation(record.status, record.report_count) if record is not None else None

    async def check(
        self, text: str, platform: str, record: bool = True, evidence: Sequence[Reason] = ()
    ) -> CheckOutcome:
        """Analyse, add reputation and any evidence found beside the text (a payment QR code's), score, and log
        the check anonymously."""
        await self.refresh()
        started = time.perf_counter()
        analysis = self.engine.analyse(text)
        reputation = await self.reputation(analysis.indicators)
        verdict = self.engine.score(analysis, reputation, evidence)
        check_id = 0
        if record:
            check_id = await self._repos.checks.add(
                platform=platform,
                at=self._clock(),
                level=verdict.level.value,
                score=verdict.score,
                methods=[m.id for m in verdict.methods],
                text_hash=self.text_hash(verdict),
            )
            if self.observer is not None:
                self.observer(platform, verdict.level.value, time.perf_counter() - started)
        return CheckOutcome(verdict, reputation, check_id)

    def apply(self, signature: Signature) -> None:
        """Make an officer's new or edited signature live at once."""
        self.engine.add_signature(signature)

    def apply_stored(self, record: SignatureRecord) -> bool:
        """Make a stored signature live again (False, and logged, if its stored data no longer validates)."""
        valid = _valid([record])
        for signature in valid:
            self.apply(signature)
        return bool(valid)

    def withdraw(self, signature_id: str) -> None:
        self.engine.remove_signature(signature_id)

    async def guard(self, candidate: Signature) -> GuardResult:
        """Which genuine messages (the shipped sample and every report officers decided was not a scam) the
        candidate would raise to medium or high. The first run reads the sample (seconds), later ones reuse it."""
        decided = [r.text for r in await self._repos.reports.list_decided(("not_scam",))]
        async with self._guarding:  # one run at a time: the guard keeps its analyses in a plain dict
            return await asyncio.to_thread(shipped_guard().run, self.engine, candidate, decided)


async def _stored_library(repos: Repositories) -> tuple[list[tuple[str, bool, dt.datetime]], Library]:
    """The stored library's stamps (read first: a change made meanwhile shows at the next look) and its enabled,
    valid signatures."""
    stamps = await repos.signatures.stamps()
    records = [r for r in await repos.signatures.list_all() if r.enabled]
    return stamps, Library(tuple(_valid(records)))


def _valid(records: list[SignatureRecord]) -> list[Signature]:
    """The stored signatures that validate; one that does not is logged and left out, never fatal."""
    out = []
    for record in records:
        try:
            out.append(signature_from_dict(dict(record.data), source=f"signature {record.id}"))
        except SignatureError as exc:
            log.error("stored signature refused: %s", exc)
    return out
