"""Gemini cost model: fixed tokens per ``media_resolution`` level, or the 1.5/2.x tile rule."""

from __future__ import annotations

from fractions import Fraction
from math import ceil

from ._base import CostModel, TokenCost, check_size
from ._rules import GeminiRule

__all__ = ["GeminiModel"]

_PREFIX = "media_resolution_"


class GeminiModel(CostModel):
    """Gemini image tokens.

    Levels (``low``/``medium``/``high``/``ultra_high``) bill a fixed number of tokens whatever the
    size (Gemini 2.5: 64/256/256; Gemini 3: 280/560/1120/2240). With no level, Gemini 3 bills
    ``high`` and Gemini 1.5/2.x use the tile rule, the best public description (the 2.0 "count
    tokens" doc plus the Vertex text on tile size): both sides <= 384 px -> 258 tokens, else tiles
    of side clamp(min(w, h) / 1.5, 256, 768), 258 tokens each. Calibrate with ``countTokens``.
    No provider resize is documented, so the billed size is the image's own size.
    ``media_resolution_*`` spellings are accepted as ``detail``; ``unspecified`` means omitted.
    """

    provider = "google"

    def __init__(self, rule: GeminiRule) -> None:
        self.rule = rule
        self.family = rule.family
        self.models = rule.models
        self._levels: dict[str, int] = dict(rule.levels)
        self.details = tuple(self._levels)
        self.grid = 0 if rule.omitted is not None else rule.max_tile

    def normalize_detail(self, detail: str | None) -> str | None:
        if detail is None:
            return None
        value = str(detail).strip().lower()
        value = value.removeprefix(_PREFIX)
        if value == "unspecified":
            return None
        return super().normalize_detail(value)

    def cost(self, width: int, height: int, detail: str | None = None) -> TokenCost:
        w, h = check_size(width, height)
        level = self.normalize_detail(detail)
        if level is not None:
            return TokenCost(self._levels[level], w, h, level)
        if self.rule.omitted is not None:
            return TokenCost(self.rule.omitted, w, h, self.rule.omitted_level)
        return TokenCost(self.rule.tile_tokens * self.tile_count(w, h), w, h, None)

    def tile_side(self, width: int, height: int) -> Fraction:
        r = self.rule
        side = Fraction(min(width, height) * 2, 3)
        return min(max(side, Fraction(r.min_tile)), Fraction(r.max_tile))

    def tile_count(self, width: int, height: int) -> int:
        if width <= self.rule.small_side and height <= self.rule.small_side:
            return 1
        side = self.tile_side(width, height)
        return ceil(width / side) * ceil(height / side)

    def grid_for(self, width: int, height: int, detail: str | None = None) -> int:
        """Tile side where it is clamped (256 or 768 px); 0 where it scales with the image."""
        if self.normalize_detail(detail) is not None or self.rule.omitted is not None:
            return 0
        if width <= self.rule.small_side and height <= self.rule.small_side:
            return 0
        side = self.tile_side(width, height)
        if side.denominator == 1 and side in (self.rule.min_tile, self.rule.max_tile):
            return int(side)
        return 0
