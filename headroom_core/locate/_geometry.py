"""Box arithmetic for the locator: unions, overlaps, gaps and row bands. Pure functions."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence

from ..types import Box

__all__ = [
    "center",
    "h_gap",
    "h_overlap",
    "median_height",
    "row_bands",
    "same_band",
    "union_all",
    "v_gap",
    "v_overlap",
]


def union_all(boxes: Iterable[Box]) -> Box | None:
    """The smallest box holding every box, or ``None`` for none."""
    out: Box | None = None
    for b in boxes:
        out = b if out is None else out.union(b)
    return out


def center(box: Box) -> tuple[float, float]:
    return ((box.left + box.right) / 2.0, (box.top + box.bottom) / 2.0)


def center_inside(inner: Box, outer: Box) -> bool:
    """Whether the centre of ``inner`` lies in ``outer`` (edges included)."""
    return outer.contains_centre(inner)


def v_overlap(a: Box, b: Box) -> float:
    """Vertical overlap as a fraction of the smaller height (0..1)."""
    inter = min(a.bottom, b.bottom) - max(a.top, b.top)
    smaller = max(1, min(a.height, b.height))
    return max(0.0, inter / smaller)


def h_overlap(a: Box, b: Box) -> float:
    """Horizontal overlap as a fraction of the narrower width (0..1)."""
    inter = min(a.right, b.right) - max(a.left, b.left)
    smaller = max(1, min(a.width, b.width))
    return max(0.0, inter / smaller)


def same_band(a: Box, b: Box, frac: float = 0.5) -> bool:
    """True when ``a`` and ``b`` share a text row (vertical overlap >= ``frac`` of the smaller height)."""
    return v_overlap(a, b) >= frac


def h_gap(a: Box, b: Box) -> int:
    """Horizontal distance between ``a`` and ``b`` (0 when they overlap in x)."""
    return max(0, max(a.left, b.left) - min(a.right, b.right))


def v_gap(a: Box, b: Box) -> int:
    """Vertical distance between ``a`` and ``b`` (0 when they overlap in y)."""
    return max(0, max(a.top, b.top) - min(a.bottom, b.bottom))


def median_height(boxes: Sequence[Box], default: float = 12.0) -> float:
    heights = [b.height for b in boxes if b.height > 0]
    return float(statistics.median(heights)) if heights else default


def row_bands(boxes: Sequence[Box], frac: float = 0.5) -> list[list[int]]:
    """Indices of ``boxes`` grouped into text rows, top to bottom; each row left to right.

    A box joins the row whose vertical extent it overlaps by at least ``frac`` of the smaller height.
    """
    order = sorted(range(len(boxes)), key=lambda i: (boxes[i].top, boxes[i].left))
    rows: list[tuple[Box, list[int]]] = []
    for i in order:
        b = boxes[i]
        for k in range(len(rows) - 1, max(-1, len(rows) - 4), -1):
            extent, members = rows[k]
            if v_overlap(extent, b) >= frac and abs(b.height - extent.height) <= max(b.height, extent.height):
                members.append(i)
                rows[k] = (extent.union(b), members)
                break
        else:
            rows.append((b, [i]))
    out = [sorted(m, key=lambda i: boxes[i].left) for _, m in rows]
    out.sort(key=lambda m: min(boxes[i].top for i in m))
    return out
