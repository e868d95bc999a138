"""Text path of the locator: find the question's words in the OCR lines, return the text and its
neighbourhood.

Matching is on normalised tokens (:func:`~._query.normalise_tokens`), fuzzy for OCR noise: two
tokens match when equal, or when their :class:`difflib.SequenceMatcher` ratio is at least
``TOKEN_MIN_RATIO`` (``TOKEN_MIN_RATIO_DIGITS`` when digits are involved, tokens of one or two
characters only exactly). A phrase scores the best of: its tokens found contiguously in the line
(length-weighted mean of the token ratios), the phrase with its spaces removed against a window of
the line with its spaces removed (OCR merges and splits words), and ``BAG_FACTOR`` x its tokens
found anywhere in the line. The confidence is the term's kind weight x the score, lowered when the
best line is ambiguous and raised when several terms agree.

Neighbourhoods (by the question's intent, see :mod:`._query`):

- ``value``: a key whose value is on its own line gets the value: the whole row to its right (every
  line whose vertical band overlaps the key's), or, for a label above a larger value (dashboard
  cards), the line below; a key holding its value inline ("Order ID: A-48213") keeps its line and
  the lines that continue it.
- ``cell``: two terms, one a row label and one a column header above and to its right: the row from
  the label to the cell under the header.
- ``line``: the key's whole row (left and right).
- ``paragraph``: the lines chained above and below the key with paragraph spacing.
- ``column``: the key (a column header) and the lines under it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..types import Box, TextLine
from ._geometry import center, h_gap, h_overlap, median_height, same_band, union_all, v_gap
from ._query import GENERIC_TOKENS, ParsedQuery, Term, normalise_tokens

__all__ = ["TextMatch", "TextRegion", "locate_text", "match_terms"]

TOKEN_MIN_RATIO = 0.8
TOKEN_MIN_RATIO_DIGITS = 0.86
JOINED_MIN_RATIO = 0.85
BAG_FACTOR = 0.85
#: Two tokens equal up to characters OCR confuses (0/o, 1/l/i, 5/s, 8/b, rn/m) score this.
OCR_CONFUSION_SCORE = 0.95
#: A phrase must score at least this to count as found.
MIN_MATCH_SCORE = 0.72
#: Tokens of a phrase that say little alone ("name" in "customer name") weigh this much of their length.
GENERIC_TOKEN_WEIGHT = 0.35
#: A phrase whose identifier token (digits, 3+ characters) is found exactly scores at least this.
ID_MATCH_SCORE = 0.9
#: Rank added to a line that starts with the term as a form label ("Channel:"): a label is what a
#: question about a field names, over a button or sentence that merely contains the word (and
#: OCR reads a label beside its input box with less confidence than a plain button).
LABEL_FORM_BONUS = 0.04
#: Two matches within this rank of each other, on different rows, make the best one ambiguous.
AMBIGUITY_MARGIN = 0.03
AMBIGUITY_PENALTY = 0.15
#: A right-hand neighbour at most this many key heights away continues the key's row.
ROW_NEAR_HEIGHTS = 4.0
#: A value below the key: at most this many heights below, and taller than the key by this factor.
BELOW_MAX_HEIGHTS = 2.0
BELOW_TALLER = 1.3
#: Inline values: lines continuing the key's line are at most this many heights apart.
INLINE_GAP_HEIGHTS = 3.0
#: A text line continues through same-band lines of a similar height (ratio) and gaps (key heights).
LINE_MAX_HEIGHT_RATIO = 1.5
LINE_MAX_GAP_HEIGHTS = 8.0
#: Paragraph lines are at most this many line heights apart vertically.
PARAGRAPH_GAP_HEIGHTS = 1.0
#: A column's lines are at most this many line heights apart vertically.
COLUMN_GAP_HEIGHTS = 2.5


@dataclass(frozen=True)
class TextMatch:
    """One term found in one OCR line."""

    line: int
    term: Term
    score: float
    rank: float
    start: int
    end: int
    line_tokens: int
    matched: str


@dataclass(frozen=True)
class TextRegion:
    """A region from the text path: the box, its confidence, the evidence and the key line."""

    box: Box
    confidence: float
    evidence: str
    key: Box
    how: str
    in_region: bool = False
    complete: bool = True
    """False when a key was found but no value next to it (the value may be text the OCR missed)."""


_CONFUSIONS = str.maketrans({"0": "o", "1": "l", "i": "l", "5": "s", "8": "b"})


def _canon(token: str) -> str:
    """``token`` with the characters OCR confuses folded together (``0rder lD`` ~ ``order id``)."""
    return token.replace("rn", "m").translate(_CONFUSIONS)


class _Similarity:
    """Token similarity with a per-call cache (OCR lines repeat tokens)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], float] = {}

    def __call__(self, a: str, b: str) -> float:
        if a == b:
            return 1.0
        if min(len(a), len(b)) < 3:
            return OCR_CONFUSION_SCORE if any(c.isalpha() for c in a) and _canon(a) == _canon(b) else 0.0
        if abs(len(a) - len(b)) > max(2, int(0.34 * max(len(a), len(b)))):
            return 0.0
        key = (a, b)
        hit = self._cache.get(key)
        if hit is None and any(c.isalpha() for c in a) and _canon(a) == _canon(b):
            self._cache[key] = OCR_CONFUSION_SCORE
            return OCR_CONFUSION_SCORE
        if hit is not None:
            return hit
        digits = any(c.isdigit() for c in a)  # the question's token: "tota1" may still be "total"
        floor = TOKEN_MIN_RATIO_DIGITS if digits else TOKEN_MIN_RATIO
        sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
        value = 0.0
        if sm.real_quick_ratio() >= floor and sm.quick_ratio() >= floor:
            r = sm.ratio()
            value = r if r >= floor else 0.0
        self._cache[key] = value
        return value


def _joined_ratio(phrase: str, window: str) -> float:
    if len(phrase) < 5 or not window:
        return 0.0
    sm = difflib.SequenceMatcher(None, phrase, window, autojunk=False)
    if sm.real_quick_ratio() < JOINED_MIN_RATIO or sm.quick_ratio() < JOINED_MIN_RATIO:
        return 0.0
    r = sm.ratio()
    return r if r >= JOINED_MIN_RATIO else 0.0


def _score_phrase(
    term: Term, tokens: Sequence[str], sim: _Similarity, starts_only: bool
) -> tuple[float, int, int]:
    """Best score of ``term`` in a line's ``tokens`` and the token window it covers."""
    p = term.tokens
    k, n = len(p), len(tokens)
    if n == 0:
        return 0.0, 0, 0
    generic = all(t in GENERIC_TOKENS for t in p)
    weights = [
        max(1, len(t)) * (1.0 if generic or t not in GENERIC_TOKENS else GENERIC_TOKEN_WEIGHT) for t in p
    ]
    total = float(sum(weights))
    matrix = [[sim(pt, lt) for lt in tokens] for pt in p]
    best, best_span = 0.0, (0, 0)
    starts = range(1) if starts_only else range(max(1, n - k + 1))
    for i in starts:
        score = sum(weights[j] * (matrix[j][i + j] if i + j < n else 0.0) for j in range(k)) / total
        if score > best:
            best, best_span = score, (i, min(n, i + k))
    phrase = "".join(p)
    if best < 0.95 and len(phrase) >= 5:
        for size in {max(1, k - 1), k, k + 1}:
            for i in starts if starts_only else range(max(1, n - size + 1)):
                r = _joined_ratio(phrase, "".join(tokens[i : i + size]))
                if r > best:
                    best, best_span = r, (i, min(n, i + size))
    for j, pt in enumerate(p):  # an identifier found exactly ("order #2506": 2506) is a strong match
        if k > 1 and len(pt) >= 3 and any(c.isdigit() for c in pt) and pt in tokens and best < ID_MATCH_SCORE:
            pos = tokens.index(pt)
            if not starts_only or pos == 0:
                best, best_span = ID_MATCH_SCORE, (pos, pos + 1)
        del j
    if not starts_only and k > 1:
        bag = BAG_FACTOR * sum(weights[j] * max(matrix[j]) for j in range(k)) / total
        if bag > best:
            hits = [row.index(max(row)) for row in matrix if max(row) > 0]
            best, best_span = bag, (min(hits), max(hits) + 1)
    return best, best_span[0], best_span[1]


def match_terms(lines: Sequence[TextLine], terms: Sequence[Term]) -> list[TextMatch]:
    """Every (line, term) match scoring at least ``MIN_MATCH_SCORE``, best first."""
    sim = _Similarity()
    tokenised = [normalise_tokens(line.text) for line in lines]
    out: list[TextMatch] = []
    for term in terms:
        starts_only = term.kind == "starts_with"
        for i, tokens in enumerate(tokenised):
            if not tokens:
                continue
            score, a, b = _score_phrase(term, tokens, sim, starts_only)
            if score < MIN_MATCH_SCORE:
                continue
            conf = lines[i].confidence
            quality = score * (0.9 + 0.1 * max(0.0, min(1.0, conf)))
            label_like = (b - a) / len(tokens)  # the term is (most of) the line: a label
            rank = term.weight * quality + 0.03 * label_like + (0.02 if a == 0 else 0.0)
            if a == 0 and _looks_like_label(lines[i].text):
                rank += LABEL_FORM_BONUS
            out.append(TextMatch(i, term, round(quality, 4), rank, a, b, len(tokens), lines[i].text))
    out.sort(key=lambda m: (-m.rank, lines[m.line].box.top, lines[m.line].box.left))
    return out


# --------------------------------------------------------------------------- neighbourhoods


def _row(lines: Sequence[TextLine], key: int) -> list[int]:
    kb = lines[key].box
    return [i for i, ln in enumerate(lines) if i != key and same_band(kb, ln.box)]


_LABEL = re.compile(r"^\s*[^\W\d_][\w .#/&()'-]{0,30}:")


def _looks_like_label(text: str) -> bool:
    """A form label starts the text ("City:", "Due Date: 2025-01-03")."""
    return bool(_LABEL.match(text))


def _below(lines: Sequence[TextLine], key: int) -> int | None:
    """The nearest line under ``key`` (overlapping it horizontally), within ``BELOW_MAX_HEIGHTS``."""
    kb = lines[key].box
    h = max(1, kb.height)
    below: int | None = None
    best_gap = 0
    for i, ln in enumerate(lines):
        b = ln.box
        if i == key or b.top < kb.bottom - 0.2 * h:
            continue
        if h_overlap(kb, b) <= 0 and abs(center(b)[0] - center(kb)[0]) > max(kb.width, b.width) / 2:
            continue
        gap = v_gap(kb, b)
        if gap <= BELOW_MAX_HEIGHTS * max(h, b.height) and (below is None or gap < best_gap):
            below, best_gap = i, gap
    return below


def _value_region(lines: Sequence[TextLine], m: TextMatch) -> tuple[Box, str]:
    kb = lines[m.line].box
    h = max(1, kb.height)
    row = _row(lines, m.line)
    right = sorted(
        (i for i in row if center(lines[i].box)[0] > kb.right - 0.25 * h), key=lambda i: lines[i].box.left
    )
    rest = normalise_tokens(lines[m.line].text)[m.end :]
    inline = bool(rest) and (":" in lines[m.line].text or any(any(c.isdigit() for c in t) for t in rest))
    if inline:  # "Order ID: A-48213", "Tax 8%  $3.20": the key's line holds the value or continues to it
        box = kb
        for i in right:
            if _looks_like_label(lines[i].text):
                break  # the next field of a form row
            box = box.union(lines[i].box)
        return box, "the line of"
    below = _below(lines, m.line)
    # A larger line just below is the value (a dashboard card) unless the key's right neighbour has
    # no larger line below it in turn: then the key is one row of a list or form, whose value is right.
    below_is_value = below is not None and lines[below].box.height >= BELOW_TALLER * h
    if below_is_value and right:
        nb = _below(lines, right[0])
        below_is_value = nb is not None and lines[nb].box.height >= BELOW_TALLER * lines[right[0]].box.height
    if right and (not below_is_value or h_gap(kb, lines[right[0]].box) <= ROW_NEAR_HEIGHTS * h):
        row_boxes = [kb]
        for i in right:
            if len(row_boxes) > 1 and _looks_like_label(lines[i].text):
                break  # the next field of a form row
            row_boxes.append(lines[i].box)
        return union_all(row_boxes) or kb, "the row of"
    if below is not None:
        return kb.union(lines[below].box), "the value below"
    return kb, "the text"


def _cell_region(lines: Sequence[TextLine], row_m: TextMatch, head_m: TextMatch) -> Box | None:
    rb, hb = lines[row_m.line].box, lines[head_m.line].box
    if hb.bottom > rb.top or center(hb)[0] <= rb.right:
        return None
    pad = 0.5 * hb.width
    column = Box(int(hb.left - pad), hb.top, int(hb.right + pad), hb.bottom)
    cells = [
        lines[i].box
        for i in _row(lines, row_m.line)
        if lines[i].box.left >= rb.left and h_overlap(column, lines[i].box) > 0
    ]
    if not cells:
        return None
    best = min(cells, key=lambda b: abs(center(b)[0] - center(hb)[0]))
    return rb.union(best)


def _line_region(lines: Sequence[TextLine], m: TextMatch) -> Box:
    """The key's text line: same-band lines of a similar height, chained left and right."""
    kb = lines[m.line].box
    h = max(1, kb.height)
    row = [
        lines[i].box
        for i in _row(lines, m.line)
        if max(h, lines[i].box.height) <= LINE_MAX_HEIGHT_RATIO * min(h, lines[i].box.height)
    ]
    box = kb
    for b in sorted(row, key=lambda b: abs(center(b)[0] - center(kb)[0])):
        if h_gap(box, b) <= LINE_MAX_GAP_HEIGHTS * h:
            box = box.union(b)
    return box


def _paragraph_region(lines: Sequence[TextLine], m: TextMatch) -> Box:
    box = lines[m.line].box
    h = median_height([ln.box for ln in lines])
    members = {m.line}
    changed = True
    while changed:
        changed = False
        for i, ln in enumerate(lines):
            if i in members:
                continue
            b = ln.box
            if h_overlap(box, b) > 0 and v_gap(box, b) <= PARAGRAPH_GAP_HEIGHTS * h:
                box, changed = box.union(b), True
                members.add(i)
    return box


def _column_region(lines: Sequence[TextLine], m: TextMatch) -> Box:
    box = lines[m.line].box
    h = max(1, box.height)
    col = Box(box.left - h, box.top, box.right + h, box.bottom)
    below = sorted(
        (i for i, ln in enumerate(lines) if ln.box.top >= box.bottom - 0.2 * h),
        key=lambda i: lines[i].box.top,
    )
    bottom = box.bottom
    for i in below:
        b = lines[i].box
        if h_overlap(col, b) <= 0:
            continue
        if b.top - bottom > COLUMN_GAP_HEIGHTS * max(h, b.height):
            break
        box = box.union(b)
        bottom = max(bottom, b.bottom)
    return box


def _in_region(box: Box, region: tuple[float, float, float, float] | None, width: int, height: int) -> bool:
    if region is None:
        return True
    cx, cy = center(box)
    x0, y0, x1, y1 = region
    return x0 * width <= cx <= x1 * width and y0 * height <= cy <= y1 * height


def locate_text(
    lines: Sequence[TextLine],
    parsed: ParsedQuery,
    width: int,
    height: int,
    region: tuple[float, float, float, float] | None = None,
) -> TextRegion | None:
    """The region of ``lines`` (OCR lines with text) that ``parsed`` asks about, or ``None``.

    ``region`` (fractions of the page, from a spatial cue) keeps matches inside it when any is.
    """
    if not parsed.terms or not lines:
        return None
    matches = match_terms(lines, parsed.terms)
    if not matches:
        return None
    agreed_region = False
    if region is not None:
        inside = [mm for mm in matches if _in_region(lines[mm.line].box, region, width, height)]
        if inside:
            matches, agreed_region = inside, True
    best = matches[0]
    kb = lines[best.line].box
    confidence = best.term.weight * best.score
    notes: list[str] = []
    rivals = [
        mm
        for mm in matches[1:]
        if mm.term == best.term
        and not same_band(lines[mm.line].box, kb)
        and best.rank - mm.rank <= AMBIGUITY_MARGIN
    ]
    if rivals:
        confidence -= AMBIGUITY_PENALTY
        notes.append(f"{len(rivals) + 1} similar matches")
    # Other terms: agreement on the same row raises confidence; a header above-right makes a cell.
    others = [mm for mm in matches if mm.term != best.term]
    agreeing = {mm.term for mm in others if same_band(lines[mm.line].box, kb)}
    if agreeing:
        confidence += min(0.08, 0.04 * len(agreeing))
        notes.append("agreeing terms " + ", ".join(repr(t.text) for t in agreeing))
    quoted = f"'{best.matched}'" if len(best.matched) <= 40 else f"'{best.matched[:37]}...'"
    how = parsed.intent
    complete = True
    box: Box | None = None
    label = ""
    if parsed.intent == "value":
        for mm in others:
            cell = _cell_region(lines, best, mm) or _cell_region(lines, mm, best)
            if cell is not None:
                row_m, head_m = (best, mm) if lines[mm.line].box.bottom <= kb.top else (mm, best)
                box = cell
                confidence = max(confidence, 0.5 * (confidence + mm.term.weight * mm.score)) + 0.04
                label = f"the cell of row '{lines[row_m.line].text}' under '{lines[head_m.line].text}'"
                how = "cell"
                break
    if box is None:
        if parsed.intent == "line":
            box, label = _line_region(lines, best), f"the line {quoted}"
        elif parsed.intent == "paragraph":
            box, label = _paragraph_region(lines, best), f"the paragraph of {quoted}"
        elif parsed.intent == "column":
            box, label = _column_region(lines, best), f"the column under {quoted}"
        else:
            box, what = _value_region(lines, best)
            label = f"{what} {quoted}" if what != "the value below" else f"{quoted} and the value below it"
            if what == "the text":
                confidence -= 0.1
                complete = False
                notes.append("no value found next to it")
    if agreed_region:
        notes.append("inside the place named")
    confidence = round(max(0.0, min(0.99, confidence)), 4)
    detail = f"matched {best.term.text!r}, {best.score:.2f}"
    if notes:
        detail += "; " + "; ".join(notes)
    return TextRegion(box, confidence, f"{label} ({detail})", kb, how, agreed_region, complete)
