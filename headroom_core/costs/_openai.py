"""OpenAI cost models: the tile method and the patch method (rules in ``_rules``)."""

from __future__ import annotations

from fractions import Fraction
from math import ceil, floor, isqrt

from ._base import CostModel, TokenCost, ceil_div, check_size, fit_within
from ._rules import PatchLimit, PatchRule, TileRule

__all__ = ["OpenAIPatchModel", "OpenAITileModel"]


class OpenAITileModel(CostModel):
    """512-px tiles: ``low`` = base; ``high``/``auto`` = 2048 fit, short side 768, base + per-tile x tiles.

    ``low`` bills the base whatever the size; the doc says the model gets "a 512x512 version"
    without saying how it is made, so the billed size reported for ``low`` is the aspect-preserving
    downscale to a 512-px short side, which holds every pixel a fit, a crop or a squash would keep.
    """

    provider = "openai"
    details = ("low", "high", "auto")

    def __init__(self, rule: TileRule) -> None:
        self.rule = rule
        self.family = rule.family
        self.models = rule.models
        self.grid = rule.tile

    def cost(self, width: int, height: int, detail: str | None = None) -> TokenCost:
        w, h = check_size(width, height)
        level = self.normalize_detail(detail)
        r = self.rule
        if level == "low":
            bw, bh = _short_side_at_most(w, h, 512)
            return TokenCost(r.base, bw, bh, "low")
        bw, bh = self.high_size(w, h)
        tiles = ceil_div(bw, r.tile) * ceil_div(bh, r.tile)
        return TokenCost(r.base + r.per_tile * tiles, bw, bh, "high")

    def high_size(self, width: int, height: int) -> tuple[int, int]:
        """Size after the ``high`` pre-scaling: fit 2048x2048, then shortest side to 768 (round down)."""
        w, h = fit_within(width, height, self.rule.long_fit)
        return _short_side_at_most(w, h, self.rule.short_side)

    def grid_for(self, width: int, height: int, detail: str | None = None) -> int:
        return 0 if self.normalize_detail(detail) == "low" else self.rule.tile

    def lossless_detail(self, width: int, height: int, detail: str | None = None) -> str | None:
        """``low`` for an image that fits in 512x512: "a 512x512 version" of it is all of it, however
        it is made, for the base tokens instead of base + one tile (gpt-4o: 85 instead of 255)."""
        if self.normalize_detail(detail) == "low" or width > 512 or height > 512:
            return None
        return "low" if self.tokens(width, height, "low") < self.tokens(width, height, detail) else None


class OpenAIPatchModel(CostModel):
    """32-px patches: fit the level's max side, apply its patch budget, tokens = ceil(patches x m).

    A level with no budget (gpt-5.6 ``original``) is never resized below its 65,535-px fit; above
    30,000 patches the provider rejects the image, which :attr:`TokenCost.rejected` reports.
    """

    provider = "openai"

    def __init__(self, rule: PatchRule) -> None:
        self.rule = rule
        self.family = rule.family
        self.models = rule.models
        self.grid = rule.patch
        self._levels: dict[str, PatchLimit] = dict(rule.levels)
        self.details = (*self._levels, "auto")
        self._multiplier = Fraction(rule.multiplier)

    def cost(self, width: int, height: int, detail: str | None = None) -> TokenCost:
        w, h = check_size(width, height)
        level = self.normalize_detail(detail)
        if level is None or level == "auto":
            level = self.rule.auto
        limit = self._levels[level]
        bw, bh = self.resize(w, h, limit)
        p = self.rule.patch
        patches = ceil_div(bw, p) * ceil_div(bh, p)
        tokens = ceil(patches * self._multiplier)
        rejected = limit.reject_above is not None and patches > limit.reject_above
        return TokenCost(tokens, bw, bh, level, rejected=rejected)

    def resize(self, width: int, height: int, limit: PatchLimit) -> tuple[int, int]:
        """Fit within ``limit.max_side``, then shrink to the patch budget (exact arithmetic).

        The doc's ``floor(w*s/32)`` with ``s = sqrt(32^2*budget/(w*h))`` equals
        ``floor(sqrt(budget*w/h))``, computed here with integer square roots so that sizes on
        a patch boundary do not lose a pixel to float rounding.
        """
        w, h = fit_within(width, height, limit.max_side)
        p = self.rule.patch
        budget = limit.budget
        if budget is None or ceil_div(w, p) * ceil_div(h, p) <= budget:
            return w, h
        cols = isqrt(budget * w // h)
        rows = isqrt(budget * h // w)
        scale = min(Fraction(cols * p, w), Fraction(rows * p, h))
        return max(1, floor(w * scale)), max(1, floor(h * scale))


def _short_side_at_most(width: int, height: int, short: int) -> tuple[int, int]:
    """Scale so the shortest side is ``short`` when it is longer (other side rounded down)."""
    if min(width, height) <= short:
        return width, height
    if width <= height:
        return short, max(1, height * short // width)
    return max(1, width * short // height), short
