"""A classical text-line detector on numpy arrays (no torch, no OpenCV, no scipy).

Pipeline, on a grey image at analysis scale (long side at most about 1331 px), run on two pyramid
levels (the analysis image for glyphs up to 32 px, a 3x smaller copy for large text, so one
linear model fits both):

1. edge mask: forward differences ``max(|dx|, |dy|) > EDGE_THRESHOLD`` (marks each ink boundary once,
   so text lines one pixel apart stay apart), minus horizontal runs of 48 px or more (table rules,
   underlines, box and button edges);
2. 4-connected components of the mask (run-length labelling, vectorised union-find) -> glyph
   candidates, filtered by height and shape (thin rules, box sides);
3. each candidate paints a thin horizontal band (its middle rows, widened by about half its height
   on each side, less for thin upright parts); components of the painted bands group glyphs into
   text-line candidates, so the word gap that is bridged scales with the glyph size; a member much
   taller than its group's median (an object edge) is dropped from the group;
4. candidates taller than one line (paragraphs fused by touching descenders) are split at the
   emptiest row between two comparable row-profile peaks, recursively; candidates lower than 4 px or
   narrower than 1.5 times their height are dropped;
5. each line candidate gets a feature vector (:data:`LINE_FEATURES`: shape, fill, vertical-stroke
   share, letter gaps, glyph count and baseline alignment, clean surround) that the embedded
   analyzer scores with a fitted logistic model per level (see ``_coefficients.py``).

Everything is deterministic: no randomness, stable sorts, and the output order is top-to-bottom,
left-to-right.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "COARSE_FACTOR",
    "EDGE_THRESHOLD",
    "LINE_FEATURES",
    "Components",
    "LineCandidates",
    "connected_components",
    "detect_line_candidates",
    "edge_mask",
    "edge_strength",
    "refine_line_height",
    "strip_rules",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: Grey-level step (0..255) between neighbouring pixels that counts as an edge.
EDGE_THRESHOLD = 26.0

#: Names of the per-line features, in the order of :attr:`LineCandidates.features` columns.
LINE_FEATURES: tuple[str, ...] = (
    "log_height",  # log of the line height in analysis pixels
    "rel_height",  # height / analysis image height
    "log_aspect",  # log(width / height)
    "log_members",  # log(1 + glyph components in the line)
    "members_per_em",  # glyph components per line-height of width
    "log_glyph_width",  # log(mean glyph-component width / line height)
    "fill",  # edge-mask density inside the box
    "surround",  # edge-mask density in the bands just above and below the box
    "side",  # edge-mask density in the bands just left and right of the box
    "contrast",  # mean edge strength (max(|dx|, |dy|)) inside the box / 255
    "strokes",  # share of the box's edge pixels with a horizontal step (vertical strokes)
    "gaps",  # runs of empty columns (letter and word gaps) per line-height of width
    "height_cv",  # coefficient of variation of glyph heights
    "bottom_spread",  # spread of glyph bottoms / line height (baseline alignment)
)


@dataclass(frozen=True, slots=True)
class Components:
    """Connected components of a boolean mask, as bounding boxes (right/bottom exclusive)."""

    top: IntArray
    left: IntArray
    bottom: IntArray
    right: IntArray
    area: IntArray
    # The runs the components are made of, for lookups: row, start, end (exclusive), component.
    run_row: IntArray
    run_start: IntArray
    run_end: IntArray
    run_label: IntArray
    width: int

    @property
    def count(self) -> int:
        return int(self.top.size)

    def label_at(self, rows: IntArray, cols: IntArray) -> IntArray:
        """Component index at each (row, col), or -1 where the mask is off."""
        key_w = self.width + 2
        if self.run_row.size == 0:
            return np.full(rows.shape, -1, dtype=np.int64)
        starts = self.run_row * key_w + self.run_start
        keys = rows.astype(np.int64) * key_w + cols.astype(np.int64)
        idx = np.searchsorted(starts, keys, side="right") - 1
        idx_c = np.clip(idx, 0, starts.size - 1)
        inside = (
            (idx >= 0)
            & (self.run_row[idx_c] == rows)
            & (self.run_start[idx_c] <= cols)
            & (cols < self.run_end[idx_c])
        )
        return np.where(inside, self.run_label[idx_c], -1)


def _row_runs(mask: BoolArray) -> tuple[IntArray, IntArray, IntArray]:
    """Horizontal runs of ``mask`` in raster order: row, start column, end column (exclusive)."""
    h, w = mask.shape
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    d = np.diff(padded, axis=1)
    row, col = np.nonzero(d)  # per row: start, end, start, end, ...
    row = row[0::2].astype(np.int64)
    return row, col[0::2].astype(np.int64), col[1::2].astype(np.int64)


def _union_find(n: int, a: IntArray, b: IntArray) -> IntArray:
    """Root label (smallest member index) of every node, for the undirected edges (a, b)."""
    lab = np.arange(n, dtype=np.int64)
    if a.size == 0:
        return lab
    while True:
        la = lab[a]
        lb = lab[b]
        differ = la != lb
        if not differ.any():
            return lab
        la = la[differ]
        lb = lb[differ]
        np.minimum.at(lab, np.maximum(la, lb), np.minimum(la, lb))
        while True:  # pointer jumping until every node points at a root
            nxt = lab[lab]
            if np.array_equal(nxt, lab):
                break
            lab = nxt


def connected_components(mask: BoolArray, connectivity: int = 4) -> Components:
    """Label the connected components of ``mask`` (4- or 8-connectivity), in raster order."""
    if connectivity not in (4, 8):
        raise ValueError("connectivity must be 4 or 8")
    w = mask.shape[1]
    row, start, end = _row_runs(mask)
    n = int(row.size)
    empty = np.zeros(0, dtype=np.int64)
    if n == 0:
        return Components(empty, empty, empty, empty, empty, empty, empty, empty, empty, w)
    key_w = w + 2
    key_start = row * key_w + start
    key_end = row * key_w + end
    prev = (row - 1) * key_w
    if connectivity == 4:
        lo = np.searchsorted(key_end, prev + start, side="right")
        hi = np.searchsorted(key_start, prev + end, side="left")
    else:
        lo = np.searchsorted(key_end, prev + start, side="left")
        hi = np.searchsorted(key_start, prev + end, side="right")
    counts = np.maximum(hi - lo, 0)
    total = int(counts.sum())
    if total:
        b = np.repeat(np.arange(n, dtype=np.int64), counts)
        offsets = np.cumsum(counts) - counts
        a = np.arange(total, dtype=np.int64) - np.repeat(offsets, counts) + np.repeat(lo, counts)
    else:
        a = b = empty
    roots = _union_find(n, a, b)
    _, label = np.unique(roots, return_inverse=True)
    label = label.astype(np.int64).reshape(-1)
    order = np.argsort(label, kind="stable")
    sorted_label = label[order]
    first = np.flatnonzero(np.r_[True, sorted_label[1:] != sorted_label[:-1]])
    top = row[order][first]  # runs are in raster order, so the first run of a component is its top
    bottom = np.maximum.reduceat(row[order], first) + 1
    left = np.minimum.reduceat(start[order], first)
    right = np.maximum.reduceat(end[order], first)
    area = np.add.reduceat((end - start)[order], first)
    return Components(top, left, bottom, right, area, row, start, end, label, w)


def _box_sum(integral: npt.NDArray[Any], t: IntArray, lf: IntArray, b: IntArray, r: IntArray) -> IntArray:
    """Sums over boxes [t, b) x [lf, r) from an integral image with a zero first row/column."""
    return integral[b, r] - integral[t, r] - integral[b, lf] + integral[t, lf]


def _cumsum_rows(out: npt.NDArray[Any]) -> None:
    """In-place cumulative sum down the rows (axis 0).

    numpy's ``cumsum(axis=0)`` walks memory column by column and is about 10x slower than adding
    whole rows in a Python loop for images of this size.
    """
    for i in range(1, out.shape[0]):
        np.add(out[i], out[i - 1], out=out[i])


def _integral(values: npt.NDArray[Any], dtype: type[np.integer[Any]] = np.int32) -> npt.NDArray[Any]:
    """Integral image with a zero first row and column (sums over [t, b) x [lf, r) by 4 lookups)."""
    h, w = values.shape
    out = np.zeros((h + 1, w + 1), dtype=dtype)
    np.cumsum(values, axis=1, dtype=dtype, out=out[1:, 1:])
    _cumsum_rows(out)
    return out


def edge_strength(gray: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """``max(|dx|, |dy|)`` with forward differences (each ink boundary is marked once)."""
    e = np.zeros(gray.shape, dtype=np.float32)
    np.abs(gray[:, 1:] - gray[:, :-1], out=e[:, :-1])
    dy = np.abs(gray[1:, :] - gray[:-1, :])
    np.maximum(e[:-1, :], dy, out=e[:-1, :])
    return e


def edge_mask(gray: npt.NDArray[np.float32], threshold: float = EDGE_THRESHOLD) -> BoolArray:
    """Pixels whose right or lower neighbour differs by more than ``threshold`` grey levels."""
    return edge_strength(gray) > threshold


def _drop_long_runs(mask: BoolArray, max_run: int) -> BoolArray:
    """``mask`` without its horizontal runs of ``max_run`` pixels or more (rules, frames, UI edges)."""
    h, w = mask.shape
    row, start, end = _row_runs(mask)
    long_ = (end - start) >= max_run
    if not long_.any():
        return mask
    cut = np.zeros((h, w + 1), dtype=np.int32)
    np.add.at(cut, (row[long_], start[long_]), 1)
    np.add.at(cut, (row[long_], end[long_]), -1)
    return mask & ~(np.cumsum(cut, axis=1, dtype=np.int32)[:, :w] > 0)


def strip_rules(mask: BoolArray) -> BoolArray:
    """Remove long horizontal edges (table rules, underlines, boxes, buttons, panel borders).

    A glyph's horizontal edge is at most about one em long, so runs of 48 px or more (at analysis
    scale) are not text. (Long vertical edges need no stripping: components taller than the
    largest glyph are dropped anyway.)
    """
    return _drop_long_runs(mask, 48)


@dataclass(frozen=True, slots=True)
class LineCandidates:
    """Text-line candidates at analysis scale: boxes (right/bottom exclusive) and features."""

    top: IntArray
    left: IntArray
    bottom: IntArray
    right: IntArray
    features: FloatArray  # (n, len(LINE_FEATURES))
    level: IntArray  # 0: found on the analysis image, 1: on the coarse level

    @property
    def count(self) -> int:
        return int(self.top.size)


def _best_cut(profile: FloatArray) -> int | None:
    """Row that best separates two text lines in a row profile, or ``None``.

    A cut row's value must be at most 30 % of the smaller of the peaks on its two sides, and the
    inked parts on both sides must have comparable heights (each at least 45 % of the other),
    so an ``i`` dot row, an ascender or a descender band is never cut off as a line.
    """
    n = profile.size
    if n < 7:
        return None
    left_peak = np.maximum.accumulate(profile)
    right_peak = np.maximum.accumulate(profile[::-1])[::-1]
    k = np.arange(1, n - 1)
    denom = np.minimum(left_peak[k - 1], right_peak[k + 1])
    score = np.where(denom > 0, profile[k] / np.maximum(denom, 1e-9), np.inf)
    inked = np.flatnonzero(profile > 0)
    first, last = int(inked[0]), int(inked[-1])
    for idx in np.argsort(score, kind="stable").tolist():
        if score[idx] > 0.3:
            return None
        cut = int(k[idx])
        above = cut - first
        below = last + 1 - (cut + 1)
        if above >= 3 and below >= 3 and min(above, below) >= 0.45 * max(above, below):
            return cut
    return None


def _split_tall(
    mask: BoolArray, top: int, left: int, bottom: int, right: int
) -> list[tuple[int, int, int, int]]:
    """Split a candidate that holds several text lines (fused by touching descenders/ascenders)
    at the emptiest rows of its row profile, recursively."""
    h = bottom - top
    if h < 7 or (right - left) < 2 * h:
        return [(top, left, bottom, right)]
    region = mask[top:bottom, left:right]
    profile = region.sum(axis=1).astype(np.float64)
    cut = _best_cut(profile)
    if cut is None:
        return [(top, left, bottom, right)]
    out: list[tuple[int, int, int, int]] = []
    for a, b in ((0, cut), (cut + 1, h)):
        rows = np.flatnonzero(profile[a:b] > 0)
        if rows.size == 0:
            continue
        r0, r1 = a + int(rows[0]), a + int(rows[-1]) + 1
        piece = profile[r0:r1]
        core = r0 + np.flatnonzero(piece >= 0.3 * float(piece.max()))
        cols = np.flatnonzero(region[int(core[0]) : int(core[-1]) + 1].any(axis=0))
        if cols.size:
            out.extend(_split_tall(mask, top + r0, left + int(cols[0]), top + r1, left + int(cols[-1]) + 1))
    return out or [(top, left, bottom, right)]


#: Glyph components taller than this (analysis pixels) are left to the coarse level, where large
#: text looks like ordinary text (so one linear line model fits both).
FINE_MAX_GLYPH = 32
#: Downscale factor of the coarse level.
COARSE_FACTOR = 3
#: Coarse-level lines lower than this (coarse pixels) are left to the fine level.
COARSE_MIN_LINE = 8


def detect_line_candidates(
    gray: npt.NDArray[np.float32], strength: npt.NDArray[np.float32] | None = None
) -> LineCandidates:
    """Text-line candidates of a grey image (float32, 0..255) at analysis scale.

    Two levels: the analysis image (glyphs up to :data:`FINE_MAX_GLYPH` px) and a copy reduced
    :data:`COARSE_FACTOR` times (lines of :data:`COARSE_MIN_LINE` px and more there). Boxes are
    returned in analysis-scale pixels; ``level`` says which level found each. Candidates of the two
    levels may overlap; the caller keeps the better-scored one.
    ``strength`` is :func:`edge_strength` of ``gray`` when the caller already has it.
    """
    h, w = gray.shape
    if strength is None:
        strength = edge_strength(gray)
    fine = _level_candidates(gray, strength, max_glyph=FINE_MAX_GLYPH, min_line=0, level=0)
    f = COARSE_FACTOR
    if h // f < 16 or w // f < 16:
        return fine
    small = gray[: h // f * f, : w // f * f].reshape(h // f, f, w // f, f).mean(axis=(1, 3), dtype=np.float32)
    coarse = _level_candidates(
        small,
        edge_strength(small),
        max_glyph=max(16, int(0.25 * small.shape[0])),
        min_line=COARSE_MIN_LINE,
        level=1,
    )
    return LineCandidates(
        np.concatenate([fine.top, coarse.top * f]),
        np.concatenate([fine.left, coarse.left * f]),
        np.concatenate([fine.bottom, np.minimum(coarse.bottom * f, h)]),
        np.concatenate([fine.right, np.minimum(coarse.right * f, w)]),
        np.vstack([fine.features, coarse.features]),
        np.concatenate([fine.level, coarse.level]),
    )


def _level_candidates(
    gray: npt.NDArray[np.float32],
    strength: npt.NDArray[np.float32],
    *,
    max_glyph: int,
    min_line: int,
    level: int,
) -> LineCandidates:
    """Line candidates of one pyramid level, in that level's pixels."""
    h, w = gray.shape
    mask = strip_rules(strength > EDGE_THRESHOLD)
    comps = connected_components(mask, 4)
    ch = comps.bottom - comps.top
    cw = comps.right - comps.left
    fill = comps.area / np.maximum(ch * cw, 1)
    keep = (
        (ch >= 4)
        & (ch <= max_glyph)
        & (comps.area >= 6)
        & (fill >= 0.08)
        & ~((ch <= 4) & (cw > 6 * ch))  # thin horizontal rules
        & ~((cw <= 2) & (ch > 12))  # thin vertical rules
        & ~((ch >= 2.5 * cw) & (fill < 0.3) & (ch > 10))  # box sides with rounded corners
        & (cw <= int(0.98 * w))
    )
    idx = np.flatnonzero(keep)
    empty_f = np.zeros((0, len(LINE_FEATURES)), dtype=np.float64)
    empty = np.zeros(0, dtype=np.int64)
    none = LineCandidates(empty, empty, empty, empty, empty_f, empty)
    if idx.size == 0:
        return none
    gt, gl, gb, gr = comps.top[idx], comps.left[idx], comps.bottom[idx], comps.right[idx]
    gh = gb - gt
    # Paint each glyph's middle band, widened sideways by about half its height.
    band_t = gt + (0.3 * gh).astype(np.int64)
    band_b = np.maximum(gb - (0.3 * gh).astype(np.int64), band_t + 1)
    # A thin tall component (a box side, a bar edge, an "l") bridges less than a round glyph.
    pad = (0.5 * np.minimum(gh, 1.5 * (gr - gl) + 4)).astype(np.int64) + 1
    band_l = np.maximum(gl - pad, 0)
    band_r = np.minimum(gr + pad, w)
    diff = np.zeros((h + 1, w + 1), dtype=np.int32)
    np.add.at(diff, (band_t, band_l), 1)
    np.add.at(diff, (band_t, band_r), -1)
    np.add.at(diff, (band_b, band_l), -1)
    np.add.at(diff, (band_b, band_r), 1)
    np.cumsum(diff, axis=1, out=diff)
    _cumsum_rows(diff)
    painted = diff[:h, :w] > 0
    groups = connected_components(painted, 4)
    mid_r = (band_t + band_b - 1) // 2
    mid_c = (gl + gr - 1) // 2
    g_of = groups.label_at(mid_r, mid_c)
    valid = g_of >= 0
    g_of = np.where(valid, g_of, 0)
    n_groups = groups.count
    # A component much taller than its group's median (an object edge that the band painting
    # bridged to a line of text) does not belong to the line.
    if valid.any():
        vi = np.flatnonzero(valid)
        order = vi[np.lexsort((gh[vi], g_of[vi]))]
        sorted_g = g_of[order]
        first = np.flatnonzero(np.r_[True, sorted_g[1:] != sorted_g[:-1]])
        counts = np.diff(np.r_[first, sorted_g.size])
        median_h = np.zeros(n_groups, dtype=np.float64)
        median_h[sorted_g[first]] = gh[order[first + (counts - 1) // 2]]
        group_n = np.zeros(n_groups, dtype=np.int64)
        group_n[sorted_g[first]] = counts
        outlier = valid & (group_n[g_of] >= 3) & (gh > 1.8 * median_h[g_of])
        valid &= ~outlier
    big = np.iinfo(np.int64).max
    lt = np.full(n_groups, big, dtype=np.int64)
    ll = np.full(n_groups, big, dtype=np.int64)
    lb = np.full(n_groups, -1, dtype=np.int64)
    lr = np.full(n_groups, -1, dtype=np.int64)
    np.minimum.at(lt, g_of[valid], gt[valid])
    np.minimum.at(ll, g_of[valid], gl[valid])
    np.maximum.at(lb, g_of[valid], gb[valid])
    np.maximum.at(lr, g_of[valid], gr[valid])
    members = np.bincount(g_of[valid], minlength=n_groups)
    used = np.flatnonzero(members > 0)

    # Split fused multi-line candidates.
    boxes: list[tuple[int, int, int, int]] = []
    for gi in used.tolist():
        boxes.extend(_split_tall(mask, int(lt[gi]), int(ll[gi]), int(lb[gi]), int(lr[gi])))
    # A line is at least 4 px high and 1.5 times as wide as high (two or three glyphs or more):
    # thin upright candidates are object edges, and single characters are no text worth routing on.
    boxes = [
        bx for bx in boxes if bx[2] - bx[0] >= max(min_line, 4) and bx[3] - bx[1] >= 1.5 * (bx[2] - bx[0])
    ]
    if not boxes:
        return none
    arr = np.array(sorted(boxes), dtype=np.int64)  # sorted by (top, left): reading order-ish
    t, lf, b, r = arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3]
    vertical = np.zeros(gray.shape, dtype=bool)
    vertical[:, :-1] = np.abs(gray[:, 1:] - gray[:, :-1]) > EDGE_THRESHOLD
    feats = _line_features(strength, vertical, mask, t, lf, b, r, gt, gl, gb, gr)
    return LineCandidates(t, lf, b, r, feats, np.full(t.size, level, dtype=np.int64))


def _line_features(
    strength: npt.NDArray[np.float32],
    vertical: BoolArray,
    mask: BoolArray,
    t: IntArray,
    lf: IntArray,
    b: IntArray,
    r: IntArray,
    gt: IntArray,
    gl: IntArray,
    gb: IntArray,
    gr: IntArray,
) -> FloatArray:
    """The :data:`LINE_FEATURES` of every candidate box, vectorised (integral images)."""
    h, w = mask.shape
    lh = np.maximum(b - t, 1)
    lw = np.maximum(r - lf, 1)
    area = (lh * lw).astype(np.float64)
    integral = _integral(mask)
    fill = _box_sum(integral, t, lf, b, r) / area
    band = np.maximum(lh // 2, 2)
    at = np.maximum(t - band, 0)
    bb = np.minimum(b + band, h)
    above = _box_sum(integral, at, lf, t, r)
    below = _box_sum(integral, b, lf, bb, r)
    surround = (above + below) / np.maximum((t - at + bb - b) * lw, 1)
    sl = np.maximum(lf - lh, 0)
    sr = np.minimum(r + lh, w)
    side = (_box_sum(integral, t, sl, b, lf) + _box_sum(integral, t, r, b, sr)) / np.maximum(
        (lf - sl + sr - r) * lh, 1
    )
    # mean edge strength inside the box
    contrast = _box_sum(_integral(strength.astype(np.uint8)), t, lf, b, r) / area / 255.0
    # share of the box's edge pixels made by vertical strokes (text is full of them; the rim of a
    # cup or a horizon is not)
    strokes = _box_sum(_integral(vertical & mask), t, lf, b, r) / np.maximum(fill * area, 1.0)
    # glyph membership: paint candidate indices, look up each glyph's centre; and the gaps between
    # glyphs / words: runs of empty columns per line-height of width
    owner = np.full((h, w), -1, dtype=np.int32)
    gaps = np.zeros(t.size, dtype=np.float64)
    for i, (ti, li, bi, ri) in enumerate(zip(t.tolist(), lf.tolist(), b.tolist(), r.tolist(), strict=True)):
        owner[ti:bi, li:ri] = i
        cols = np.diff(integral[bi, li : ri + 1] - integral[ti, li : ri + 1]) > 0
        gaps[i] = np.count_nonzero(cols[:-1] & ~cols[1:])
    gaps = gaps / (lw / lh)
    n = t.size
    gcy = np.clip((gt + gb) // 2, 0, h - 1)
    gcx = np.clip((gl + gr) // 2, 0, w - 1)
    own = owner[gcy, gcx]
    ok = own >= 0
    own = own[ok]
    ghs = (gb - gt)[ok].astype(np.float64)
    gbs = gb[ok].astype(np.float64)
    gws = (gr - gl)[ok].astype(np.float64)
    members = np.bincount(own, minlength=n).astype(np.float64)
    cnt = np.maximum(members, 1.0)
    mean_h = np.bincount(own, ghs, minlength=n) / cnt
    var_h = np.maximum(np.bincount(own, ghs * ghs, minlength=n) / cnt - mean_h**2, 0.0)
    mean_b = np.bincount(own, gbs, minlength=n) / cnt
    var_b = np.maximum(np.bincount(own, gbs * gbs, minlength=n) / cnt - mean_b**2, 0.0)
    mean_w = np.bincount(own, gws, minlength=n) / cnt
    multi = members >= 2
    height_cv = np.where(multi, np.sqrt(var_h) / np.maximum(mean_h, 1.0), 0.0)
    bottom_spread = np.where(multi, np.sqrt(var_b) / lh, 0.0)
    glyph_width = np.where(members > 0, mean_w / lh, lw / lh)
    feats = np.column_stack(
        [
            np.log(lh.astype(np.float64)),
            lh / float(h),
            np.clip(np.log(lw / lh), -2.0, 5.0),
            np.log1p(members),
            np.clip(members / (lw / lh), 0.0, 4.0),
            np.clip(np.log(np.maximum(glyph_width, 1e-3)), -3.0, 2.0),
            fill,
            surround,
            side,
            contrast,
            strokes,
            np.clip(gaps, 0.0, 4.0),
            height_cv,
            bottom_spread,
        ]
    )
    return feats.astype(np.float64)


def refine_line_height(crop: npt.NDArray[np.float32], lo: int, hi: int) -> tuple[int, int] | None:
    """Ink rows of one text line in a full-resolution grey crop.

    ``crop`` spans the line with a margin; rows ``lo:hi`` are where the analysis-scale box says the
    line is. Returns the (top, bottom) rows (bottom exclusive) of the contiguous inked run that
    overlaps ``lo:hi``, or ``None``. For a skewed line (a scan turned by a degree or two) that run
    spans the whole slant; the height is then re-measured in vertical strips about one line-height
    wide (the 80th percentile of the strips, so strips without ascenders do not count), keeping
    the run's centre.
    """
    if crop.size == 0 or crop.shape[0] < 2 or crop.shape[1] < 2:
        return None
    border = np.concatenate([crop[0], crop[-1], crop[:, 0], crop[:, -1]]).astype(np.uint8)
    bg = float(np.argmax(np.bincount(border, minlength=256)))  # the modal border grey
    dev = np.abs(crop - bg)
    spread = float(dev.max())
    if spread < 20.0:
        return None
    ink = dev > max(0.35 * spread, 16.0)
    profile = ink.sum(axis=1)
    peak_row = lo + int(np.argmax(profile[lo:hi])) if hi > lo else int(np.argmax(profile))
    if profile[peak_row] == 0:
        return None
    on = profile > 0
    top = peak_row
    while top > 0 and on[top - 1]:
        top -= 1
    bottom = peak_row + 1
    while bottom < on.size and on[bottom]:
        bottom += 1
    height = _strip_height(ink[top:bottom], bottom - top)
    if height is not None:
        centre = (top + bottom) / 2.0
        return round(centre - height / 2.0), round(centre + height / 2.0)
    return top, bottom


def _strip_height(ink: BoolArray, height: int) -> int | None:
    """The line height of a skewed line, measured in vertical strips; ``None`` if it is level.

    The run of inked rows of a line turned by a small angle spans ``height = h + width * tan``.
    In strips about one run-height wide, each strip's own run (the one around the strip's densest
    row, so neighbouring lines that share the rows are left out) spans about ``h + strip * tan``;
    the strips' centres drift by ``tan`` per pixel (a Theil-Sen slope, robust to strips that caught
    a neighbouring line). The line counts as skewed when that drift explains at least 30 % of
    ``height``; its height is then the 90th percentile of the strip
    runs (strips with both ascenders and descenders) minus the slant inside a strip.
    """
    rows, width = ink.shape
    ws = max(4, height)
    n = width // ws
    if n < 4 or rows < 4:
        return None
    counts = ink[:, : n * ws].reshape(rows, n, ws).sum(axis=2)  # (rows, strips)
    inked = counts.max(axis=0) > 0
    if int(inked.sum()) < 4:
        return None
    on = counts > 0
    starts = on & ~np.vstack([np.zeros((1, n), dtype=bool), on[:-1]])
    run_id = np.cumsum(starts, axis=0)
    peak = counts.argmax(axis=0)
    member = on & (run_id == run_id[peak, np.arange(n)][None, :])
    r = np.arange(rows)[:, None]
    first = np.where(member, r, rows).min(axis=0)[inked].astype(np.float64)
    last = np.where(member, r, -1).max(axis=0)[inked].astype(np.float64)
    centres = (first + last + 1) / 2.0
    xs = (np.arange(n)[inked] + 0.5) * ws
    dx = xs[None, :] - xs[:, None]
    pairs = dx > 0
    slope = float(np.median(((centres[None, :] - centres[:, None])[pairs]) / dx[pairs]))  # Theil-Sen
    if abs(slope) * width < 0.3 * height:
        return None  # level text: the whole-line run is the line height
    strip_h = float(np.percentile(last + 1 - first, 90)) - abs(slope) * ws
    return max(1, round(strip_h)) if strip_h < height else None
