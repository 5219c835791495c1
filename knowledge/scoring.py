"""Scoring: every reason carries its contribution; the score is their (capped) sum.

Hard evidence (look-alike links, OTP requests, remote-control apps, confirmed scam indicators) counts in
full. Soft evidence (a resemblance to a method, pressure, a claimed authority) is weakened when the message
reads like a warning about scams, which is common in the groups this bot serves.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from knowledge.analysis import Analysis
from knowledge.data_files import read_toml
from knowledge.indicators import Flag, Indicator, IndicatorKind
from knowledge.learned import LearnedResult
from knowledge.matcher import MethodMatch
from knowledge.nearest import NearestExample
from knowledge.officials import is_genuine, only_official_contacts
from knowledge.statements import is_statement
from knowledge.tones import fold
from knowledge.verdict import HIGH_AT, MEDIUM_AT, Level, MethodResult, Reason, Reputation, Verdict

# Soft points are multiplied by this factor for 0, 1, 2, 3, 4+ distinct warning markers; hard points only from
# two markers on (a scam that opens with "CẢNH BÁO:" still shows its look-alike link in full).
SOFT_DAMPING = (1.0, 0.6, 0.4, 0.25, 0.15)
HARD_DAMPING = (1.0, 1.0, 0.6, 0.3, 0.2)
METHOD_MIN_SIMILARITY = 0.4
# A resemblance to a method with no red flag at all beside it is worth at most this much: genuine notices
# from banks and offices share the vocabulary of the scams that imitate them.
UNSUPPORTED_METHOD_POINTS = 20
LINK_FLAGS = (
    (Flag.HOMOGLYPH, "homoglyph_link"),
    (Flag.LOOKALIKE, "lookalike_link"),
    (Flag.APK, "apk_link"),
    (Flag.IP_HOST, "ip_host"),
    (Flag.ABUSED_TLD, "abused_tld"),
    (Flag.BAIT, "bait_link"),
    (Flag.OBFUSCATED, "obfuscated_link"),
    (Flag.SHORTENER, "shortener"),
    (Flag.PUNYCODE, "punycode_link"),
)
_REQUESTS = ("money_request", "otp_request", "credential_request", "app_install", "id_request", "apk", "remote_app")
# Requests that, beside a resemblance to a known method, make the scam concrete: the victim is asked to act,
# or pushed to by threats or secrecy (a debt collector's shaming script, a fake officer's gag order).
_METHOD_REQUESTS = (*_REQUESTS, "advance_fee", "personal_account", "qr_scan", "link_action", "threat", "secrecy")
# A first contact: a lure or a claimed authority (or a known method's script) that moves the reader elsewhere.
_LURES = ("authority", "prize", "too_good")
_CONTACT_MOVES = ("move_channel",)
# Hurry words beside a transfer to an account number: the pressure that stops a person from checking first.
_HURRY = re.compile(r"\b(gap|ngay lap tuc|ngay trong hom nay|khan cap|cang som cang tot|kip)\b")
# Red flags worth this many points make a message the learned layer reads as fairly scam-like (SUPPORTED_PROBABILITY)
# suspicious; in a message that reads like a warning it must be all but certain.
SUPPORTED_BASE = 15
WARNING_PROBABILITY = 0.98
# Below this probability the learned layer reads a message as plainly genuine: soft signs alone then stay below
# "suspicious" (held-out writers: false alarms at medium 0.0157 → 0.0094 and 0.050 → 0.038, no scam lost).
GENUINE_PROBABILITY = 0.1
# Methods whose script is a plea from someone close (a hacked friend, a relative in trouble): a plain request for
# money among family and friends reads the same, so the method needs pressure beside the request.
_PLEA_METHODS = ("hacked-account", "relative-emergency", "deepfake-call")
_PRESSURE = re.compile(
    r"\b(gap|ngay|khan cap|cap cuu|lien|kip|loi|bi khoa|hong|mat (dien thoai|may)|doi (zalo|so|sim)|so nay|tk nay|"
    r"tai khoan nay|stk nay|ban (em|anh|chi)|khong (nghe|goi) (may|duoc)|dang hop|dang (o|trong) (san bay|phong))\b"
)
# Debt collection: a licensed lender's reminder also asks the borrower to pay; what marks the illegal collector's
# script is a threat, secrecy, another account, or a link or code to hand over.
_DUNNING_METHODS = ("debt-collection",)
_DUNNING_REQUESTS = (
    "threat",
    "secrecy",
    "personal_account",
    "link_action",
    "credential_request",
    "otp_request",
    "qr_scan",
)
# Asked to call (back) a number: beside a premium-rate number that no known organisation uses, the call is the scam.
_CALL_BACK = re.compile(
    r"\b(goi lai|goi ngay|goi gap|bam phim|nhan phim|bam goi|goi (den |vao |toi )?(so |tong dai |hotline )?zphonez|"
    r"call (us )?back|call (us )?now|please call|press \d)\b"
)
# A scam's words quoted after the verb that reports them: someone retelling a script to warn others.
_QUOTES = "\"“«'"
_QUOTED_SCRIPT = re.compile(
    rf"\b(bao|nhan rieng bao|nhan tin bao|moi|du|doa|doi|kieu|dang|rang)\s*:?\s*[{_QUOTES}]\s*\w+(\s+\w+){{3}}"
)
# Citizens' reports are unverified (and could be made in bad faith): together they lift a message to "suspicious"
# at most, never to "high". Officers' verdicts count in full.
REPORTS_MAX_POINTS = MEDIUM_AT


def _plain_plea(analysis: Analysis) -> bool:
    """A request for money with nothing beside it but the asking: no hurry, no broken phone or card, no other
    account, no other red flag."""
    others = {h.rule.id for h in analysis.signals.hits} - {"money_request", "move_channel"}
    return not others and not _PRESSURE.search(analysis.views.clauses)


def _texts() -> Mapping[str, Any]:
    """Reason texts and advice, kept beside the red-flag rules in `data/signals.toml`."""
    return read_toml("data/signals.toml")


def _reason(code: str, evidence: str = "", points: int | None = None, **params: object) -> Reason:
    spec = _texts()["reasons"][code]
    return Reason(
        code=code,
        text_vi=spec["vi"].format(**params),
        text_en=spec["en"].format(**params),
        points=spec["points"] if points is None else points,
        evidence=evidence,
    )


EXAMPLE_EXCERPT = 140  # characters of the closest example scam quoted in a verdict


class Scorer:
    """Combines an analysis into a verdict."""

    def __init__(self, titles: Callable[[str], tuple[str, str]] = lambda method: (method, method)) -> None:
        self._titles = titles  # a method id's (Vietnamese, English) title, for the learned layer's reason

    def verdict(
        self,
        analysis: Analysis,
        reputation: Mapping[tuple[str, str], Reputation],
        evidence: Sequence[Reason] = (),
    ) -> Verdict:
        """`evidence`: hard reasons found beside the text, not in it (a screenshot's payment QR code:
        `knowledge.vietqr.qr_evidence`); they count like the text's own hard evidence."""
        hard: list[Reason] = list(evidence)
        soft: list[Reason] = []
        info: list[Reason] = []
        self._indicators(analysis.indicators, reputation, hard, info)
        for hit in analysis.signals.hits:
            target = hard if hit.rule.hard else soft
            if hit.rule.id == "apk" and any(r.code == "apk_link" for r in hard):
                continue
            target.append(Reason(hit.rule.id, hit.rule.reason_vi, hit.rule.reason_en, hit.rule.points, hit.evidence))
        self._combinations(analysis, soft)
        methods = [m for m in analysis.matches if m.similarity >= METHOD_MIN_SIMILARITY]
        if methods:
            self._method_reasons(analysis, methods[0], hard, soft)
        statement = is_statement(analysis, _REQUESTS)
        if statement:  # the payer's note in a balance notice asks the reader for nothing
            soft = []
        markers = self._warning_strength(analysis)
        soft_factor = SOFT_DAMPING[min(markers, len(SOFT_DAMPING) - 1)]
        hard_factor = HARD_DAMPING[min(markers, len(HARD_DAMPING) - 1)]
        if soft_factor < 1.0:
            soft = _damp(soft, soft_factor)
            hard = [r for r in hard if r.code == "verified_scam"] + _damp(
                [r for r in hard if r.code != "verified_scam"], hard_factor
            )
            info.append(_reason("warning_context", ", ".join(analysis.signals.warning_markers[:3])))
        reasons = sorted(hard + soft, key=lambda r: -r.points) + info
        if soft_factor == 1.0 and not statement:  # a warning or a statement quotes: neither rule below applies
            method_points = next((r.points for r in reasons if r.code.startswith("method:")), 0)
            lure = method_points >= UNSUPPORTED_METHOD_POINTS  # a clear resemblance, not one shared word
            reasons += self._floors(analysis, lure, sum(r.points for r in reasons))
        elif not statement:
            # Scams borrow warning words too ("tao bị hack nick", "ko lừa đảo"): the learned layer, which was
            # trained on warnings as genuine messages, still speaks when it is all but certain.
            reasons += self._learned_floor(analysis, sum(r.points for r in reasons), warning=True)
        score = min(100, sum(r.points for r in reasons))
        genuine = self._genuine_floor(analysis, hard, score)
        if genuine is not None:
            reasons.append(genuine)
            score += genuine.points
        level = Level.for_score(score)
        advice_vi, advice_en = self._advice(methods, level)
        return Verdict(
            level=level,
            score=score,
            methods=tuple(_method_result(m) for m in methods),
            reasons=tuple(reasons),
            indicators=analysis.indicators,
            advice_vi=advice_vi,
            advice_en=advice_en,
            warning_context=soft_factor < 1.0,
            truncated=analysis.truncated,
            normalised=analysis.views.folded_text,
        )

    def _indicators(
        self,
        indicators: tuple[Indicator, ...],
        reputation: Mapping[tuple[str, str], Reputation],
        hard: list[Reason],
        info: list[Reason],
    ) -> None:
        seen: set[str] = set()
        reports_left = REPORTS_MAX_POINTS - sum(r.points for r in hard if r.code == "reported")
        for ind in indicators:
            rep = reputation.get((ind.kind.value, ind.value))
            if rep is not None and rep.status == "scam":
                hard.append(_reason("verified_scam", ind.text, value=ind.text))
            elif rep is not None and rep.status == "reported" and rep.report_count > 0:
                points = min(reports_left, _texts()["reasons"]["reported"]["points"] if rep.report_count >= 3 else 0)
                reports_left -= points
                hard.append(_reason("reported", ind.text, points=points, value=ind.text, count=rep.report_count))
            if ind.kind is IndicatorKind.URL:
                if ind.has(Flag.OFFICIAL):
                    info.append(_reason("official_link", ind.text, brand=ind.brand, host=ind.host))
                for flag, code in LINK_FLAGS:
                    if flag is Flag.OBFUSCATED and ind.has(Flag.OFFICIAL):
                        continue  # a genuine address written out with spaces leads nowhere harmful
                    if ind.has(flag) and code not in seen:
                        seen.add(code)
                        hard.append(_reason(code, ind.text, brand=ind.brand, host=ind.host or ind.value))
            elif ind.kind is IndicatorKind.PHONE:
                if ind.has(Flag.OFFICIAL):
                    info.append(_reason("official_number", ind.text, brand=ind.brand, value=ind.text))
                elif ind.has(Flag.SCAM_PREFIX) and "scam_prefix" not in seen:
                    seen.add("scam_prefix")
                    hard.append(_reason("scam_prefix", ind.text, value=ind.text))
                elif ind.has(Flag.FOREIGN) and "foreign_number" not in seen:
                    seen.add("foreign_number")
                    hard.append(_reason("foreign_number", ind.text, value=ind.text))

    def _combinations(self, analysis: Analysis, soft: list[Reason]) -> None:
        signals = analysis.signals
        premium = next(
            (i for i in analysis.indicators if i.has(Flag.PREMIUM) and not i.has(Flag.OFFICIAL)),
            None,
        )
        if premium is not None and _CALL_BACK.search(analysis.views.clauses):
            soft.append(_reason("premium_callback", premium.text, value=premium.text))
        accounts = [i for i in analysis.indicators if i.kind is IndicatorKind.ACCOUNT]
        if signals.has("authority") and (any(signals.has(r) for r in _REQUESTS) or accounts):
            soft.append(_reason("authority_with_request"))
        if signals.has("money_request") and accounts:
            soft.append(_reason("transfer_to_account", accounts[0].text, value=accounts[0].text))
            if signals.has("urgency") or _HURRY.search(analysis.views.clauses):
                soft.append(_reason("urgent_transfer", accounts[0].text, value=accounts[0].text))

    def _method_reasons(self, analysis: Analysis, match: MethodMatch, hard: list[Reason], soft: list[Reason]) -> None:
        """The resemblance to the best method, and its combination with a concrete request."""
        supported = bool(hard) or any(r.code not in ("authority",) for r in soft)
        # Two or more distinct cues of one method are support enough on their own.
        cap = None if supported or len(match.hits) >= 2 else UNSUPPORTED_METHOD_POINTS
        soft.insert(0, self._method_reason(match, cap))
        # A known script that also asks the reader to pay, hand over data or act is the scam itself.
        request = next((h for h in analysis.signals.hits if h.rule.id in _METHOD_REQUESTS), None)
        account = any(i.kind is IndicatorKind.ACCOUNT for i in analysis.indicators)
        if request is None and not account:
            return
        if not account and match.signature.id in _PLEA_METHODS and _plain_plea(analysis):
            return  # family and friends ask each other for money every day: the script needs its pressure too
        if (
            not account
            and match.signature.id in _DUNNING_METHODS
            and not any(analysis.signals.has(code) for code in _DUNNING_REQUESTS)
        ):
            return  # a lender's own due reminder asks for payment too: the illegal collector threatens or redirects
        soft.append(_reason("method_with_request", request.evidence if request else ""))

    def _floors(self, analysis: Analysis, method_lure: bool, base: int) -> list[Reason]:
        """First contacts and scam-like writing lift a message to "suspicious", never further on their own."""
        lift = max(0, min(MEDIUM_AT, HIGH_AT - 1) - base)
        out: list[Reason] = []
        signals = analysis.signals
        move = next((h for h in signals.hits if h.rule.id in _CONTACT_MOVES), None)
        lure = method_lure or any(signals.has(code) for code in _LURES)
        official = only_official_contacts(analysis.indicators)
        if move is not None and lure and not official and not any(signals.has(code) for code in _REQUESTS):
            out.append(_reason("first_contact", move.evidence, points=lift))
            lift = 0
        return out + self._learned_floor(analysis, base, lift=lift, official=official)

    def _learned_floor(
        self,
        analysis: Analysis,
        base: int,
        *,
        lift: int | None = None,
        official: bool | None = None,
        warning: bool = False,
    ) -> list[Reason]:
        """The learned layer's reason, when it may speak: scam-like on its own; or, beside red flags worth
        SUPPORTED_BASE points, from SUPPORTED_PROBABILITY; or, in a message that reads like a warning, only when
        all but certain (WARNING_PROBABILITY)."""
        learned = analysis.learned
        if learned is None or (official if official is not None else only_official_contacts(analysis.indicators)):
            return []
        if warning:
            speaks = learned.scam_like and learned.probability >= WARNING_PROBABILITY
        else:
            speaks = learned.scam_like or (learned.supporting and base >= SUPPORTED_BASE)
        if not speaks:
            return []
        points = max(0, min(MEDIUM_AT, HIGH_AT - 1) - base) if lift is None else lift
        return [self._learned_reason(learned, analysis.nearest, points)]

    @staticmethod
    def _genuine_floor(analysis: Analysis, hard: list[Reason], score: int) -> Reason | None:
        """Soft signs alone (no link, number, code request or verdict that is evidence by itself) that the learned
        layer reads as plainly genuine writing keep a message below "suspicious": a family asking for money, a
        bank's notice in its own words. Hard evidence always counts in full."""
        learned = analysis.learned
        if hard or learned is None or not MEDIUM_AT <= score < HIGH_AT or learned.probability >= GENUINE_PROBABILITY:
            return None
        return _reason("learned_genuine", f"{learned.probability:.2f}", points=MEDIUM_AT - 1 - score)

    def _learned_reason(self, learned: LearnedResult, nearest: NearestExample | None, lift: int) -> Reason:
        """Written like confirmed scams: quoting the closest example scam when one is close, else naming the
        method the model finds closest."""
        reasons = _texts()["reasons"]
        if nearest is not None:
            title_vi, title_en = self._titles(nearest.method)
            spec = reasons["learned_example"]
            quoted = _excerpt(nearest.text)
            percent = round(100 * nearest.similarity)
            text_vi = spec["vi"].format(title=title_vi, percent=percent, example=quoted)
            text_en = spec["en"].format(title=title_en, percent=percent, example=quoted)
            return Reason("learned", text_vi, text_en, lift, f"{learned.probability:.2f}; {nearest.method}")
        title_vi, title_en = self._titles(learned.method or "")
        spec, count = reasons["learned"], learned.examples
        text_vi = spec["vi"].format(title=title_vi, count=count)
        text_en = spec["en"].format(title=title_en, count=count)
        return Reason("learned", text_vi, text_en, lift, f"{learned.probability:.2f}")

    @staticmethod
    def _warning_strength(analysis: Analysis) -> int:
        """Distinct signs that the message warns about scams rather than being one."""
        strength = len(analysis.signals.warning_markers) + len(analysis.signals.negated)
        links = [i for i in analysis.indicators if i.kind is IndicatorKind.URL]
        if links and all(is_genuine(i) for i in links):
            strength += 1  # points only to genuine sites: a notice or an advisory
        if any(q in analysis.text for q in _QUOTES) and _QUOTED_SCRIPT.search(fold(analysis.text.lower())):
            strength += 1  # "có người gọi bảo “… bị khóa sim …”": the script is quoted, not spoken
        return strength

    def _method_reason(self, match: MethodMatch, cap: int | None = None) -> Reason:
        points = round(min(45.0, match.raw_points) * match.signature.weight)
        if cap is not None:
            points = min(points, cap)
        sig = match.signature
        similarity = round(match.similarity * 100)
        evidence = "; ".join(h.phrase for h in match.hits[:3])
        return Reason(
            code=f"method:{sig.id}",
            text_vi=_texts()["reasons"]["method"]["vi"].format(title=sig.title_vi, similarity=similarity),
            text_en=_texts()["reasons"]["method"]["en"].format(title=sig.title_en, similarity=similarity),
            points=points,
            evidence=evidence,
        )

    def _advice(self, methods: list[MethodMatch], level: Level) -> tuple[tuple[str, ...], tuple[str, ...]]:
        basics = _texts()["advice"]
        if level is Level.LOW or not methods:
            return tuple(basics["basics_vi"]), tuple(basics["basics_en"])
        sig = methods[0].signature
        own = " ".join(sig.advice_vi).lower()
        keep = [topic.lower() not in own for topic in basics["basics_topics"]]
        vi = list(sig.advice_vi) + [b for b, k in zip(basics["basics_vi"], keep, strict=True) if k]
        en = list(sig.advice_en) + [b for b, k in zip(basics["basics_en"], keep, strict=True) if k]
        return tuple(vi), tuple(en)


def _damp(reasons: list[Reason], factor: float) -> list[Reason]:
    return [Reason(r.code, r.text_vi, r.text_en, round(r.points * factor), r.evidence) for r in reasons]


def _method_result(match: MethodMatch) -> MethodResult:
    sig = match.signature
    return MethodResult(
        sig.id, sig.title_vi, sig.title_en, round(match.similarity * 100), tuple(h.phrase for h in match.hits)
    )


def _excerpt(text: str, limit: int = EXAMPLE_EXCERPT) -> str:
    """An example scam short enough to quote in a verdict."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
