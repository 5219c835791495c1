"""The risk engine as a library: what `handlers/` and `bot/` may use. The submodules are its insides.

normalise → extract indicators → detect red flags → match signatures → score → `Verdict`.
"""

from knowledge.alert_content import MethodChoice, choose_method, warning_cues
from knowledge.analysis import Analysis
from knowledge.engine import MAX_INPUT_CHARS, Engine
from knowledge.evaluation import LabelledMessage, Report, Tally, evaluate, load_corpus
from knowledge.guard import FalseAlarmGuard, GuardResult, load_genuine_sample, shipped_guard
from knowledge.indicators import Flag, Indicator, IndicatorKind
from knowledge.library import Library, load_directory, load_shipped_library, signature_hash
from knowledge.signature import Signature, SignatureError, parse_signature_toml, signature_from_dict
from knowledge.verdict import Level, MethodResult, Reason, Reputation, Verdict

__all__ = [
    "MAX_INPUT_CHARS",
    "Analysis",
    "Engine",
    "FalseAlarmGuard",
    "Flag",
    "GuardResult",
    "Indicator",
    "IndicatorKind",
    "LabelledMessage",
    "Level",
    "Library",
    "MethodChoice",
    "MethodResult",
    "Reason",
    "Report",
    "Reputation",
    "Signature",
    "SignatureError",
    "Tally",
    "Verdict",
    "choose_method",
    "evaluate",
    "load_corpus",
    "load_directory",
    "load_genuine_sample",
    "load_shipped_library",
    "parse_signature_toml",
    "shipped_guard",
    "signature_from_dict",
    "signature_hash",
    "warning_cues",
]
