"""The rule-based query classifier (the no-ML fallback) follows its documented rules."""

from __future__ import annotations

import pytest

from headroom_core import Technique
from headroom_core.router import RuleQueryClassifier

CASES = [
    ("Transcribe this page.", Technique.TRANSCODE),
    ("What does the error message say?", Technique.TRANSCODE),
    ("Summarise this article for me", Technique.TRANSCODE),
    ("Read the text on the sign", Technique.TRANSCODE),
    ("What's in the top-right corner?", Technique.CROP),
    ("Zoom into the legend", Technique.CROP),
    ("what colour is the third car from the left", Technique.CROP),
    ("Describe the scene", Technique.FULL_LOW),
    ("Is this indoors or outdoors?", Technique.FULL_LOW),
    ("What animal is this?", Technique.FULL_LOW),
    ("How many people are in the photo?", Technique.PRESERVE),
    ("Read this handwritten note", Technique.PRESERVE),
    ("Solve the equation on the whiteboard", Technique.PRESERVE),
    ("Which month had the highest value in the bar chart?", Technique.PRESERVE),
    ("Where is the Save button?", Technique.PRESERVE),
]


@pytest.mark.parametrize(("query", "expected"), CASES)
def test_rules(query: str, expected: Technique) -> None:
    pred = RuleQueryClassifier().predict(query)
    assert pred.technique is expected, (query, pred.probabilities)
    assert abs(sum(pred.probabilities.values()) - 1.0) < 1e-9
    assert pred.confidence == pred.probabilities[expected.value]


def test_nothing_matched_is_unsure_and_leans_preserve() -> None:
    pred = RuleQueryClassifier().predict("hmm")
    assert pred.technique is Technique.PRESERVE
    assert pred.confidence < 0.45  # below the default confidence floor


def test_veto_beats_read() -> None:
    c = RuleQueryClassifier()
    assert c.predict("read this note").technique is Technique.TRANSCODE
    assert c.predict("read this handwritten note").technique is Technique.PRESERVE
