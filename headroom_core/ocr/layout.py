"""Reading order and quality measures for OCR lines. Pure functions: no I/O, no heavy imports.

:func:`reading_order_text` turns the lines an engine found (boxes in any order) into text a model
can read the way a person would:

1. Lines are grouped into **row bands** (lines whose vertical extents overlap by at least half the
   smaller height share a band).
2. **Tables**: runs of at least ``TABLE_MIN_ROWS`` consecutive bands with at least
   ``TABLE_MIN_CELLS`` cells each, whose cells fall into the same column intervals (found from the
   x-projection of the cells), are written one row per line, cells joined with ``" | "``.
3. **Sections**: the remaining bands are cut into vertical sections at full-width lines (a line
   wider than ``FULL_WIDTH_FRACTION`` of the text's width), at tables and at large vertical gaps.
4. **Columns**: inside a section, gutters are found from the x-projection of the line boxes (runs of
   x that no line covers, at least ``GUTTER_MIN_HEIGHTS`` median text heights wide). The section is
   read column by column only when every column holds at least two lines of running text (mean
   ``COLUMN_MIN_WORDS`` words per line); otherwise (a form with labels and values, a header with a
   page number) it is read band by band, left to right.
5. Line breaks are kept; a blank line separates paragraphs (a vertical gap larger than
   ``PARAGRAPH_GAP_HEIGHTS`` median text heights and ``PARAGRAPH_GAP_FACTOR`` times the usual line
   gap), and sets apart columns and tables.

:func:`ocr_quality` measures how much of the image is text and how much of that text was read
with low confidence; the TRANSCODE gating uses it.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from ..types import Box, TextLine

__all__ = [
    "COLUMN_MIN_WORDS",
    "FULL_WIDTH_FRACTION",
    "GUTTER_MIN_HEIGHTS",
    "LOW_CONFIDENCE_THRESHOLD",
    "PARAGRAPH_GAP_FACTOR",
    "PARAGRAPH_GAP_HEIGHTS",
    "SECTION_GAP_HEIGHTS",
    "TABLE_CELL_SEPARATOR",
    "TABLE_MIN_CELLS",
    "TABLE_MIN_ROWS",
    "OcrQuality",
    "ocr_quality",
    "reading_order_text",
    "union_area",
]

FULL_WIDTH_FRACTION = 0.6
"""A line at least this fraction of the text block's width spans all columns (header, footer, prose)."""
GUTTER_MIN_HEIGHTS = 1.5
"""A column gutter is at least this many median text heights wide."""
COLUMN_MIN_WORDS = 3.0
"""A column holds running text: its lines carry at least this many words on average."""
PARAGRAPH_GAP_HEIGHTS = 0.6
"""A vertical gap starts a new paragraph when it is larger than this many median text heights and
than ``PARAGRAPH_GAP_FACTOR`` times the page's usual gap between lines (so loosely spaced text is
not cut into one-line paragraphs)."""
PARAGRAPH_GAP_FACTOR = 1.5
SECTION_GAP_HEIGHTS = 2.5
"""A vertical gap larger than this many median text heights ends a column section."""
TABLE_MIN_CELLS = 3
"""A table row has at least this many cells."""
TABLE_MIN_ROWS = 2
"""A table has at least this many rows with ``TABLE_MIN_CELLS`` cells."""
TABLE_CELL_SEPARATOR = " | "
LOW_CONFIDENCE_THRESHOLD = 0.6
"""Default confidence (0..1) under which a line counts as read with low confidence."""

_SEGMENT_SEPARATOR = "  "


@dataclass(frozen=True)
class OcrQuality:
    """How much of an image is text, and how well it was read.

    ``text_area_fraction``: union area of the line boxes / image area.
    ``low_confidence_area_fraction``: union area of lines whose confidence is below the threshold /
    union area of all lines (0 when there is no text).
    ``mean_confidence``: plain mean of the line confidences (0 when there is no text).
    ``median_text_height_px``: median line-box height in pixels (0 when there is no text).
    """

    text_area_fraction: float
    low_confidence_area_fraction: float
    mean_confidence: float
    line_count: int
    median_text_height_px: float
    low_confidence_threshold: float = LOW_CONFIDENCE_THRESHOLD

    def as_dict(self) -> dict[str, float | int]:
        return {
            "text_area_fraction": round(self.text_area_fraction, 4),
            "low_confidence_area_fraction": round(self.low_confidence_area_fraction, 4),
            "mean_confidence": round(self.mean_confidence, 4),
            "line_count": self.line_count,
            "median_text_height_px": round(self.median_text_height_px, 2),
            "low_confidence_threshold": self.low_confidence_threshold,
        }


def union_area(boxes: Sequence[Box]) -> int:
    """Exact area covered by the union of ``boxes`` (sweep over y slabs)."""
    rects = [b for b in boxes if b.width > 0 and b.height > 0]
    if not rects:
        return 0
    ys = sorted({b.top for b in rects} | {b.bottom for b in rects})
    total = 0
    for y0, y1 in itertools.pairwise(ys):
        spans = sorted((b.left, b.right) for b in rects if b.top <= y0 and b.bottom >= y1)
        covered = 0
        cur_l, cur_r = -1, -1
        for left, right in spans:
            if left > cur_r:
                covered += cur_r - cur_l if cur_r > cur_l else 0
                cur_l, cur_r = left, right
            else:
                cur_r = max(cur_r, right)
        covered += cur_r - cur_l if cur_r > cur_l else 0
        total += covered * (y1 - y0)
    return total


def ocr_quality(
    lines: Sequence[TextLine],
    width: int,
    height: int,
    low_confidence_threshold: float = LOW_CONFIDENCE_THRESHOLD,
) -> OcrQuality:
    """Measure text coverage and read confidence of ``lines`` found in a ``width`` x ``height`` image."""
    kept = [ln for ln in lines if ln.text.strip()]
    boxes = [ln.box.clamp(width, height) for ln in kept]
    image_area = max(1, width * height)
    text_area = union_area(boxes)
    if not kept or text_area == 0:
        return OcrQuality(0.0, 0.0, 0.0, 0, 0.0, low_confidence_threshold)
    low_area = union_area(
        [b for b, ln in zip(boxes, kept, strict=True) if ln.confidence < low_confidence_threshold]
    )
    return OcrQuality(
        text_area_fraction=text_area / image_area,
        low_confidence_area_fraction=low_area / text_area,
        mean_confidence=statistics.fmean(ln.confidence for ln in kept),
        line_count=len(kept),
        median_text_height_px=float(statistics.median(b.height for b in boxes)),
        low_confidence_threshold=low_confidence_threshold,
    )


# --------------------------------------------------------------------------- reading order


@dataclass(frozen=True)
class _Band:
    """Lines that share a row, left to right."""

    segments: tuple[TextLine, ...]
    top: int
    bottom: int

    @property
    def left(self) -> int:
        return self.segments[0].box.left

    @property
    def right(self) -> int:
        return max(s.box.right for s in self.segments)

    def text(self) -> str:
        return _SEGMENT_SEPARATOR.join(s.text for s in self.segments)


def _clean(lines: Sequence[TextLine]) -> list[TextLine]:
    out = []
    for ln in lines:
        text = " ".join(ln.text.split())
        if text and ln.box.width > 0 and ln.box.height > 0:
            out.append(TextLine(ln.box, text, ln.confidence) if text != ln.text else ln)
    return out


def _bands(lines: list[TextLine]) -> list[_Band]:
    """Group lines into row bands by vertical overlap, top to bottom."""
    rows: list[list[TextLine]] = []
    extents: list[tuple[int, int]] = []
    for ln in sorted(lines, key=lambda t: ((t.box.top + t.box.bottom) / 2, t.box.left)):
        b = ln.box
        placed = False
        for i in range(len(rows) - 1, max(-1, len(rows) - 4), -1):
            top, bottom = extents[i]
            overlap = min(bottom, b.bottom) - max(top, b.top)
            if overlap >= 0.5 * min(bottom - top, b.height) and not _overlaps_x(rows[i], b):
                rows[i].append(ln)
                extents[i] = (min(top, b.top), max(bottom, b.bottom))
                placed = True
                break
        if not placed:
            rows.append([ln])
            extents.append((b.top, b.bottom))
    bands = [
        _Band(tuple(sorted(r, key=lambda t: t.box.left)), top, bottom)
        for r, (top, bottom) in zip(rows, extents, strict=True)
    ]
    return sorted(bands, key=lambda bd: (bd.top, bd.left))


def _overlaps_x(row: list[TextLine], box: Box) -> bool:
    """True when ``box`` overlaps a line of ``row`` horizontally (then it is a different row)."""
    return any(min(t.box.right, box.right) - max(t.box.left, box.left) > 0 for t in row)


def _gutters(boxes: Sequence[Box], min_gap: float) -> list[tuple[int, int]]:
    """Runs of x covered by no box, at least ``min_gap`` wide, strictly inside the boxes' extent."""
    spans = sorted((b.left, b.right) for b in boxes)
    gaps: list[tuple[int, int]] = []
    cur_r = spans[0][1]
    for left, right in spans[1:]:
        if left - cur_r >= min_gap:
            gaps.append((cur_r, left))
        cur_r = max(cur_r, right)
    return gaps


def _intervals(gaps: list[tuple[int, int]], left: int, right: int) -> list[tuple[int, int]]:
    edges = [left] + [x for g in gaps for x in g] + [right]
    return [(edges[i], edges[i + 1]) for i in range(0, len(edges), 2)]


def _column_of(box: Box, columns: list[tuple[int, int]]) -> int | None:
    """Index of the column interval that holds ``box`` (by its centre), None if it spans a gutter."""
    for i, (lo, hi) in enumerate(columns):
        if box.left >= lo - 1 and box.right <= hi + 1:
            return i
    return None


def _words(text: str) -> int:
    return len(text.split())


def _find_tables(bands: list[_Band], min_gap: float) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """(start, end, column intervals) of each table run of bands, ``end`` exclusive."""
    tables: list[tuple[int, int, list[tuple[int, int]]]] = []
    i = 0
    while i < len(bands):
        if len(bands[i].segments) < TABLE_MIN_CELLS:
            i += 1
            continue
        best: tuple[int, list[tuple[int, int]]] | None = None
        j = i + 1
        while j <= len(bands):
            run = bands[i:j]
            boxes = [s.box for bd in run for s in bd.segments]
            left, right = min(b.left for b in boxes), max(b.right for b in boxes)
            columns = _intervals(_gutters(boxes, min_gap), left, right)
            if len(columns) < TABLE_MIN_CELLS or len(run[-1].segments) < 2:
                break
            if not all(_row_fits(bd, columns) for bd in run):
                break
            full_rows = sum(1 for bd in run if len(bd.segments) >= TABLE_MIN_CELLS)
            if full_rows >= TABLE_MIN_ROWS:
                best = (j, columns)
            j += 1
        if best is None or _is_running_text(bands[i : best[0]], best[1]):
            i += 1
            continue
        end, columns = best
        tables.append((i, end, columns))
        i = end
    return tables


def _is_running_text(run: list[_Band], columns: list[tuple[int, int]]) -> bool:
    """True when every column of ``run`` holds running text (columns of prose, not a table)."""
    members: list[list[TextLine]] = [[] for _ in columns]
    for bd in run:
        for s in bd.segments:
            col = _column_of(s.box, columns)
            if col is None:
                return False
            members[col].append(s)
    return all(
        len(m) >= 2 and statistics.fmean(_words(s.text) for s in m) >= COLUMN_MIN_WORDS for m in members
    )


def _row_fits(band: _Band, columns: list[tuple[int, int]]) -> bool:
    seen: set[int] = set()
    for s in band.segments:
        col = _column_of(s.box, columns)
        if col is None or col in seen:
            return False
        seen.add(col)
    return True


def _table_text(run: list[_Band], columns: list[tuple[int, int]]) -> list[str]:
    rows = []
    for bd in run:
        cells = [""] * len(columns)
        for s in bd.segments:
            col = _column_of(s.box, columns)
            if col is not None:
                cells[col] = s.text
        rows.append(TABLE_CELL_SEPARATOR.join(cells).rstrip())
    return rows


def _paragraph_gap(bands: list[_Band], text_h: float) -> float:
    """The vertical gap (px) above which a new paragraph starts."""
    gaps = [b.top - a.bottom for a, b in itertools.pairwise(bands) if b.top - a.bottom > 0]
    usual = float(statistics.median_low(gaps)) if gaps else 0.0
    return max(PARAGRAPH_GAP_HEIGHTS * text_h, PARAGRAPH_GAP_FACTOR * usual)


def _with_paragraphs(items: list[tuple[int, int, str]], para_gap: float) -> list[str]:
    """Join (top, bottom, text) items top to bottom, a blank line where the gap is a paragraph gap."""
    out: list[str] = []
    prev_bottom: int | None = None
    for top, bottom, text in items:
        if prev_bottom is not None and top - prev_bottom > para_gap:
            out.append("")
        out.append(text)
        prev_bottom = bottom if prev_bottom is None else max(prev_bottom, bottom)
    return out


def _section_text(bands: list[_Band], text_h: float, para_gap: float) -> tuple[list[str], bool]:
    """Text of a run of bands (column by column when it has real columns, else band by band),
    and whether it was read as columns."""
    lines = [s for bd in bands for s in bd.segments]
    if len(bands) >= 2:
        left, right = min(s.box.left for s in lines), max(s.box.right for s in lines)
        gaps = _gutters([s.box for s in lines], GUTTER_MIN_HEIGHTS * text_h)
        if gaps:
            columns = _intervals(gaps, left, right)
            if _is_running_text(bands, columns):
                members: list[list[TextLine]] = [[] for _ in columns]
                for s in lines:
                    col = _column_of(s.box, columns)
                    if col is not None:
                        members[col].append(s)
                out: list[str] = []
                for m in members:
                    if out:
                        out.append("")
                    out.extend(_with_paragraphs([(b.top, b.bottom, b.text()) for b in _bands(m)], para_gap))
                return out, True
    return _with_paragraphs([(b.top, b.bottom, b.text()) for b in bands], para_gap), False


def reading_order_text(lines: Sequence[TextLine], width: int, height: int) -> str:
    """The text of ``lines`` in reading order: columns, then lines; tables as ``" | "`` rows.

    ``width`` and ``height`` are the image size (lines are clamped to it). Returns ``""`` when no
    line has text.
    """
    kept = _clean([TextLine(ln.box.clamp(width, height), ln.text, ln.confidence) for ln in lines])
    if not kept:
        return ""
    text_h = float(statistics.median(ln.box.height for ln in kept)) or 1.0
    content_width = max(1, max(ln.box.right for ln in kept) - min(ln.box.left for ln in kept))
    bands = _bands(kept)
    para_gap = _paragraph_gap(bands, text_h)
    tables = {start: (end, cols) for start, end, cols in _find_tables(bands, GUTTER_MIN_HEIGHTS * text_h)}

    # (top, bottom, lines, set apart) in page order; columns and tables are set apart by blank lines.
    blocks: list[tuple[int, int, list[str], bool]] = []
    section: list[_Band] = []

    def flush() -> None:
        if section:
            text, columns = _section_text(section, text_h, para_gap)
            blocks.append((section[0].top, max(b.bottom for b in section), text, columns))
            section.clear()

    i = 0
    while i < len(bands):
        if i in tables:
            flush()
            end, cols = tables[i]
            run = bands[i:end]
            blocks.append((run[0].top, max(b.bottom for b in run), _table_text(run, cols), True))
            i = end
            continue
        band = bands[i]
        full_width = any(s.box.width >= FULL_WIDTH_FRACTION * content_width for s in band.segments)
        if full_width:
            flush()
            blocks.append((band.top, band.bottom, [band.text()], False))
        else:
            if section and band.top - max(b.bottom for b in section) > SECTION_GAP_HEIGHTS * text_h:
                flush()
            section.append(band)
        i += 1
    flush()

    out: list[str] = []
    prev_bottom: int | None = None
    prev_apart = False
    for top, bottom, block, apart in blocks:
        gap = prev_bottom is not None and top - prev_bottom > para_gap
        if prev_bottom is not None and (gap or apart or prev_apart) and out and out[-1] != "":
            out.append("")
        out.extend(block)
        prev_bottom = bottom if prev_bottom is None else max(prev_bottom, bottom)
        prev_apart = apart
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)
