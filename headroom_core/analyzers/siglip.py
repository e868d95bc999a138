"""Image signals refined by any SigLIP checkpoint (hub id or local directory), with its own calibration.

For each signal a few *positive* concept prompts ("a scanned document page", ...) face a few
*contrast* prompts ("a photo of a scene", ...). SigLIP was trained with a sigmoid loss, so
``sigmoid(exp(logit_scale) * cos + logit_bias)`` with the checkpoint's own ``logit_scale`` and
``logit_bias`` is its probability that an image matches a text. Per signal:

- ``p_pos`` = that probability for the best-matching positive prompt, ``p_neg`` for the best
  contrast prompt;
- the SigLIP score = ``p_pos / (p_pos + p_neg)`` (the positive description against its contrast;
  unlike a bare ``sigmoid(5 * cos)`` it is centred where the checkpoint itself is undecided);
- the signal = ``sigmoid(w * logit(siglip) + (1 - w) * logit(embedded))``: SigLIP's score pooled
  (geometric mean of odds, weight ``siglip_weight``, default 0.5) with the embedded analyzer's
  calibrated score from measured evidence.

Text lines, text heights and every other piece of evidence still come from the embedded analyzer
(SigLIP does not locate text); the evidence gains ``siglip_*`` entries. The pooling weight is a
design default, not fitted: no SigLIP weights ship on PyPI, so none could be calibrated here.

Prompts are tokenised with ``padding="max_length"`` (as SigLIP was trained) and only ``input_ids``
are passed. The vision tower's patch tokens of the last few images analysed are kept (by image
object, weakly) so the region locator's SigLIP patch path
(:class:`~headroom_core.locate.SiglipPatchScorer`) does not run the tower again on the same image.
Models load lazily, once per process and device, behind a lock; torch and transformers are imported
only then.
"""

from __future__ import annotations

import importlib.util
import logging
import math
import os
import threading
import time
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from .._device import resolve_device, set_torch_threads
from .._exceptions import ConfigurationError, MissingDependencyError, ModelUnavailableError
from ..types import ImageSignals
from ._base import ImageAnalyzer, register_analyzer
from .embedded import SIGNALS, EmbeddedImageAnalyzer, _to_rgb

__all__ = ["DEFAULT_PROMPTS", "DEFAULT_SIGLIP_MODEL", "ConceptPrompts", "SiglipImageAnalyzer", "clear_cache"]

logger = logging.getLogger(__name__)

#: Used when no checkpoint is named (the anchor's default; it is NOT bundled, see DESIGN §4).
DEFAULT_SIGLIP_MODEL = "google/siglip-base-patch16-224"

_ML_EXTRA = "pip install 'headroom-image[ml]'"

#: Images whose vision-tower outputs an analyzer keeps for the patch scorer.
_RECENT_IMAGES = 4


@dataclass(frozen=True)
class ConceptPrompts:
    """Positive prompts for one signal and the contrast prompts they are weighed against."""

    positive: tuple[str, ...]
    contrast: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.positive or not self.contrast:
            raise ConfigurationError("each signal needs at least one positive and one contrast prompt")


DEFAULT_PROMPTS: Mapping[str, ConceptPrompts] = {
    "has_text": ConceptPrompts(
        positive=(
            "a photo of text",
            "an image with readable words and letters",
            "a sign with writing on it",
            "a screenshot with text",
        ),
        contrast=(
            "a photo with no text",
            "an image without any words or letters",
            "a photo of nature",
            "an abstract pattern",
        ),
    ),
    "is_document": ConceptPrompts(
        positive=(
            "a scanned document page",
            "a page of printed text",
            "a receipt",
            "a screenshot of source code",
        ),
        contrast=(
            "a photo of a scene",
            "a photo of people or animals",
            "a chart or a graph",
            "a user interface with buttons and icons",
        ),
    ),
    "is_complex": ConceptPrompts(
        positive=(
            "a busy, cluttered scene with many objects",
            "a crowded picture full of details",
            "a dense dashboard with many charts",
        ),
        contrast=(
            "a simple image of a single object",
            "a plain background",
            "a minimal design with few elements",
        ),
    ),
    "has_small_details": ConceptPrompts(
        positive=(
            "an image with tiny text",
            "a detailed picture with fine lines and small print",
            "a high-resolution image full of small details",
        ),
        contrast=(
            "a large simple shape",
            "big bold letters",
            "a blurry, smooth image",
        ),
    ),
}


@dataclass(frozen=True)
class _Loaded:
    """A loaded checkpoint (shared by every analyzer with the same source and device)."""

    source: str
    device: str
    model: Any
    processor: Any
    logit_scale: float  # exp(model.logit_scale): the multiplier of the cosine
    logit_bias: float
    max_length: int
    image_size: int
    load_ms: float


_CACHE: dict[tuple[str, str], _Loaded] = {}
_CACHE_LOCK = threading.Lock()


def clear_cache() -> None:
    """Forget every loaded checkpoint (frees memory once no analyzer holds it)."""
    with _CACHE_LOCK:
        _CACHE.clear()


def _looks_like_path(name: str) -> bool:
    return (
        name.startswith(("/", "./", "../", "~", "\\"))
        or (len(name) > 1 and name[1] == ":")
        or (os.sep != "/" and os.sep in name)
    )


def _require_ml() -> None:
    missing = [m for m in ("torch", "transformers") if importlib.util.find_spec(m) is None]
    if missing:
        raise MissingDependencyError(
            f"SigLIP image signals need {' and '.join(missing)}; install the ML extra: {_ML_EXTRA} "
            "(or use the embedded analyzer: get_analyzer('embedded'))"
        )


def _unavailable(source: str, where: str, local_files_only: bool, cause: str = "") -> ModelUnavailableError:
    looked = (
        "locally only (local_files_only=True)" if local_files_only else "locally and on the Hugging Face Hub"
    )
    if _looks_like_path(source) or os.path.exists(os.path.expanduser(source)):
        fix = (
            "Fix: pass the directory of a saved SigLIP checkpoint (config.json, the weights and the "
            "processor files, as written by save_pretrained)"
        )
    else:
        fix = (
            "Fix: pass a local SigLIP checkpoint directory as model_name_or_path; or download it once "
            f"(e.g. `huggingface-cli download {source}`) and keep local_files_only=True"
        )
    fix += (
        "; or use the embedded analyzer (get_analyzer('embedded'), or get_analyzer('siglip', "
        "best_effort=True) to fall back to it automatically)."
    )
    detail = f" ({cause})" if cause else ""
    return ModelUnavailableError(
        f"SigLIP model {source!r} is not available: looked for it {looked} {where}{detail}. {fix}"
    )


def _locate(name: str, local_files_only: bool) -> tuple[str, str]:
    """(source to load, human description of where it was looked for); raises when not found."""
    expanded = os.path.expanduser(name)
    if os.path.isdir(expanded):
        path = str(Path(expanded).resolve())
        if not os.path.isfile(os.path.join(path, "config.json")):
            raise _unavailable(name, f"in the directory {path}", True, "no config.json there")
        return path, f"in the directory {path}"
    if _looks_like_path(name) or os.path.exists(expanded):
        raise _unavailable(name, f"at the path {expanded}", True, "no such directory")
    try:
        from huggingface_hub import constants, try_to_load_from_cache
    except ImportError:  # pragma: no cover - huggingface_hub comes with transformers
        return name, "in the Hugging Face cache"
    where = f"in the Hugging Face cache ({constants.HF_HUB_CACHE})"
    if local_files_only:
        try:
            found = try_to_load_from_cache(name, "config.json")
        except ValueError as exc:  # not a valid repo id
            raise _unavailable(name, where, True, str(exc)) from None
        if not isinstance(found, str):
            raise _unavailable(name, where, True)
    return name, where


def _load(name: str, device: str, local_files_only: bool, threads: int | None) -> _Loaded:
    _require_ml()
    source, where = _locate(name, local_files_only)
    resolved = resolve_device(device)
    key = (source, resolved)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            return hit
        t0 = time.perf_counter()
        set_torch_threads(threads)
        try:
            import torch
            from transformers import AutoModel, AutoProcessor
        except ImportError as exc:  # pragma: no cover - find_spec said they exist
            raise MissingDependencyError(
                f"SigLIP image signals need torch and transformers: {_ML_EXTRA}"
            ) from exc
        try:
            processor = AutoProcessor.from_pretrained(source, local_files_only=local_files_only)
            model = AutoModel.from_pretrained(source, local_files_only=local_files_only)
        except ImportError as exc:
            raise MissingDependencyError(
                f"loading SigLIP model {source!r} needs a missing package ({exc}); the original SigLIP "
                "tokenizer needs `pip install sentencepiece`"
            ) from exc
        except (OSError, ValueError) as exc:
            raise _unavailable(source, where, local_files_only, f"{type(exc).__name__}: {exc}") from exc
        if not hasattr(model, "get_image_features") or not hasattr(model, "get_text_features"):
            raise ModelUnavailableError(
                f"{source!r} loaded as {type(model).__name__}, which is not a SigLIP-style image-text "
                "model (no get_image_features/get_text_features); pass a SigLIP checkpoint or use the "
                "embedded analyzer"
            )
        model.eval()
        model.to(resolved)
        with torch.no_grad():
            scale_param = getattr(model, "logit_scale", None)
            bias_param = getattr(model, "logit_bias", None)
            logit_scale = (
                math.exp(float(scale_param.detach().float().reshape(-1)[0]))
                if scale_param is not None
                else 1.0
            )
            logit_bias = float(bias_param.detach().float().reshape(-1)[0]) if bias_param is not None else 0.0
        text_config = getattr(model.config, "text_config", None)
        max_length = int(getattr(text_config, "max_position_embeddings", 64) or 64)
        vision_config = getattr(model.config, "vision_config", None)
        image_size = int(getattr(vision_config, "image_size", 224) or 224)
        loaded = _Loaded(
            source=source,
            device=resolved,
            model=model,
            processor=processor,
            logit_scale=logit_scale,
            logit_bias=logit_bias,
            max_length=max_length,
            image_size=image_size,
            load_ms=round((time.perf_counter() - t0) * 1000.0, 1),
        )
        _CACHE[key] = loaded
        logger.info(
            "loaded SigLIP %s on %s in %.0f ms (logit scale %.3f, bias %.3f)",
            source, resolved, loaded.load_ms, logit_scale, logit_bias,
        )  # fmt: skip
        return loaded


def _features(output: Any) -> Any:
    """transformers 5 returns a model output from get_*_features; 4.x returned the tensor."""
    pooled = getattr(output, "pooler_output", None)
    return output if pooled is None else pooled


def _logit(p: float) -> float:
    p = min(1.0 - 1e-6, max(1e-6, p))
    return math.log(p / (1.0 - p))


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@register_analyzer
class SiglipImageAnalyzer(ImageAnalyzer):
    """The embedded analyzer's evidence, with the four signals refined by a SigLIP checkpoint.

    Args:
        model_name_or_path: a hub id (``google/siglip-base-patch16-224``, ``google/siglip2-...``) or a
            local checkpoint directory. ``None`` means :data:`DEFAULT_SIGLIP_MODEL`.
        device: ``"auto"``, ``"cpu"``, ``"cuda"``, ``"cuda:N"`` or ``"mps"``.
        local_files_only: never touch the network (default). Set ``False`` to let transformers
            download a hub id.
        prompts: per-signal :class:`ConceptPrompts` replacing the defaults (missing signals keep theirs).
        threads: torch intra-op CPU threads, set process-wide when the model loads (``None`` leaves
            torch alone). One thread is the default: on small VMs it is much faster than torch's
            default (see ``benchmarks/analyzer.py``).
        siglip_weight: weight of SigLIP's score against the embedded one (0..1), one number or per
            signal.
    """

    name = "siglip"

    def __init__(
        self,
        model_name_or_path: str | os.PathLike[str] | None = None,
        device: str = "auto",
        local_files_only: bool = True,
        prompts: Mapping[str, ConceptPrompts | tuple[Sequence[str], Sequence[str]]] | None = None,
        *,
        threads: int | None = 1,
        siglip_weight: float | Mapping[str, float] = 0.5,
        embedded: EmbeddedImageAnalyzer | None = None,
    ) -> None:
        self.model_name_or_path = str(model_name_or_path) if model_name_or_path else DEFAULT_SIGLIP_MODEL
        self.device = device
        self.local_files_only = bool(local_files_only)
        self.threads = threads
        merged: dict[str, ConceptPrompts] = dict(DEFAULT_PROMPTS)
        for key, value in (prompts or {}).items():
            if key not in SIGNALS:
                raise ConfigurationError(f"unknown signal {key!r} in prompts; known: {', '.join(SIGNALS)}")
            merged[key] = (
                value
                if isinstance(value, ConceptPrompts)
                else ConceptPrompts(tuple(value[0]), tuple(value[1]))
            )
        self.prompts: Mapping[str, ConceptPrompts] = merged
        weights = (
            dict.fromkeys(SIGNALS, float(siglip_weight))
            if isinstance(siglip_weight, int | float)
            else {s: float(siglip_weight.get(s, 0.5)) for s in SIGNALS}
        )
        if any(not 0.0 <= w <= 1.0 for w in weights.values()):
            raise ConfigurationError("siglip_weight must be within 0..1")
        self.siglip_weight: Mapping[str, float] = weights
        self._embedded = embedded or EmbeddedImageAnalyzer()
        self._lock = threading.Lock()
        self._loaded: _Loaded | None = None
        self._text: Any = None  # (n_prompts, dim) normalised prompt embeddings
        self._slices: dict[str, tuple[slice, slice]] = {}
        # (image, its size and mode, processor inputs, vision last_hidden_state) of recent images
        self._recent: list[tuple[weakref.ref[Image.Image], tuple[int, int], str, Any, Any]] = []
        self._recent_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"SiglipImageAnalyzer({self.model_name_or_path!r}, device={self.device!r})"

    # -- loading ------------------------------------------------------------------------------

    def check(self) -> None:
        _require_ml()
        _locate(self.model_name_or_path, self.local_files_only)
        resolve_device(self.device)

    def warm_up(self) -> None:
        self._prompt_embeddings()

    @property
    def loaded(self) -> _Loaded:
        """The shared checkpoint (loads it on first use)."""
        if self._loaded is None:
            with self._lock:
                if self._loaded is None:
                    self._loaded = _load(
                        self.model_name_or_path, self.device, self.local_files_only, self.threads
                    )
        return self._loaded

    @property
    def model(self) -> Any:
        return self.loaded.model

    def _prompt_embeddings(self) -> Any:
        loaded = self.loaded
        if self._text is not None:
            return self._text
        with self._lock:
            if self._text is None:
                import torch

                texts: list[str] = []
                slices: dict[str, tuple[slice, slice]] = {}
                for signal in SIGNALS:
                    cp = self.prompts[signal]
                    a = len(texts)
                    texts.extend(cp.positive)
                    b = len(texts)
                    texts.extend(cp.contrast)
                    slices[signal] = (slice(a, b), slice(b, len(texts)))
                enc = loaded.processor(
                    text=texts,
                    padding="max_length",
                    max_length=loaded.max_length,
                    truncation=True,
                    return_tensors="pt",
                )
                with torch.inference_mode():
                    emb = _features(
                        loaded.model.get_text_features(input_ids=enc["input_ids"].to(loaded.device))
                    )
                    emb = emb / emb.norm(p=2, dim=-1, keepdim=True)
                self._slices = slices
                self._text = emb
        return self._text

    # -- analysis -----------------------------------------------------------------------------

    def siglip_scores(self, image: Image.Image) -> dict[str, dict[str, float]]:
        """Per signal: SigLIP's ``score``, ``p_positive`` and ``p_contrast`` (no embedded fusion)."""
        import torch

        loaded = self.loaded
        text = self._prompt_embeddings()
        rgb = _to_rgb(image)
        k = max(1, min(rgb.size) // (2 * loaded.image_size))
        if k > 1:  # the processor resizes to image_size anyway; a box reduction first is much cheaper
            rgb = rgb.reduce(k)
        inputs = loaded.processor(images=rgb, return_tensors="pt")
        with torch.inference_mode():
            feats = loaded.model.get_image_features(**{key: v.to(loaded.device) for key, v in inputs.items()})
            self._remember(image, inputs, getattr(feats, "last_hidden_state", None))
            img = _features(feats)
            img = img / img.norm(p=2, dim=-1, keepdim=True)
            cos = (text @ img[0]).float().cpu().tolist()
        out: dict[str, dict[str, float]] = {}
        for signal in SIGNALS:
            pos, neg = self._slices[signal]
            z_pos = max(loaded.logit_scale * c + loaded.logit_bias for c in cos[pos])
            z_neg = max(loaded.logit_scale * c + loaded.logit_bias for c in cos[neg])
            p_pos, p_neg = _sigmoid(z_pos), _sigmoid(z_neg)
            score = p_pos / (p_pos + p_neg) if p_pos + p_neg > 0 else _sigmoid(z_pos - z_neg)
            out[signal] = {"score": score, "p_positive": p_pos, "p_contrast": p_neg}
        return out

    def _remember(self, image: Image.Image, inputs: Any, hidden: Any) -> None:
        if hidden is None:  # transformers 4.x returns only the pooled embedding
            return
        entry = (weakref.ref(image), image.size, image.mode, inputs, hidden)
        with self._recent_lock:
            self._recent = [e for e in self._recent if e[0]() is not None and e[0]() is not image]
            self._recent.append(entry)
            del self._recent[:-_RECENT_IMAGES]

    def recent_vision_output(self, image: Image.Image) -> tuple[Any, Any] | None:
        """``(processor inputs, vision last_hidden_state)`` of ``image`` (the same object, same size
        and mode) if it was among the last few analysed, else ``None``. Used by the patch scorer."""
        with self._recent_lock:
            for ref, size, mode, inputs, hidden in reversed(self._recent):
                if ref() is image and image.size == size and image.mode == mode:
                    return inputs, hidden
        return None

    def analyze(self, image: Image.Image) -> ImageSignals:
        t0 = time.perf_counter()
        base = self._embedded.analyze(image)
        t1 = time.perf_counter()
        scores = self.siglip_scores(image)
        values: dict[str, float] = {}
        for signal in SIGNALS:
            w = self.siglip_weight[signal]
            embedded_value = float(getattr(base, signal))
            z = w * _logit(scores[signal]["score"]) + (1.0 - w) * _logit(embedded_value)
            values[signal] = round(_sigmoid(z), 4)
        loaded = self.loaded
        evidence = dict(base.evidence)
        evidence.update(
            {
                "siglip_model": loaded.source,
                "siglip_device": loaded.device,
                "siglip_logit_scale": round(loaded.logit_scale, 6),
                "siglip_logit_bias": round(loaded.logit_bias, 6),
                "siglip_scores": {s: round(v["score"], 4) for s, v in scores.items()},
                "siglip_p_positive": {s: round(v["p_positive"], 6) for s, v in scores.items()},
                "embedded_signals": {s: float(getattr(base, s)) for s in SIGNALS},
                "siglip_ms": round((time.perf_counter() - t1) * 1000.0, 2),
                "elapsed_ms": round((time.perf_counter() - t0) * 1000.0, 2),
            }
        )
        return ImageSignals(
            has_text=values["has_text"],
            is_document=values["is_document"],
            is_complex=values["is_complex"],
            has_small_details=values["has_small_details"],
            analyzer=self.name,
            evidence=evidence,
            text_lines=base.text_lines,
        )
