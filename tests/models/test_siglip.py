"""SigLIP image signals, tested with a tiny SigLIP built from a config, saved, and loaded through the
real path (no hub, no download)."""

from __future__ import annotations

import logging
import math
import shutil
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
tokenizers = pytest.importorskip("tokenizers")

from _tiny_siglip import VOCAB_WORDS, build_tiny_siglip  # noqa: E402

from headroom_core import Box  # noqa: E402
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
from headroom_core.locate import (  # noqa: E402
    QueryRegionLocator,
    SiglipPatchScorer,
    region_from_patches,
    siglip_patch_scorer,
)
from headroom_core.locate._patches import _project  # noqa: E402

SIGNALS = ("has_text", "is_document", "is_complex", "has_small_details")


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


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A fresh process-wide model cache, and the checkpoints ``from_pretrained`` is asked to load."""
    siglip_module.clear_cache()
    calls: list[str] = []
    real = transformers.AutoModel.from_pretrained

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(transformers.AutoModel, "from_pretrained", counting)
    return calls


def test_checkpoint_loads_once_per_process(tiny: Path, loads: list[str]) -> None:
    calls = loads
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


# -- patch similarity for the region locator -------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_flat(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """64 px input, 8 px patches (an 8 x 8 grid), no vision position embeddings."""
    return build_tiny_siglip(tmp_path_factory.mktemp("siglip") / "flat", image_size=64, flat_positions=True)


def siglip_compressor(checkpoint: Path) -> Any:
    """A compressor whose rule router sends spatial questions to CROP, with SigLIP signals and
    patches from ``checkpoint`` and an OCR that finds no text (so only the patch path can locate)."""
    from _fakes import FakeOcr

    from headroom_core import ImageCompressor

    return ImageCompressor(
        "openai",
        "gpt-4o",
        router="rules",
        use_siglip=True,
        siglip_model=str(checkpoint),
        ocr_engine=FakeOcr([]),
    )


def square_on_plain(
    cell: tuple[int, int], cells: int = 1, size: tuple[int, int] = (1280, 640)
) -> Image.Image:
    """A plain image with a red square over ``cells`` x ``cells`` grid cells (of an 8 x 8 grid) from
    ``cell`` = (row, col)."""
    w, h = size[0] // 8, size[1] // 8
    r, c = cell
    img = Image.new("RGB", size, (90, 140, 90))
    ImageDraw.Draw(img).rectangle(
        (c * w, r * h, (c + cells) * w - 1, (r + cells) * h - 1), fill=(220, 20, 20)
    )
    return img


def test_patch_scorer_grid_has_the_patch_layout_and_finite_cosines(tiny: Path, tiny_flat: Path) -> None:
    scorer = SiglipPatchScorer(SiglipImageAnalyzer(str(tiny), device="cpu"))
    images = (page(), photo_like(), Image.new("L", (300, 200), 128), Image.new("RGBA", (50, 40)))
    for img in (*images, Image.new("RGB", (3000, 120), "white")):
        grid = scorer(img, "zoom in on the red square")
        assert isinstance(grid, np.ndarray) and grid.dtype == np.float64
        assert grid.shape == (4, 4)  # 32 px input / 8 px patches
        assert np.all(np.isfinite(grid)) and np.all(np.abs(grid) <= 1.0 + 1e-5)
    assert not np.allclose(scorer(page(), "the red square"), scorer(page(), "a cat"), atol=1e-6)
    assert SiglipPatchScorer(str(tiny_flat), device="cpu")(page(), "the logo").shape == (8, 8)


def test_patch_tokens_are_projected_like_the_pooled_image_embedding(tiny: Path) -> None:
    """Each patch goes through SigLIP's attention-pooling head as if the probe attended to it alone:
    exactly what the head outputs for a one-token sequence."""
    vision = SiglipImageAnalyzer(str(tiny), device="cpu").model.vision_model
    tokens = torch.randn(6, 32, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        projected = _project(vision, tokens)
        pooled = torch.stack([vision.head(t.view(1, 1, -1))[0] for t in tokens])
    assert torch.allclose(projected, pooled, atol=1e-5)
    assert not torch.allclose(projected, tokens, atol=1e-2)  # the projection is not the identity


def test_patch_scorer_shares_the_analyzers_checkpoint(tiny: Path, loads: list[str]) -> None:
    calls = loads
    analyzer = SiglipImageAnalyzer(str(tiny), device="cpu")
    analyzer.analyze(page())
    shared = siglip_patch_scorer(analyzer)
    assert isinstance(shared, SiglipPatchScorer) and shared.analyzer is analyzer
    by_path = SiglipPatchScorer(str(tiny), device="cpu")
    shared(page(), "the logo")
    by_path(photo_like(), "the logo")
    assert len(calls) == 1 and by_path.analyzer.loaded is analyzer.loaded
    assert siglip_patch_scorer(EmbeddedImageAnalyzer()) is None and siglip_patch_scorer(None) is None


def test_patch_grid_peaks_at_the_one_distinct_patch(tiny_flat: Path) -> None:
    """A plain 2:1 image with one red square: the grid's peak is the square's cell (rows are image
    rows, columns image columns) and the locator's box is that cell in pixels."""
    scorer = SiglipPatchScorer(str(tiny_flat), device="cpu")
    for (r, c), cells in (((1, 5), 1), ((6, 2), 1), ((5, 1), 2)):
        grid = scorer(square_on_plain((r, c), cells), "zoom in on the red square")
        assert divmod(int(np.argmax(grid)), 8) in [(r + i, c + j) for i in range(cells) for j in range(cells)]
        report = QueryRegionLocator(ocr_engine=None, patch_scorer=scorer).locate_detailed(
            square_on_plain((r, c), cells), "zoom in on the red square", None
        )
        assert report.path == "patches" and report.region is not None
        assert report.region.box == Box(c * 160, r * 80, (c + cells) * 160, (r + cells) * 80)
    plain = scorer(Image.new("RGB", (1280, 640), (90, 140, 90)), "zoom in on the red square")
    assert region_from_patches(plain, 1280, 640) is None  # nothing stands out: no region


def test_compressor_with_siglip_crops_to_the_patch_region(tiny_flat: Path) -> None:
    """End to end: use_siglip gives the default locator SigLIP patches on the analyzer's checkpoint;
    a CROP question with no text or place to go by is cropped to the patch region."""
    from _fakes import FakeOcr
    from conftest import data_url, png_bytes

    from headroom_core import ImageCompressor, Technique

    img = square_on_plain((1, 5))
    query = "zoom in on the red square"  # the rule router's CROP wording
    messages = [
        {
            "role": "user",
            "content": [
                {"type": "image_url", "image_url": {"url": data_url(png_bytes(img))}},
                {"type": "text", "text": query},
            ],
        }
    ]
    comp = siglip_compressor(tiny_flat)
    runs: list[int] = []
    vision = comp.router.analyzer.model.vision_model  # type: ignore[attr-defined]
    handle = vision.register_forward_hook(lambda module, args, output: runs.append(1))
    try:
        comp.compress(messages)
    finally:
        handle.remove()
    assert comp.last_result is not None
    r = comp.last_result.images[0]
    assert r.technique is Technique.CROP, r.reason
    assert len(runs) == 1  # the analyzer's vision pass served the patch scorer too
    assert r.decision is not None and r.decision.region == Box(800, 80, 960, 160)
    assert "patches most similar" in r.reason
    assert r.crop_box is not None and r.crop_box.contains(Box(800, 80, 960, 160))
    assert r.compressed_tokens < r.original_tokens
    router = comp.router
    scorer = router.locator.patch_scorer  # type: ignore[attr-defined]
    assert isinstance(scorer, SiglipPatchScorer)
    assert scorer.analyzer is router.analyzer  # type: ignore[attr-defined]

    without = ImageCompressor("openai", "gpt-4o", router="rules", ocr_engine=FakeOcr([]))
    assert without.router.locator.patch_scorer is None  # type: ignore[attr-defined]
    without.compress(messages)
    assert without.last_result is not None and without.last_result.images[0].technique is Technique.PRESERVE


def test_compressor_survives_a_failing_siglip_scorer(
    tiny_flat: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from conftest import data_url, png_bytes

    from headroom_core import Technique

    comp = siglip_compressor(tiny_flat)
    scorer = comp.router.locator.patch_scorer  # type: ignore[attr-defined]
    assert isinstance(scorer, SiglipPatchScorer)
    scorer.analyzer = SiglipImageAnalyzer(str(tiny_flat) + "-missing", device="cpu")  # weights gone
    data = png_bytes(square_on_plain((1, 5)))
    messages = [
        {
            "role": "user",
            "content": [
                {"type": "image_url", "image_url": {"url": data_url(data)}},
                {"type": "text", "text": "zoom in on the red square"},
            ],
        }
    ]
    with caplog.at_level(logging.WARNING):
        comp.compress(messages)
    assert comp.last_result is not None
    r = comp.last_result.images[0]
    assert r.error is None and r.technique is Technique.PRESERVE and r.crop_box is None
    assert "no region located" in r.reason
    assert any("patch scorer failed" in rec.getMessage() for rec in caplog.records)


def test_patch_scorer_reuses_the_analyzers_vision_pass_for_the_same_image(tiny: Path) -> None:
    analyzer = SiglipImageAnalyzer(str(tiny), device="cpu")
    scorer = SiglipPatchScorer(analyzer)
    vision = analyzer.model.vision_model
    runs: list[int] = []
    handle = vision.register_forward_hook(lambda module, args, output: runs.append(1))
    try:
        img = photo_like()
        fresh = scorer(img, "the red square")  # not analysed yet: the tower runs for the scorer
        assert len(runs) == 1
        analyzer.analyze(img)
        assert len(runs) == 2
        reused = scorer(img, "the red square")  # the router's order: analyze, then locate
        assert len(runs) == 2
        np.testing.assert_allclose(reused, fresh, atol=1e-5)  # the same grid either way
        other = page()
        scorer(other, "the red square")  # a different image object: the tower runs again
        assert len(runs) == 3
        copy = img.copy()  # equal pixels, another object: not assumed to be the same image
        scorer(copy, "the red square")
        assert len(runs) == 4
    finally:
        handle.remove()
