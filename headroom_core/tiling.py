"""Tile alignment: the cheapest size to send an image at, within a stated pixel loss.

Two steps, both pure arithmetic on a :class:`~headroom_core.costs.CostModel`:

1. ``lossless``: do the provider's own downscale client side. The target is the size the
   provider bills (``TokenCost.billed_size``), kept only if it bills exactly the same tokens
   and is its own billed size. Same tokens, fewer bytes, no pixel the provider keeps is lost.
2. ``bounded``: from there, drop *thin* partial tile/patch rows and columns (at most half
   filled: below that a drop saves a larger share of tokens than of pixels) by a uniform
   downscale, each side keeping at least ``1 - max_downscale`` of the billed size. Drops may
   chain (dropping a column can thin the last row); only results with no droppable thin row or
   column left are accepted, which makes :func:`align` idempotent. Among them the fewest tokens
   win, ties going to the most pixels kept; when none exists the lossless size is kept.

Never upscales, never raises the token count. Size-independent rules (Gemini levels and
Gemini 3, OpenAI tile ``low``) and area rules (Claude legacy) have no grid, so ``bounded``
does what ``lossless`` does for them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ._exceptions import ConfigurationError
from .costs import CostModel

__all__ = ["MODES", "THIN_FILL", "Alignment", "align"]

logger = logging.getLogger(__name__)

MODES: tuple[str, ...] = ("lossless", "bounded", "off")
#: A partial last row/column filled at most this much (fraction of the grid) may be dropped.
THIN_FILL = 0.5
_EPS = 1e-9

Size = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Alignment:
    """Where :func:`align` would send an image, and what that changes.

    ``pixels_kept`` is the fraction of the pixels the provider itself would have looked at that
    the target keeps: billed area of the target / billed area of the original, capped at 1.0.
    """

    original_size: Size
    target_size: Size
    tokens_before: int
    tokens_after: int
    pixels_kept: float
    resized: bool
    mode: str
    reason: str

    @property
    def tokens_saved(self) -> int:
        return self.tokens_before - self.tokens_after


def align(
    width: int,
    height: int,
    model: CostModel,
    detail: str | None = None,
    mode: str = "bounded",
    max_downscale: float = 0.125,
) -> Alignment:
    """The size to send a ``width`` x ``height`` image at to ``model`` with ``detail``.

    ``mode``: ``"lossless"``, ``"bounded"`` (default) or ``"off"``. ``max_downscale`` is the
    largest linear fraction ``bounded`` may remove from each side of the billed size
    (0.125: each side keeps at least 87.5 %, the area at least 76.6 %).
    Raises :class:`ConfigurationError` for a bad mode, bound or size.
    """
    if mode not in MODES:
        raise ConfigurationError(f"alignment mode {mode!r} is not one of {', '.join(MODES)}")
    if isinstance(max_downscale, bool) or not isinstance(max_downscale, int | float):
        raise ConfigurationError(f"max_downscale must be a number, got {max_downscale!r}")
    if not 0.0 <= max_downscale < 1.0:
        raise ConfigurationError(f"max_downscale must be in [0, 1), got {max_downscale!r}")
    before = model.cost(width, height, detail)
    original: Size = (int(width), int(height))
    billed_area = before.billed_width * before.billed_height

    def result(target: Size, tokens: int, reason: str) -> Alignment:
        kept_billed = model.cost(*target, detail).billed_size
        kept = min(1.0, kept_billed[0] * kept_billed[1] / billed_area)
        if before.rejected:
            reason += "; the provider rejects this image at this size"
        return Alignment(original, target, before.tokens, tokens, kept, target != original, mode, reason)

    if mode == "off":
        return result(original, before.tokens, "alignment off")

    base, reason = _lossless(original, before.tokens, before.billed_size, model, detail)
    if mode == "lossless":
        return result(base, before.tokens, reason)

    if model.cost(*base, detail).billed_size != base:
        return result(base, before.tokens, reason + "; no bounded step on a size the provider resizes")
    target, tokens = _bounded(base, before.tokens, model, detail, max_downscale)
    if target == base:
        why = f"no thin partial tile/patch row or column to drop within {max_downscale:.1%}"
        return result(base, before.tokens, f"{reason}; {why}")
    grid = model.grid_for(*base, detail)
    why = (
        f"dropped thin partial {grid}-px rows/columns: {base[0]}x{base[1]} -> {target[0]}x{target[1]}, "
        f"{before.tokens} -> {tokens} tokens"
    )
    return result(target, tokens, why)


def _lossless(
    original: Size, tokens: int, billed: Size, model: CostModel, detail: str | None
) -> tuple[Size, str]:
    if billed == original:
        return original, "already at the provider's billed size"
    if billed[0] > original[0] or billed[1] > original[1]:
        return original, "provider size is not a downscale; kept"
    check = model.cost(*billed, detail)
    if check.tokens != tokens or check.billed_size != billed:
        logger.debug(
            "%s: billed size %s of %s does not reproduce its cost; kept", model.family, billed, original
        )
        return original, "provider resize not reproducible client side; kept"
    return billed, (
        f"provider's own resize done client side: {original[0]}x{original[1]} -> "
        f"{billed[0]}x{billed[1]}, same {tokens} tokens"
    )


def _within(reference: Size, candidate: Size, max_downscale: float) -> bool:
    keep = 1.0 - max_downscale
    return all(c + _EPS >= r * keep for c, r in zip(candidate, reference, strict=True))


def _drops(size: Size, tokens: int, model: CostModel, detail: str | None, max_downscale: float) -> list[Size]:
    """Sizes one thin-row/column drop away from ``size``, within the bound of ``size``, that cost less."""
    grid = model.grid_for(*size, detail)
    if grid <= 0:
        return []
    out: list[Size] = []
    for axis in (0, 1):
        side, other = size[axis], size[1 - axis]
        full, partial = divmod(side, grid)
        if full == 0 or partial == 0 or partial > THIN_FILL * grid:
            continue
        new_side = full * grid
        new_other = max(1, other * new_side // side)
        candidate: Size = (new_side, new_other) if axis == 0 else (new_other, new_side)
        if _within(size, candidate, max_downscale) and model.tokens(*candidate, detail) < tokens:
            out.append(candidate)
    return out


def _bounded(
    base: Size, tokens: int, model: CostModel, detail: str | None, max_downscale: float
) -> tuple[Size, int]:
    """The best stable size reachable from ``base`` by thin drops within the bound of ``base``."""
    best: tuple[int, int, Size] | None = None  # (tokens, -area, size)
    seen: set[Size] = {base}
    frontier: list[tuple[Size, int]] = [(base, tokens)]
    while frontier:
        size, size_tokens = frontier.pop()
        nexts = _drops(size, size_tokens, model, detail, max_downscale)
        if not nexts:
            key = (size_tokens, -size[0] * size[1], size)
            if best is None or key < best:
                best = key
            continue
        for candidate in nexts:
            if candidate in seen or not _within(base, candidate, max_downscale):
                continue
            seen.add(candidate)
            frontier.append((candidate, model.tokens(*candidate, detail)))
    if best is None:
        return base, tokens
    return best[2], best[0]
