"""The rule-based router: keyword rules on the question + the embedded image analyzer.

Used when the trained router (``ml`` extra) is not installed. The query rules are weighted regular
expressions per technique (``QUERY_RULES``); the best-scoring technique wins and the probabilities
are a softmax of the scores, so a question matching nothing falls under the confidence floor and
ends as PRESERVE. "Veto" rules (handwriting, formulas, values read from chart marks, counting) add
enough weight to PRESERVE to beat "read"/"what does it say" wording. Image signals then gate the
choice exactly as for the trained router (:mod:`headroom_core.router.fusion`).
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from ..types import Technique
from ._base import QueryClassifier, QueryPrediction, RegionLocator
from .fused import FusedRouter
from .policy import DEFAULT_POLICY, RoutingPolicy

if TYPE_CHECKING:
    from ..analyzers import ImageAnalyzer

__all__ = ["QUERY_RULES", "RuleBasedRouter", "RuleQueryClassifier"]

_T, _C, _F, _P = Technique.TRANSCODE, Technique.CROP, Technique.FULL_LOW, Technique.PRESERVE

#: (technique, weight, pattern). Patterns are matched case-insensitively on the whole question.
QUERY_RULES: tuple[tuple[Technique, float, str], ...] = (
    # TRANSCODE: the answer is the text.
    (
        _T,
        2.0,
        r"\b(transcribe|transcription|ocr|verbatim|word for word|"
        r"type (it |this )?out|copy (out |down )?the text)\b",
    ),
    (_T, 1.6, r"\b(read|reads|reading)\b"),
    (
        _T,
        1.6,
        r"\bwhat (does|do) (it|this|that|the \w+( \w+)?) (say|read)s?\b|\bwhat('s| is) written\b|\bsays?\b",
    ),
    (_T, 1.4, r"\b(text|wording|words|sentence|paragraph|lines?|letters?)\b"),
    (
        _T,
        1.4,
        r"\b(summari[sz]e|summary|translate|translation|extract|convert .* to (csv|json|markdown|text))\b",
    ),
    (
        _T,
        1.2,
        r"\b(document|page|article|letter|email|e-mail|receipt|invoice|menu|slide|contract|form|"
        r"code|error( message)?|log|terminal|stack ?trace|table|spreadsheet|caption|subtitle)s?\b",
    ),
    (_T, 0.8, r"\b(list (all|every|the)|what are the (items|names|steps|entries))\b"),
    # CROP: one region or object.
    (
        _C,
        2.2,
        r"\b(top|bottom|upper|lower)[- ]?(left|right)\b|\b(corner|header|footer|sidebar|legend|margin)\b",
    ),
    (
        _C,
        1.6,
        r"\b(left|right|top|bottom) (side|half|part|edge|column|panel)\b|\bin the (background|foreground)\b",
    ),
    (_C, 1.8, r"\b(zoom|close[- ]?up|focus on|crop)\b"),
    (
        _C,
        1.6,
        r"\b(first|second|third|fourth|fifth|last|\d+(st|nd|rd|th)) (\w+ )?"
        r"(from the (left|right|top|bottom)|row|column|line|item|cell)\b",
    ),
    (
        _C,
        1.5,
        r"\b(serial number|licen[cs]e plate|sticker|label on|tag on|badge|name ?tag|barcode|field|"
        r"next to|beside|below the|above the|value (of|for) the)\b",
    ),
    # FULL_LOW: gist, scene, category, mood, dominant colour.
    (
        _F,
        2.0,
        r"\b(describe|description|caption this|what('s| is) (this|in (this|the) (image|photo|picture)))\b",
    ),
    (
        _F,
        1.8,
        r"\b(scene|setting|mood|atmosphere|vibe|feel|gist|overall|"
        r"kind of (place|image|photo)|type of (place|image|photo))\b",
    ),
    (
        _F,
        1.6,
        r"\b(indoors?|outdoors?|weather|season|time of day|daytime|night ?time|"
        r"landscape|animal|breed|species)\b",
    ),
    (_F, 1.2, r"\b(colou?r|colou?rs)\b"),
    (_F, 1.0, r"\b(is (this|it) an? |what (kind|type|sort) of)\b"),
    # PRESERVE: fine detail, counting, comparisons, positions, handwriting, formulas, chart values, layout.
    (_P, 2.6, r"\b(handwrit\w*|hand-?written|cursive|scribbl\w*|signature)\b"),
    (_P, 2.6, r"\b(formula|equation|integral|derivative|matrix|latex)s?\b"),
    (_P, 2.4, r"\b(how many|count|number of|tally)\b"),
    (
        _P,
        2.0,
        r"\b(bar|line|pie|scatter)? ?(chart|graph|plot|axis|histogram)\b.*\b(value|highest|lowest|peak|trend|"
        r"compare|largest|smallest|maximum|minimum|increase|decrease)\b|\b(value|height) of the \w+ bar\b",
    ),
    (
        _P,
        2.0,
        r"\b(value|highest|lowest|peak|trend|largest|smallest|maximum|minimum|increase|decrease)\b.*"
        r"\b(bar|line|pie|scatter)? ?(chart|graph|plot|histogram)\b",
    ),
    (_P, 1.8, r"\b(compare|comparison|differences?|spot the|identical|same as|versus|vs\.?)\b"),
    (
        _P,
        1.8,
        r"\b(where (is|are|exactly)|position|coordinates?|pixel|aligned|alignment|layout|overlap\w*)\b",
    ),
    (
        _P,
        1.6,
        r"\b(fine|tiny|small|minute|subtle|precise|exact(ly)?|detailed|details?|texture|defects?|"
        r"scratch(es)?|cracks?|damage)\b",
    ),
    (
        _P,
        1.6,
        r"\b(clock|gauge|dial|meter reading|x-?ray|mri|ct scan|scan|microscope|diagram|schematic|map|"
        r"circuit|blueprint)\b",
    ),
)
_COMPILED = tuple((t, w, re.compile(p, re.IGNORECASE)) for t, w, p in QUERY_RULES)
_PRIOR = {_T: 0.0, _C: 0.0, _F: 0.0, _P: 0.3}  # an empty question leans to the safe side
_TEMPERATURE = 1.0


class RuleQueryClassifier(QueryClassifier):
    """Weighted keyword rules (see ``QUERY_RULES``); no model, no dependency."""

    name = "rules"

    def predict(self, query: str) -> QueryPrediction:
        scores = dict(_PRIOR)
        for technique, weight, pattern in _COMPILED:
            if pattern.search(query or ""):
                scores[technique] += weight
        exps = {t: math.exp(s / _TEMPERATURE) for t, s in scores.items()}
        total = sum(exps.values())
        probs = {t.value: exps[t] / total for t in exps}
        best = max(scores, key=lambda t: (scores[t], t is _P))
        return QueryPrediction(
            technique=best, confidence=probs[best.value], probabilities=probs, classifier=self.name
        )


class RuleBasedRouter(FusedRouter):
    """Keyword query rules fused with the image analyzer's signals (the no-ML fallback)."""

    name = "rules"

    def __init__(
        self,
        analyzer: ImageAnalyzer | None = None,
        locator: RegionLocator | None = None,
        policy: RoutingPolicy = DEFAULT_POLICY,
    ) -> None:
        super().__init__(RuleQueryClassifier(), analyzer=analyzer, locator=locator, policy=policy)
