"""Anthropic cost models: the current 28-px patch rule (two tiers) and the legacy ``w*h/750`` rule."""

from __future__ import annotations

from math import floor, sqrt

from ._base import CostModel, TokenCost, ceil_div, check_size
from ._rules import ClaudeLegacyRule, ClaudeRule

__all__ = ["ClaudeLegacyModel", "ClaudePatchModel"]


class ClaudePatchModel(CostModel):
    """Visual tokens = ceil(w/28) x ceil(h/28) after the tier's resize (coordinates-doc reference).

    The resize keeps the image when ``ceil(w/28)*28`` and ``ceil(h/28)*28`` are within the max
    edge and the tokens within the max; otherwise it binary-searches the largest long edge whose
    aspect-preserving size (short edge = Python ``round``, half to even) satisfies both.
    """

    provider = "anthropic"

    def __init__(self, rule: ClaudeRule) -> None:
        self.rule = rule
        self.family = rule.family
        self.models = rule.models
        self.grid = rule.patch

    def cost(self, width: int, height: int, detail: str | None = None) -> TokenCost:
        w, h = check_size(width, height)
        self.normalize_detail(detail)
        bw, bh = self.resize(w, h)
        p = self.rule.patch
        tokens = ceil_div(bw, p) * ceil_div(bh, p)
        rejected = max(w, h) > self.rule.reject_side
        return TokenCost(tokens, bw, bh, None, rejected=rejected)

    def _fits(self, w: int, h: int) -> bool:
        p, r = self.rule.patch, self.rule
        cols, rows = ceil_div(w, p), ceil_div(h, p)
        return cols * p <= r.max_edge and rows * p <= r.max_edge and cols * rows <= r.max_tokens

    def resize(self, width: int, height: int) -> tuple[int, int]:
        """The size the model sees (before padding to a multiple of 28)."""
        if self._fits(width, height):
            return width, height
        if height > width:
            h, w = self._search(height, width)
            return w, h
        return self._search(width, height)

    def _search(self, long: int, short: int) -> tuple[int, int]:
        def short_for(candidate: int) -> int:
            return max(1, round(short * candidate / long))

        lo, hi = 1, long
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self._fits(mid, short_for(mid)):
                lo = mid
            else:
                hi = mid - 1
        return lo, short_for(lo)


class ClaudeLegacyModel(CostModel):
    """Legacy rule: tokens = ceil(w x h / 750) after a resize to <= 1568 px and <= ~1,600 tokens.

    The doc says images are resized when the long edge exceeds 1568 px "or the image is more than
    ~1,600 tokens"; the 1.15 MP figure beside it is a recommendation, not the trigger (1092x1092 =
    1.19 MP is listed as not resized, ~1,590 tokens). Resizing keeps the aspect ratio and rounds down.
    """

    provider = "anthropic"

    def __init__(self, rule: ClaudeLegacyRule) -> None:
        self.rule = rule
        self.family = rule.family
        self.models = rule.models
        self.grid = 0

    def cost(self, width: int, height: int, detail: str | None = None) -> TokenCost:
        w, h = check_size(width, height)
        self.normalize_detail(detail)
        bw, bh = self.resize(w, h)
        tokens = ceil_div(bw * bh, self.rule.pixels_per_token)
        rejected = max(w, h) > self.rule.reject_side
        return TokenCost(tokens, bw, bh, None, rejected=rejected)

    def resize(self, width: int, height: int) -> tuple[int, int]:
        r = self.rule
        w, h = width, height
        if max(w, h) > r.max_edge:
            if w >= h:
                w, h = r.max_edge, max(1, h * r.max_edge // w)
            else:
                w, h = max(1, w * r.max_edge // h), r.max_edge
        max_area = r.max_tokens * r.pixels_per_token
        if w * h > max_area:
            scale = sqrt(max_area / (w * h))
            w, h = max(1, floor(w * scale)), max(1, floor(h * scale))
            while w * h > max_area:  # float guard
                w, h = (w - 1, h) if w >= h else (w, h - 1)
        return w, h
