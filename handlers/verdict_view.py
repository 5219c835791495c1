"""Render a verdict as portable-markup text for any platform (and the `canhgiac check` command)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from handlers.catalogue import Catalogue
from handlers.messages import quote_user_text
from knowledge import MAX_INPUT_CHARS, Flag, Indicator, IndicatorKind, Level, Reputation, Verdict

MAX_REASONS = 6
MAX_INDICATORS = 6


def level_label(verdict: Verdict, catalogue: Catalogue, lang: str) -> str:
    return catalogue.text(f"level.{verdict.level.value}", lang)


def render_verdict(
    verdict: Verdict,
    catalogue: Catalogue,
    lang: str = "vi",
    reputation: Mapping[tuple[str, str], Reputation] | None = None,
    read_limit: int = MAX_INPUT_CHARS,
) -> str:
    """The full verdict: level label first, then method, evidence, reported status, advice, hotlines."""
    t = catalogue.text
    lines = [f"*{level_label(verdict, catalogue, lang)}*", t("verdict.score", lang, score=verdict.score)]
    if verdict.methods and verdict.level is not Level.LOW:
        top = verdict.methods[0]
        lines += ["", t("verdict.method", lang, title=top.title(lang), similarity=top.similarity)]
    if verdict.warning_context and verdict.level is Level.LOW:
        lines += ["", t("verdict.warning_note", lang)]
    evidence = [r for r in verdict.reasons if r.points > 0 and not r.code.startswith("method:")]
    if evidence and verdict.level is not Level.LOW:
        lines += ["", t("verdict.reasons", lang)]
        lines += [f"• {r.text(lang)}" for r in evidence[:MAX_REASONS]]
    details = _indicator_lines(verdict.indicators, catalogue, lang, reputation or {})
    if details:
        lines += ["", t("verdict.indicators", lang), *details]
    if verdict.level is Level.LOW:
        lines += ["", t("verdict.low_note", lang)]
    else:
        lines += ["", t("verdict.advice", lang)]
    lines += [f"• {a}" for a in verdict.advice(lang)]
    lines += ["", t("verdict.hotlines", lang)]
    if verdict.truncated:
        lines.append(t("verdict.truncated", lang, limit=read_limit))
    return defang_links("\n".join(lines), verdict.indicators)


def defang(link: str) -> str:
    """A link written so that no app turns it into something to tap: "evil.top" → "evil[.]top"."""
    return re.sub(r"(?i)\bhttp", "hxxp", link).replace(".", "[.]")


def defang_links(text: str, indicators: tuple[Indicator, ...]) -> str:
    """Our own warning must never hand the citizen a clickable scam link: only official links stay live."""
    risky = {
        value
        for ind in indicators
        if ind.kind is IndicatorKind.URL and not ind.has(Flag.OFFICIAL)
        for value in (ind.text, ind.host)
        if value and "[.]" not in value
    }
    for value in sorted(risky, key=len, reverse=True):
        text = text.replace(value, defang(value))
    return text


def _indicator_lines(
    indicators: tuple[Indicator, ...], catalogue: Catalogue, lang: str, reputation: Mapping[tuple[str, str], Reputation]
) -> list[str]:
    lines = []
    shown = [i for i in indicators if i.kind is not IndicatorKind.MONEY][:MAX_INDICATORS]
    for ind in shown:
        line = "• " + catalogue.text(f"indicator.{ind.kind.value}", lang, text=quote_user_text(_short(ind.text)))
        notes = [
            catalogue.text(f"indicator.flag.{f.value}", lang)
            for f in (Flag.OFFICIAL, Flag.LOOKALIKE, Flag.SCAM_PREFIX)
            if ind.has(f)
        ]
        if notes:
            line += f" ({', '.join(notes)})"
        lines.append(line)
        rep = reputation.get((ind.kind.value, ind.value))
        if rep is not None:
            lines.append("  " + reputation_sentence(rep, quote_user_text(_short(ind.text)), catalogue, lang))
    return lines


def reputation_sentence(rep: Reputation | None, what: str, catalogue: Catalogue, lang: str) -> str:
    """One sentence on what the reported list says about an indicator."""
    if rep is None:
        return catalogue.text("reputation.unknown", lang, what=what)
    if rep.status == "reported" and rep.report_count == 0:  # imported from a public list, nobody here reported it
        return catalogue.text("reputation.listed", lang, what=what)
    return catalogue.text(f"reputation.{rep.status}", lang, what=what, count=rep.report_count)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
