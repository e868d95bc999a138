"""Image clean-up before OCR (numpy; scipy when installed). No I/O.

- :func:`estimate_line_height`: text line height from the ink rows, to pick an upscale factor.
- :func:`remove_dot_leaders`: erase rows of evenly spaced dots (tables of contents, price lists,
  forms: ``Introduction ........ 1``). Tesseract reads leaders as ``eee cece 0c`` and, worse, its
  layout analysis then drops whole entries; with the dots erased it reads the entry and the number.
- :func:`normalise_background`: divide an image by its local background, so that text on grey
  panels (a dialog's list or table, a sidebar) becomes text on white. Tesseract binarises a page
  with one global threshold; on a GTK dialog with a white title bar, a light window and a grey list
  it put the list below the threshold and read none of its rows.
"""

from __future__ import annotations

import importlib.util
import logging
import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "BACKGROUND_MIN_STEP",
    "BACKGROUND_MIN_UNEVEN",
    "LEADER_MAX_DOT_HEIGHTS",
    "LEADER_MIN_DOTS",
    "estimate_line_height",
    "normalise_background",
    "remove_dot_leaders",
]

logger = logging.getLogger(__name__)

LEADER_MIN_DOTS = 5
"""A leader is at least this many dots in a row, evenly spaced."""
LEADER_MAX_DOT_HEIGHTS = 0.25
"""A leader dot is at most this many (estimated) line heights high and wide."""
BACKGROUND_MIN_STEP = 20
"""A background is uneven where it is at least this many grey levels darker than the page's."""
BACKGROUND_MIN_UNEVEN = 0.03
"""... over at least this fraction of the image (below it the image is one even page)."""


def _dark_mask(gray: np.ndarray, delta: int = 60) -> np.ndarray:
    """Ink pixels: ``delta`` darker than the page (or lighter, for light text on a dark page)."""
    import numpy as np

    g = gray.astype(np.int16)
    light = int(np.percentile(g, 90))
    result: np.ndarray = g < light - delta if light >= 80 else g > light + delta
    return result


def estimate_line_height(gray: np.ndarray) -> float | None:
    """Median height in pixels of the runs of rows that hold ink, or None when there are none.

    A cheap stand-in for text height: rows whose dark-pixel count is above a small floor form runs
    (one per text line on a page); runs taller than 1/8 of the image and 120 px (pictures) are ignored.
    """
    if gray.size == 0:
        return None
    per_row = _dark_mask(gray).sum(axis=1)
    floor = max(1, int(0.002 * gray.shape[1]))
    ink = per_row >= floor
    runs: list[int] = []
    start = -1
    for y, on in enumerate(ink.tolist()):
        if on and start < 0:
            start = y
        elif not on and start >= 0:
            runs.append(y - start)
            start = -1
    if start >= 0:
        runs.append(len(ink) - start)
    runs = [r for r in runs if 3 <= r <= max(gray.shape[0] / 8, 120)]
    if len(runs) < 2:
        return None
    return float(statistics.median(runs))


def remove_dot_leaders(gray: np.ndarray, line_height: float | None = None) -> tuple[np.ndarray, int]:
    """A copy of ``gray`` with dot leaders painted over in the background colour, and how many dots.

    A leader is at least ``LEADER_MIN_DOTS`` blobs of the same size (at most
    ``LEADER_MAX_DOT_HEIGHTS`` line heights a side) at the same height, at an even pitch (within
    20 %) shorter than a line height. Single full stops,
    decimal points and ``...`` are left alone. Needs scipy (for connected components); without it
    the image is returned unchanged.
    """
    if importlib.util.find_spec("scipy") is None:
        return gray, 0
    import numpy as np
    from scipy import ndimage

    line_h = line_height or estimate_line_height(gray) or 16.0
    max_dot = max(2, round(LEADER_MAX_DOT_HEIGHTS * line_h))
    ink = _dark_mask(gray)
    labels, count = ndimage.label(ink)
    if count == 0:
        return gray, 0
    dots: list[_Dot] = []
    for idx, sl in enumerate(ndimage.find_objects(labels), 1):
        if sl is None:
            continue
        ys, xs = sl
        h, w = ys.stop - ys.start, xs.stop - xs.start
        if h <= max_dot and w <= max_dot and h * 2 >= w and w * 2 >= h:
            dots.append(_Dot((ys.start + ys.stop) / 2, (xs.start + xs.stop) / 2, h, w, idx))
    if len(dots) < LEADER_MIN_DOTS:
        return gray, 0
    # Rows: dots whose centres are at the same height (compared with the row's first dot, no drift).
    tol_y = max(1.0, 0.1 * line_h)
    rows: list[list[_Dot]] = []
    for dot in sorted(dots, key=lambda d: d.cy):
        for row in rows[-8:]:
            if abs(row[0].cy - dot.cy) <= tol_y:
                row.append(dot)
                break
        else:
            rows.append([dot])
    erase: set[int] = set()
    for row in rows:
        row.sort(key=lambda d: d.cx)
        chain: list[_Dot] = []
        for dot in row:
            if chain and _continues(chain, dot, line_h):
                chain.append(dot)
                continue
            if len(chain) >= LEADER_MIN_DOTS:
                erase.update(d.label for d in chain)
            chain = [dot]
        if len(chain) >= LEADER_MIN_DOTS:
            erase.update(d.label for d in chain)
    if not erase:
        return gray, 0
    background = np.uint8(np.median(gray))
    out = gray.copy()
    mask = np.isin(labels, np.asarray(sorted(erase)))
    out[ndimage.binary_dilation(mask, iterations=1)] = background
    logger.debug("erased %d leader dots", len(erase))
    return out, len(erase)


def normalise_background(gray: np.ndarray, line_height: float | None = None) -> np.ndarray | None:
    """``gray`` divided by its local background (dark text on light panels of any shade becomes
    dark text on white), or ``None`` when that would change nothing worth a second read.

    The background is a grey closing (the text is thinner than the window, so it is closed over)
    of about two line heights, smoothed. ``None``: the background is even (less than
    :data:`BACKGROUND_MIN_UNEVEN` of the image at least :data:`BACKGROUND_MIN_STEP` levels darker
    than the page: a plain page or a chart), the image is mostly dark (light text on dark is left
    to tesseract, which inverts it), or scipy is missing.
    """
    if importlib.util.find_spec("scipy") is None or gray.size == 0:
        return None
    import numpy as np
    from PIL import Image
    from scipy import ndimage

    if float(np.median(gray)) < 128:
        return None
    line_h = line_height or estimate_line_height(gray) or 16.0
    window = max(15, round(2 * line_h))
    # The background is smooth: estimate it on every step-th pixel (a window of about 8 there).
    step = max(1, window // 8)
    small = gray[::step, ::step].astype(np.float32)
    size = max(3, round(window / step)) | 1
    background = ndimage.uniform_filter(ndimage.grey_closing(small, size=(size, size)), size=size)
    page = float(np.percentile(background, 95))
    uneven = float(np.mean(background < page - BACKGROUND_MIN_STEP))
    if uneven < BACKGROUND_MIN_UNEVEN:
        return None
    height, width = gray.shape[:2]
    full = np.asarray(Image.fromarray(background, "F").resize((width, height), Image.Resampling.BILINEAR))
    ratio = gray.astype(np.float32) * (255.0 / np.maximum(full, 1.0))
    out: np.ndarray = np.clip(ratio, 0, 255).astype(np.uint8)
    logger.debug("background normalised (%.0f%% of the image darker than the page)", 100 * uneven)
    return out


@dataclass(frozen=True, slots=True)
class _Dot:
    cy: float
    cx: float
    h: int
    w: int
    label: int


def _continues(chain: list[_Dot], dot: _Dot, line_h: float) -> bool:
    """True when ``dot`` extends the evenly spaced run of same-size dots ``chain``."""
    first = chain[0]
    if abs(dot.h - first.h) > 1 or abs(dot.w - first.w) > 1:
        return False
    gap = dot.cx - chain[-1].cx
    if gap < 1.5 * first.w or gap > 0.8 * line_h:
        return False
    if len(chain) == 1:
        return True
    pitch = chain[1].cx - first.cx
    return abs(gap - pitch) <= max(1.5, 0.2 * pitch)


def has_columns(gray: np.ndarray, line_height: float | None = None) -> bool:
    """True when the image holds text columns side by side (a tall, clean vertical gutter).

    A gutter is a band of x, at least ``0.8`` line heights wide and with at least 20 % of the text
    beside it on each side (a column of section numbers or page numbers is not a text column), that
    no ink crosses over a height of at least ``max(4 line heights, 20 % of the ink
    height)``, with ink on both sides in at least a third of those rows. Rivers in justified text
    are far narrower; a code block beside nothing has no ink on its right.
    """
    import numpy as np

    line_h = line_height or estimate_line_height(gray) or 16.0
    ink = _dark_mask(gray, delta=25)  # faint marks (leader dots, rules) interrupt a gutter too
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    if rows.size == 0 or cols.size == 0:
        return False
    top, bottom, left, right = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
    box = ink[top:bottom, left:right]
    height, width = box.shape
    need = max(4.0 * line_h, 0.2 * height)
    min_width = max(3, round(0.8 * line_h))
    if width < 3 * min_width or height < need:
        return False
    # Longest vertical run of empty rows per x, and where it ends.
    run = np.zeros(width, dtype=np.int32)
    best = np.zeros(width, dtype=np.int32)
    best_end = np.zeros(width, dtype=np.int32)
    for y in range(height):
        run = np.where(box[y], 0, run + 1)
        better = run > best
        best = np.where(better, run, best)
        best_end = np.where(better, y + 1, best_end)
    candidate = best >= need
    x = 0
    while x < width:
        if not candidate[x]:
            x += 1
            continue
        start = x
        while x < width and candidate[x]:
            x += 1
        if x - start < min_width:
            continue
        mid = (start + x) // 2
        y1 = int(best_end[mid])
        y0 = y1 - int(best[mid])
        band = box[y0:y1]
        band_cols = np.flatnonzero(band.any(axis=0))
        if band_cols.size == 0:
            continue
        span = int(band_cols[-1]) + 1 - int(band_cols[0])
        if start - int(band_cols[0]) < 0.2 * span or int(band_cols[-1]) + 1 - x < 0.2 * span:
            continue
        left_rows = band[:, :start].any(axis=1).mean()
        right_rows = band[:, x:].any(axis=1).mean()
        if left_rows >= 1 / 3 and right_rows >= 1 / 3:
            return True
    return False
