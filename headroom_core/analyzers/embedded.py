"""The embedded image analyzer: measured evidence + small fitted logistic models, numpy + Pillow only.

What it measures (on a copy box-reduced by an integer factor to a long side of 0.65-1.3 x
``max_side``, 1024 by default, so 960 px for 1080p and 4K screenshots):

- text lines: a classical detector (``_detector.py``) proposes line candidates, a fitted logistic
  model scores each one, and the accepted lines' heights are re-measured on the ORIGINAL pixels
  (ink rows of a full-resolution crop), so ``median_text_height_px``, ``min_text_height_px`` and
  ``headline_text_height_px`` (the tallest text-shaped line: a title or heading) are in the caller's
  pixels. Text height = the ink height of a line, top of ascenders to bottom of
  descenders, which for mixed-case Latin text is close to the font size in pixels;
- background uniformity (share of the dominant quantised colour), flat-tile fraction, colour count,
  edge density, colourfulness, grey-level entropy, the detail a 512-px rendition would lose, and the
  left-edge alignment of the text lines.

The four signals are logistic models of that evidence, fitted on a labelled calibration set drawn
by :mod:`headroom_core.analyzers._calibration` (coefficients in ``_coefficients.py``, with the fit
report). The analyzer is stateless, thread-safe and deterministic.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image

from ..types import Box, ImageSignals, TextLine
from . import _coefficients
from ._base import ImageAnalyzer, register_analyzer
from ._detector import (
    COARSE_FACTOR,
    EDGE_THRESHOLD,
    LINE_FEATURES,
    LineCandidates,
    detect_line_candidates,
    edge_strength,
    refine_line_height,
)

__all__ = ["IMAGE_FEATURES", "SIGNALS", "EmbeddedImageAnalyzer", "Measurement", "measure", "reduction_factor"]

logger = logging.getLogger(__name__)

SIGNALS: tuple[str, ...] = ("has_text", "is_document", "is_complex", "has_small_details")

#: Image-level features the signal models read, in order (all roughly 0..1).
IMAGE_FEATURES: tuple[str, ...] = (
    "lines",  # log1p(text lines) / log(200)
    "text_area",  # sqrt(text area fraction)
    "line_score",  # highest detector probability of a line (0 without candidates)
    "sure_lines",  # log1p(lines with probability >= 0.9) / log(200)
    "text_rows",  # share of image rows crossed by a text line
    "small_text",  # share of text lines below 9 px at a 512-px rendition
    "text_px_512",  # min(1, median text height at a 512-px rendition / 24); 1 without text
    "background",  # background uniformity
    "flat",  # flat-tile fraction
    "colours",  # log(colour count) / log(4096)
    "edges",  # edge density (sqrt)
    "detail",  # detail a 512-px rendition loses (scaled)
    "colourful",  # colourfulness / 100
    "entropy",  # grey-level entropy / 8
    "aligned",  # share of text lines sharing a left edge with two others
)

_LINE_THRESHOLD = 0.5
_MAX_REFINED_LINES = 40
_LEGIBLE_AT_512 = 9.0
_EPS = 1e-9


def _sigmoid(z: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))


@dataclass(frozen=True)
class _Logistic:
    """A standardised logistic model held as data: ``sigmoid(coef . (x - mean) / scale + intercept)``."""

    features: tuple[str, ...]
    mean: npt.NDArray[np.float64]
    scale: npt.NDArray[np.float64]
    coef: npt.NDArray[np.float64]
    intercept: float

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], expected: Sequence[str]) -> _Logistic:
        features = tuple(data["features"])
        if features != tuple(expected):
            raise ValueError(f"model features {features} do not match the code's {tuple(expected)}")
        return cls(
            features=features,
            mean=np.asarray(data["mean"], dtype=np.float64),
            scale=np.asarray(data["scale"], dtype=np.float64),
            coef=np.asarray(data["coef"], dtype=np.float64),
            intercept=float(data["intercept"]),
        )

    def predict(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        z = ((x - self.mean) / self.scale) @ self.coef + self.intercept
        return _sigmoid(np.asarray(z, dtype=np.float64))


@dataclass(frozen=True)
class _LineModel:
    """One logistic model per pyramid level (small text on the analysis image, large text on the
    coarse level look different enough to deserve their own coefficients)."""

    levels: tuple[_Logistic, ...]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> _LineModel:
        return cls(tuple(_Logistic.from_dict(m, LINE_FEATURES) for m in data["levels"]))

    def predict(self, x: npt.NDArray[np.float64], level: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        out = np.zeros(x.shape[0], dtype=np.float64)
        for k, model in enumerate(self.levels):
            sel = level == k
            if sel.any():
                out[sel] = model.predict(x[sel])
        return out


def _load_models() -> tuple[_LineModel | None, dict[str, _Logistic]]:
    line = _LineModel.from_dict(_coefficients.LINE_MODEL) if _coefficients.LINE_MODEL else None
    signals = {
        name: _Logistic.from_dict(_coefficients.SIGNAL_MODELS[name], IMAGE_FEATURES)
        for name in SIGNALS
        if name in _coefficients.SIGNAL_MODELS
    }
    return line, signals


def _to_rgb(image: Image.Image) -> Image.Image:
    """An RGB view of any PIL image: alpha composited on white, 16-bit/float scaled to 0..255."""
    mode = image.mode
    if mode in ("RGBA", "LA", "PA", "RGBa", "La") or (mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        canvas = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        canvas.alpha_composite(rgba)
        return canvas.convert("RGB")
    if mode in ("I", "F") or mode.startswith("I;16"):
        arr = np.asarray(image, dtype=np.float64)
        lo, hi = float(arr.min()), float(arr.max())
        scaled = np.zeros(arr.shape, dtype=np.uint8) if hi <= lo else ((arr - lo) * (255.0 / (hi - lo)))
        return Image.fromarray(np.asarray(scaled, dtype=np.uint8)).convert("RGB")
    if mode != "RGB":
        return image.convert("RGB")
    return image


def _suppress_overlaps(
    cands: LineCandidates, scores: npt.NDArray[np.float64], idx: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Resolve overlapping accepted candidates.

    Two overlapping boxes of similar size (the same line found on both pyramid levels) keep the
    better-scored one; then, among the boxes left, a box lying mostly (half its area or more) inside
    a box more than twice its size is a piece of that line (an ``i`` dot, a word the coarse level
    also saw as part of a line) and is dropped. In that order: a line the fine level found in two
    pieces ("email.message" and ": Representing an email", the first set in another font) and the
    coarse level as one, less surely than the larger piece, keeps both pieces; a piece is never
    dropped for a box that is dropped itself.
    """
    if idx.size < 2:
        return idx
    t, lf, b, r = cands.top[idx], cands.left[idx], cands.bottom[idx], cands.right[idx]
    area = ((b - t) * (r - lf)).astype(np.float64)
    ih = np.minimum(b[:, None], b[None, :]) - np.maximum(t[:, None], t[None, :])
    iw = np.minimum(r[:, None], r[None, :]) - np.maximum(lf[:, None], lf[None, :])
    inter = np.clip(ih, 0, None) * np.clip(iw, 0, None)
    small = np.minimum(area[:, None], area[None, :])
    overlap = inter >= 0.5 * small
    np.fill_diagonal(overlap, False)
    s = scores[idx]
    # i loses to j when they overlap and are similar in size and j is better (ties broken by
    # position so the result does not depend on the input order), then when j is more than twice
    # as large and still stands
    bigger = area[None, :] > 2.0 * area[:, None]
    similar = ~bigger & ~(area[:, None] > 2.0 * area[None, :])
    better = (s[None, :] > s[:, None]) | ((s[None, :] == s[:, None]) & (idx[None, :] < idx[:, None]))
    stands = ~(overlap & similar & better).any(axis=1)
    loses = overlap & bigger & stands[None, :]
    return idx[stands & ~loses.any(axis=1)]


@dataclass(frozen=True)
class Measurement:
    """Everything measured on one image: accepted text lines, the raw evidence and the features.

    ``candidates`` keeps every detector candidate (analysis-scale boxes, features, probabilities)
    for the calibration script; the analyzer itself only reports the accepted lines.
    """

    width: int
    height: int
    scale: float
    lines: tuple[TextLine, ...]
    evidence: Mapping[str, Any]
    features: npt.NDArray[np.float64]
    candidate_boxes: npt.NDArray[np.int64]  # (n, 4) left, top, right, bottom at analysis scale
    candidate_features: npt.NDArray[np.float64]
    candidate_scores: npt.NDArray[np.float64]
    candidate_levels: npt.NDArray[np.int64]


def _colour_stats(rgb: npt.NDArray[np.uint8]) -> dict[str, float]:
    """Colour statistics on a sub-sampled (not blended) copy of the analysis image."""
    h, w = rgb.shape[:2]
    step = max(1, math.ceil(max(h, w) / 320))
    sub = rgb[::step, ::step].reshape(-1, 3).astype(np.int32)
    n = max(1, sub.shape[0])
    q = ((sub[:, 0] >> 4) << 8) | ((sub[:, 1] >> 4) << 4) | (sub[:, 2] >> 4)
    counts = np.bincount(q, minlength=4096)
    share = counts / n
    background = float(share.max())
    colour_count = int(np.count_nonzero(share >= 0.001))
    r, g, b = sub[:, 0].astype(np.float64), sub[:, 1].astype(np.float64), sub[:, 2].astype(np.float64)
    rg = r - g
    yb = 0.5 * (r + g) - b
    colourfulness = float(math.sqrt(rg.var() + yb.var()) + 0.3 * math.sqrt(rg.mean() ** 2 + yb.mean() ** 2))
    mx = np.maximum(np.maximum(r, g), b)
    mn = np.minimum(np.minimum(r, g), b)
    saturation = float(np.mean(np.where(mx > 0, (mx - mn) / np.maximum(mx, 1.0), 0.0)))
    return {
        "background_uniformity": background,
        "colour_count": float(colour_count),
        "colourfulness": colourfulness,
        "mean_saturation": saturation,
    }


def _block_mean(g: npt.NDArray[np.float32], f: int) -> npt.NDArray[np.float32]:
    """Mean over f x f blocks (``g`` cropped to a multiple of f), by strided slices."""
    h, w = g.shape[0] // f * f, g.shape[1] // f * f
    acc = np.zeros((h // f, w // f), dtype=np.float32)
    for i in range(f):
        for j in range(f):
            acc += g[i:h:f, j:w:f]
    acc *= np.float32(1.0 / (f * f))
    return acc


def _grey_stats(gray: npt.NDArray[np.float32]) -> dict[str, float]:
    h, w = gray.shape
    tile = 4  # on every other pixel: 8 x 8 analysis pixels
    sub = gray[::2, ::2]
    if sub.shape[0] >= tile and sub.shape[1] >= tile:
        mean = _block_mean(sub, tile)
        sq = _block_mean(sub * sub, tile)
        flat = float(np.mean(sq - mean * mean < 2.5 * 2.5))
    else:
        flat = float(gray.std() < 2.5)
    hist = np.bincount(gray.astype(np.uint8).ravel(), minlength=256).astype(np.float64)
    p = hist / max(1.0, hist.sum())
    nz = p[p > 0]
    entropy = float(-(nz * np.log2(nz)).sum())
    # Detail a 512-px rendition would lose: grey energy that a block average at that scale removes.
    f = math.ceil(max(h, w) / 512)
    if f >= 2 and h >= f and w >= f:
        low = _block_mean(gray, f)
        hh, ww = low.shape[0] * f, low.shape[1] * f
        total = 0.0
        for i in range(f):
            for j in range(f):
                total += float(np.abs(gray[i:hh:f, j:ww:f] - low).sum(dtype=np.float64))
        detail = total / (hh * ww) / 255.0
    else:
        detail = 0.0
    return {"flat_fraction": flat, "grey_entropy": entropy, "detail_loss_512": detail}


def reduction_factor(width: int, height: int, max_side: int) -> int:
    """Integer box-reduction factor of the analysis copy: the smallest that brings the long side
    to at most 1.3 x ``max_side`` (so 0.65..1.3 x; an integer reduction is several times faster
    than a resize, and 4K screenshots keep 11-px text at about 3.7 analysis pixels)."""
    return max(1, math.ceil(max(width, height) / (1.3 * max_side)))


def _alignment(lefts: npt.NDArray[np.int64], tol: float) -> float:
    """Share of lines whose left edge is within ``tol`` of at least two other lines' left edges."""
    n = lefts.size
    if n < 3:
        return 0.0
    s = np.sort(lefts).astype(np.float64)
    lo = np.searchsorted(s, s - tol, side="left")
    hi = np.searchsorted(s, s + tol, side="right")
    return float(np.mean((hi - lo) >= 3))


def measure(
    image: Image.Image,
    *,
    max_side: int = 1024,
    line_model: _LineModel | None = None,
    stored_model: bool = True,
    line_threshold: float = _LINE_THRESHOLD,
) -> Measurement:
    """Measure ``image``: text lines (original pixels), evidence and the signal-model features.

    Lines are scored by ``line_model``, else by the stored one; with ``stored_model=False`` and no
    ``line_model`` every candidate is kept (what the calibration script needs to fit the line model).
    """
    t0 = time.perf_counter()
    rgb_img = _to_rgb(image)
    width, height = rgb_img.size
    factor = reduction_factor(width, height, max_side)
    small = rgb_img if factor == 1 else rgb_img.reduce(factor)
    aw, ah = small.size
    scale = aw / width
    gray = np.asarray(small.convert("L"), dtype=np.float32)
    rgb = np.asarray(small, dtype=np.uint8)
    sx, sy = width / aw, height / ah

    strength = edge_strength(gray)
    mask = strength > EDGE_THRESHOLD
    cands = detect_line_candidates(gray, strength)
    if line_model is None and stored_model:
        line_model = _load_models()[0]
    if cands.count == 0:
        scores = np.zeros(0, dtype=np.float64)
    elif line_model is None:  # uncalibrated (only while fitting the line model): accept everything
        scores = np.ones(cands.count, dtype=np.float64)
    else:
        scores = line_model.predict(cands.features, cands.level)
    accepted = _suppress_overlaps(cands, scores, np.flatnonzero(scores >= line_threshold))

    # Boxes in original pixels; heights re-measured on the original image.
    lines: list[TextLine] = []
    heights: list[float] = []
    if accepted.size:
        a_heights = (cands.bottom - cands.top)[accepted]
        order = np.argsort(a_heights, kind="stable")
        if accepted.size > _MAX_REFINED_LINES:
            pick = set(
                order[np.linspace(0, accepted.size - 1, _MAX_REFINED_LINES).round().astype(int)].tolist()
            )
        else:
            pick = set(range(accepted.size))
        src = rgb_img.convert("L") if scale >= 1.0 else rgb_img
        boxes: list[list[int]] = []
        ratios: dict[int, list[float]] = {0: [], 1: []}
        refined_flags: list[bool] = []
        for k, i in enumerate(accepted.tolist()):
            left = math.floor(int(cands.left[i]) * sx)
            right = min(width, math.ceil(int(cands.right[i]) * sx))
            top = math.floor(int(cands.top[i]) * sy)
            bottom = min(height, math.ceil(int(cands.bottom[i]) * sy))
            done = False
            if k in pick:
                step = sy * (COARSE_FACTOR if cands.level[i] else 1)
                margin = math.ceil(1.5 * step) + 1
                c_top = max(0, top - margin)
                c_bottom = min(height, bottom + margin)
                c_left = max(0, left - margin)
                c_right = min(width, right + margin)
                crop = np.asarray(src.crop((c_left, c_top, c_right, c_bottom)).convert("L"), dtype=np.float32)
                refined = refine_line_height(crop, top - c_top, bottom - c_top)
                if refined is not None:
                    ratios[int(cands.level[i])].append((refined[1] - refined[0]) / max(1, bottom - top))
                    top, bottom = c_top + refined[0], c_top + refined[1]
                    done = True
            boxes.append([left, top, right, bottom])
            refined_flags.append(done)
        # Lines not re-measured (beyond the sample) get the height correction their level's sample
        # showed (the analysis-scale box is about one analysis pixel too tall), centre kept.
        for k, i in enumerate(accepted.tolist()):
            left, top, right, bottom = boxes[k]
            fix = ratios[int(cands.level[i])]
            if not refined_flags[k] and fix:
                h_new = max(1.0, (bottom - top) * float(np.median(fix)))
                centre = (top + bottom) / 2.0
                top = max(0, round(centre - h_new / 2.0))
                bottom = min(height, max(top + 1, round(centre + h_new / 2.0)))
            heights.append(float(bottom - top))
            lines.append(TextLine(Box(left, top, right, bottom), "", round(float(scores[i]), 4)))
    lines_sorted = sorted(zip(lines, heights, strict=True), key=lambda lh: (lh[0].box.top, lh[0].box.left))
    lines = [x[0] for x in lines_sorted]
    heights = [x[1] for x in lines_sorted]

    area = float(width * height)
    text_area = min(1.0, sum(tl.box.area for tl in lines) / area) if area else 0.0
    long_side = max(width, height)
    median_h: float | None = None
    min_h: float | None = None
    headline_h: float | None = None
    small_text = 0.0
    if heights:
        hs = np.asarray(heights, dtype=np.float64)
        median_h = float(np.median(hs))
        widths = np.asarray([tl.box.width for tl in lines], dtype=np.float64)
        solid = hs[(hs >= 0.4 * median_h) & (widths >= 2.0 * hs)]
        min_h = float(solid.min()) if solid.size else float(hs.min())
        # the headline: the tallest line shaped like text (a title, a heading), not taller than a
        # quarter of the image (a band of texture is not a line)
        shaped = hs[(widths >= 2.0 * hs) & (hs <= 0.25 * height)]
        headline_h = float(shaped.max()) if shaped.size else median_h
        small_text = float(np.mean(hs * 512.0 / long_side < _LEGIBLE_AT_512))
    rows = np.zeros(height + 1, dtype=np.int32)
    for tl in lines:
        rows[tl.box.top] += 1
        rows[tl.box.bottom] -= 1
    text_rows = float(np.mean(np.cumsum(rows)[:height] > 0)) if lines and height else 0.0
    lefts = np.asarray([tl.box.left for tl in lines], dtype=np.int64)
    aligned = _alignment(lefts, tol=max(2.0, 0.006 * width))

    colour = _colour_stats(rgb)
    grey = _grey_stats(gray)
    edge_density = float(mask.mean())
    line_score = float(scores.max()) if scores.size else 0.0
    sure_lines = int(np.count_nonzero(scores >= 0.9))

    features = np.array(
        [
            math.log1p(len(lines)) / math.log(200.0),
            math.sqrt(text_area),
            line_score,
            math.log1p(sure_lines) / math.log(200.0),
            text_rows,
            small_text,
            1.0 if median_h is None else min(1.0, median_h * 512.0 / long_side / 24.0),
            colour["background_uniformity"],
            grey["flat_fraction"],
            math.log(max(1.0, colour["colour_count"])) / math.log(4096.0),
            math.sqrt(edge_density),
            min(1.0, grey["detail_loss_512"] * 10.0),
            colour["colourfulness"] / 100.0,
            grey["grey_entropy"] / 8.0,
            aligned,
        ],
        dtype=np.float64,
    )
    evidence: dict[str, Any] = {
        "text_boxes": tuple(tl.box.as_tuple() for tl in lines),
        "text_line_count": len(lines),
        "text_area_fraction": round(text_area, 5),
        "median_text_height_px": None if median_h is None else round(median_h, 2),
        "min_text_height_px": None if min_h is None else round(min_h, 2),
        "headline_text_height_px": None if headline_h is None else round(headline_h, 2),
        "small_text_fraction": round(small_text, 4),
        "text_rows_fraction": round(text_rows, 4),
        "text_left_alignment": round(aligned, 4),
        "background_uniformity": round(colour["background_uniformity"], 4),
        "flat_fraction": round(grey["flat_fraction"], 4),
        "colour_count": int(colour["colour_count"]),
        "edge_density": round(edge_density, 5),
        "colourfulness": round(colour["colourfulness"], 3),
        "mean_saturation": round(colour["mean_saturation"], 4),
        "grey_entropy": round(grey["grey_entropy"], 4),
        "detail_loss_512": round(grey["detail_loss_512"], 5),
        "line_candidates": cands.count,
        "analysis_size": (aw, ah),
        "image_size": (width, height),
    }
    cand_boxes = (
        np.column_stack([cands.left, cands.top, cands.right, cands.bottom])
        if cands.count
        else (np.zeros((0, 4), dtype=np.int64))
    )
    evidence["elapsed_ms"] = round((time.perf_counter() - t0) * 1000.0, 2)
    return Measurement(
        width=width,
        height=height,
        scale=scale,
        lines=tuple(lines),
        evidence=evidence,
        features=features,
        candidate_boxes=cand_boxes.astype(np.int64),
        candidate_features=cands.features,
        candidate_scores=scores,
        candidate_levels=cands.level,
    )


@register_analyzer
class EmbeddedImageAnalyzer(ImageAnalyzer):
    """Offline image signals from measured evidence (numpy + Pillow; no model files).

    ``max_side`` sets the analysis copy (see :func:`reduction_factor`); text heights and boxes are
    still reported in the image's own pixels. About 40 ms per 1080p image and 100 ms per 4K image
    (p50, 2 cores; ``benchmarks/analyzer.py``).
    """

    name = "embedded"

    def __init__(self, *, max_side: int = 1024, line_threshold: float = _LINE_THRESHOLD) -> None:
        if max_side < 64:
            raise ValueError("max_side must be >= 64")
        self.max_side = int(max_side)
        self.line_threshold = float(line_threshold)
        self._line_model, self._signal_models = _load_models()
        missing = [s for s in SIGNALS if s not in self._signal_models]
        if self._line_model is None or missing:
            logger.warning(
                "embedded analyzer is not calibrated (missing: %s); signals default to 0.5", missing
            )

    def analyze(self, image: Image.Image) -> ImageSignals:
        t0 = time.perf_counter()
        if image.width <= 0 or image.height <= 0:
            return ImageSignals(0.0, 0.0, 0.0, 0.0, analyzer=self.name, evidence={"error": "empty image"})
        m = measure(
            image, max_side=self.max_side, line_model=self._line_model, line_threshold=self.line_threshold
        )
        values: dict[str, float] = {}
        for name in SIGNALS:
            model = self._signal_models.get(name)
            values[name] = 0.5 if model is None else float(model.predict(m.features[None, :])[0])
        evidence = dict(m.evidence)
        evidence["elapsed_ms"] = round((time.perf_counter() - t0) * 1000.0, 2)
        return ImageSignals(
            has_text=round(values["has_text"], 4),
            is_document=round(values["is_document"], 4),
            is_complex=round(values["is_complex"], 4),
            has_small_details=round(values["has_small_details"], 4),
            analyzer=self.name,
            evidence=evidence,
            text_lines=m.lines,
        )
