"""FULL_LOW: a low-detail or small version of the whole image (scene and gist questions)."""

from __future__ import annotations

from dataclasses import dataclass

from .._imageio import encode_image, resize
from ..codecs import Replacement
from ..costs import CostModel
from ..tiling import align
from ..types import Technique
from ._base import Applied, ApplyContext, TechniqueApplier

__all__ = ["LOW_MAX_SIDE", "FullLowApplier", "LowPlan", "per_image_details", "plan_full_low"]

#: Long side of the downscaled version, in pixels: what OpenAI's own ``detail: "low"`` looks at.
LOW_MAX_SIDE = 512
#: Gemini 2.x: an image within this many pixels a side is one 258-token tile.
GEMINI_ONE_TILE_SIDE = 384


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


class FullLowApplier(TechniqueApplier):
    """Provider-aware: ``detail: "low"`` (or Gemini 3 ``media_resolution``) where that is the
    cheaper knob for the model, else a downscale to the low size."""

    technique = Technique.FULL_LOW

    def __init__(self, max_side: int = LOW_MAX_SIDE) -> None:
        self.max_side = max_side

    def apply(self, ctx: ApplyContext) -> Applied:
        d = ctx.decoded
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
