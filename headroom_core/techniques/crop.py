"""CROP: send only the located region, padded, snapped to the provider's grid, at native resolution.

:func:`plan_crop` and :func:`plan_image_crop` turn a located region into what is sent:

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
   the cheapest such box, never past the image;
6. **one line** (:func:`fold_line`, with the pixels): a crop of one text line is trimmed to the
   line's ink, and where a tiled provider bills that as a wide strip (a 670x48 line: 3 Gemini 2.5
   tiles, 2 gpt-4o tiles) it is cut once, at its widest word gap among the cheapest cuts, and sent
   as the two pieces stacked in reading order, at native resolution (one tile); either replaces
   the plan only when it saves a whole tile's worth of tokens (the plan's margins are context);
7. **level**: where the provider shows a crop of this size whole at a cheaper detail level and the
   format sets detail per image (gpt-4o ``low``: "a 512x512 version", all of a crop within 512x512,
   85 tokens instead of 255), the crop is sent at that level.

Before planning, :func:`grow_to_content` takes in content that touches the located box (a value
under its label); a thin frame it meets (a plot's border) closes that side without pulling the box
along it.

The applier refuses (so the compressor falls back to PRESERVE with the reason) when the crop would
not cost fewer tokens than the whole image as PRESERVE sends it.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .._exceptions import TechniqueRefusedError
from .._imageio import background_colour, blank_canvas, content_mask, encode_image, resize
from ..codecs import Replacement
from ..costs import CostModel
from ..tiling import align
from ..types import Box, Technique
from ._base import Applied, ApplyContext, TechniqueApplier
from .preserve import lossless_level, whole_image_tokens

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from PIL import Image

__all__ = [
    "CropApplier",
    "CropPlan",
    "expand_to_lines",
    "fold_line",
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
    #: Set when the crop is one line of text folded at word gaps (:func:`fold_line`): the pieces of
    #: ``box`` (original pixels, left to right), sent stacked top to bottom at native resolution.
    pieces: tuple[Box, ...] = ()
    #: The detail level to send at, when it differs from the request's: a cheaper level at which the
    #: provider still sees every pixel of this size (gpt-4o ``low`` for a crop within 512x512).
    level: str | None = None

    @property
    def folded(self) -> bool:
        return bool(self.pieces)

    @property
    def resized(self) -> bool:
        return not self.pieces and self.size != (self.box.width, self.box.height)

    def render(self, image: Image.Image) -> Image.Image:
        """The pixels sent for this plan, cut from ``image`` (the original)."""
        if not self.pieces:
            out = image.crop(self.box.as_tuple())
            return resize(out, self.size) if self.resized else out
        canvas = blank_canvas(image.crop(self.box.as_tuple()), self.size)
        y = 0
        gap = (self.size[1] - sum(p.height for p in self.pieces)) // max(1, len(self.pieces) - 1)
        for piece in self.pieces:
            canvas.paste(image.crop(piece.as_tuple()), (0, y))
            y += piece.height + gap
        return canvas


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
    per_image_detail: bool = True,
) -> CropPlan:
    """The box to cut for ``region`` of a ``width`` x ``height`` image, the size to send it at and its
    tokens (see the module docstring). ``lines`` are the image's text line boxes;
    ``per_image_detail``: the request's format sets a detail level per image (step 7)."""
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
    planned = _fewer_tiles(
        CropPlan(snapped, size, model.tokens(*size, detail), padded), width, height, model, detail
    )
    return _at_level(planned, model, detail, per_image_detail)


def _priced(
    model: CostModel, size: tuple[int, int], detail: str | None, per_image: bool
) -> tuple[int, str | None]:
    """Tokens for sending ``size``, and the cheaper level to send it at where one loses no pixel
    (:meth:`~headroom_core.costs.CostModel.lossless_detail`) and the format sets it per image."""
    level = lossless_level(model, size, detail, per_image)
    return model.tokens(*size, level or detail), level


def _at_level(plan: CropPlan, model: CostModel, detail: str | None, per_image: bool) -> CropPlan:
    tokens, level = _priced(model, plan.size, detail, per_image)
    return plan if level is None else replace(plan, tokens=tokens, level=level)


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
#: Growth stops (and the located box is kept as is) beyond this many times its area, or a quarter
#: of the image: on a dense page everything touches everything.
CONTENT_MAX_GROWTH = 6.0
#: A frame at most this many pixels thick is a rule (a plot's or a panel's border), not a filled bar.
FRAME_RULE_MAX_PX = 4


def grow_to_content(image: Image.Image, box: Box, line_height: float | None = None) -> Box:
    """Grow ``box`` over nearby content so it does not cut a panel, figure or value in half.

    Content is what differs from the background colour found around the box. Each side moves out
    while the strip of ``CONTENT_GAP_LINES`` line heights beyond it holds content, up to the edge of
    that content. Gives up (returns ``box``) when the growth runs away.
    """
    import numpy as np

    w, h = image.size
    box = box.clamp(w, h)
    if box.area == 0:
        return box
    gap = max(
        8, round(CONTENT_GAP_LINES * max(line_height or 0.0, min(box.height, 3 * (line_height or 1e9)), 10.0))
    )
    probe = Box(box.left - gap, box.top - gap, box.right + gap, box.bottom + gap).clamp(w, h)
    # full resolution: 1-px frames count
    ink = content_mask(image, background_colour(image.crop(probe.as_tuple())))
    H, W = ink.shape
    left, top_, right, bottom = box.left, box.top, box.right, box.bottom
    g = gap
    limit = min(max(CONTENT_MAX_GROWTH * box.area, (6 * gap) ** 2), 0.25 * w * h)
    closed = {"l": False, "r": False, "t": False, "b": False}

    def frame_at(strip: npt.NDArray[np.bool_], axis: int, backwards: bool) -> tuple[int, bool] | None:
        """Offset of the frame edge nearest the box in ``strip`` (a line of content across it), and
        whether that frame is a thin rule (at most ``FRAME_RULE_MAX_PX`` thick, ending inside the
        strip) rather than the edge of a filled bar."""
        along = strip.mean(axis=axis)  # share of each row (axis=1) / column (axis=0) that is content
        across = along >= 0.9
        hits = np.flatnonzero(across)
        if not hits.size or strip.shape[axis] <= 8:
            return None
        edge = int(hits[-1]) if backwards else int(hits[0])
        beyond = across[: edge + 1][::-1] if backwards else across[edge:]
        gaps = np.flatnonzero(~beyond)
        thin = bool(gaps.size) and int(gaps[0]) <= FRAME_RULE_MAX_PX
        return edge, thin

    # A thin frame taken in (a plot's or panel's border across a side) closes that side only: the
    # sides across it look past it, or a chart's title would run along the plot's top border to the
    # image's edges. (A filled bar's edge is not masked: growth along it runs away, keeping the box.)
    rows = np.ones(H, dtype=bool)
    cols = np.ones(W, dtype=bool)
    for _ in range(64):
        moved = False
        sides = (
            ("l", ink[top_:bottom, max(0, left - g) : left] & rows[top_:bottom, None], 0, True),
            ("r", ink[top_:bottom, right : min(W, right + g)] & rows[top_:bottom, None], 0, False),
            ("t", ink[max(0, top_ - g) : top_, left:right] & cols[None, left:right], 1, True),
            ("b", ink[bottom : min(H, bottom + g), left:right] & cols[None, left:right], 1, False),
        )
        for name, strip, axis, backwards in sides:
            if closed[name] or not strip.any():
                continue
            profile = strip.any(axis=axis)
            idx = np.flatnonzero(profile)
            frame = frame_at(strip, axis, backwards)
            if frame is not None:  # stop at a panel's border, taking the border in
                closed[name] = True
                reach = frame[0]
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
            if frame is not None and frame[1]:
                if name in ("l", "r"):
                    cols[left if name == "l" else right - 1] = False
                else:
                    rows[top_ if name == "t" else bottom - 1] = False
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
    per_image_detail: bool = True,
) -> CropPlan:
    """What the applier sends for ``region`` of ``image``: the region grown over the content at its
    edges (:func:`grow_to_content`), then planned (:func:`plan_crop`). The router prices a crop
    with it too."""
    heights = [ln.height for ln in lines if ln.height > 0]
    grown = grow_to_content(image, region, float(statistics.median(heights)) if heights else None)
    plan = plan_crop(
        grown,
        image.width,
        image.height,
        model,
        detail,
        lines=lines,
        mode=mode,
        max_downscale=max_downscale,
        per_image_detail=per_image_detail,
    )
    return fold_line(image, plan, grown, lines, model, detail, per_image_detail)


#: A one-line crop is folded into at most this many pieces.
FOLD_MAX_PIECES = 2
#: A fold cuts only at a gap between words: a run of blank columns across the line at least this many
#: line heights wide (letters inside a word are closer).
FOLD_MIN_GAP_LINE_HEIGHTS = 0.3
#: Blank space between the stacked pieces, in line heights.
FOLD_SEPARATION_LINE_HEIGHTS = 0.6
#: Lines whose vertical centres lie within this many line heights of each other are one line.
FOLD_SAME_LINE_HEIGHTS = 0.5
#: Margin above and below a folded line, in line heights (the lines around it are left out) ...
FOLD_MARGIN_LINE_HEIGHTS = 0.35
#: ... and beyond the ink at either end of the line and of each piece.
FOLD_SIDE_MARGIN_LINE_HEIGHTS = 1.0
#: A fold replaces the plan only when it saves at least this many tokens and this share of them
#: (a whole tile on Gemini 2.x or gpt-4o; never a few patches on a patch-billed model, where the
#: plan's context is worth more than the tokens).
FOLD_MIN_SAVING_TOKENS = 64
FOLD_MIN_SAVING_FRACTION = 0.25


def _overlap(a: Box, b: Box) -> int:
    width = min(a.right, b.right) - max(a.left, b.left)
    height = min(a.bottom, b.bottom) - max(a.top, b.top)
    return max(0, width) * max(0, height)


def fold_line(
    image: Image.Image,
    plan: CropPlan,
    region: Box,
    lines: Sequence[Box],
    model: CostModel,
    detail: str | None,
    per_image_detail: bool = True,
) -> CropPlan:
    """Step 6: a crop of one line of text, where the provider bills a wide strip by more tiles than a
    squarer image (Gemini 2.x: a 670x48 line is 3 tiles, two 335 px halves stacked are one; gpt-4o:
    2 tiles against 1), is cut at a gap between words into ``FOLD_MAX_PIECES`` pieces (two) sent
    stacked, in reading order, at native resolution. Among the cheapest cuts, the widest gaps win
    (between phrases or widgets before between words), then the most even pieces; the line sent
    alone as one strip wins a tie. The result replaces the plan only when it saves
    ``FOLD_MIN_SAVING_TOKENS`` and ``FOLD_MIN_SAVING_FRACTION`` of it.

    The line is what ``region`` holds: it must be one line (the text lines it holds share a band). The
    folded pieces span that band with a small margin, stopping short of the lines above and below
    that the plan's margin took in as context (folded, they would be read out of order)."""
    import numpy as np

    box = plan.padded
    if box.area == 0:
        return plan
    inside = [ln for ln in lines if ln.area > 0 and _overlap(ln, region) >= 0.5 * ln.area]
    if not inside:
        return plan
    line_h = float(statistics.median(ln.height for ln in inside))
    centres = [(ln.top + ln.bottom) / 2 for ln in inside]
    if max(centres) - min(centres) > FOLD_SAME_LINE_HEIGHTS * line_h:
        return plan  # more than one line
    top = min(ln.top for ln in inside)
    bottom = max(ln.bottom for ln in inside)
    margin = max(2, round(FOLD_MARGIN_LINE_HEIGHTS * line_h))
    top, bottom = top - margin, bottom + margin
    for ln in lines:  # other lines the margin took in: stop short of them
        if ln in inside or _overlap(ln, box) == 0:
            continue
        if ln.bottom <= (top + bottom) / 2:
            top = max(top, ln.bottom)
        elif ln.top >= (top + bottom) / 2:
            bottom = min(bottom, ln.top)
        else:
            return plan  # a line across the band that the region does not hold
    box = Box(box.left, max(box.top, top), box.right, min(box.bottom, bottom))
    if box.height < min(ln.height for ln in inside):
        return plan
    band_top = max(box.top, min(ln.top for ln in inside))
    band_bottom = min(box.bottom, max(ln.bottom for ln in inside))
    if band_bottom <= band_top:
        return plan
    cut = image.crop(box.as_tuple())
    band = content_mask(cut, background_colour(cut))[band_top - box.top : band_bottom - box.top]
    blank = ~np.asarray(band.any(axis=0))
    min_gap = max(3, round(FOLD_MIN_GAP_LINE_HEIGHTS * line_h))
    ink_x = np.flatnonzero(~blank)
    if not ink_x.size:
        return plan
    # The line alone: its ink and a side margin, within the plan's box.
    side = max(4, round(FOLD_SIDE_MARGIN_LINE_HEIGHTS * line_h))
    first, last = int(ink_x[0]), int(ink_x[-1])
    strip = Box(
        max(box.left, box.left + first - side),
        box.top,
        min(box.right, box.left + last + 1 + side),
        box.bottom,
    )
    # Gaps a cut may go in (image x): runs of blank columns at least min_gap wide between ink.
    runs: list[tuple[int, int]] = []
    x = first
    while x < last:
        if blank[x]:
            start = x
            while x < last and blank[x]:
                x += 1
            if x - start >= min_gap:
                runs.append((box.left + start, box.left + x))
        x += 1

    def trimmed(left: int, right: int) -> Box:
        """A piece of the strip without the blank beyond ``side`` at its ends."""
        ink = np.flatnonzero(~blank[left - box.left : right - box.left])
        if not ink.size:
            return Box(left, strip.top, right, strip.bottom)
        return Box(
            max(left, left + int(ink[0]) - side),
            strip.top,
            min(right, left + int(ink[-1]) + 1 + side),
            strip.bottom,
        )

    sep = max(4, round(FOLD_SEPARATION_LINE_HEIGHTS * line_h))
    one = model.cost(strip.width, strip.height, detail)
    best: tuple[int, float, float] | None = None  # (tokens, -narrowest gap cut, imbalance)
    best_plan: CropPlan | None = None
    if one.billed_size == (strip.width, strip.height):
        tokens, level = _priced(model, (strip.width, strip.height), detail, per_image_detail)
        best = (tokens, -math.inf, 0.0)  # unfolded wins a tie
        best_plan = CropPlan(strip, (strip.width, strip.height), tokens, strip, level=level)
    for k in range(2, FOLD_MAX_PIECES + 1):
        for chosen in itertools.combinations(runs, k - 1):
            cuts = [(a + b) // 2 for a, b in chosen]
            edges = [strip.left, *cuts, strip.right]
            pieces = tuple(trimmed(a, b) for a, b in itertools.pairwise(edges))
            size = (max(p.width for p in pieces), k * strip.height + (k - 1) * sep)
            if model.cost(*size, detail).billed_size != size:
                continue
            tokens, level = _priced(model, size, detail, per_image_detail)
            widths = [p.width for p in pieces]
            key = (tokens, -float(min(b - a for a, b in chosen)), float(max(widths) - min(widths)))
            if best is None or key < best:
                best, best_plan = key, CropPlan(strip, size, tokens, strip, pieces, level)
    if best_plan is None:
        return plan
    saving = plan.tokens - best_plan.tokens
    if saving < max(FOLD_MIN_SAVING_TOKENS, FOLD_MIN_SAVING_FRACTION * plan.tokens):
        return plan  # not worth leaving out the context the plan's margins hold
    return best_plan


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
            per_image_detail=ctx.detail_settable,
        )
        if plan.box.area == 0:
            raise TechniqueRefusedError("CROP refused: the located region is empty")
        whole = whole_image_tokens(ctx)
        if plan.tokens >= whole:
            raise TechniqueRefusedError(
                f"CROP refused: the crop costs {plan.tokens} tokens, not less than the aligned whole image's "
                f"{whole}"
            )
        image = plan.render(d.image)
        lossless = ctx.text_like or d.mime_type == "image/png"
        data, mime = encode_image(image, text_like=lossless)
        scaled = f", sent at {plan.size[0]}x{plan.size[1]}" if plan.resized else ""
        if plan.folded:
            rows = len(plan.pieces)
            scaled = f", its line folded at word gaps into {rows} rows ({plan.size[0]}x{plan.size[1]})"
        if plan.level is not None:
            scaled += f", at detail {plan.level!r} (which shows all of it)"
        return Applied(
            technique=self.technique,
            replacement=Replacement(kind="image", data=data, mime_type=mime, detail=plan.level),
            tokens=plan.tokens,
            size=plan.size,
            note=f"cropped to {plan.box.as_tuple()} of {d.width}x{d.height}{scaled}",
            byte_size=len(data),
            extras={"box": plan.box, "padded": plan.padded},
        )
