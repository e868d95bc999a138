"""Spatial path of the locator: a place named by the question, resolved against the page's layout.

The layout is what is already known about the image: the text line boxes (the analyzer's
``signals.text_lines``, or OCR lines when OCR ran) and **content blocks**: connected regions of
non-background pixels on a coarse grid (a card, a logo, a paragraph, a coloured sidebar), computed
here from the pixels in a few milliseconds. A cue is resolved to layout elements where they say
better than a fixed part of the page:

- corner: the cluster of elements nearest the named corner (seeded by the nearest one, grown by
  elements within a gap of about a text line);
- header / footer: the topmost / bottommost band of elements, cut at the first clear vertical gap;
- title: the largest text near the top (or the topmost line when no text stands out), unless that
  text sits wholly in the right third (a chart's key heading) under a line crossing the middle that is
  nearly as tall; with the top band too when the question also says "at the top" and a running
  header sits above that text;
- legend: text lines with a colour sample beside them (a solid swatch, a bar, a marker, or a thin
  solid or dashed line), on the left or, as in gnuplot's right-justified key, on the right of the
  text, stacked or in a row; entries the detector missed are found from their samples in the
  stack's sample column;
- left / right / middle column, sidebar: a tall narrow block against the side, else the text lines
  on that side of a vertical gutter;
- nth / last row: the nth band of text lines (of the table rows when the page has a table and the
  question says "row", not "line"); the last comes with the row before it (a page number or a footer
  may be what sits last) and, for a line, with the rows ending within a few line heights above it
  (another column, such as a body beside a longer sidebar, may end just above); after the nth table
  row the next is included, since people count a table's header row or not; with a column named
  ("the first item of the sidebar", "the last line of the left column"), counted among the
  column's own lines (not a breadcrumb bridging it or a heading its box took in), an item with the
  next two rows (a heading above the list may count or not; an item may wrap);
- axis label: for x, the text line centred under the tick-label row (a row of short lines), or,
  with no tick row detected, the lowest line when it is alone in its row, wide and centred; for y,
  the text left of the tick-label column, or a rotated (tall, narrow) label at the far left. Never a
  fixed part of the page: a wrong band would lose the label;
- half, centre: the elements inside that part of the page.

Only when no element is there does a cue fall back to the fixed part of the page, with the lowest
confidence (``FIXED_CONFIDENCE``).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from .._imageio import true_runs
from ..types import Box
from ._geometry import (
    center,
    center_inside,
    h_gap,
    h_overlap,
    median_height,
    row_bands,
    same_band,
    union_all,
    v_gap,
)
from ._query import SpatialCue

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["FIXED_CONFIDENCE", "Layout", "SpatialRegion", "content_blocks", "locate_spatial"]

#: Confidence of a fixed part of the page (no layout element found there).
FIXED_CONFIDENCE = 0.5
#: Confidence of a part of the page refined to the layout elements inside it.
REFINED_CONFIDENCE = 0.66
#: Confidence of a layout element that matches the cue's description.
LAYOUT_CONFIDENCE = 0.74

#: Content blocks: grid cells per long side, colour distance (0..255) from the background.
BLOCK_GRID = 160
BLOCK_MIN_DIFF = 30
#: Pixels a box may stick out of another and still count as inside it (detector boxes are ragged).
CONTAIN_SLACK = 2
#: A legend sample is coloured: max - min channel at least this far apart.
SWATCH_MIN_CHROMA = 60
#: A blob sample (a square, a bar, a point marker) is filled at least this much and at most this many
#: line heights wide (gnuplot's histogram bars are about 3.5).
SWATCH_MIN_FILL = 0.75
SWATCH_MAX_WIDTH_HEIGHTS = 4.0
#: A sample is looked for from this many line heights beyond the line's edge to this many into it
#: (a detector often takes the sample into the line); one outside ends this close to the line.
SAMPLE_OUTER_HEIGHTS = 5.5
SAMPLE_INNER_HEIGHTS = 5.0
SAMPLE_MAX_GAP_HEIGHTS = 1.5
#: A line sample (a line series): at most this many pixels thick, at least this many line heights
#: long; dashes join over gaps up to this many heights; at least this share of its columns hold
#: the line alone (markers may sit on the rest), and the line covers at least this share of its length
#: (dotted lines are sparse).
LINE_MAX_THICKNESS = 4
LINE_MIN_HEIGHTS = 1.5
LINE_DASH_GAP_HEIGHTS = 1.5
LINE_MIN_CLEAN = 0.6
LINE_MIN_COVER = 0.3
#: A line sample found in the sample column of a known legend may be shorter (one dash of a widely
#: dashed style): the column's alignment is evidence already.
LINE_MIN_HEIGHTS_STACKED = 1.0
#: Title: the topmost line at least this fraction as tall as the tallest line near the top (and clearly
#: taller than the page's median text): ink heights vary with the glyphs ("$509,996" vs "Sales").
TITLE_LARGE_FRACTION = 0.6
#: Title: a line wholly right of this fraction of the width is at the side (a chart's key), and a
#: title candidate crossing the middle third (between 1 - this and this) is preferred above it.
TITLE_SIDE_FRACTION = 2.0 / 3.0
#: Title: text on the title's row joins it (when at least 0.8 of its height) when its gap to the
#: title is at most this many title heights (an em dash the detector missed and the spaces around
#: it: "traceback — Print or retrieve a stack traceback", 2.25). Lowering the height share to 0.7
#: joined "SMTP Server" (23 px of ink) to "smtpd" (29 px with its descender), and the title's
#: smallest ink then put its low view under rule 2g's floor on a page OCR reads at that size.
TITLE_ROW_GAP = 3.0
#: Columns: on a page with at least this many text lines, one line may cross a gutter (a
#: breadcrumb over a sidebar and the page beside it); its members are still the lines wholly on
#: their side.
GUTTER_BRIDGE_MIN_LINES = 20
#: Consecutive table rows are at most this many row heights apart.
TABLE_ROW_GAP_HEIGHTS = 3.0
#: Legend entries stacked at most this many entry heights apart belong to one legend.
LEGEND_STACK_GAP = 3.0

#: Axis labels: tick labels are short (at most this many of their heights wide); a tick row has at
#: least ``AXIS_TICK_MIN`` of them; the x-axis label lies at most ``AXIS_LABEL_GAP_HEIGHTS`` line
#: heights below the tick row, its centre within ``AXIS_CENTRE_FRACTION`` of the row's width from the
#: row's centre (of the page's width when no tick row was detected; then it is the lowest line,
#: alone in its row, at least ``AXIS_LABEL_MIN_HEIGHTS`` of its heights wide). A rotated y-axis label
#: is at least ``AXIS_ROTATED_MIN_HEIGHTS`` line heights tall. The region gets a margin of
#: ``AXIS_MARGIN_HEIGHTS`` line heights.
AXIS_TICK_MAX_HEIGHTS = 5.0
AXIS_TICK_MIN = 3
AXIS_LABEL_GAP_HEIGHTS = 4.0
AXIS_CENTRE_FRACTION = 0.25
AXIS_LABEL_MIN_HEIGHTS = 3.0
AXIS_ROTATED_MIN_HEIGHTS = 2.5
AXIS_MARGIN_HEIGHTS = 0.6

#: Specificity order: the first cue that resolves wins; broader ones only confirm it.
_ORDER = ("legend", "axis", "title", "row", "header", "footer", "column", "corner", "center", "half")


@dataclass(frozen=True)
class Layout:
    """Layout elements of one image: text line boxes and content blocks, in image pixels."""

    width: int
    height: int
    lines: tuple[Box, ...]
    blocks: tuple[Box, ...]

    @property
    def line_height(self) -> float:
        return median_height(self.lines, default=max(8.0, self.height / 60.0))

    def elements(self, max_area_fraction: float = 0.5) -> list[Box]:
        """Lines and blocks, without page-sized blocks (panels, photos) and duplicates."""
        limit = max_area_fraction * self.width * self.height
        out = list(self.lines)
        for b in self.blocks:
            if b.area <= limit and not any(line.contains(b, slack=CONTAIN_SLACK) for line in self.lines):
                out.append(b)
        return out


@dataclass(frozen=True)
class SpatialRegion:
    """A region from the spatial path."""

    box: Box
    confidence: float
    evidence: str
    cue: SpatialCue


def _background(image: Image.Image) -> tuple[int, int, int]:
    """The most common (quantised) colour of the image border."""
    w, h = image.size
    strips = [(0, 0, w, 1), (0, h - 1, w, h), (0, 0, 1, h), (w - 1, 0, w, h)]
    border = np.concatenate(
        [np.asarray(image.crop(b), dtype=np.int32).reshape(-1, 3) for b in strips], axis=0
    )
    q = border // 8
    keys = (q[:, 0] << 10) | (q[:, 1] << 5) | q[:, 2]
    values, counts = np.unique(keys, return_counts=True)
    sel = border[keys == int(values[int(np.argmax(counts))])]
    r, g, b = (int(v) for v in np.median(sel, axis=0))
    return r, g, b


def content_blocks(image: Image.Image) -> tuple[Box, ...]:
    """Connected regions of non-background pixels, in image pixels.

    Pixels differing from the border's dominant colour by more than ``BLOCK_MIN_DIFF`` in any channel
    (measured at full resolution, so thin light strokes count) mark grid cells of about
    1/``BLOCK_GRID`` of the long side; the grid is dilated by one cell so letters, words and the lines
    of a paragraph join. The pixel work is done by Pillow in C; numpy only sees the small grid.
    """
    from PIL import Image as PILImage
    from PIL import ImageChops

    from ..analyzers._detector import connected_components

    width, height = image.size
    if width < 8 or height < 8:
        return ()
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    diff = ImageChops.difference(rgb, PILImage.new("RGB", rgb.size, _background(rgb)))
    r, g, b = diff.split()
    strongest = ImageChops.lighter(ImageChops.lighter(r, g), b)
    mask = strongest.point(lambda v: 255 if v > BLOCK_MIN_DIFF else 0)
    unit = max(2, math.ceil(max(width, height) / BLOCK_GRID))
    grid: npt.NDArray[np.bool_] = np.asarray(mask.reduce(unit), dtype=np.uint8) > 0
    dil = grid.copy()
    dil[1:] |= grid[:-1]
    dil[:-1] |= grid[1:]
    dil2 = dil.copy()
    dil2[:, 1:] |= dil[:, :-1]
    dil2[:, :-1] |= dil[:, 1:]
    comps = connected_components(dil2, connectivity=8)
    boxes: list[Box] = []
    for t, lf, bt, rt in zip(
        comps.top.tolist(), comps.left.tolist(), comps.bottom.tolist(), comps.right.tolist(), strict=True
    ):
        # Undo the dilation: the occupied cells inside the component's box.
        sub = grid[t:bt, lf:rt]
        if not sub.any():
            continue
        rows = np.flatnonzero(sub.any(axis=1))
        cols = np.flatnonzero(sub.any(axis=0))
        box = Box(
            (lf + int(cols[0])) * unit,
            (t + int(rows[0])) * unit,
            min(width, (lf + int(cols[-1]) + 1) * unit),
            min(height, (t + int(rows[-1]) + 1) * unit),
        )
        if box.width >= unit and box.height >= unit and (box.width > unit or box.height > unit):
            boxes.append(box)
    return tuple(boxes)


# --------------------------------------------------------------------------- resolvers


def _fixed(cue: SpatialCue, layout: Layout) -> SpatialRegion:
    x0, y0, x1, y1 = cue.region
    w, h = layout.width, layout.height
    box = Box(round(x0 * w), round(y0 * h), round(x1 * w), round(y1 * h))
    return SpatialRegion(box, FIXED_CONFIDENCE, f"the {_name(cue)} of the page (no layout found there)", cue)


def _name(cue: SpatialCue) -> str:
    if cue.kind == "corner":
        return f"{cue.side} corner"
    if cue.kind == "half":
        return f"{cue.side} part"
    if cue.kind == "column":
        return f"{cue.side} column" if cue.side != "center" else "middle column"
    return cue.kind


def _center_in(box: Box, region: tuple[float, float, float, float], w: int, h: int) -> bool:
    cx, cy = center(box)
    x0, y0, x1, y1 = region
    return x0 * w <= cx <= x1 * w and y0 * h <= cy <= y1 * h


def _corner(cue: SpatialCue, layout: Layout) -> SpatialRegion | None:
    w, h = layout.width, layout.height
    lh = layout.line_height
    cands = [
        b
        for b in layout.elements(0.3)
        if _center_in(b, cue.region, w, h) and b.width <= 0.75 * w and b.height <= 0.75 * h
    ]
    if not cands:
        return None
    ax = 0 if cue.side.endswith("left") else w
    ay = 0 if cue.side.startswith("top") else h

    def dist(b: Box) -> float:
        px = b.left if ax == 0 else b.right
        py = b.top if ay == 0 else b.bottom
        return math.hypot((px - ax) / w, (py - ay) / h)

    seed = min(cands, key=dist)
    cluster = seed
    members = 1
    grown = True
    while grown:
        grown = False
        for b in cands:
            if cluster.contains(b, slack=CONTAIN_SLACK):
                continue
            if (
                (h_overlap(cluster, b) > 0 or h_gap(cluster, b) <= 3.0 * lh)
                and v_gap(cluster, b) <= 1.2 * lh
                and (v_gap(cluster, b) > 0 or h_gap(cluster, b) <= 3.0 * lh)
            ):
                cluster = cluster.union(b)
                members += 1
                grown = True
    quadrant = (cue.region[2] - cue.region[0]) * w * (cue.region[3] - cue.region[1]) * h
    conf = LAYOUT_CONFIDENCE if cluster.area <= 0.5 * quadrant else REFINED_CONFIDENCE
    return SpatialRegion(
        cluster, conf, f"the {cue.side} corner block ({members} layout element{'s' * (members > 1)})", cue
    )


def _band(layout: Layout, from_top: bool) -> tuple[Box, int] | None:
    w, h = layout.width, layout.height
    lh = layout.line_height
    elems = [b for b in layout.elements(0.4) if b.height <= 0.35 * h]
    if not elems:
        return None
    elems.sort(key=lambda b: b.top if from_top else -b.bottom)
    first = elems[0]
    if (first.top > 0.3 * h) if from_top else (first.bottom < 0.7 * h):
        return None
    band = first
    count = 1
    for b in elems[1:]:
        gap = (b.top - band.bottom) if from_top else (band.top - b.bottom)
        if gap > 1.0 * lh and not (min(band.bottom, b.bottom) - max(band.top, b.top) > 0):
            break
        grown = band.union(b)
        if grown.height > 0.3 * h:
            break
        band = grown
        count += 1
    del w
    return band, count


def _header_footer(cue: SpatialCue, layout: Layout) -> SpatialRegion | None:
    found = _band(layout, cue.kind == "header")
    if found is None:
        return None
    box, count = found
    where = "top" if cue.kind == "header" else "bottom"
    return SpatialRegion(
        box,
        LAYOUT_CONFIDENCE,
        f"the {cue.kind}: the {where} band ({count} layout element{'s' * (count > 1)})",
        cue,
    )


def _at_side(box: Box, width: int) -> bool:
    """The line lies wholly right of ``TITLE_SIDE_FRACTION`` of the width (a key, a search box)."""
    return box.left >= TITLE_SIDE_FRACTION * width


def _centred_line_above(title: Box, lines: list[Box], width: int) -> Box | None:
    """A chart's key heading ("Rosenbrock(x,y)" over its entries) sits at the right edge and its
    brackets make its box taller than a title of the same font. When the chosen line lies wholly in
    the right third and a line nearly as tall crosses the middle third above it, that line is the
    title (the topmost such one)."""
    if not _at_side(title, width):
        return None
    centred = [
        b
        for b in lines
        if b.bottom <= title.top
        and b.left < TITLE_SIDE_FRACTION * width
        and b.right > (1.0 - TITLE_SIDE_FRACTION) * width
        and b.height >= TITLE_LARGE_FRACTION * title.height
    ]
    return min(centred, key=lambda b: (b.top, b.left)) if centred else None


def _title(cue: SpatialCue, layout: Layout) -> SpatialRegion | None:
    h = layout.height
    lines = [b for b in layout.lines if b.top < 0.4 * h and b.width >= 1.5 * b.height]
    if not lines:
        return None
    med = median_height(layout.lines)
    tallest = max(lines, key=lambda b: (b.height, -b.top))
    if tallest.height >= 1.25 * med:
        # The topmost of the large lines: a dashboard's big numbers are not its title.
        large = [b for b in lines if b.height >= max(TITLE_LARGE_FRACTION * tallest.height, 1.25 * med)]
        # A line wholly at the side (a page's search box, a chart's key) is no title when a taller
        # one stands across the middle: the page's heading under its top bar.
        central = [b for b in large if not _at_side(b, layout.width)]
        large = [b for b in large if b in central or all(c.height <= b.height for c in central)]
        title = min(large, key=lambda b: (b.top, b.left))
        conf, why = 0.78, "the topmost large text"
        above = _centred_line_above(title, lines, layout.width)
        if above is not None:
            title, conf, why = (
                above,
                0.7,
                "the topmost line across the centre; the larger text at the side looks like a key",
            )
    else:
        title = min(lines, key=lambda b: (b.top, b.left))
        if title.top > 0.25 * h:
            return None
        title, conf, why = title, 0.6, "the topmost text line"
    th = title.height
    box = title
    for b in sorted(layout.lines, key=lambda b: b.top):
        if b == title or b.height < 0.8 * th:
            continue
        same_row = min(box.bottom, b.bottom) - max(box.top, b.top) >= 0.5 * min(box.height, b.height)
        if (same_row and h_gap(box, b) <= TITLE_ROW_GAP * th) or (
            b.top >= box.bottom - 0.2 * th and v_gap(box, b) <= 0.8 * th and h_overlap(box, b) > 0
        ):
            box = box.union(b)
    return SpatialRegion(box, conf, f"the title ({why})", cue)


def _with_header_band(title: SpatialRegion, header: SpatialCue, layout: Layout) -> SpatialRegion:
    """ "The heading at the top of the page": a running header above the largest heading may be what
    is meant, so the top band comes too when it lies above the title."""
    band = _header_footer(header, layout)
    if band is None or band.box.bottom > title.box.top:
        return title
    return SpatialRegion(
        title.box.union(band.box),
        title.confidence,
        f"{title.evidence}, with the top band above it (the question also says where: '{header.phrase}')",
        title.cue,
    )


def _pixels(image: Image.Image, box: Box) -> npt.NDArray[np.int16]:
    return np.asarray(image.crop(box.as_tuple()), dtype=np.int16).reshape(box.height, box.width, 3)


def _any(mask: npt.NDArray[np.bool_], axis: int) -> npt.NDArray[np.bool_]:
    """``mask.any(axis)`` as an array (typed)."""
    return np.asarray(mask.any(axis=axis), dtype=bool)


def _blob(mask: npt.NDArray[np.bool_], start: int, stop: int, hh: int) -> tuple[int, int, int, int] | None:
    """The run of columns ``start:stop`` as a solid blob (a square, a bar, a point marker):
    ``(start, stop, top row, bottom row)``, or None."""
    rows = np.flatnonzero(mask[:, start:stop].any(axis=1))
    run_w, run_h = stop - start, int(rows[-1] - rows[0] + 1)
    if not (0.3 * hh <= run_w <= SWATCH_MAX_WIDTH_HEIGHTS * hh and 0.3 * hh <= run_h <= 1.6 * hh):
        return None
    if float(mask[rows[0] : rows[-1] + 1, start:stop].mean()) < SWATCH_MIN_FILL:
        return None
    return start, stop, int(rows[0]), int(rows[-1]) + 1


def _thin_line(
    mask: npt.NDArray[np.bool_], runs: list[tuple[int, int]], i: int, hh: int, min_len: float
) -> tuple[int, int, int, int] | None:
    """Runs from the ``i``-th on as a line sample: a straight horizontal line ``LINE_MAX_THICKNESS``
    px thick at most, solid or dashed (dashes joined over gaps up to ``LINE_DASH_GAP_HEIGHTS``),
    ``min_len`` line heights long at least, with markers allowed on a minority of its columns. Glyphs of
    coloured text do not line up on the same few rows, so text is no line."""
    start, stop = runs[i]
    if start == 0:
        return None  # runs in from beyond the zone: a curve, not a sample
    band = np.flatnonzero(mask[:, start:stop].mean(axis=1) >= 0.5)
    if band.size == 0 or band[-1] - band[0] + 1 > LINE_MAX_THICKNESS:
        return None
    r0, r1 = max(0, int(band[0]) - 1), int(band[-1]) + 2
    outside = _any(mask[:r0], 0) | _any(mask[r1:], 0)
    end = stop
    for s2, e2 in runs[i + 1 :]:
        if s2 - end > LINE_DASH_GAP_HEIGHTS * hh:
            break
        on_line = _any(mask[r0:r1, s2:e2], 0) & ~outside[s2:e2]
        if float(on_line.mean()) < LINE_MIN_CLEAN:
            break
        if e2 >= mask.shape[1]:
            return None  # the dashes run on to the end of the zone: not followed by a gap
        end = e2
    if end - start < min_len * hh:
        return None
    occupied = _any(mask[:, start:end], 0)
    clean = occupied & ~outside[start:end]
    if clean.sum() < LINE_MIN_CLEAN * occupied.sum() or occupied.mean() < LINE_MIN_COVER:
        return None
    return start, end, r0, min(mask.shape[0], r1)


def _samples_in(
    mask: npt.NDArray[np.bool_], hh: int, min_len: float = LINE_MIN_HEIGHTS
) -> Iterator[tuple[int, int, int, int]]:
    """Legend samples in ``mask`` (columns ordered from the outer end, away from the text), outer
    first: solid blobs or thin lines, each followed by a gap (a run reaching the inner end is coloured
    text or a graphic running on, not a sample). ``(start, stop, top, bottom)`` in mask coordinates."""
    runs = true_runs(_any(mask, 0))
    for i, (start, stop) in enumerate(runs):
        if stop >= mask.shape[1]:
            break
        found = _blob(mask, start, stop, hh) or _thin_line(mask, runs, i, hh, min_len)
        if found is not None:
            yield found


def _chromatic(pixels: npt.NDArray[np.int16]) -> npt.NDArray[np.bool_]:
    """Pixels coloured enough to be a legend sample (``SWATCH_MIN_CHROMA``)."""
    return (pixels.max(axis=2) - pixels.min(axis=2)) >= SWATCH_MIN_CHROMA


def _ink(pixels: npt.NDArray[np.int16], background: npt.NDArray[np.int16]) -> npt.NDArray[np.bool_]:
    """Pixels that differ from the background by more than ``BLOCK_MIN_DIFF`` in some channel."""
    return np.asarray(np.abs(pixels - background).max(axis=2) > BLOCK_MIN_DIFF, dtype=bool)


def _oriented_samples(
    mask: npt.NDArray[np.bool_], zone: Box, side: str, hh: int, min_len: float = LINE_MIN_HEIGHTS
) -> Iterator[Box]:
    """:func:`_samples_in` on ``mask`` (the pixels of ``zone``), the outer end being ``side``; in
    image pixels."""
    flip = side == "right"
    for start, stop, r0, r1 in _samples_in(mask[:, ::-1] if flip else mask, hh, min_len):
        x0, x1 = (zone.right - stop, zone.right - start) if flip else (zone.left + start, zone.left + stop)
        yield Box(x0, zone.top + r0, x1, zone.top + r1)


def _swatch(image: Image.Image, box: Box, side: str = "left", text_beside: bool = True) -> Box | None:
    """The colour sample of a legend entry on ``side`` of its text line, if there is one (image pixels).

    Looked for from ``SAMPLE_OUTER_HEIGHTS`` line heights beyond the line's edge to
    ``SAMPLE_INNER_HEIGHTS`` into it (a text detector often takes the sample into the line): the first
    runs of coloured columns from the outer end (the first that qualifies) must be a solid blob (a
    square, a bar, a marker) or a thin horizontal line (solid or dashed) and be followed by a gap, so
    coloured text is not taken for a sample; a sample outside the line ends within
    ``SAMPLE_MAX_GAP_HEIGHTS`` of it (the previous entry's sample in a row is too far), and the line
    keeps at least a line height of text beside the sample (unless ``text_beside`` is False: ``box``
    is then a probe where a sample may be).
    """
    width, height = image.size
    hh = max(4, box.height)
    inner = min(box.width, SAMPLE_INNER_HEIGHTS * hh) if text_beside else SAMPLE_INNER_HEIGHTS * hh
    if side == "left":
        left, right = max(0, int(box.left - SAMPLE_OUTER_HEIGHTS * hh)), int(box.left + inner)
    else:
        left, right = int(box.right - inner), min(width, int(box.right + SAMPLE_OUTER_HEIGHTS * hh))
    top = max(0, int(box.top - 0.3 * hh))
    bottom = min(height, int(box.bottom + 0.3 * hh))
    if right - left < 3 or bottom - top < 3:
        return None
    zone = Box(left, top, right, bottom)
    for found in _oriented_samples(_chromatic(_pixels(image, zone)), zone, side, hh):
        gap = box.left - found.right if side == "left" else found.left - box.right
        text = box.right - found.right if side == "left" else found.left - box.left
        if gap <= SAMPLE_MAX_GAP_HEIGHTS * hh and (text >= hh or not text_beside):
            return found
    return None


def _entry_text(ink: npt.NDArray[np.bool_], band: Box, side: str, eh: int, reach: int) -> Box | None:
    """The text beside a sample: ink columns of ``band`` (the row beside the sample, from the inner
    edge of the samples' column, ``reach`` pixels long) starting within ``SAMPLE_MAX_GAP_HEIGHTS``
    and ending at the first gap of more than an entry height."""
    cols = _any(ink, 0)
    if side == "right":
        cols = cols[::-1]  # the text lies left of a sample on the right: walk leftwards
    runs = true_runs(cols)
    if not runs or runs[0][0] > SAMPLE_MAX_GAP_HEIGHTS * eh:
        return None
    first, last = runs[0][0], runs[0][1]
    for s2, e2 in runs[1:]:
        if s2 - last > eh:
            break
        last = e2
    if last >= reach:
        return None  # runs on to the end of the reach: a graphic, not an entry's text
    if side == "right":
        return Box(band.right - last, band.top, band.right - first, band.bottom)
    return Box(band.left + first, band.top, band.left + last, band.bottom)


def _extend_stack(entries: list[Box], samples: list[Box], side: str, image: Image.Image) -> list[Box]:
    """Entries the text detector missed, above and below a stacked legend: samples in the column of
    the known ones (coloured, or dark/grey for a black or grey series, each a blob or a thin line
    followed by a gap, within ``LEGEND_STACK_GAP`` entry heights of the next one) with text beside."""
    if (
        len(entries) >= 2
        and abs(entries[0].left - entries[-1].left) > entries[0].height
        and (abs(entries[0].right - entries[-1].right) > entries[0].height)
    ):
        return _extend_row(entries, image) if side == "left" else entries
    width, height = image.size
    eh = max(4, int(statistics.median(b.height for b in entries)))
    col = union_all(samples)
    assert col is not None
    bg = np.array(_background(image), dtype=np.int16)
    margin = eh
    strip_box = Box(max(0, col.left - margin), 0, min(width, col.right + margin), height)
    strip = _pixels(image, strip_box)
    ink = _ink(strip, bg)
    in_col = _any(ink[:, col.left - strip_box.left : col.right - strip_box.left], 1)
    text_w = max(b.width for b in entries) - col.width
    reach = int(min(0.3 * width, 2 * max(text_w, 4 * eh)))
    out = list(entries)
    for direction in (-1, 1):
        edge = col.top - 2 if direction < 0 else col.bottom + 2
        for _ in range(12):
            lo, hi = (
                (max(0, edge - int(LEGEND_STACK_GAP * eh)), edge)
                if direction < 0
                else (
                    edge,
                    min(height, edge + int(LEGEND_STACK_GAP * eh)),
                )
            )
            rows = np.flatnonzero(in_col[lo:hi])
            if rows.size == 0:
                break
            near = lo + int(rows[-1] if direction < 0 else rows[0])
            # the group of rows around the nearest ink: the sample's rows, with a little room
            g0, g1 = near, near + 1
            while g0 > (0 if direction < 0 else edge) and in_col[g0 - 1]:
                g0 -= 1
            while g1 < (edge if direction < 0 else height) and in_col[g1]:
                g1 += 1
            if g1 - g0 > 1.6 * eh:
                break  # a tall graphic in the column: not a sample
            zone = Box(strip_box.left, max(0, g0 - 2), strip_box.right, min(height, g1 + 2))
            mask = ink[zone.top : zone.bottom]
            sample = next(_oriented_samples(mask, zone, side, eh, LINE_MIN_HEIGHTS_STACKED), None)
            if (
                sample is None
                or sample.left < col.left - margin // 2
                or sample.right > col.right + margin // 2
            ):
                break
            cy = (sample.top + sample.bottom) // 2
            band_top, band_bottom = max(0, cy - eh // 2 - 1), min(height, cy + eh // 2 + 2)
            if side == "left":
                band = Box(col.right, band_top, min(width, col.right + reach), band_bottom)
            else:
                band = Box(max(0, col.left - reach), band_top, col.left, band_bottom)
            if band.width < eh:
                break
            text = _entry_text(_ink(_pixels(image, band), bg), band, side, eh, reach)
            if text is None:
                break
            entry = sample.union(text)
            if not any(v_gap(entry, b) == 0 and h_overlap(entry, b) > 0 for b in out):
                out.append(entry)
            edge = sample.top - 2 if direction < 0 else sample.bottom + 2
    # Gaps inside the stack (entries the detector missed between found ones) are inside the union.
    return out


def _extend_row(entries: list[Box], image: Image.Image) -> list[Box]:
    """Entries the text detector missed in a legend laid out as a row: swatches left of the first
    entry and right of the last one, within an entry's width."""
    width = image.width
    ordered = sorted(entries, key=lambda b: b.left)
    top = min(b.top for b in ordered)
    bottom = max(b.bottom for b in ordered)
    eh = max(4, bottom - top)
    entry_w = int(statistics.median(b.width for b in ordered))
    reach = int(entry_w + 4 * eh)
    out = list(ordered)
    for direction in (1, -1):
        edge = ordered[-1].right if direction > 0 else ordered[0].left
        for _ in range(8):
            lo, hi = (edge, min(width, edge + reach)) if direction > 0 else (max(0, edge - reach), edge)
            if hi - lo < eh:
                break
            band = _pixels(image, Box(lo, top, hi, bottom))
            idx = np.flatnonzero(_chromatic(band).any(axis=0))
            if idx.size == 0:
                break
            found: Box | None = None
            starts = idx[np.concatenate([[True], np.diff(idx) > 1])].tolist()  # where runs begin
            for start in starts if direction > 0 else reversed(starts):
                found = _swatch(image, Box(lo + start, top, lo + start + eh, bottom), text_beside=False)
                if found is not None:
                    break
            if found is None:
                break
            entry = Box(
                found.left, top, min(width, found.left + entry_w, edge if direction < 0 else width), bottom
            )
            out.append(entry)
            edge = entry.right if direction > 0 else entry.left
    return out


def _legend(cue: SpatialCue, layout: Layout, image: Image.Image) -> SpatialRegion | None:
    w = layout.width
    if not layout.lines:
        return None
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    # Entries: text lines with a sample beside them, on the left (most charts) or on the right
    # (gnuplot's right-justified key); one legend keeps one side.
    found: dict[str, list[tuple[Box, Box]]] = {"left": [], "right": []}
    for b in layout.lines:
        if b.width > 0.3 * w or b.width < 1.2 * b.height:
            continue
        for side, entries in found.items():
            sw = _swatch(rgb, b, side)
            if sw is not None:
                entries.append((b.union(sw), sw))
    best: list[tuple[Box, Box]] = []
    best_side = "left"
    for side, entries in found.items():
        for cl in _legend_clusters(entries, side):
            if (len(cl), side == "left") > (len(best), best_side == "left"):
                best, best_side = cl, side
    if not best:
        return None
    boxes = [e for e, _ in best]
    samples = [s for _, s in best]
    thin = all(s.height <= LINE_MAX_THICKNESS + 2 for s in samples)
    extended = _extend_stack(boxes, samples, best_side, rgb)
    box = union_all(extended)
    assert box is not None
    n = len(extended)
    conf = 0.8 if n >= 2 else (0.55 if thin else 0.6)
    kind = "line samples" if thin else "colour samples"
    return SpatialRegion(
        box, conf, f"the legend ({n} entr{'ies' if n > 1 else 'y'} with {kind} on the {best_side})", cue
    )


def _legend_clusters(entries: list[tuple[Box, Box]], side: str) -> list[list[tuple[Box, Box]]]:
    """Entries stacked (samples aligned on ``side``, close) or in a row (same band, close)."""
    clusters: list[list[tuple[Box, Box]]] = []
    for e in sorted(entries, key=lambda x: (x[0].top, x[0].left)):
        box = e[0]
        for cl in clusters:
            ub = union_all(b for b, _ in cl)
            assert ub is not None
            last = cl[-1][0]
            eh = max(box.height, last.height)
            edge = abs(box.left - last.left) if side == "left" else abs(box.right - last.right)
            stacked = edge <= 1.0 * eh and v_gap(ub, box) <= LEGEND_STACK_GAP * eh
            in_row = min(ub.bottom, box.bottom) - max(ub.top, box.top) > 0 and h_gap(ub, box) <= 8.0 * eh
            if stacked or in_row:
                cl.append(e)
                break
        else:
            clusters.append([e])
    return clusters


def _short(b: Box) -> bool:
    return b.width <= AXIS_TICK_MAX_HEIGHTS * max(1, b.height)


def _with_margin(box: Box, layout: Layout) -> Box:
    m = round(AXIS_MARGIN_HEIGHTS * layout.line_height)
    return Box(box.left - m, box.top - m, box.right + m, box.bottom + m).clamp(layout.width, layout.height)


def _x_axis_label(cue: SpatialCue, layout: Layout) -> SpatialRegion | None:
    """The text line under the tick-label row, centred under it; with no tick row detected, the
    lowest line of the page when it is alone in its row, wide and centred. None when the anatomy is
    not there (a fixed band would often miss the label)."""
    w, h = layout.width, layout.height
    lh = layout.line_height
    lines = [b for b in layout.lines if center(b)[1] >= 0.6 * h and b.width < 0.95 * w]
    if not lines:
        return None
    members = row_bands(lines)
    rows = [union_all(lines[i] for i in band) for band in members]
    counts = [len(band) for band in members]
    ticks = [
        k
        for k, band in enumerate(members)
        if len(band) >= AXIS_TICK_MIN and all(_short(lines[i]) for i in band)
    ]
    if ticks:
        tick = rows[ticks[-1]]
        assert tick is not None
        tick_cx = center(tick)[0]
        below = [
            r
            for r, n in zip(rows[ticks[-1] + 1 :], counts[ticks[-1] + 1 :], strict=True)
            if r is not None
            and n <= 2
            and r.top >= tick.bottom - 0.2 * lh
            and v_gap(tick, r) <= AXIS_LABEL_GAP_HEIGHTS * lh
            and abs(center(r)[0] - tick_cx) <= AXIS_CENTRE_FRACTION * tick.width
        ]
        if not below:
            return None
        return SpatialRegion(
            _with_margin(below[0], layout),
            0.72,
            "the x-axis label: the line centred under the tick labels",
            cue,
        )
    lowest = rows[-1]
    assert lowest is not None
    if (
        counts[-1] != 1
        or lowest.width < AXIS_LABEL_MIN_HEIGHTS * lowest.height
        or abs(center(lowest)[0] - w / 2) > AXIS_CENTRE_FRACTION * w
        or center(lowest)[1] < 0.75 * h
    ):
        return None
    return SpatialRegion(
        _with_margin(lowest, layout), 0.62, "the x-axis label: the lowest line, alone and centred", cue
    )


def _rotated_at_left(image: Image.Image, lh: float) -> Box | None:
    """The first run of ink columns from the left edge (within the left ``0.1`` of the width), when it
    is a rotated label: narrow, tall, about the middle of the height, a gap before what follows."""
    width, height = image.size
    zone = Box(0, 0, max(1, int(0.1 * width)), height)
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    bg = np.array(_background(rgb), dtype=np.int16)
    ink = _ink(_pixels(rgb, zone), bg)
    runs = true_runs(_any(ink, 0))
    if not runs or runs[0][1] - runs[0][0] > 2 * lh:
        return None
    start, stop = runs[0]
    if len(runs) > 1 and runs[1][0] - stop < 0.3 * lh:
        return None
    rows = np.flatnonzero(_any(ink[:, start:stop], 1))
    if rows.size == 0 or int(np.diff(rows).max(initial=1)) > lh:
        return None  # separate marks, not one label
    box = Box(start, int(rows[0]), stop, int(rows[-1]) + 1)
    tall = box.height >= AXIS_ROTATED_MIN_HEIGHTS * lh and box.height >= 2 * box.width
    return box if tall and 0.15 * height <= center(box)[1] <= 0.9 * height else None


def _y_axis_label(cue: SpatialCue, layout: Layout, image: Image.Image) -> SpatialRegion | None:
    """Text left of the tick-label column (any shape), or, with no tick column detected, a rotated
    label (tall and narrow) at the far left, about the middle of the height: a layout element, or
    the first ink from the left edge. None otherwise."""
    w, h = layout.width, layout.height
    lh = layout.line_height
    left = sorted((b for b in layout.lines if b.right <= 0.3 * w and _short(b)), key=lambda b: b.right)
    column: list[Box] = []
    for b in left:
        group = [c for c in left if abs(c.right - b.right) <= lh]
        if len(group) >= AXIS_TICK_MIN:
            column = group
            break
    limit = min(b.left for b in column) - 0.2 * lh if column else 0.1 * w

    def rotated(b: Box) -> bool:
        return b.height >= AXIS_ROTATED_MIN_HEIGHTS * lh and b.height >= 2 * b.width

    cands = [
        b
        for b in layout.elements(0.3)
        if b.right <= limit
        and 0.15 * h <= center(b)[1] <= 0.9 * h
        and (rotated(b) or (column and b.width >= lh))
    ]
    if not cands:
        found = _rotated_at_left(image, lh)
        if found is None or found.right > limit:
            return None
        return SpatialRegion(
            _with_margin(found, layout), 0.6, "the y-axis label: a rotated label at the left edge", cue
        )
    label = max(cands, key=lambda b: b.height)
    box = label
    for b in cands:
        if h_overlap(box, b) > 0 and v_gap(box, b) <= 2 * lh:
            box = box.union(b)
    why = "left of the tick labels" if column else "a rotated label at the far left"
    return SpatialRegion(_with_margin(box, layout), 0.66 if column else 0.6, f"the y-axis label: {why}", cue)


def _column(cue: SpatialCue, layout: Layout) -> SpatialRegion | None:
    w, h = layout.width, layout.height
    side = cue.side
    # A tall, narrow block against the side: a sidebar panel.
    for b in sorted(layout.blocks, key=lambda b: b.left if side == "left" else -b.right):
        against = b.left <= 0.08 * w if side == "left" else b.right >= 0.92 * w
        if side != "center" and against and b.height >= 0.5 * h and b.width <= 0.45 * w:
            return SpatialRegion(b, 0.78, f"the {side} sidebar panel", cue)
    lines = [b for b in layout.lines if b.width <= 0.6 * w]
    if len(lines) < 2:
        return None
    cover = np.zeros(w + 1, dtype=np.int32)
    for b in lines:
        cover[max(0, b.left)] += 1
        cover[min(w, b.right)] -= 1
    # A line bridging the columns (a breadcrumb or header bar over a docs sidebar and its page)
    # does not fill the gutter: on a page of many lines, one crossing line is allowed.
    bridging = 1 if len(lines) >= GUTTER_BRIDGE_MIN_LINES else 0
    occupied = np.cumsum(cover)[:w] > bridging
    min_gutter = max(2.0 * layout.line_height, 0.02 * w)
    gutters: list[tuple[int, int]] = []
    x = 0
    lo, hi = int(0.12 * w), int(0.88 * w)
    while x < w:
        if not occupied[x]:
            start = x
            while x < w and not occupied[x]:
                x += 1
            # A gutter between text on both sides, centred away from the margins (an indent or a
            # list's bullets sit in the outer 12 %), as wide as a couple of lines are tall.
            if x - start >= min_gutter and start > 0 and x < w and lo <= (start + x) // 2 <= hi:
                gutters.append((start, x))
        x += 1
    if not gutters:
        return None
    if side == "left":
        edge = gutters[0][0]
        members = [b for b in lines if b.right <= edge]
    elif side == "right":
        edge = gutters[-1][1]
        members = [b for b in lines if b.left >= edge]
    else:
        if len(gutters) < 2:
            return None
        a, b2 = gutters[0][1], gutters[-1][0]
        members = [b for b in lines if b.left >= a and b.right <= b2]
    if len(members) < 1:
        return None
    box = union_all(members)
    assert box is not None
    name = _name(cue)
    return SpatialRegion(
        box, LAYOUT_CONFIDENCE, f"the {name} ({len(members)} text lines beside a gutter)", cue
    )


def _table_rows(lines: Sequence[Box], bands: list[list[int]]) -> list[list[int]]:
    """The longest run of consecutive bands with two or more cells of a similar height, each close
    below the previous one: the page's table (an empty list when there is none)."""
    best: list[list[int]] = []
    run: list[list[int]] = []
    for band in bands:
        heights = [lines[i].height for i in band]
        cells = len(band) >= 2 and max(heights) <= 1.5 * min(heights)
        if cells and run:
            prev = union_all(lines[i] for i in run[-1])
            cur = union_all(lines[i] for i in band)
            assert prev is not None and cur is not None
            if v_gap(prev, cur) > TABLE_ROW_GAP_HEIGHTS * max(prev.height, cur.height):
                run = []
        if cells:
            run.append(band)
            if len(run) > len(best):
                best = list(run)
        else:
            run = []
    return best


#: "The last line": rows ending within this many line heights above the last row's top come too.
LAST_LINE_REACH_HEIGHTS = 3.0


def _row(cue: SpatialCue, layout: Layout) -> SpatialRegion | None:
    if not layout.lines or cue.ordinal is None:
        return None
    lines = list(layout.lines)
    bands = row_bands(lines)
    # "the last line" is a line of the page; "the third row" is a row of its table, if it has one.
    table = [] if "line" in cue.phrase.lower() else _table_rows(lines, bands)
    rows, what = (table, "table row") if len(table) >= 3 else (bands, "text row")
    n = cue.ordinal
    idx = len(rows) - 1 if n < 0 else n - 1
    if idx < 0 or idx >= len(rows):
        return None
    chosen = [idx]
    note = ""
    if n > 0 and idx + 1 < len(rows) and what == "table row":
        chosen.append(idx + 1)  # the header row counted or not
        note = ", with the next row in case the header is not counted"
    elif n < 0 and idx >= 1:
        chosen.insert(0, idx - 1)  # a page number or a footer may be what sits last
        note = ", with the row before it in case the last is a page number or footer"
        if what == "text row":
            # another column (a body beside a longer sidebar) may end a little higher up
            last_top = min(lines[i].top for i in rows[idx])
            reach = last_top - LAST_LINE_REACH_HEIGHTS * median_height(lines)
            above = [k for k in range(idx - 1) if max(lines[i].bottom for i in rows[k]) >= reach]
            if above:
                chosen = above + chosen
                note = (
                    f", with the rows up to {LAST_LINE_REACH_HEIGHTS:g} line heights above it (a page "
                    "number or footer may sit last, another column may end just above)"
                )
    box = union_all(lines[i] for k in chosen for i in rows[k])
    assert box is not None
    ordinal = "last" if n < 0 else f"#{n}"
    return SpatialRegion(box, 0.64, f"the {ordinal} {what} of {len(rows)}{note}", cue)


#: "The first item of the sidebar": its nth text row and the next ``ITEM_EXTRA_ROWS`` (a heading
#: above the list may or may not be counted, and an item may wrap onto a second line); the last item
#: comes with the rows before it.
ITEM_EXTRA_ROWS = 2
#: A column's line continues on the same row past the column when the next text is at most this many
#: line heights away (a sidebar's gutter is wider).
ITEM_BRIDGE_HEIGHTS = 3.0
#: An item's run-on text shares at least this fraction of the smaller height with the item's row.
ITEM_RUN_ON_OVERLAP = 0.3
#: A column's own lines start at most this fraction of the image's width right of its leftmost line.
ITEM_MAX_INDENT = 0.06


def _row_in_column(row: SpatialCue, column: SpatialCue, layout: Layout) -> SpatialRegion | None:
    """The nth line (or item) of a column or sidebar, counted among that column's own lines."""
    col = _column(column, layout) or _inside(column, layout)
    if col is None:
        return None
    inside = [b for b in layout.lines if center_inside(b, col.box)]
    if not inside:
        return None
    # The column's own lines start near its left edge (a list indents a little; a page heading the
    # column's box took in starts further right) ...
    edge = min(b.left for b in inside) + ITEM_MAX_INDENT * layout.width
    own = [b for b in inside if b.left <= edge]
    others = [b for b in layout.lines if b not in own]
    # ... and do not run on past it in their row (a breadcrumb bridging a sidebar and its page).
    reach = ITEM_BRIDGE_HEIGHTS * layout.line_height
    members = tuple(b for b in own if not any(same_band(b, o) and h_gap(b, o) <= reach for o in others))
    if not members:
        return None
    if row.side != "item":
        found = _row(row, Layout(layout.width, layout.height, members, ()))
        if found is None:
            return None
        return SpatialRegion(found.box, found.confidence, f"{found.evidence} in {col.evidence}", row)
    bands = row_bands(members)
    n = row.ordinal or 1
    idx = len(bands) - 1 if n < 0 else n - 1
    if not 0 <= idx < len(bands):
        return None
    chosen = (
        range(max(0, idx - ITEM_EXTRA_ROWS), idx + 1)
        if n < 0
        else range(idx, min(len(bands), idx + 1 + ITEM_EXTRA_ROWS))
    )
    taken = [members[i] for k in chosen for i in bands[k]]
    # An item's text runs on past the column where it is long (the detector boxes the rest as a
    # line of its own, a little lower when the item starts in a bold monospace name): its row's next
    # text, close beside it, is part of it.
    for b in sorted(layout.lines, key=lambda b: b.left):
        if b not in taken and any(
            same_band(b, t, ITEM_RUN_ON_OVERLAP) and h_gap(b, t) <= reach for t in taken
        ):
            taken.append(b)
    found_box = union_all(taken)
    assert found_box is not None
    ordinal = "last" if n < 0 else f"#{n}"
    return SpatialRegion(
        found_box,
        0.64,
        f"the {ordinal} item of {col.evidence}: its text rows {chosen.start + 1}-{chosen.stop} of "
        f"{len(bands)} (a heading may or may not be counted, an item may wrap)",
        row,
    )


def _inside(cue: SpatialCue, layout: Layout) -> SpatialRegion | None:
    w, h = layout.width, layout.height
    members = [b for b in layout.elements(0.4) if _center_in(b, cue.region, w, h)]
    if not members:
        return None
    box = union_all(members)
    assert box is not None
    x0, y0, x1, y1 = cue.region
    limit = Box(round((x0 - 0.1) * w), round((y0 - 0.1) * h), round((x1 + 0.1) * w), round((y1 + 0.1) * h))
    box = Box(
        max(box.left, limit.left),
        max(box.top, limit.top),
        min(box.right, limit.right),
        min(box.bottom, limit.bottom),
    )
    if box.area <= 0:
        return None
    return SpatialRegion(
        box, REFINED_CONFIDENCE, f"the {_name(cue)} of the page ({len(members)} layout elements there)", cue
    )


def locate_spatial(cues: Sequence[SpatialCue], layout: Layout, image: Image.Image) -> SpatialRegion | None:
    """Resolve the most specific cue that the layout supports; fall back to a fixed part of the page."""
    ordered = sorted(cues, key=lambda c: _ORDER.index(c.kind) if c.kind in _ORDER else len(_ORDER))
    row = next((c for c in ordered if c.kind == "row"), None)
    column = next((c for c in ordered if c.kind == "column"), None)
    if row is not None and column is not None:  # "the first item of the sidebar"
        within = _row_in_column(row, column, layout)
        if within is not None:
            return within
    # an item of a list is counted within a column only, never among the page's rows
    ordered = [c for c in ordered if not (c.kind == "row" and c.side == "item")]
    for cue in ordered:
        found: SpatialRegion | None
        if cue.kind == "legend":
            found = _legend(cue, layout, image)
        elif cue.kind == "axis":
            found = _x_axis_label(cue, layout) if cue.side == "x" else _y_axis_label(cue, layout, image)
        elif cue.kind == "title":
            found = _title(cue, layout)
            header = next((c for c in ordered if c.kind == "header"), None)
            if found is not None and header is not None:
                found = _with_header_band(found, header, layout)
        elif cue.kind == "row":
            found = _row(cue, layout)
        elif cue.kind in ("header", "footer"):
            found = _header_footer(cue, layout)
        elif cue.kind == "column":
            found = _column(cue, layout) or _inside(cue, layout)
        elif cue.kind == "corner":
            found = _corner(cue, layout)
        else:
            found = _inside(cue, layout)
        if found is None:
            continue
        broader = [c for c in ordered if c is not cue and c.kind in ("corner", "half", "center", "column")]
        if any(_center_in(found.box, c.region, layout.width, layout.height) for c in broader):
            found = SpatialRegion(
                found.box,
                min(0.95, found.confidence + 0.05),
                found.evidence + ", where the question places it",
                cue,
            )
        return found
    for cue in ordered:
        if cue.kind in ("corner", "half", "center", "header", "footer", "column"):
            return _fixed(cue, layout)
    return None
