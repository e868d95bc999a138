"""CROP: send only the located region, padded, snapped to the provider's grid, at native resolution."""

from __future__ import annotations

import math

from .._exceptions import TechniqueRefusedError
from .._imageio import encode_image
from ..codecs import Replacement
from ..costs import CostModel
from ..tiling import align
from ..types import Box, Technique
from ._base import Applied, ApplyContext, TechniqueApplier

__all__ = ["CropApplier", "pad_box", "snap_box"]

#: Margin added around the located box: this fraction of its smaller side, at least ``MIN_MARGIN_PX``.
MARGIN_FRACTION = 0.15
MIN_MARGIN_PX = 16


def pad_box(box: Box, width: int, height: int) -> Box:
    """Add a context margin around ``box``, clamped to the image."""
    margin = max(MIN_MARGIN_PX, round(MARGIN_FRACTION * min(box.width, box.height)))
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
    grid = model.grid
    if grid <= 0:
        return box
    base_tokens = model.tokens(box.width, box.height, detail)
    left, right = _grow(box.left, box.right, math.ceil(box.width / grid) * grid, width)
    top, bottom = _grow(box.top, box.bottom, math.ceil(box.height / grid) * grid, height)
    grown = Box(left, top, right, bottom)
    if model.tokens(grown.width, grown.height, detail) <= base_tokens:
        return grown
    return box


class CropApplier(TechniqueApplier):
    """Crops to ``ctx.region`` (from the router's locator); refuses when the crop would not be
    cheaper than the tile-aligned whole image."""

    technique = Technique.CROP

    def apply(self, ctx: ApplyContext) -> Applied:
        d = ctx.decoded
        if ctx.region is None:
            raise TechniqueRefusedError("CROP refused: no region located")
        padded = pad_box(ctx.region.clamp(d.width, d.height), d.width, d.height)
        if padded.area == 0:
            raise TechniqueRefusedError("CROP refused: the located region is empty")
        box = snap_box(padded, d.width, d.height, ctx.cost_model, ctx.detail)
        tokens = ctx.cost_model.tokens(box.width, box.height, ctx.detail)
        whole = align(
            d.width, d.height, ctx.cost_model, ctx.detail, mode=ctx.alignment, max_downscale=ctx.max_downscale
        )
        if tokens >= whole.tokens_after:
            raise TechniqueRefusedError(
                f"CROP refused: the crop costs {tokens} tokens, not less than the aligned whole image's "
                f"{whole.tokens_after}"
            )
        data, mime = encode_image(d.image.crop(box.as_tuple()), text_like=True)
        return Applied(
            technique=self.technique,
            replacement=Replacement(kind="image", data=data, mime_type=mime),
            tokens=tokens,
            size=(box.width, box.height),
            note=f"cropped to {box.as_tuple()} of {d.width}x{d.height}",
            byte_size=len(data),
            extras={"box": box},
        )
