"""FULL_LOW: a low-detail or small version of the whole image (scene and gist questions).

With a region (the router's decision carries one: the image's title), the low view goes with that
region beside it at up to full resolution, on one canvas no larger than the low view's own long
side: a chart's 14 px title is 5.6 px in gpt-4o's 512 px view, unreadable, and 14 px in the inset,
for the same 85 tokens (:func:`plan_low_inset`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .._imageio import background_colour, blank_canvas, content_mask, encode_image, resize, true_runs
from ..codecs import Replacement
from ..costs import CostModel
from ..tiling import align
from ..types import Box, Technique
from ._base import Applied, ApplyContext, TechniqueApplier

if TYPE_CHECKING:
    from PIL import Image

__all__ = [
    "LOW_MAX_SIDE",
    "FullLowApplier",
    "InsetPlan",
    "LowPlan",
    "per_image_details",
    "plan_full_low",
    "plan_low_inset",
]

#: Long side of the downscaled version, in pixels: what OpenAI's own ``detail: "low"`` looks at.
LOW_MAX_SIDE = 512
#: Gemini 2.x: an image within this many pixels a side is one 258-token tile.
GEMINI_ONE_TILE_SIDE = 384
#: Pixels around the region inset, at least; above and below it, this fraction of its height if
#: more (a clear break from the view: read as its own block, not as the view's last line).
INSET_GAP_PX = 6
INSET_GAP_HEIGHTS = 0.5
#: The inset keeps this fraction of its ink's height as a margin (2 to 8 px).
INSET_MARGIN = 0.25
#: The inset takes in content on its own rows closer than this many times its height, as long
#: as that leaves it at most this many times its own width.
INSET_JOIN_HEIGHTS = 1.5
INSET_MAX_JOIN_GROWTH = 2.0
#: The low view shrinks to make room for the inset down to this fraction of its own scale, no further,
#: in this many steps (a provider that downscales the canvas would shrink the inset with it).
INSET_MIN_VIEW_FRACTION = 0.75
INSET_VIEW_STEPS = 5


@dataclass(frozen=True)
class LowPlan:
    """The cheapest low version of an image: its size, the detail to send, its tokens, and the
    scale at which the provider will actually look at it (for the legibility rule)."""

    size: tuple[int, int]
    detail: str | None
    tokens: int
    view_scale: float
    resized: bool


def per_image_details(model: CostModel) -> tuple[str, ...]:
    """Detail values that can be set on one image (Gemini before 3 only has a request-wide knob)."""
    if model.provider == "google" and not model.family.startswith("gemini-3"):
        return ()
    return tuple(model.details)


def _low_size(width: int, height: int, max_side: int) -> tuple[int, int]:
    long_side = max(width, height)
    if long_side <= max_side:
        return (width, height)
    scale = max_side / long_side
    return (max(1, round(width * scale)), max(1, round(height * scale)))


def plan_full_low(
    width: int,
    height: int,
    model: CostModel,
    detail: str | None,
    *,
    max_side: int = LOW_MAX_SIDE,
    detail_settable: bool = True,
) -> LowPlan:
    """Cheapest of: the sent size or a ``max_side`` downscale, each as is or tile-aligned (bounded),
    with the sent detail or any detail settable per image. Ties keep more pixels."""
    sizes = [(width, height)]
    small = _low_size(width, height, max_side)
    if small != sizes[0]:
        sizes.append(small)
    if model.provider == "google" and not per_image_details(model):
        # Gemini 2.x bills any image within 384 x 384 as one 258-token tile, and larger ones by
        # 768-px crops: with no per-image knob, its low version is the one-tile size.
        tile = _low_size(width, height, GEMINI_ONE_TILE_SIDE)
        if tile not in sizes:
            sizes.append(tile)
    settable = per_image_details(model) if detail_settable else ()
    details: list[str | None] = [detail, *[d for d in settable if d != detail]]
    best: LowPlan | None = None
    for base in sizes:
        for det in details:
            # The size itself, and the same snapped onto the provider's grid (bounded alignment):
            # the low version must never bill more than PRESERVE's aligned image would.
            snapped = align(base[0], base[1], model, det, mode="bounded").target_size
            for size in dict.fromkeys([base, snapped]):
                cost = model.cost(size[0], size[1], det)
                view = min(1.0, cost.billed_width / width, cost.billed_height / height)
                plan = LowPlan(
                    size=size, detail=det, tokens=cost.tokens, view_scale=view, resized=size != sizes[0]
                )
                if best is None or (plan.tokens, -plan.view_scale) < (best.tokens, -best.view_scale):
                    best = plan
    assert best is not None
    return best


@dataclass(frozen=True)
class InsetPlan:
    """The low view with one region kept beside it: the whole image scaled to ``view_size`` at the
    top of a ``canvas`` of its background colour, and the region ``source`` (its ink and a margin)
    at ``inset_size`` below it, sent with ``detail`` for ``tokens``. ``view_scale`` and
    ``inset_scale`` are the scales against the original at which the provider will look at each
    (it may downscale the canvas itself)."""

    source: Box
    view_size: tuple[int, int]
    inset_size: tuple[int, int]
    canvas: tuple[int, int]
    detail: str | None
    tokens: int
    view_scale: float
    inset_scale: float
    gap: int = 6

    def render(self, image: Image.Image) -> Image.Image:
        """The canvas, made from the original ``image``."""
        canvas = blank_canvas(image, self.canvas)
        canvas.paste(resize(image, self.view_size), ((self.canvas[0] - self.view_size[0]) // 2, 0))
        inset = resize(image.crop(self.source.as_tuple()), self.inset_size)
        canvas.paste(inset, ((self.canvas[0] - self.inset_size[0]) // 2, self.view_size[1] + self.gap))
        return canvas


def _ink(image: Image.Image, region: Box) -> Box | None:
    """``region`` trimmed to its content (what differs from its background), grown along its own
    band of rows over content closer than ``INSET_JOIN_HEIGHTS`` of its line height (the rest of a
    heading whose first word, a link in another colour, the locator took for another line) unless
    that more than doubles it (a desktop's top bar of clock and icons), with a small margin. The
    line height is the tallest run of rows with ink: a heading wrapped over two lines joins what
    lies within reach of one line, not of both (a sidebar beside it)."""
    import numpy as np

    w, h = image.size
    box = region.clamp(w, h)
    if box.area == 0:
        return None
    cut = image.crop(box.as_tuple())
    background = background_colour(cut)
    mask = content_mask(cut, background)
    cols, rows = np.flatnonzero(mask.any(axis=0)), np.flatnonzero(mask.any(axis=1))
    if not cols.size:
        return None
    top, bottom = box.top + int(rows[0]), box.top + int(rows[-1]) + 1
    band = np.asarray(content_mask(image.crop((0, top, w, bottom)), background).any(axis=0))
    left, right = box.left + int(cols[0]), box.left + int(cols[-1]) + 1
    ink = (left, right)
    line_height = max(stop - start for start, stop in true_runs(np.asarray(mask.any(axis=1), dtype=bool)))
    join = max(4, round(INSET_JOIN_HEIGHTS * line_height))
    while True:
        near = np.flatnonzero(band[max(0, left - join) : left])
        if not near.size:
            break
        left = max(0, left - join) + int(near[0])
    while True:
        near = np.flatnonzero(band[right : min(w, right + join)])
        if not near.size:
            break
        right = right + int(near[-1]) + 1
    if right - left > INSET_MAX_JOIN_GROWTH * (ink[1] - ink[0]):
        left, right = ink  # a row of items (a desktop's top bar), not one line: its own ink only
    margin = max(2, min(8, round(INSET_MARGIN * (bottom - top))))
    return Box(left - margin, top - margin, right + margin, bottom + margin).clamp(w, h)


def plan_low_inset(
    image: Image.Image,
    region: Box,
    model: CostModel,
    detail: str | None,
    *,
    max_side: int = LOW_MAX_SIDE,
    detail_settable: bool = True,
) -> InsetPlan | None:
    """The low view of ``image`` (:func:`plan_full_low`) with ``region`` inset below it.

    The inset is the region's ink at full resolution, scaled down only to fit the long side the
    provider sees of the low view. The canvas stays within that side, so it bills what the low view
    bills where that is a fixed unit (gpt-4o's ``low``, Gemini 2.x's 384 px tile) and little more
    where tokens follow area. The view shrinks to leave the inset room, and further where the
    provider would downscale the canvas (and the inset with it), by at most
    ``INSET_MIN_VIEW_FRACTION`` (else ``None``: a portrait page with a tall heading). Of those
    canvases, none dearer than the first, the one that shows the inset sharpest wins, then the
    one with the largest view."""
    width, height = image.size
    low = plan_full_low(width, height, model, detail, max_side=max_side, detail_settable=detail_settable)
    source = _ink(image, region)
    if source is None:
        return None
    side = max(1, round(max(width, height) * low.view_scale))
    inset_scale = min(1.0, (side - 2 * INSET_GAP_PX) / source.width)
    inset = (max(1, round(source.width * inset_scale)), max(1, round(source.height * inset_scale)))
    gap = max(INSET_GAP_PX, round(INSET_GAP_HEIGHTS * inset[1]))
    plans: list[InsetPlan] = []
    for step in range(INSET_VIEW_STEPS + 1):
        fraction = 1.0 - step * (1.0 - INSET_MIN_VIEW_FRACTION) / INSET_VIEW_STEPS
        view_scale = min(fraction * low.view_scale, (side - inset[1] - 2 * gap) / height)
        if view_scale < INSET_MIN_VIEW_FRACTION * low.view_scale - 1e-9:
            break
        view = (max(1, round(width * view_scale)), max(1, round(height * view_scale)))
        canvas = (max(view[0], inset[0] + 2 * INSET_GAP_PX), view[1] + 2 * gap + inset[1])
        cost = model.cost(canvas[0], canvas[1], low.detail)
        seen = min(1.0, cost.billed_width / canvas[0], cost.billed_height / canvas[1])
        plans.append(
            InsetPlan(
                source=source,
                view_size=view,
                inset_size=inset,
                canvas=canvas,
                detail=low.detail,
                tokens=cost.tokens,
                view_scale=view_scale * seen,
                inset_scale=inset_scale * seen,
                gap=gap,
            )
        )
    if not plans:
        return None
    # No dearer than the largest view's canvas; then the sharpest inset, then the largest view.
    budget = plans[0].tokens
    return max(
        (p for p in plans if p.tokens <= budget),
        key=lambda p: (round(min(p.inset_scale, 1.0), 4), p.view_scale),
    )


class FullLowApplier(TechniqueApplier):
    """Provider-aware: ``detail: "low"`` (or Gemini 3 ``media_resolution``) where that is the
    cheaper knob for the model, else a downscale to the low size."""

    technique = Technique.FULL_LOW

    def __init__(self, max_side: int = LOW_MAX_SIDE) -> None:
        self.max_side = max_side

    def apply(self, ctx: ApplyContext) -> Applied:
        d = ctx.decoded
        if ctx.region is not None:
            inset = plan_low_inset(
                d.image,
                ctx.region,
                ctx.cost_model,
                ctx.detail,
                max_side=self.max_side,
                detail_settable=ctx.detail_settable,
            )
            if inset is not None:
                return self._with_inset(ctx, inset)
        plan = plan_full_low(
            d.width,
            d.height,
            ctx.cost_model,
            ctx.detail,
            max_side=self.max_side,
            detail_settable=ctx.detail_settable,
        )
        new_detail = plan.detail if plan.detail != ctx.detail else None
        if plan.resized:
            data, mime = encode_image(resize(d.image, plan.size), text_like=ctx.text_like)
            replacement = Replacement(kind="image", data=data, mime_type=mime, detail=new_detail)
            size, nbytes = plan.size, len(data)
        elif new_detail is not None:
            replacement = Replacement(
                kind="image", data=ctx.original_data, mime_type=d.mime_type, detail=new_detail
            )
            size, nbytes = d.size, len(ctx.original_data)
        else:
            replacement, size, nbytes = None, d.size, len(ctx.original_data)
        what = []
        if plan.resized:
            what.append(f"downscaled to {plan.size[0]}x{plan.size[1]}")
        if new_detail is not None:
            what.append(f"detail={new_detail}")
        return Applied(
            technique=self.technique,
            replacement=replacement,
            tokens=plan.tokens,
            size=size,
            note=", ".join(what) or "already at the low size",
            byte_size=nbytes,
            extras={"view_scale": plan.view_scale},
        )

    def _with_inset(self, ctx: ApplyContext, plan: InsetPlan) -> Applied:
        # the inset is text: sent losslessly as a crop of text would be
        lossless = ctx.text_like or ctx.decoded.mime_type == "image/png"
        data, mime = encode_image(plan.render(ctx.decoded.image), text_like=lossless)
        new_detail = plan.detail if plan.detail != ctx.detail else None
        what = (
            f"downscaled to {plan.view_size[0]}x{plan.view_size[1]} with {plan.source.as_tuple()} "
            f"beside it at {plan.inset_size[0]}x{plan.inset_size[1]} "
            f"(canvas {plan.canvas[0]}x{plan.canvas[1]})"
        )
        if new_detail is not None:
            what += f", detail={new_detail}"
        return Applied(
            technique=self.technique,
            replacement=Replacement(kind="image", data=data, mime_type=mime, detail=new_detail),
            tokens=plan.tokens,
            size=plan.canvas,
            note=what,
            byte_size=len(data),
            extras={"view_scale": plan.view_scale, "inset_scale": plan.inset_scale, "inset": plan.source},
        )
