"""PRESERVE: send the image, tile-aligned within the configured loss bound."""

from __future__ import annotations

from .._imageio import encode_image, pad_image, resize
from ..codecs import Replacement
from ..costs import CostModel
from ..router.policy import DEFAULT_POLICY, RoutingPolicy
from ..tiling import Alignment, align
from ..types import Technique
from ._base import Applied, ApplyContext, TechniqueApplier
from .full_low import per_image_details

__all__ = ["PreserveApplier", "aligned_whole", "lossless_level", "whole_image_tokens"]


def aligned_whole(ctx: ApplyContext, mode: str | None = None) -> Alignment:
    """The whole image tile-aligned as PRESERVE sends it (padded where that is billed fewer tiles),
    in the request's alignment mode or ``mode``."""
    d = ctx.decoded
    return align(
        d.width,
        d.height,
        ctx.cost_model,
        ctx.detail,
        mode=mode or ctx.alignment,
        max_downscale=ctx.max_downscale,
        pad=True,
    )


def lossless_level(
    model: CostModel, size: tuple[int, int], detail: str | None, per_image: bool
) -> str | None:
    """The cheaper detail level at which the provider still sees every pixel of an image of
    ``size`` (:meth:`~headroom_core.costs.CostModel.lossless_detail`), where the request's format
    sets detail per image (``per_image``) and the model takes it per image; else ``None``."""
    level = model.lossless_detail(*size, detail) if per_image else None
    return level if level is not None and level in per_image_details(model) else None


def whole_image_tokens(ctx: ApplyContext) -> int:
    """What PRESERVE bills for the whole image: at its lossless level, else tile-aligned."""
    d = ctx.decoded
    low = lossless_level(ctx.cost_model, d.size, ctx.detail, ctx.detail_settable)
    return ctx.cost_model.tokens(d.width, d.height, low) if low else aligned_whole(ctx).tokens_after


class PreserveApplier(TechniqueApplier):
    """Keeps the image. Resizes only when tile alignment lowers billed tokens (``bounded``) or does
    the provider's own downscale client-side (``lossless``); otherwise the original bytes are sent.

    A ``bounded`` shrink never takes an image's body text (the median text line the analyzer
    measured) below the policy's ``min_legible_text_px``: text already at the edge of legibility
    (a dense reference card's 9 px lines) is sent at the size the provider would see anyway
    (``lossless``), since a few per cent smaller is what loses it.
    """

    technique = Technique.PRESERVE

    def __init__(self, policy: RoutingPolicy = DEFAULT_POLICY) -> None:
        self.policy = policy

    def _plan(self, ctx: ApplyContext) -> tuple[Alignment, str]:
        d = ctx.decoded
        plan = aligned_whole(ctx)
        signals = ctx.decision.image_signals if ctx.decision is not None else None
        if ctx.alignment != "bounded" or not plan.resized or signals is None:
            return plan, ""
        body = signals.evidence.get("median_text_height_px")
        if (
            signals.has_text < self.policy.legibility_has_text
            or not isinstance(body, int | float)
            or body <= 0
        ):
            return plan, ""
        lossless = aligned_whole(ctx, mode="lossless")
        scale = plan.target_size[0] / d.width
        floor = self.policy.min_legible_text_px
        if body * scale >= floor or plan.target_size == lossless.target_size:
            return plan, ""
        why = (
            f"not shrunk by alignment: its body text, {body:.1f} px, would be {body * scale:.1f} px "
            f"(< min_legible_text_px {floor})"
        )
        return lossless, why

    def apply(self, ctx: ApplyContext) -> Applied:
        d = ctx.decoded
        low = lossless_level(ctx.cost_model, d.size, ctx.detail, ctx.detail_settable)
        if low is not None:
            tokens = ctx.cost_model.tokens(d.width, d.height, low)
            return Applied(
                technique=self.technique,
                replacement=Replacement(
                    kind="image", data=ctx.original_data, mime_type=d.mime_type, detail=low
                ),
                tokens=tokens,
                size=d.size,
                note=(
                    f"sent as is with detail {low!r}: at {d.width}x{d.height} the provider sees every pixel "
                    f"at that level ({ctx.original_tokens} -> {tokens} tokens)"
                ),
                byte_size=len(ctx.original_data),
            )
        plan, kept_text = self._plan(ctx)
        if not (plan.resized or plan.padded) or plan.tokens_after > ctx.original_tokens:
            return Applied(
                technique=self.technique,
                replacement=None,
                tokens=ctx.original_tokens,
                size=d.size,
                note="sent as is: " + (kept_text or "alignment would not lower the billed tokens"),
                byte_size=len(ctx.original_data),
            )
        image = resize(d.image, plan.target_size)
        if plan.canvas_size is not None:
            image = pad_image(image, plan.canvas_size)
        data, mime = encode_image(image, text_like=ctx.text_like)
        if plan.tokens_after == ctx.original_tokens and len(data) >= len(ctx.original_data):
            return Applied(
                technique=self.technique,
                replacement=None,
                tokens=ctx.original_tokens,
                size=d.size,
                note="sent as is: the provider's own downscale would not save bytes here",
                byte_size=len(ctx.original_data),
            )
        return Applied(
            technique=self.technique,
            replacement=Replacement(kind="image", data=data, mime_type=mime),
            tokens=plan.tokens_after,
            size=plan.sent_size,
            note=(
                f"tile-aligned {d.width}x{d.height} -> {plan.target_size[0]}x{plan.target_size[1]} "
                f"({plan.pixels_kept:.0%} of the billed pixels kept)"
                + (
                    f", on a {plan.sent_size[0]}x{plan.sent_size[1]} canvas of its background (fewer tiles)"
                    if plan.padded
                    else ""
                )
                + (f"; {kept_text}" if kept_text else "")
            ),
            byte_size=len(data),
        )
