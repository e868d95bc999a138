"""PRESERVE: send the image, tile-aligned within the configured loss bound."""

from __future__ import annotations

from .._imageio import encode_image, resize
from ..codecs import Replacement
from ..tiling import align
from ..types import Technique
from ._base import Applied, ApplyContext, TechniqueApplier

__all__ = ["PreserveApplier"]


class PreserveApplier(TechniqueApplier):
    """Keeps the image. Resizes only when tile alignment lowers billed tokens (``bounded``) or does
    the provider's own downscale client-side (``lossless``); otherwise the original bytes are sent."""

    technique = Technique.PRESERVE

    def apply(self, ctx: ApplyContext) -> Applied:
        d = ctx.decoded
        plan = align(
            d.width, d.height, ctx.cost_model, ctx.detail, mode=ctx.alignment, max_downscale=ctx.max_downscale
        )
        if not plan.resized or plan.tokens_after > ctx.original_tokens:
            return Applied(
                technique=self.technique,
                replacement=None,
                tokens=ctx.original_tokens,
                size=d.size,
                note="sent as is: alignment would not lower the billed tokens",
                byte_size=len(ctx.original_data),
            )
        data, mime = encode_image(resize(d.image, plan.target_size), text_like=ctx.text_like)
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
            size=plan.target_size,
            note=(
                f"tile-aligned {d.width}x{d.height} -> {plan.target_size[0]}x{plan.target_size[1]} "
                f"({plan.pixels_kept:.0%} of the billed pixels kept)"
            ),
            byte_size=len(data),
        )
