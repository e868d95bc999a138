"""PRESERVE: send the image, tile-aligned within the configured loss bound."""

from __future__ import annotations

from .._imageio import encode_image, pad_image, resize
from ..codecs import Replacement
from ..router.policy import DEFAULT_POLICY, RoutingPolicy
from ..tiling import Alignment, align
from ..types import Technique
from ._base import Applied, ApplyContext, TechniqueApplier
from .full_low import per_image_details

__all__ = ["PreserveApplier", "aligned_whole", "lossless_level"]


def aligned_whole(ctx: ApplyContext) -> Alignment:
    """The whole image tile-aligned as PRESERVE sends it (padded where that is billed fewer tiles)."""
    d = ctx.decoded
    return align(
        d.width,
        d.height,
        ctx.cost_model,
        ctx.detail,
        mode=ctx.alignment,
        max_downscale=ctx.max_downscale,
        pad=True,
    )


def lossless_level(ctx: ApplyContext) -> str | None:
    """The cheaper detail level PRESERVE sends the image at, seeing every pixel, where the request's
    format sets detail per image (:meth:`~headroom_core.costs.CostModel.lossless_detail`)."""
    d = ctx.decoded
    low = ctx.cost_model.lossless_detail(d.width, d.height, ctx.detail)
    if low is None or not ctx.detail_settable or low not in per_image_details(ctx.cost_model):
        return None
    return low


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
        lossless = align(d.width, d.height, ctx.cost_model, ctx.detail, mode="lossless", pad=True)
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
        low = lossless_level(ctx)
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
