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

3. ``pad`` (opt-in, any mode but ``off``): where a provider bills an image at its own size by
   tiles whose side follows its shorter side (Gemini 1.5/2.x: a 1280x800 screenshot is 3x2 tiles
   of 533 px, 1548 tokens; padded to 1280x960 it is 2x2 tiles of 640 px, 1032), the image is
   placed on a larger canvas of its background colour (:attr:`Alignment.canvas_size`), its
   shorter side grown at most to a square, when that is billed fewer tokens. No pixel is lost and
   none is scaled; providers that resize (OpenAI, Claude) bill a larger canvas no less, so it is
   never chosen for them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from ._exceptions import ConfigurationError
from .costs import CostModel

__all__ = ["MODES", "PAD_SEARCH_STEPS", "THIN_FILL", "Alignment", "align", "pad_canvas"]

logger = logging.getLogger(__name__)

MODES: tuple[str, ...] = ("lossless", "bounded", "off")
#: A partial last row/column filled at most this much (fraction of the grid) may be dropped.
THIN_FILL = 0.5
#: Step 3 searches the canvas's grown side in this many steps, then to the pixel.
PAD_SEARCH_STEPS = 128
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
    #: Step 3: the canvas the (resized) image is placed on, at its top left, in its background
    #: colour; ``tokens_after`` is the canvas's cost. ``None``: sent at ``target_size``.
    canvas_size: Size | None = None

    @property
    def tokens_saved(self) -> int:
        return self.tokens_before - self.tokens_after

    @property
    def padded(self) -> bool:
        return self.canvas_size is not None

    @property
    def sent_size(self) -> Size:
        """The size of the image sent: the canvas when padded, else the target."""
        return self.canvas_size or self.target_size


def align(
    width: int,
    height: int,
    model: CostModel,
    detail: str | None = None,
    mode: str = "bounded",
    max_downscale: float = 0.125,
    *,
    pad: bool = False,
) -> Alignment:
    """The size to send a ``width`` x ``height`` image at to ``model`` with ``detail``.

    ``mode``: ``"lossless"``, ``"bounded"`` (default) or ``"off"``. ``max_downscale`` is the
    largest linear fraction ``bounded`` may remove from each side of the billed size
    (0.125: each side keeps at least 87.5 %, the area at least 76.6 %). ``pad``: also try step 3
    (a larger canvas the provider bills fewer tokens for); the caller must then send
    :attr:`Alignment.sent_size`.
    Raises :class:`ConfigurationError` for a bad mode, bound or size.
    """
    plan = _align(width, height, model, detail, mode, max_downscale)
    if not pad or mode == "off":
        return plan
    canvas = pad_canvas(*plan.target_size, model, detail)
    if canvas is None:
        return plan
    tokens = model.tokens(*canvas, detail)
    why = f"; padded to {canvas[0]}x{canvas[1]} (no pixel lost or scaled): {plan.tokens_after} -> {tokens}"
    return replace(plan, tokens_after=tokens, canvas_size=canvas, reason=plan.reason + why)


def pad_canvas(width: int, height: int, model: CostModel, detail: str | None = None) -> Size | None:
    """The canvas holding a ``width`` x ``height`` image, its shorter side grown (at most to a
    square), that ``model`` bills at its own size for the fewest tokens, fewer than the image's
    (step 3), the smallest such; ``None`` when there is none."""
    base = model.cost(width, height, detail)
    if base.billed_size != (width, height) or width == height:
        return None
    axis = 0 if width < height else 1
    side, top = min(width, height), max(width, height)

    def sized(grown: int) -> Size:
        return (grown, height) if axis == 0 else (width, grown)

    def cheaper(grown: int) -> int | None:
        cost = model.cost(*sized(grown), detail)
        return cost.tokens if cost.tokens < base.tokens and cost.billed_size == sized(grown) else None

    step = max(1, (top - side) // PAD_SEARCH_STEPS)
    found = [(t, g) for g in [*range(side + step, top, step), top] if (t := cheaper(g))]
    if not found:
        return None
    fewest = min(t for t, _ in found)
    coarse = min(g for t, g in found if t == fewest)
    return sized(next(g for g in range(max(side + 1, coarse - step + 1), coarse + 1) if cheaper(g) == fewest))


def _align(
    width: int,
    height: int,
    model: CostModel,
    detail: str | None,
    mode: str,
    max_downscale: float,
) -> Alignment:
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
