"""CROP: send only the located region, padded, snapped to the provider's grid, at native resolution.

:func:`plan_crop` turns a located region into what is sent, in four steps:

1. **whole lines**: the box grows to hold every text line it cuts (``signals.text_lines``), so a
   region that clips a line or a cell never sends half of it;
2. **margin**: ``MARGIN_FRACTION`` of the box's smaller side, at least ``MIN_MARGIN_PX`` and at least
   ``MARGIN_LINE_HEIGHTS`` text lines, clamped to the image;
3. **alignment**: the padded crop goes through :func:`~headroom_core.tiling.align` with the caller's
   mode and bound, exactly as PRESERVE would treat an image of that size (``bounded`` may drop a
   thin partial tile or patch row by a small uniform downscale; ``lossless`` only does the
   provider's own downscale client side; ``off`` keeps native resolution);
4. **snapping**: the crop grows, never past the image, to fill the grid cells (tiles or patches) it
   is billed for anyway: free context at the same token count;
5. **fewer tiles**: where a larger box is billed fewer tokens (Gemini 1.5/2.x, whose tile side
   grows with the image's shorter side: a 700x460 crop is 6 tiles, 700x528 is 4), the crop grows to
   the cheapest such box, never past the image.

The applier refuses (so the compressor falls back to PRESERVE with the reason) when the crop would
not cost fewer tokens than the tile-aligned whole image.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .._exceptions import TechniqueRefusedError
from .._imageio import encode_image, resize
from ..codecs import Replacement
from ..costs import CostModel
from ..tiling import align
from ..types import Box, Technique
from ._base import Applied, ApplyContext, TechniqueApplier

if TYPE_CHECKING:
    from PIL import Image

__all__ = [
    "CropApplier",
    "CropPlan",
    "expand_to_lines",
    "pad_box",
    "plan_crop",
    "plan_image_crop",
    "snap_box",
]

#: Margin added around the located box: this fraction of its smaller side, at least ``MIN_MARGIN_PX``
#: and at least ``MARGIN_LINE_HEIGHTS`` times the height of the text lines inside it.
MARGIN_FRACTION = 0.15
MIN_MARGIN_PX = 16
MARGIN_LINE_HEIGHTS = 1.0
#: A text line is cut by the box when the box covers this share of its height and some of its width.
CUT_LINE_MIN_OVERLAP = 0.4
#: A box at least this many line heights tall is a block (a column, a panel): a line it cuts that
#: lies mostly outside it (it holds less than ``BLOCK_MIN_LINE_SHARE`` of the line's width) and runs
#: past its sides by more than ``BLOCK_MAX_SIDE_GROWTH`` of the block's width is not its line but
#: one crossing its edge (a docs breadcrumb over a sidebar and the page), and is not added.
BLOCK_MIN_LINES = 3
BLOCK_MAX_SIDE_GROWTH = 0.5
BLOCK_MIN_LINE_SHARE = 1 / 3


@dataclass(frozen=True)
class CropPlan:
    """What :func:`plan_crop` decided: the box cut from the image (original pixels), the size it is
    sent at, and the tokens the provider bills for it."""

    box: Box
    size: tuple[int, int]
    tokens: int
    padded: Box

    @property
    def resized(self) -> bool:
        return self.size != (self.box.width, self.box.height)


def expand_to_lines(box: Box, lines: Sequence[Box]) -> Box:
    """Grow ``box`` to hold every text line it cuts (covers part of its height and width).

    One pass over the lines ``box`` itself cuts: the lines a grown box would cut in turn are not
    added, so a box never cascades across a page of touching lines. A block (a box several lines
    tall) does not take a line that lies mostly outside it and runs far past its sides.
    """
    out = box
    for line in lines:
        if line.area == 0 or box.contains(line):
            continue
        ih = min(box.bottom, line.bottom) - max(box.top, line.top)
        iw = min(box.right, line.right) - max(box.left, line.left)
        if ih < CUT_LINE_MIN_OVERLAP * line.height or iw <= 0:
            continue
        overflow = max(0, box.left - line.left) + max(0, line.right - box.right)
        if (
            box.height >= BLOCK_MIN_LINES * line.height
            and iw < BLOCK_MIN_LINE_SHARE * line.width
            and overflow > BLOCK_MAX_SIDE_GROWTH * box.width
        ):
            continue
        out = out.union(line)
    return out


def pad_box(box: Box, width: int, height: int, line_height: float | None = None) -> Box:
    """Add a context margin around ``box``, clamped to the image."""
    margin = max(MIN_MARGIN_PX, round(MARGIN_FRACTION * min(box.width, box.height)))
    if line_height:
        margin = max(margin, round(MARGIN_LINE_HEIGHTS * line_height))
    return Box(box.left - margin, box.top - margin, box.right + margin, box.bottom + margin).clamp(
        width, height
    )


def _grow(lo: int, hi: int, target: int, limit: int) -> tuple[int, int]:
    """Grow [lo, hi) to length ``target`` (centred, clamped to [0, limit))."""
    extra = target - (hi - lo)
    if extra <= 0:
        return lo, hi
    lo2 = max(0, lo - extra // 2)
    hi2 = min(limit, lo2 + target)
    lo2 = max(0, hi2 - target)
    return lo2, hi2


def snap_box(box: Box, width: int, height: int, model: CostModel, detail: str | None) -> Box:
    """Grow ``box`` to fill the grid cells it already pays for (free context), never past the image.

    Growth is kept only when the provider bills the grown box at the same tokens as the padded one.
    """
    grid = model.grid_for(box.width, box.height, detail)
    if grid <= 0:
        return box
    base_tokens = model.tokens(box.width, box.height, detail)
    left, right = _grow(box.left, box.right, math.ceil(box.width / grid) * grid, width)
    top, bottom = _grow(box.top, box.bottom, math.ceil(box.height / grid) * grid, height)
    grown = Box(left, top, right, bottom)
    if model.tokens(grown.width, grown.height, detail) <= base_tokens:
        return grown
    return box


def _snap_scaled(
    padded: Box,
    size: tuple[int, int],
    tokens: int,
    width: int,
    height: int,
    model: CostModel,
    detail: str | None,
) -> tuple[Box, tuple[int, int]]:
    """Like :func:`snap_box` for a crop sent downscaled to ``size``: fill the grid at the sent scale."""
    grid = model.grid_for(size[0], size[1], detail)
    if grid <= 0:
        return padded, size
    sx, sy = size[0] / padded.width, size[1] / padded.height
    want_w, want_h = math.ceil(size[0] / grid) * grid, math.ceil(size[1] / grid) * grid
    left, right = _grow(padded.left, padded.right, int(want_w / sx), width)
    top, bottom = _grow(padded.top, padded.bottom, int(want_h / sy), height)
    grown = Box(left, top, right, bottom)
    new_size = (min(want_w, max(1, round(grown.width * sx))), min(want_h, max(1, round(grown.height * sy))))
    cost = model.cost(*new_size, detail)
    if cost.tokens <= tokens and cost.billed_size == new_size:
        return grown, new_size
    return padded, size


def plan_crop(
    region: Box,
    width: int,
    height: int,
    model: CostModel,
    detail: str | None = None,
    *,
    lines: Sequence[Box] = (),
    mode: str = "bounded",
    max_downscale: float = 0.125,
) -> CropPlan:
    """The box to cut for ``region`` of a ``width`` x ``height`` image, the size to send it at and its
    tokens (see the module docstring). ``lines`` are the image's text line boxes."""
    box = expand_to_lines(region.clamp(width, height), lines)
    inside = [ln.height for ln in lines if ln.height > 0 and box.contains(ln)]
    line_height = float(statistics.median(inside)) if inside else None
    padded = pad_box(box, width, height, line_height)
    if padded.area == 0:
        return CropPlan(padded, (0, 0), 0, padded)
    plan = align(padded.width, padded.height, model, detail, mode=mode, max_downscale=max_downscale)
    if plan.target_size == (padded.width, padded.height):
        snapped = snap_box(padded, width, height, model, detail)
        size = (snapped.width, snapped.height)
    else:
        snapped, size = _snap_scaled(
            padded, plan.target_size, plan.tokens_after, width, height, model, detail
        )
    return _fewer_tiles(
        CropPlan(snapped, size, model.tokens(*size, detail), padded), width, height, model, detail
    )


#: Step 5 looks at box sizes this many steps apart between the crop's size and the image's.
GROW_SEARCH_STEPS = 32


def _fewer_tiles(plan: CropPlan, width: int, height: int, model: CostModel, detail: str | None) -> CropPlan:
    """Step 5: the plan's box grown (at native resolution, centred, within the image) to the size
    the provider bills fewest tokens for, when that is fewer than the plan's; else the plan."""
    box = plan.padded
    best: tuple[int, int] | None = None  # (tokens, area) of the cheapest, then smallest, size
    size = (0, 0)
    step_w = max(1, math.ceil((width - box.width) / GROW_SEARCH_STEPS))
    step_h = max(1, math.ceil((height - box.height) / GROW_SEARCH_STEPS))
    for w in [*range(box.width, width, step_w), width]:
        for h in [*range(box.height, height, step_h), height]:
            cost = model.cost(w, h, detail)
            if cost.billed_size != (w, h):
                continue  # the provider resizes it: not a native-resolution crop
            key = (cost.tokens, w * h)
            if cost.tokens < plan.tokens and (best is None or key < best):
                best, size = key, (w, h)
    if best is None:
        return plan
    left, right = _grow(box.left, box.right, size[0], width)
    top, bottom = _grow(box.top, box.bottom, size[1], height)
    return CropPlan(Box(left, top, right, bottom), size, best[0], box)


#: Content closer than this many text-line heights to a crop edge is taken in (a panel's value below
#: its label, a caption under a figure): a crop must not cut through what it is about.
CONTENT_GAP_LINES = 2.5
#: A pixel is content when it differs from the region's own background by more than this (0..255).
CONTENT_MIN_DIFF = 40
#: Growth stops (and the located box is kept as is) beyond this many times its area, or a quarter
#: of the image: on a dense page everything touches everything.
CONTENT_MAX_GROWTH = 6.0


def grow_to_content(image: Image.Image, box: Box, line_height: float | None = None) -> Box:
    """Grow ``box`` over nearby content so it does not cut a panel, figure or value in half.

    Content is what differs from the background colour found around the box. Each side moves out
    while the strip of ``CONTENT_GAP_LINES`` line heights beyond it holds content, up to the edge of
    that content. Gives up (returns ``box``) when the growth runs away.
    """
    import numpy as np
    import numpy.typing as npt

    w, h = image.size
    box = box.clamp(w, h)
    if box.area == 0:
        return box
    gap = max(
        8, round(CONTENT_GAP_LINES * max(line_height or 0.0, min(box.height, 3 * (line_height or 1e9)), 10.0))
    )
    probe = Box(box.left - gap, box.top - gap, box.right + gap, box.bottom + gap).clamp(w, h)
    arr = np.asarray(image.crop(probe.as_tuple()).convert("RGB").reduce(2), dtype=np.int16)  # colour census
    flat = (arr // 16).reshape(-1, 3)
    keys, counts = np.unique((flat[:, 0] << 8) | (flat[:, 1] << 4) | flat[:, 2], return_counts=True)
    top = int(keys[int(np.argmax(counts))])
    bg = np.array([(top >> 8) * 16 + 8, ((top >> 4) & 15) * 16 + 8, (top & 15) * 16 + 8], dtype=np.int16)
    full = np.asarray(image.convert("RGB"), dtype=np.int16)  # full resolution: 1-px frames count
    ink = np.abs(full - bg).max(axis=2) > CONTENT_MIN_DIFF
    H, W = ink.shape
    left, top_, right, bottom = box.left, box.top, box.right, box.bottom
    g = gap
    limit = min(max(CONTENT_MAX_GROWTH * box.area, (6 * gap) ** 2), 0.25 * w * h)
    closed = {"l": False, "r": False, "t": False, "b": False}

    def frame_at(strip: npt.NDArray[np.bool_], axis: int, backwards: bool) -> int | None:
        """Offset of the frame edge nearest the box in ``strip``: a line of content across it."""
        along = strip.mean(axis=axis)  # share of each row (axis=1) / column (axis=0) that is content
        hits = np.flatnonzero(along >= 0.9)
        if not hits.size or strip.shape[axis] <= 8:
            return None
        return int(hits[-1]) if backwards else int(hits[0])

    for _ in range(64):
        moved = False
        sides = (
            ("l", ink[top_:bottom, max(0, left - g) : left], 0, True),
            ("r", ink[top_:bottom, right : min(W, right + g)], 0, False),
            ("t", ink[max(0, top_ - g) : top_, left:right], 1, True),
            ("b", ink[bottom : min(H, bottom + g), left:right], 1, False),
        )
        for name, strip, axis, backwards in sides:
            if closed[name] or not strip.any():
                continue
            profile = strip.any(axis=axis)
            idx = np.flatnonzero(profile)
            frame = frame_at(strip, axis, backwards)
            if frame is not None:  # stop at a panel's border, taking the border in
                closed[name] = True
                reach = frame
            else:
                reach = int(idx[0]) if backwards else int(idx[-1])
            if name == "l":
                left = max(0, left - g) + reach
            elif name == "r":
                right = right + reach + 1
            elif name == "t":
                top_ = max(0, top_ - g) + reach
            else:
                bottom = bottom + reach + 1
            moved = True
        if (right - left) * (bottom - top_) > limit:
            return box
        if not moved:
            break
    return Box(left, top_, right, bottom).union(box)


def plan_image_crop(
    image: Image.Image,
    region: Box,
    model: CostModel,
    detail: str | None = None,
    *,
    lines: Sequence[Box] = (),
    mode: str = "bounded",
    max_downscale: float = 0.125,
) -> CropPlan:
    """What the applier sends for ``region`` of ``image``: the region grown over the content at its
    edges (:func:`grow_to_content`), then planned (:func:`plan_crop`). The router prices a crop
    with it too."""
    heights = [ln.height for ln in lines if ln.height > 0]
    grown = grow_to_content(image, region, float(statistics.median(heights)) if heights else None)
    return plan_crop(
        grown, image.width, image.height, model, detail, lines=lines, mode=mode, max_downscale=max_downscale
    )


class CropApplier(TechniqueApplier):
    """Crops to ``ctx.region`` (from the router's locator); refuses when the crop would not be
    cheaper than the tile-aligned whole image."""

    technique = Technique.CROP

    def apply(self, ctx: ApplyContext) -> Applied:
        d = ctx.decoded
        if ctx.region is None:
            raise TechniqueRefusedError("CROP refused: no region located")
        signals = ctx.decision.image_signals
        lines = [ln.box for ln in signals.text_lines] if signals is not None else []
        plan = plan_image_crop(
            d.image,
            ctx.region,
            ctx.cost_model,
            ctx.detail,
            lines=lines,
            mode=ctx.alignment,
            max_downscale=ctx.max_downscale,
        )
        if plan.box.area == 0:
            raise TechniqueRefusedError("CROP refused: the located region is empty")
        whole = align(
            d.width, d.height, ctx.cost_model, ctx.detail, mode=ctx.alignment, max_downscale=ctx.max_downscale
        )
        if plan.tokens >= whole.tokens_after:
            raise TechniqueRefusedError(
                f"CROP refused: the crop costs {plan.tokens} tokens, not less than the aligned whole image's "
                f"{whole.tokens_after}"
            )
        image = d.image.crop(plan.box.as_tuple())
        if plan.resized:
            image = resize(image, plan.size)
        lossless = ctx.text_like or d.mime_type == "image/png"
        data, mime = encode_image(image, text_like=lossless)
        scaled = f", sent at {plan.size[0]}x{plan.size[1]}" if plan.resized else ""
        return Applied(
            technique=self.technique,
            replacement=Replacement(kind="image", data=data, mime_type=mime),
            tokens=plan.tokens,
            size=plan.size,
            note=f"cropped to {plan.box.as_tuple()} of {d.width}x{d.height}{scaled}",
            byte_size=len(data),
            extras={"box": plan.box, "padded": plan.padded},
        )
