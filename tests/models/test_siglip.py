"""SigLIP image signals, tested with a tiny SigLIP built from a config, saved, and loaded through the
real path (no hub, no download)."""

from __future__ import annotations

import logging
import math
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageFont

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
tokenizers = pytest.importorskip("tokenizers")

from headroom_core._device import resolve_device, set_torch_threads  # noqa: E402
from headroom_core._exceptions import (  # noqa: E402
    ConfigurationError,
    MissingDependencyError,
    ModelUnavailableError,
)
from headroom_core.analyzers import (  # noqa: E402
    ConceptPrompts,
    EmbeddedImageAnalyzer,
    SiglipImageAnalyzer,
    get_analyzer,
)
from headroom_core.analyzers import siglip as siglip_module  # noqa: E402

SIGNALS = ("has_text", "is_document", "is_complex", "has_small_details")
VOCAB_WORDS = (
    "a an the of with on or and no any image photo picture text words letters readable sign writing "
    "screenshot scanned document page printed receipt source code scene people animals chart graph "
    "user interface buttons icons busy cluttered many objects crowded full details dense dashboard "
    "charts simple single object plain background minimal design few elements tiny detailed fine "
    "lines small print high-resolution large shape big bold blurry smooth without nature abstract pattern"
).split()


def build_tiny_siglip(
    path: Path, *, logit_scale: float = 10.0, logit_bias: float = -5.0, seed: int = 0
) -> Path:
    """Save a tiny random SigLIP (model + processor with an offline word-level tokenizer) to ``path``.

    ``logit_scale`` is the multiplier (the checkpoint stores its log).
    """
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers
    from transformers import (
        PreTrainedTokenizerFast,
        SiglipConfig,
        SiglipImageProcessor,
        SiglipModel,
        SiglipProcessor,
    )

    vocab = {"<pad>": 0, "</s>": 1, "<unk>": 2}
    for word in VOCAB_WORDS:
        vocab.setdefault(word, len(vocab))
    tok = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tok.normalizer = normalizers.Lowercase()
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, pad_token="<pad>", eos_token="</s>", unk_token="<unk>", model_max_length=16
    )
    config = SiglipConfig(
        text_config={
            "vocab_size": 128,
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "max_position_embeddings": 16,
            "pad_token_id": 0,
            "bos_token_id": 1,
            "eos_token_id": 1,
        },
        vision_config={
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "image_size": 32,
            "patch_size": 8,
        },
    )
    torch.manual_seed(seed)
    model = SiglipModel(config)
    with torch.no_grad():
        model.logit_scale.fill_(math.log(logit_scale))
        model.logit_bias.fill_(logit_bias)
    processor = SiglipProcessor(
        image_processor=SiglipImageProcessor(size={"height": 32, "width": 32}), tokenizer=fast
    )
    path.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(path)
    processor.save_pretrained(path)
    return path


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_siglip(tmp_path_factory.mktemp("siglip") / "tiny")


@pytest.fixture(autouse=True, scope="module")
def _free_models() -> Any:
    yield
    siglip_module.clear_cache()


def page() -> Image.Image:
    img = Image.new("RGB", (900, 700), "white")
    d = ImageDraw.Draw(img)
    f = ImageFont.load_default(size=18)
    for i in range(20):
        d.text(
            (40, 30 + i * 30),
            f"Line {i}: the quick brown fox jumps over the lazy dog {i * 7}",
            font=f,
            fill="black",
        )
    return img


def photo_like() -> Image.Image:
    img = Image.new("RGB", (640, 480))
    px = img.load()
    assert px is not None
    for y in range(480):
        for x in range(0, 640, 4):
            c = ((x * 3 + y) % 256, (y * 2) % 256, (x + y * 5) % 256)
            for k in range(4):
                px[x + k, y] = c
    return img


# -- the tiny checkpoint itself ----------------------------------------------------------------------


def test_tiny_checkpoint_saves_and_loads(tiny: Path) -> None:
    from transformers import AutoModel, AutoProcessor

    processor = AutoProcessor.from_pretrained(tiny, local_files_only=True)
    model = AutoModel.from_pretrained(tiny, local_files_only=True)
    assert type(model).__name__ == "SiglipModel"
    enc = processor(text=["a photo of text"], padding="max_length", max_length=16, return_tensors="pt")
    assert enc["input_ids"].shape == (1, 16)
    assert enc["input_ids"][0, :4].tolist() == [
        VOCAB_WORDS.index(w) + 3 for w in ("a", "photo", "of", "text")
    ]
    pix = processor(images=page(), return_tensors="pt")["pixel_values"]
    assert pix.shape == (1, 3, 32, 32)
    assert math.exp(float(model.logit_scale.detach())) == pytest.approx(10.0, rel=1e-5)
    assert float(model.logit_bias.detach()) == pytest.approx(-5.0)


# -- the analyzer ---------------------------------------------------------------------------------------


def test_signals_in_range_and_evidence(tiny: Path) -> None:
    analyzer = SiglipImageAnalyzer(str(tiny), device="cpu")
    analyzer.check()
    embedded = EmbeddedImageAnalyzer()
    for img in (page(), photo_like(), Image.new("L", (300, 200), 128), Image.new("RGBA", (50, 40))):
        s = analyzer.analyze(img)
        assert s.analyzer == "siglip"
        for name in SIGNALS:
            assert 0.0 <= getattr(s, name) <= 1.0
            assert 0.0 <= s.evidence["siglip_scores"][name] <= 1.0
        base = embedded.analyze(img)
        assert s.text_lines == base.text_lines  # text boxes still come from the embedded detector
        assert s.evidence["text_boxes"] == base.evidence["text_boxes"]
        assert s.evidence["embedded_signals"]["has_text"] == base.has_text
        assert s.evidence["siglip_model"] == str(tiny.resolve())
    assert s.evidence["siglip_logit_scale"] == pytest.approx(10.0, rel=1e-5)
    assert s.evidence["siglip_logit_bias"] == pytest.approx(-5.0)


def test_logit_scale_and_bias_come_from_the_checkpoint(tiny: Path, tmp_path: Path) -> None:
    low = tmp_path / "low-bias"
    high = tmp_path / "high-bias"
    sharp = tmp_path / "sharp"
    shutil.copytree(tiny, low)
    build_tiny_siglip(high, logit_scale=10.0, logit_bias=8.0)  # same seed: same weights
    build_tiny_siglip(sharp, logit_scale=400.0, logit_bias=-5.0)
    img = page()
    a_low = SiglipImageAnalyzer(str(low), device="cpu")
    a_high = SiglipImageAnalyzer(str(high), device="cpu")
    a_sharp = SiglipImageAnalyzer(str(sharp), device="cpu")
    assert a_low.loaded.logit_bias == pytest.approx(-5.0) and a_high.loaded.logit_bias == pytest.approx(8.0)
    assert a_sharp.loaded.logit_scale == pytest.approx(400.0, rel=1e-4)
    s_low, s_high, s_sharp = (a.siglip_scores(img) for a in (a_low, a_high, a_sharp))
    for name in SIGNALS:
        # a higher bias makes every prompt more likely to match ...
        assert s_high[name]["p_positive"] > s_low[name]["p_positive"]
        # ... and with both prompts near-certain the positive-vs-contrast score moves towards 0.5
        assert abs(s_high[name]["score"] - 0.5) < abs(s_low[name]["score"] - 0.5) + 1e-9
        # a larger scale pushes the score away from 0.5 (same cosines, same sign)
        assert abs(s_sharp[name]["score"] - 0.5) >= abs(s_low[name]["score"] - 0.5) - 1e-9
    assert any(abs(s_sharp[n]["score"] - s_low[n]["score"]) > 1e-3 for n in SIGNALS)
    # the fused signals move too
    assert a_sharp.analyze(img).as_dict() != a_low.analyze(img).as_dict()


def test_checkpoint_loads_once_per_process(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    siglip_module.clear_cache()
    calls = []
    real = transformers.AutoModel.from_pretrained

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(transformers.AutoModel, "from_pretrained", counting)
    a = SiglipImageAnalyzer(str(tiny), device="cpu")
    b = SiglipImageAnalyzer(str(tiny) + "/", device="cpu")
    models: list[Any] = []
    threads = [threading.Thread(target=lambda an=an: models.append(an.model)) for an in (a, b, a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert all(m is models[0] for m in models)
    assert a.model is b.model and a.loaded is b.loaded


def test_missing_path_names_the_path_and_the_fix(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-checkpoint"
    analyzer = SiglipImageAnalyzer(str(missing))
    with pytest.raises(ModelUnavailableError) as info:
        analyzer.check()
    msg = str(info.value)
    assert str(missing) in msg and "embedded" in msg and "local_files_only=True" in msg
    with pytest.raises(ModelUnavailableError, match="embedded"):
        analyzer.analyze(page())
    with pytest.raises(ModelUnavailableError, match="no-such-checkpoint"):
        get_analyzer("siglip", model_name_or_path=str(missing))


def test_directory_without_weights(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ModelUnavailableError, match=r"config\.json"):
        SiglipImageAnalyzer(str(empty)).check()
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text('{"model_type": "siglip"}')
    with pytest.raises(ModelUnavailableError, match="broken"):
        SiglipImageAnalyzer(str(broken), device="cpu").analyze(page())


def test_uncached_hub_id_is_not_downloaded() -> None:
    analyzer = SiglipImageAnalyzer("headroom-tests/no-such-siglip", device="cpu")
    with pytest.raises(ModelUnavailableError) as info:
        analyzer.check()
    msg = str(info.value)
    assert (
        "headroom-tests/no-such-siglip" in msg and "locally only" in msg and "huggingface-cli download" in msg
    )
    assert "embedded" in msg


def test_best_effort_falls_back_to_embedded(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        a = get_analyzer("siglip", model_name_or_path=str(tmp_path / "missing"), best_effort=True)
    assert isinstance(a, EmbeddedImageAnalyzer)
    assert any("embedded" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)
    assert isinstance(
        get_analyzer("siglip", model_name_or_path="headroom-tests/nope", best_effort=True),
        EmbeddedImageAnalyzer,
    )


def test_best_effort_keeps_a_working_checkpoint(tiny: Path) -> None:
    a = get_analyzer("siglip", model_name_or_path=str(tiny), device="cpu", best_effort=True)
    assert isinstance(a, SiglipImageAnalyzer)


def test_missing_ml_extra(monkeypatch: pytest.MonkeyPatch, tiny: Path) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "transformers" else real(name, *a)
    )
    with pytest.raises(MissingDependencyError, match=r"headroom-image\[ml\]"):
        SiglipImageAnalyzer(str(tiny)).check()
    assert isinstance(
        get_analyzer("siglip", model_name_or_path=str(tiny), best_effort=True), EmbeddedImageAnalyzer
    )


def test_weight_and_prompts(tiny: Path) -> None:
    img = page()
    base = EmbeddedImageAnalyzer().analyze(img)
    only_embedded = SiglipImageAnalyzer(str(tiny), device="cpu", siglip_weight=0.0).analyze(img)
    only_siglip = SiglipImageAnalyzer(str(tiny), device="cpu", siglip_weight=1.0).analyze(img)
    for name in SIGNALS:
        assert getattr(only_embedded, name) == pytest.approx(getattr(base, name), abs=2e-4)
        assert getattr(only_siglip, name) == pytest.approx(
            only_siglip.evidence["siglip_scores"][name], abs=2e-4
        )
    custom = SiglipImageAnalyzer(
        str(tiny), device="cpu", prompts={"has_text": (["a sign with writing"], ["a plain background"])}
    )
    assert custom.prompts["has_text"] == ConceptPrompts(("a sign with writing",), ("a plain background",))
    assert 0.0 <= custom.analyze(img).has_text <= 1.0
    with pytest.raises(ConfigurationError):
        SiglipImageAnalyzer(str(tiny), prompts={"is_cat": (["a cat"], ["a dog"])})
    with pytest.raises(ConfigurationError):
        SiglipImageAnalyzer(str(tiny), siglip_weight=1.5)


# -- devices and threads ------------------------------------------------------------------------------


def test_resolve_device() -> None:
    assert resolve_device("cpu") == "cpu"
    assert resolve_device("auto") in ("cpu", "cuda", "mps")
    assert resolve_device(None) == resolve_device("auto")
    with pytest.raises(ConfigurationError):
        resolve_device("gpu")
    if not torch.cuda.is_available():
        with pytest.raises(ConfigurationError, match="CUDA"):
            resolve_device("cuda:0")
    else:
        with pytest.raises(ConfigurationError):
            resolve_device(f"cuda:{torch.cuda.device_count()}")


def test_set_torch_threads() -> None:
    before = torch.get_num_threads()
    try:
        assert set_torch_threads(None) is None
        assert set_torch_threads(1) == before
        assert torch.get_num_threads() == 1
        with pytest.raises(ConfigurationError):
            set_torch_threads(0)
    finally:
        torch.set_num_threads(before)
