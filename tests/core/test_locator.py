"""QueryRegionLocator: each path (text, spatial, patches), the fallback, OCR reuse and timing.

Most tests use a fake OCR engine returning given lines (fast, deterministic); a few use the real
default engine and are skipped when none is installed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pytest
from conftest import font
from PIL import Image, ImageDraw

from headroom_core import Box, ImageSignals, TextLine
from headroom_core._exceptions import HeadroomError, MissingDependencyError
from headroom_core.locate import LocateReport, QueryRegionLocator, parse_query, region_from_patches
from headroom_core.locate._text import locate_text
from headroom_core.ocr import OcrEngine, OcrResult
from headroom_core.router import LocatedRegion, RegionLocator


class LinesOcr(OcrEngine):
    """Returns the given text lines; counts its reads."""

    name = "lines-ocr"

    def __init__(
        self, lines: Sequence[tuple[str, tuple[int, int, int, int]]], confidence: float = 0.95
    ) -> None:
        self.lines = tuple(TextLine(Box(*b), t, confidence) for t, b in lines)
        self.calls = 0

    def read(self, image: Image.Image) -> OcrResult:
        self.calls += 1
        return OcrResult(self.lines, self.name, 1.0, image.width, image.height)


class BrokenOcr(OcrEngine):
    name = "broken-ocr"

    def read(self, image: Image.Image) -> OcrResult:
        raise HeadroomError("engine crashed")


def blank(width: int = 1000, height: int = 800) -> Image.Image:
    return Image.new("RGB", (width, height), "white")


def signals_with(lines: Sequence[Box] = (), has_text: float = 0.9) -> ImageSignals:
    return ImageSignals(
        has_text, 0.8, 0.3, 0.2, analyzer="test", text_lines=tuple(TextLine(b) for b in lines)
    )


def inside(inner: Box | tuple[int, int, int, int], outer: Box) -> bool:
    return outer.contains(inner if isinstance(inner, Box) else Box(*inner))


FORM_LINES = [
    ("Quarterly Sales Report", (40, 37, 358, 68)),
    ("Order ID", (60, 124, 127, 138)),
    ("A-48213", (400, 124, 468, 138)),
    ("Customer", (60, 164, 141, 178)),
    ("Jane Smith", (400, 164, 490, 178)),
    ("Subtotal", (61, 244, 131, 258)),
    ("$41.00", (400, 243, 454, 259)),
    ("Total", (60, 325, 103, 338)),
    ("$45.00", (400, 323, 454, 340)),
    ("Page 1 of 3 - confidential", (41, 651, 198, 669)),
]


def locate(lines: Sequence[tuple[str, tuple[int, int, int, int]]], query: str, **kw: object) -> LocateReport:
    loc = QueryRegionLocator(ocr_engine=LinesOcr(lines))
    return loc.locate_detailed(blank(), query, signals_with())


# --------------------------------------------------------------------------- query parsing


def test_parse_query_finds_terms_places_and_intent() -> None:
    p = parse_query('What does the "Due date" field say in the top-right corner?')
    assert [t.text for t in p.terms] == ["due date"] and p.terms[0].kind == "quoted"
    assert [(c.kind, c.side) for c in p.spatial] == [("corner", "top-right")]
    p = parse_query("Which line starts with ERROR?")
    assert p.terms[0].text == "error" and p.terms[0].kind == "starts_with" and p.intent == "line"
    p = parse_query("What is the Invoice No?")
    assert p.terms[0].text == "invoice no" and p.terms[0].kind == "capitalised"
    p = parse_query("What is in the third row of the table?")
    assert p.terms == () and p.spatial[0].kind == "row" and p.spatial[0].ordinal == 3
    assert parse_query("What's in the left column?").spatial[0].side == "left"
    assert parse_query("What does the legend say?").spatial[0].kind == "legend"
    assert parse_query("what is the customer's name?").terms[0].text == "customer name"


def test_a_question_asks_what_a_page_is_about() -> None:
    for q in (
        "What is this page about?",
        "what's this document about",
        "Tell me what this page is about.",
        "What is the topic of this page?",
    ):
        assert parse_query(q).asks_topic, q
        assert QueryRegionLocator(ocr_engine=None).asks_topic(q)
    for q in (
        "Summarise this page.",  # the content, not the topic
        "What is this page about? Also list the functions.",
        "What does this page say about refunds?",
        "What is this photo about?",  # a photo's gist is rule 3's
    ):
        assert not parse_query(q).asks_topic, q


def test_a_question_names_its_target_by_its_own_text() -> None:
    named = [
        "What does the line beginning with 'warning (' say?",
        "Which line starts with ERROR?",
        "What is set for the option labelled 'Check style'?",
        'What is the value of "Retries" in the config?',
        "Read me the row that begins with Total",
    ]
    for q in named:
        assert parse_query(q).names_text_target, q
    not_named = [
        "What does the error 'ENOENT' mean?",  # a term to explain: its context matters
        "Summarise the paragraph starting with 'However'",  # a paragraph, not a line
        "Transcribe the text on this page.",
        "What is the heading at the top of the page?",
        "What is the Invoice No?",  # capitalised label, not quoted: read from the text
        "What's in the left column?",
        "Copy out every line beginning with 'ERROR'",  # several lines
        "List all lines starting with ERROR",
        "What does the error message 'ENOENT' mean?",  # about the text, not for it
        "What does the error 'required field missing' mean?",
        "Explain the line beginning with 'warning ('",
        "Summarise the page. Also, what does the line starting with 'ERROR disk' say?",
    ]
    for q in not_named:
        assert not parse_query(q).names_text_target, q
    # the question's own words decide the intent, not the quoted text
    assert parse_query("What does 'log record with id' say?").intent == "value"
    assert parse_query("Which line of the description starts with 'Error'?").intent == "line"
    assert QueryRegionLocator(ocr_engine=None).names_text(named[0])


def test_a_question_asks_for_the_title_alone() -> None:
    alone = [
        "What does the main heading say?",
        "What is the title of this chart?",
        "What is the heading at the top of the page?",
        "What’s the title?",
        "Read the headline.",
        "what is this page's title",
        "what is the heading on the top of the screen",
    ]
    for q in alone:
        assert parse_query(q).asks_title, q
    more = [
        "What does the title say and what is the first paragraph about?",  # and more
        "Summarise the page under the heading",
        "What is written under the heading?",
        "What font is the title in?",  # the title's look, not its text
        "What is the title font?",
        "What colour is the heading?",
        "What is the heading of section 2?",  # a section's heading, not the page's
        "What does the heading mean?",
        "Transcribe the text on this page.",
        "What is the title of this chart and its x axis?",
        "What is the x-axis title?",  # an axis's title
    ]
    for q in more:
        assert not parse_query(q).asks_title, q
    assert QueryRegionLocator(ocr_engine=None).asks_title(alone[0])


# --------------------------------------------------------------------------- text path


def test_key_value_returns_the_row_to_the_right_of_the_key() -> None:
    r = locate(FORM_LINES, "What is the value next to Total?").region
    assert r is not None and r.confidence >= 0.9
    assert inside((60, 325, 103, 338), r.box) and inside((400, 323, 454, 340), r.box)
    assert r.box.top >= 300 and r.box.bottom <= 345  # only that row
    assert "'Total'" in r.evidence and "matched 'total'" in r.evidence


def test_multiword_label_and_fuzzy_ocr_noise() -> None:
    noisy = [(t.replace("Order ID", "0rder lD"), b) for t, b in FORM_LINES]
    r = locate(noisy, "What is the Order ID?").region
    assert r is not None and inside((400, 124, 468, 138), r.box)
    r = locate([(t.replace("Total", "Tota1"), b) for t, b in FORM_LINES], "What's the Total?").region
    assert r is not None and inside((400, 323, 454, 340), r.box)
    assert r.box.top > 300  # "Subtotal" is not "Total"


def test_inline_value_keeps_its_line_and_stops_at_the_next_field() -> None:
    lines = [
        ("Email: raj86@example.com", (60, 200, 300, 218)),
        ("City: Leeds", (500, 200, 600, 218)),
        ("Tax 8%", (30, 400, 90, 418)),
        ("$13.82", (500, 400, 560, 418)),
    ]
    r = locate(lines, "What is the Email?").region
    assert r is not None and inside((60, 200, 300, 218), r.box) and r.box.right < 500
    r = locate(lines, "How much was the tax?").region  # "8%" is part of the label: the price is included
    assert r is not None and inside((500, 400, 560, 418), r.box)


def test_line_that_starts_with() -> None:
    lines = [
        ("INFO 12:00:01 connected to queue", (16, 60, 400, 76)),
        ("INFO 12:00:02 an ERROR was retried", (16, 88, 420, 104)),
        ("ERROR 12:00:03 disk quota exceeded", (16, 116, 430, 132)),
        ("INFO 12:00:04 heartbeat ok", (16, 144, 300, 160)),
    ]
    r = locate(lines, "Which line starts with ERROR?").region
    assert r is not None and r.box == Box(16, 116, 430, 132) and r.by_text
    assert "starts" not in r.evidence or "ERROR" in r.evidence


def test_a_quoted_start_matches_only_at_the_start_of_a_line() -> None:
    """A reference card: the quoted start also ends the line above it."""
    p = parse_query("What does the line beginning with 'edit history' say?")
    assert [(t.text, t.kind) for t in p.terms] == [("edit history", "starts_with")] and p.intent == "line"
    assert parse_query("What does 'edit history' mean?").terms[0].kind == "quoted"
    lines = [  # the line asked for reads with less confidence (small print)
        TextLine(Box(16, 60, 420, 76), "use with edit history", 0.97),
        TextLine(Box(16, 88, 520, 104), "edit history lines edit and then run previous commands", 0.5),
    ]
    found = locate_text(lines, p, 1000, 800)
    assert found is not None and found.box == Box(16, 88, 520, 104)


def test_a_form_label_wins_over_a_button_that_contains_the_word() -> None:
    """GIMP's Curves dialog: the bold "Channel:" label beside its drop-down reads with less
    confidence than the "Reset Channel" button on the same row."""
    lines = [
        TextLine(Box(7, 97, 71, 111), "Presets:", 0.97),
        TextLine(Box(6, 125, 158, 166), "Channel: [ value.", 0.59),
        TextLine(Box(214, 138, 332, 154), "Reset Channel", 0.97),
    ]
    found = locate_text(lines, parse_query("What is set for the option labelled 'Channel'?"), 476, 561)
    assert found is not None and found.box.left <= 6 and "'Channel: [ value.'" in found.evidence


def test_quoted_string() -> None:
    lines = [*FORM_LINES, ("Due date: 2025-01-03", (600, 124, 800, 140))]
    r = locate(lines, 'What does "Due date" say?').region
    assert r is not None and inside((600, 124, 800, 140), r.box) and r.box.left >= 590


def test_table_cell_under_a_column_header() -> None:
    lines = [
        ("Description", (60, 280, 160, 296)),
        ("Qty", (520, 280, 550, 296)),
        ("Amount", (860, 280, 940, 296)),
        ("Cable Reel", (60, 330, 150, 346)),
        ("12", (530, 330, 550, 346)),
        ("71.64", (890, 330, 940, 346)),
        ("Wall Anchor", (60, 368, 160, 384)),
        ("40", (530, 368, 550, 384)),
        ("19.20", (890, 368, 940, 384)),
    ]
    r = locate(lines, "What is the Amount for Cable Reel?").region
    assert r is not None and inside((890, 330, 940, 346), r.box) and inside((60, 330, 150, 346), r.box)
    assert r.box.bottom < 368 and "cell" in r.evidence


def test_label_above_a_larger_value() -> None:
    lines = [
        ("Revenue", (260, 108, 330, 123)),
        ("$747,758", (260, 140, 400, 170)),
        ("Active Users", (560, 108, 660, 123)),
        ("52,190", (560, 140, 680, 170)),
    ]
    r = locate(lines, "What is the Revenue?").region
    assert r is not None and inside((260, 140, 400, 170), r.box) and r.box.right < 560


def test_paragraph_intent() -> None:
    lines = [
        ("Refunds", (60, 100, 140, 120)),
        ("Refunds are paid within 14 days of", (60, 130, 500, 146)),
        ("the return reaching our warehouse.", (60, 150, 480, 166)),
        ("Shipping", (60, 260, 140, 280)),
        ("Orders ship in two days.", (60, 290, 400, 306)),
    ]
    r = locate(lines, "What does the paragraph about refunds say?").region
    assert r is not None and inside((60, 150, 480, 166), r.box) and r.box.bottom < 260


def test_no_match_and_no_place_gives_none() -> None:
    report = locate(FORM_LINES, "What colour is the car?")
    assert report.region is None and report.path == "none"


def test_ocr_runs_once_per_image_content_and_spatial_questions_skip_it() -> None:
    engine = LinesOcr(FORM_LINES)
    loc = QueryRegionLocator(ocr_engine=engine)
    img = blank()
    assert loc.locate(img, "What is the Total?", signals_with()) is not None
    assert loc.locate(img.copy(), "What is the Order ID?", signals_with()) is not None
    assert engine.calls == 1
    report = loc.locate_detailed(img, "What's in the top-right corner?", signals_with())
    assert engine.calls == 1 and report.timing.ocr == "skipped" and report.timing.ocr_ms == 0.0
    other = blank()
    other.putpixel((5, 5), (0, 0, 0))
    loc.locate(other, "What is the Total?", signals_with())
    assert engine.calls == 2
    report = loc.locate_detailed(img, "What is the Subtotal?", signals_with())
    assert report.timing.ocr == "cached" and report.timing.rest_ms >= 0.0
    assert report.timing.total_ms >= report.timing.ocr_ms


class PageThenStackOcr(OcrEngine):
    """Reads the page without the values in form boxes; reads the stacked image of missed boxes."""

    name = "page-then-stack"

    def __init__(self) -> None:
        self.sizes: list[tuple[int, int]] = []

    def read(self, image: Image.Image) -> OcrResult:
        self.sizes.append(image.size)
        if len(self.sizes) == 1:
            lines = (TextLine(Box(60, 420, 100, 434), "City", 0.95),)
        else:  # the stacked canvas: one missed box, pasted at (gap, gap) with a margin of height // 3
            gap = max(12, (14 + 2 * 4) // 2)
            lines = (TextLine(Box(gap + 4, gap + 4, gap + 50, gap + 18), "Leeds", 0.9),)
        return OcrResult(lines, self.name, 1.0, image.width, image.height)


def test_text_boxes_the_page_ocr_missed_are_read_again_in_one_call() -> None:
    engine = PageThenStackOcr()
    signals = signals_with([Box(60, 420, 100, 434), Box(340, 420, 386, 434)])
    loc = QueryRegionLocator(ocr_engine=engine)
    r = loc.locate(blank(1000, 1300), "What is written in the City field?", signals)
    assert len(engine.sizes) == 2 and engine.sizes[1][0] < 200  # one extra call, on a small image
    assert r is not None and inside((340, 420, 386, 434), r.box) and "'City'" in r.evidence
    loc.locate(blank(1000, 1300), "What is the City?", signals)
    assert len(engine.sizes) == 2  # both reads cached


def test_text_lines_with_text_in_the_signals_are_used_instead_of_ocr() -> None:
    engine = LinesOcr([])
    signals = ImageSignals(0.9, 0.8, 0.3, 0.2, text_lines=tuple(TextLine(Box(*b), t) for t, b in FORM_LINES))
    report = QueryRegionLocator(ocr_engine=engine).locate_detailed(blank(), "What is the Total?", signals)
    assert engine.calls == 0 and report.timing.ocr == "signals"
    assert report.region is not None and inside((400, 323, 454, 340), report.region.box)


def test_no_ocr_on_an_image_without_text() -> None:
    engine = LinesOcr(FORM_LINES)
    report = QueryRegionLocator(ocr_engine=engine).locate_detailed(
        blank(), "What is the Total?", signals_with((), has_text=0.02)
    )
    assert engine.calls == 0 and report.region is None


def test_ocr_failure_only_disables_the_text_path() -> None:
    loc = QueryRegionLocator(ocr_engine=BrokenOcr())
    report = loc.locate_detailed(blank(), "What is the Total in the top-left corner?", signals_with())
    assert report.timing.ocr == "failed"
    assert report.region is not None and report.path == "spatial" and not report.region.by_text


def test_locator_without_ocr_engine() -> None:
    loc = QueryRegionLocator(ocr_engine=None)
    assert isinstance(loc, RegionLocator) and loc.name == "query"
    assert loc.locate(blank(), "What is the Total?", signals_with()) is None


def test_words_are_looked_for_when_the_place_alone_finds_no_layout() -> None:
    engine = LinesOcr([("Invoice number: INV-2025-0042", (700, 60, 960, 80))])
    loc = QueryRegionLocator(ocr_engine=engine)
    report = loc.locate_detailed(blank(), "what is the invoice number in the top right", signals_with())
    assert engine.calls == 1 and report.path == "text+spatial"
    assert report.region is not None and inside((700, 60, 960, 80), report.region.box)
    assert report.region.box.bottom < 100 and report.region.confidence > 0.9


def test_text_and_place_agree_and_disambiguate() -> None:
    lines = [
        ("Total", (60, 100, 103, 116)),
        ("$10.00", (400, 100, 454, 116)),
        ("Total", (60, 700, 103, 716)),
        ("$45.00", (400, 700, 454, 716)),
    ]
    alone = locate(lines, "What is the Total?").region
    assert alone is not None and "similar matches" in alone.evidence
    r = locate(lines, "What is the Total in the footer?").region
    assert r is not None and inside((400, 700, 454, 716), r.box) and r.box.top > 600
    assert r.confidence > alone.confidence


# --------------------------------------------------------------------------- spatial path


def draw_page() -> tuple[Image.Image, list[Box]]:
    """Header, a two-column body, a top-right badge and a footer; returns the text boxes drawn."""
    img = blank(1000, 800)
    d = ImageDraw.Draw(img)
    boxes: list[Box] = []

    def put(xy: tuple[int, int], text: str, size: int) -> None:
        d.text(xy, text, font=font(size), fill="black")
        boxes.append(Box(*(int(v) for v in d.textbbox(xy, text, font=font(size)))))

    put((40, 30), "Annual Report 2025", 34)
    put((820, 36), "user@acme.io", 14)
    for i in range(12):
        put((40, 160 + i * 30), f"left column line {i} with words", 16)
        put((560, 160 + i * 30), f"right column text {i} more words", 16)
    put((40, 760), "Page 4 of 9 - internal", 13)
    return img, boxes


def test_heading_at_the_top_takes_the_running_header_above_the_largest_heading() -> None:
    img = blank(1000, 1300)
    d = ImageDraw.Draw(img)
    boxes: list[Box] = []
    for xy, text, size in [
        ((60, 40), "Chapter 7: Connections", 14),  # running header
        ((60, 300), "7.5 Binary connections", 28),  # the section heading, larger
        *(((60, 360 + i * 28), f"body text line {i} about binary files", 15) for i in range(20)),
    ]:
        d.text(xy, text, font=font(size), fill="black")
        boxes.append(Box(*(int(v) for v in d.textbbox(xy, text, font=font(size)))))
    loc = QueryRegionLocator(ocr_engine=None)
    r = loc.locate(img, "What is the heading at the top of the page?", signals_with(boxes))
    assert r is not None and inside(boxes[0], r.box) and inside(boxes[1], r.box)
    assert r.box.bottom < boxes[3].top and "top band" in r.evidence
    # "the title", with no place named: the largest text alone
    t = loc.locate(img, "What is the title?", signals_with(boxes))
    assert t is not None and t.box == boxes[1]


def test_chart_title_is_not_the_taller_key_heading_at_the_side() -> None:
    # A gnuplot-style chart: a centred title, a key at the right whose heading's brackets make its
    # box taller than the title's, tick labels below and left.
    img = blank(1280, 960)
    d = ImageDraw.Draw(img)
    boxes: list[Box] = []
    for xy, text, size in [
        ((560, 22), "Rosenbrock Function", 15),
        ((1110, 95), "Rosenbrock(x,y)", 16),
        *(((1200, 118 + 20 * i), label, 13) for i, label in enumerate(("100", "10", "1"))),
        *(((150 + 120 * i, 900), f"{i - 2}", 13) for i in range(5)),
        *(((60, 300 + 100 * i), f"{i}.5", 13) for i in range(4)),
    ]:
        d.text(xy, text, font=font(size), fill="black")
        boxes.append(Box(*(int(v) for v in d.textbbox(xy, text, font=font(size)))))
    assert boxes[1].height > boxes[0].height  # the key's heading is the tallest line near the top
    t = QueryRegionLocator(ocr_engine=None).locate(
        img, "What is the title of this chart?", signals_with(boxes)
    )
    assert t is not None and t.box == boxes[0], t
    assert "across the centre" in t.evidence
    # The same key heading on a chart with no centred line above it stays the answer.
    alone = [b for i, b in enumerate(boxes) if i != 0]
    t2 = QueryRegionLocator(ocr_engine=None).locate(
        img, "What is the title of this chart?", signals_with(alone)
    )
    assert t2 is not None and t2.box.contains(boxes[1])


def test_a_title_split_by_its_fonts_is_one_title() -> None:
    # A docs heading "traceback — Print or retrieve a stack traceback": the module name in
    # monospace, the em dash missed by the detector (2.25 heights apart), the rest in a sans font.
    img = blank(1920, 1080)
    body = [Box(264, 150 + 24 * i, 1100, 164 + 24 * i) for i in range(20)]
    crumb = Box(138, 23, 752, 37)
    name, rest = Box(266, 86, 434, 109), Box(488, 84, 1032, 108)
    title = QueryRegionLocator(ocr_engine=None).locate_title(img, signals_with([crumb, name, rest, *body]))
    assert title is not None and title.box.contains(name) and title.box.contains(rest), title
    assert title.box.bottom < body[0].top  # the body is not part of it
    # text further along the row than three title heights is not the title
    far = Box(name.right + 3 * name.height + 10, 88, 1900, 110)
    title = QueryRegionLocator(ocr_engine=None).locate_title(img, signals_with([crumb, name, far, *body]))
    assert title is not None and title.box == name, title


def test_a_search_box_at_the_side_is_not_the_title_under_it() -> None:
    # A docs page at 1920x1080: its top bar holds a breadcrumb and, at the right, a search box whose
    # border makes it taller than the body text; the page's heading (much taller) sits under the bar.
    img = blank(1920, 1080)
    body = [Box(264, 150 + 24 * i, 1100, 164 + 24 * i) for i in range(20)]
    crumb, search = Box(138, 22, 840, 37), Box(1594, 20, 1894, 38)
    name, rest = Box(266, 86, 396, 115), Box(450, 85, 786, 113)
    loc = QueryRegionLocator(ocr_engine=None)
    title = loc.locate_title(img, signals_with([crumb, search, name, rest, *body]))
    assert title is not None and title.box.contains(name) and title.box.contains(rest), title
    assert not title.box.contains(search)
    # a side line as tall as the lines across the middle stays the topmost large text (a top
    # bar's clock beside a menu of the same size)
    level = Box(1594, 20, 1894, 49)
    title = loc.locate_title(img, signals_with([crumb, level, name, rest, *body]))
    assert title is not None and title.box == level, title


def test_top_right_corner_is_the_block_nearest_the_corner() -> None:
    img, boxes = draw_page()
    r = QueryRegionLocator(ocr_engine=None).locate(
        img, "What's in the top-right corner?", signals_with(boxes)
    )
    assert r is not None and r.confidence >= 0.7
    assert inside(boxes[1], r.box) and r.box.left > 700 and r.box.bottom < 100


def test_a_region_is_in_reading_order_only_where_the_pages_text_keeps_its_place() -> None:
    # Fusion rule 4c sends the page's text instead of such a region's crop when that is cheaper.
    img, boxes = draw_page()
    loc = QueryRegionLocator(ocr_engine=None)
    for query in ("What is the title?", "What does the footer say?", "What does the last line say?"):
        r = loc.locate(img, query, signals_with(boxes))
        assert r is not None and r.in_reading_order, (query, r)
    corner = loc.locate(img, "What is written in the top-right corner?", signals_with(boxes))
    column = loc.locate(img, "What is in the right column?", signals_with(boxes))
    assert corner is not None and not corner.in_reading_order, corner
    # the top-left corner is where a left-to-right page's text begins
    first = loc.locate(img, "What is written in the top-left corner?", signals_with(boxes))
    assert first is not None and "top-left" in first.evidence and first.in_reading_order, first
    for other in ("bottom-left", "bottom-right"):
        r = loc.locate(img, f"What is written in the {other} corner?", signals_with(boxes))
        assert r is not None and other in r.evidence and not r.in_reading_order, r
    assert column is not None and not column.in_reading_order, column
    # a line named by its own words is; a label's value, which sits beside the label, is not
    line = locate(FORM_LINES, "What does the line beginning with 'Page 1 of' say?").region
    value = locate(FORM_LINES, "What is the value next to 'Subtotal'?").region
    assert line is not None and line.by_text and line.in_reading_order, line
    assert value is not None and value.by_text and not value.in_reading_order, value
    # an item of a sidebar is not: the page's text does not keep its columns apart
    page, lines = _docs_page_with_sidebar(False)
    item = loc.locate(page, "What is the first item of the sidebar?", signals_with(lines))
    assert item is not None and "#1 item" in item.evidence and not item.in_reading_order, item


def test_locate_title_whatever_the_question_and_without_ocr() -> None:
    # Fusion rule 3 judges a chart's low view by its title, for a question that names no title.
    img, boxes = draw_page()
    ocr = LinesOcr([("Annual Report 2025", (40, 30, 400, 70))])
    loc = QueryRegionLocator(ocr_engine=ocr)
    title = loc.locate_title(img, signals_with(boxes))
    assert title is not None and title.box == boxes[0] and title.in_reading_order, title
    assert ocr.calls == 0
    assert loc.locate_title(img, signals_with(())) is None  # no text lines measured: no title
    assert loc.locate_title(img, None) is None


def test_header_footer_and_title() -> None:
    img, boxes = draw_page()
    loc = QueryRegionLocator(ocr_engine=None)
    footer = loc.locate(img, "What does the footer say?", signals_with(boxes))
    assert footer is not None and inside(boxes[-1], footer.box) and footer.box.top > 700
    header = loc.locate(img, "Read the header", signals_with(boxes))
    assert header is not None and inside(boxes[0], header.box) and inside(boxes[1], header.box)
    assert header.box.bottom < 150
    title = loc.locate(img, "What is the title?", signals_with(boxes))
    assert title is not None and title.box == boxes[0] and "large text" in title.evidence


def test_sidebar_gutter_survives_one_bridging_breadcrumb() -> None:
    # A docs page: a breadcrumb across the top, a sidebar of short entries, the page's text beside
    # it with a narrow gap. The breadcrumb crosses the gutter; the sidebar is still the column.
    img = blank(1920, 1080)
    d = ImageDraw.Draw(img)
    boxes: list[Box] = []

    def put(xy: tuple[int, int], text: str, size: int = 15) -> None:
        d.text(xy, text, font=font(size), fill="black")
        boxes.append(Box(*(int(v) for v in d.textbbox(xy, text, font=font(size)))))

    put((24, 20), "Python  >>  3.11.2 Documentation  >>  The Python Standard Library  >>  Modules")
    for i, entry in enumerate(
        ("Table of Contents", "uu - Encode and decode", "encode()", "decode()", "Error")
    ):
        put((30, 110 + 22 * i), entry)
    for i, entry in enumerate(("Previous topic", "telnetlib", "Next topic", "xdrlib", "Report a Bug")):
        put((30, 260 + 22 * i), entry)
    for i in range(24):
        put((275, 110 + 30 * i), f"page text line {i} of the module documentation, words")
    r = QueryRegionLocator(ocr_engine=None).locate(
        img, "What is the first item of the sidebar?", signals_with(boxes)
    )
    assert r is not None and "gutter" in r.evidence, r
    assert inside(boxes[1], r.box) and r.box.right < 275 and r.box.top > 20, r
    # Two lines crossing: not a gutter any more (the page really is one block there).
    second = Box(24, 60, 1100, 76)
    r2 = QueryRegionLocator(ocr_engine=None).locate(
        img, "What is the first item of the sidebar?", signals_with([*boxes, second])
    )
    assert r2 is None or r2.box.right >= 275 or "gutter" not in r2.evidence


def _docs_page_with_sidebar(split_breadcrumb: bool) -> tuple[Image.Image, list[Box]]:
    """A docs page: a breadcrumb (one line, or pieces a little apart as OCR reads it), a sidebar
    list under a heading, the page's heading and text beside it."""
    img = blank(1280, 800)
    d = ImageDraw.Draw(img)
    boxes: list[Box] = []

    def put(xy: tuple[int, int], text: str, size: int = 15) -> None:
        d.text(xy, text, font=font(size), fill="black")
        boxes.append(Box(*(int(v) for v in d.textbbox(xy, text, font=font(size)))))

    if split_breadcrumb:
        put((25, 22), "Python >>")
        put((boxes[0].right + 30, 22), "3.11.2 Documentation >> The Python Standard Library >> shelve")
    else:
        put((25, 22), "Python >> 3.11.2 Documentation >> The Python Standard Library >> shelve")
    put((268, 86), "shelve - Python object persistence", 30)
    for i, entry in enumerate(
        ("Table of Contents", "shelve - Python object", "persistence", "open()", "Shelf.sync()", "Example")
    ):
        put((30 if i != 2 else 36, 110 + 20 * i), entry)
    for i in range(20):
        put((265, 150 + 30 * i), f"page text line {i} of the module documentation, words")
    return img, boxes


@pytest.mark.parametrize("split_breadcrumb", [False, True])
def test_first_item_of_the_sidebar_is_counted_within_the_sidebar(split_breadcrumb: bool) -> None:
    # The item, not the whole sidebar (765 tokens on gpt-4o for a 1280x800 docs page), and not the
    # breadcrumb above it, even when OCR reads the breadcrumb's first piece apart from the rest.
    img, boxes = _docs_page_with_sidebar(split_breadcrumb)
    offset = 1 if split_breadcrumb else 0
    heading, toc, item, wrapped, after = (boxes[k + offset] for k in (1, 2, 3, 4, 5))
    r = QueryRegionLocator(ocr_engine=None).locate(
        img, "What is the first item of the sidebar?", signals_with(boxes)
    )
    assert r is not None and "#1 item" in r.evidence, r
    assert inside(toc, r.box) and inside(item, r.box) and inside(wrapped, r.box), r
    assert r.box.bottom <= after.top and r.box.top > boxes[0].bottom and r.box.right < heading.left, r
    last = QueryRegionLocator(ocr_engine=None).locate(
        img, "What is the last entry in the sidebar?", signals_with(boxes)
    )
    assert last is not None and inside(boxes[offset + 7], last.box) and last.box.top >= after.top, last


def test_a_sidebar_items_text_running_on_past_the_panel_is_part_of_it() -> None:
    # pydoc at 1920x1080: "tkinter.tix" (bold monospace) and "- Extension widgets for Tk", boxed
    # apart by the detector, the second a little lower and reaching past the sidebar's panel.
    from headroom_core.locate._spatial import Layout, locate_spatial

    panel = Box(16, 70, 246, 1080)
    heading, name, rest = Box(24, 108, 188, 123), Box(36, 138, 122, 148), Box(144, 144, 520, 156)
    lines = (
        heading,
        name,
        rest,
        Box(56, 160, 130, 172),
        Box(76, 178, 100, 188),
        Box(56, 195, 150, 207),
        Box(76, 212, 190, 224),
        Box(96, 229, 170, 241),
        *(Box(265, 300 + 30 * i, 1000, 314 + 30 * i) for i in range(10)),
    )
    found = locate_spatial(
        parse_query("What is the first item of the sidebar?").spatial,
        Layout(1920, 1080, lines, (panel,)),
        blank(),
    )
    assert found is not None and "#1 item" in found.evidence, found
    assert found.box.contains(heading) and found.box.contains(name) and found.box.contains(rest), found
    assert found.box.bottom < 195, found  # rows 1-3: the heading, the item, its first sub-item


def test_an_item_with_no_column_is_not_a_row_of_the_page() -> None:
    # "the first item" counts a list's items; with no column named, the page's first text row (a
    # breadcrumb, a heading) is not it.
    cues = parse_query("What is the first item in the list?").spatial
    assert [(c.kind, c.side, c.ordinal) for c in cues] == [("row", "item", 1)]
    img, boxes = _docs_page_with_sidebar(False)
    r = QueryRegionLocator(ocr_engine=None).locate(
        img, "What is the first item in the list?", signals_with(boxes)
    )
    assert r is None or "row" not in r.evidence, r
    line = QueryRegionLocator(ocr_engine=None).locate(
        img, "What does the first line say?", signals_with(boxes)
    )
    assert line is not None and "#1 text row" in line.evidence and inside(boxes[0], line.box), line


def test_left_column_uses_the_gutter() -> None:
    img, boxes = draw_page()
    r = QueryRegionLocator(ocr_engine=None).locate(img, "What is in the left column?", signals_with(boxes))
    assert r is not None and r.confidence >= 0.7
    assert inside(boxes[2], r.box) and r.box.right < 560 and "gutter" in r.evidence


def test_sidebar_panel_from_content_blocks() -> None:
    img = blank(1280, 800)
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, 220, 800), fill=(32, 38, 52))
    for i, item in enumerate(["Overview", "Orders", "Reports"]):
        d.text((28, 100 + i * 44), item, font=font(16), fill="white")
    d.text((300, 40), "Dashboard", font=font(28), fill="black")
    r = QueryRegionLocator(ocr_engine=None).locate(img, "Which items are in the sidebar?", signals_with())
    assert r is not None and r.box.left == 0 and r.box.right <= 240 and r.box.height > 600


def test_third_row_of_a_table() -> None:
    rows = [
        [Box(60 + c * 300, 200 + r * 40, 160 + c * 300, 216 + r * 40) for c in range(3)] for r in range(6)
    ]
    title_band = [Box(60, 30, 300, 60), Box(700, 30, 900, 60)]  # two cells, but not part of the table
    flat = [*title_band, Box(60, 100, 400, 116), *(b for row in rows for b in row)]
    loc = QueryRegionLocator(ocr_engine=None)
    r = loc.locate(blank(), "What is in the third row?", signals_with(flat))
    assert r is not None and inside(rows[2][0], r.box) and inside(rows[2][2], r.box)
    assert not inside(rows[1][0], r.box) and r.box.bottom <= rows[3][0].bottom  # row 3, and row 4 in case
    last = loc.locate(blank(), "What is in the last row?", signals_with(flat))
    # the last row, and the one before it in case the last is a footer
    assert last is not None and inside(rows[5][0], last.box) and inside(rows[4][0], last.box)
    assert last.box.top >= rows[4][0].top


def test_last_line_of_a_page_is_a_line_not_a_table_row_and_keeps_the_row_above() -> None:
    table = [
        [Box(60 + c * 300, 200 + r * 40, 160 + c * 300, 216 + r * 40) for c in range(3)] for r in range(4)
    ]
    prose = [Box(60, 400 + i * 30, 900, 416 + i * 30) for i in range(3)]
    page_number = Box(470, 560, 490, 576)
    flat = [*(b for row in table for b in row), *prose, page_number]
    r = QueryRegionLocator(ocr_engine=None).locate(
        blank(), "What does the last line at the bottom of the page say?", signals_with(flat)
    )
    assert r is not None and inside(page_number, r.box) and inside(prose[2], r.box)
    assert r.box.top > table[3][0].bottom and "page number" in r.evidence


def test_last_line_of_a_two_column_screen_reaches_the_column_that_ends_higher() -> None:
    # a sidebar that runs to the bottom of the screen beside a body that ends two lines higher
    sidebar = [Box(20, 100 + i * 20, 230, 114 + i * 20) for i in range(35)]  # last one: 780-794
    body = [Box(300, 140 + i * 40, 1200, 156 + i * 40) for i in range(16)]  # last one: 740-756
    loc = QueryRegionLocator(ocr_engine=None)
    r = loc.locate(
        blank(1280, 800),
        "What does the last line at the bottom of the screen say?",
        signals_with(sidebar + body),
    )
    assert r is not None and inside(sidebar[-1], r.box) and inside(body[-1], r.box)
    assert "another column" in r.evidence
    # the body's next-to-last line ends more than 3 line heights above the last row: beyond the reach
    assert not inside(body[-2], r.box) and r.box.top > body[-2].bottom - 1


def test_legend_on_a_drawn_chart() -> None:
    img = blank(1000, 700)
    d = ImageDraw.Draw(img)
    colours = [(52, 120, 246), (240, 130, 40), (46, 170, 90)]
    d.line((90, 620, 760, 620), fill="black", width=2)
    for g in range(4):
        for k in range(3):
            x = 120 + g * 160 + k * 30
            d.rectangle((x, 620 - 80 * (k + 1) - 20 * g, x + 24, 619), fill=colours[k])
    boxes = []
    for k, name in enumerate(["Solar", "Wind", "Hydro"]):
        y = 120 + k * 30
        d.rectangle((800, y + 3, 816, y + 19), fill=colours[k])
        d.text((824, y), name, font=font(16), fill="black")
        boxes.append(Box(799, y, 824 + int(d.textlength(name, font=font(16))), y + 18))  # swatch in the line
    d.text((350, 30), "Energy by Source", font=font(30), fill="black")
    r = QueryRegionLocator(ocr_engine=None).locate(img, "What does the legend say?", signals_with(boxes))
    assert r is not None and r.confidence >= 0.75
    assert all(inside(b, r.box) for b in boxes) and r.box.left >= 790 and r.box.bottom < 230


def _text_box(
    d: ImageDraw.ImageDraw,
    xy: tuple[int, int],
    text: str,
    size: int = 14,
    fill: str | tuple[int, int, int] = "black",
    anchor: str | None = None,
) -> Box:
    d.text(xy, text, font=font(size), fill=fill, anchor=anchor)
    return Box(*(int(v) for v in d.textbbox(xy, text, font=font(size), anchor=anchor)))


def _frame(d: ImageDraw.ImageDraw, box: tuple[int, int, int, int]) -> list[Box]:
    """A plot frame with tick labels under it and at its left; returns the tick label boxes."""
    d.rectangle(box, outline="black", width=1)
    ticks = [_text_box(d, (x, box[3] + 8), str(i - 2), 12) for i, x in enumerate(range(box[0], box[2], 120))]
    ticks += [
        _text_box(d, (box[0] - 30, y), f"{i}.0", 12) for i, y in enumerate(range(box[1] + 40, box[3], 90))
    ]
    return ticks


def test_legend_with_thin_line_samples_left_of_the_text() -> None:
    # matplotlib: a line series' sample is a thin line left of its label; a marker may sit on it.
    img = blank(1000, 700)
    d = ImageDraw.Draw(img)
    colours = [(31, 119, 180), (255, 127, 14), (44, 160, 44)]
    for k, c in enumerate(colours):
        d.line([(100 + 60 * i, 500 - 40 * k - (i % 3) * 50) for i in range(12)], fill=c, width=2)
    boxes = []
    for k, name in enumerate(["train loss", "validation loss", "test loss"]):
        y = 80 + 24 * k
        d.line((720, y + 8, 748, y + 8), fill=colours[k], width=2)
        if k == 1:
            d.ellipse((730, y + 4, 738, y + 12), fill=colours[k])  # a marker on the line
        boxes.append(_text_box(d, (758, y), name))
    title = _text_box(d, (380, 20), "Loss curves", 24)
    r = QueryRegionLocator(ocr_engine=None).locate(
        img, "What is the first series in the legend?", signals_with([title, *boxes])
    )
    assert r is not None and r.confidence >= 0.75 and "on the left" in r.evidence, r
    assert all(inside(b, r.box) for b in boxes) and 715 <= r.box.left <= 722 and r.box.bottom < 160


def test_gnuplot_key_right_justified_with_samples_on_the_right() -> None:
    # gnuplot's key: right-justified text, the sample (a thin line, a filled bar) right of it; the
    # detector missed the first entry, found from its sample in the samples' column.
    img = blank(1280, 960)
    d = ImageDraw.Draw(img)
    _frame(d, (60, 50, 1240, 900))
    colours = [(148, 0, 211), (0, 158, 115), (86, 180, 233)]
    boxes = []
    for k, name in enumerate(["20 bins", "smooth kdensity", "jittered data"]):
        y = 70 + 16 * k
        if k == 0:
            d.rectangle((1195, y + 3, 1233, y + 9), fill=colours[k])
        else:
            d.line((1195, y + 6, 1233, y + 6), fill=colours[k], width=2)
        boxes.append(_text_box(d, (1183, y), name, 12, anchor="ra"))
    d.line([(100 + 40 * i, 800 - (i % 5) * 90) for i in range(28)], fill=colours[1], width=2)
    title = _text_box(d, (520, 18), "Comparison of a histogram and a density", 14)
    r = QueryRegionLocator(ocr_engine=None).locate(
        img, "What is the name of the first series in the legend?", signals_with([title, *boxes[1:]])
    )
    assert r is not None and r.confidence >= 0.75 and "on the right" in r.evidence, r
    assert all(inside(b, r.box) for b in boxes), r  # the first entry too
    assert (
        r.box.right <= 1240
        and r.box.top >= 65
        and r.box.bottom <= 120
        and r.box.left >= min(b.left for b in boxes) - 2
    )


def test_coloured_title_text_is_no_legend() -> None:
    img = blank(1000, 700)
    d = ImageDraw.Draw(img)
    _frame(d, (80, 80, 940, 620))
    boxes = [
        _text_box(d, (300, 20), "Revenue by region", 26, fill=(200, 30, 40)),
        _text_box(d, (600, 120), "peak in March", 14, fill=(30, 90, 200)),
        _text_box(d, (700, 300), "- - - - - -", 14, fill=(30, 90, 200)),
    ]
    d.line((120, 500, 900, 200), fill=(30, 90, 200), width=2)
    r = QueryRegionLocator(ocr_engine=None).locate(img, "What does the legend say?", signals_with(boxes))
    assert r is None or "legend" not in r.evidence, r


def test_parse_axis_label_questions() -> None:
    for q, side in [
        ("What is the label of the x axis?", "x"),
        ("what's the x-axis title", "x"),
        ("what does the horizontal axis say", "x"),
        ("y axis label", "y"),
        ("label on the vertical axis", "y"),
    ]:
        p = parse_query(q)
        assert [(c.kind, c.side) for c in p.spatial] == [("axis", side)] and p.terms == (), q
    assert [c.kind for c in parse_query("What is written in the bottom-left corner?").spatial] == ["corner"]
    assert [c.kind for c in parse_query("what does the title say").spatial] == ["title"]


def test_x_axis_label_under_the_tick_labels() -> None:
    img = blank(1000, 700)
    d = ImageDraw.Draw(img)
    ticks = _frame(d, (100, 60, 940, 600))
    label = _text_box(d, (520, 640), "Time (sec)", 14, anchor="ma")
    loc = QueryRegionLocator(ocr_engine=None)
    r = loc.locate(img, "What is the label of the x axis?", signals_with([*ticks, label]))
    assert r is not None and inside(label, r.box) and r.box.top > ticks[0].bottom - 2, r
    assert r.box.left > label.left - 20 and r.box.right < label.right + 20
    # Without the label, the tick row is not the answer: no region (the whole image is kept).
    assert loc.locate(img, "What is the label of the x axis?", signals_with(ticks)) is None
    # Without a tick row detected, the lowest line, alone, wide and centred.
    r2 = loc.locate(img, "what's the x-axis title", signals_with([label]))
    assert r2 is not None and inside(label, r2.box)


def test_x_axis_label_absent_gives_no_region() -> None:
    img = blank(1000, 700)
    d = ImageDraw.Draw(img)
    ticks = _frame(d, (100, 60, 940, 600))
    note = _text_box(d, (20, 660), "Source: survey", 12)  # at the bottom-left, not centred
    loc = QueryRegionLocator(ocr_engine=None)
    assert loc.locate(img, "What is the label of the x axis?", signals_with([*ticks, note])) is None
    assert loc.locate(img, "What is the label of the x axis?", signals_with([note])) is None


def test_y_axis_label_rotated_at_the_left() -> None:
    img = blank(1000, 700)
    d = ImageDraw.Draw(img)
    ticks = _frame(d, (100, 60, 940, 600))
    word = Image.new("RGB", (60, 20), "white")
    ImageDraw.Draw(word).text((2, 2), "Rate", font=font(14), fill="black")
    img.paste(word.rotate(90, expand=True), (12, 300))
    loc = QueryRegionLocator(ocr_engine=None)
    for boxes in (ticks, []):  # with the tick column detected, and with nothing detected
        r = loc.locate(img, "What is the y axis label?", signals_with(boxes))
        assert r is not None and r.box.left <= 14 and r.box.right < 60 and 280 < r.box.top < 330, r
        assert r.box.bottom >= 340 and "y-axis" in r.evidence


def test_fixed_quadrant_only_as_a_last_resort() -> None:
    r = QueryRegionLocator(ocr_engine=None).locate(
        blank(800, 600), "What's in the bottom-right corner?", None
    )
    assert r is not None and r.box == Box(400, 300, 800, 600) and r.confidence == 0.5
    assert "no layout" in r.evidence


def test_photo_like_corner_falls_back_to_the_quadrant() -> None:
    rng = np.random.default_rng(0)
    img = Image.fromarray(rng.integers(0, 255, (400, 600, 3), dtype=np.uint8), "RGB")
    r = QueryRegionLocator(ocr_engine=None).locate(img, "what is in the top left corner", None)
    assert r is not None and r.box == Box(0, 0, 300, 200)


# --------------------------------------------------------------------------- patches


class GridScorer:
    """A fake patch scorer: returns a fixed grid (or raises ``error``); records its calls."""

    def __init__(self, grid: np.ndarray | None, error: Exception | None = None) -> None:
        self.grid = grid
        self.error = error
        self.calls: list[tuple[tuple[int, int], str]] = []

    def __call__(self, image: Image.Image, query: str) -> np.ndarray | None:
        self.calls.append((image.size, query))
        if self.error is not None:
            raise self.error
        return self.grid


def noise(rows: int, cols: int, seed: int = 0, sd: float = 0.02) -> np.ndarray:
    return 0.1 + np.random.default_rng(seed).normal(0.0, sd, size=(rows, cols))


def test_patch_scorer_hook_is_the_last_resort() -> None:
    grid = np.zeros((8, 8))
    grid[1:3, 5:7] = 1.0
    scorer = GridScorer(grid)
    loc = QueryRegionLocator(ocr_engine=None, patch_scorer=scorer)
    report = loc.locate_detailed(blank(800, 800), "where is the cat?", None)
    assert report.path == "patches" and report.region is not None
    assert report.region.box == Box(500, 100, 700, 300)
    assert scorer.calls == [((800, 800), "where is the cat?")]
    assert region_from_patches(np.ones((8, 8)), 800, 800) is None  # flat: nothing stands out


def test_patch_box_covers_the_highest_patches_in_image_pixels() -> None:
    # A wide image and a non-square grid: a swapped row/column would put the box elsewhere.
    grid = noise(6, 10)
    grid[4, 1:4] = 0.5  # a 1 x 3 strip of high patches, row 4, columns 1-3 ...
    grid[3, 2] = 0.42  # ... with one more above its middle
    grid[0, 9] = 0.2  # a lone bump, not high enough to join
    found = region_from_patches(grid, 1000, 600)
    assert found is not None
    box, conf, evidence = found
    # cells are 100 x 100 px: columns 1-3 -> x 100..400, rows 3-4 -> y 300..500
    assert box == Box(100, 300, 400, 500)
    assert 0.5 <= conf <= 0.7
    assert "4 of 60" in evidence
    report = QueryRegionLocator(ocr_engine=None, patch_scorer=GridScorer(grid)).locate_detailed(
        blank(1000, 600), "where is the red car?", None
    )
    assert report.path == "patches" and report.region is not None and report.region.box == box


def test_patch_box_rounds_outwards_on_uneven_cells() -> None:
    grid = np.zeros((3, 3))
    grid[2, 2] = 1.0
    found = region_from_patches(grid, 100, 50)
    assert found is not None and found.__getitem__(0) == Box(66, 33, 100, 50)


def test_two_equal_peaks_are_both_in_the_box_and_lower_the_confidence() -> None:
    one = noise(10, 10, seed=3)
    one[2, 2] = 1.0
    two = one.copy()
    two[2, 6] = 0.95  # a rival nearly as high, not touching the first
    a, b = region_from_patches(one, 1000, 1000), region_from_patches(two, 1000, 1000)
    assert a is not None and b is not None
    assert a[0] == Box(200, 200, 300, 300)
    assert b[0] == Box(200, 200, 700, 300)
    assert b[1] < a[1] and "2 places" in b[2]


def test_flat_noisy_or_broken_grids_give_no_region() -> None:
    assert region_from_patches(np.full((14, 14), 0.3), 1000, 1000) is None  # constant
    assert region_from_patches(np.zeros((14, 14)), 1000, 1000) is None
    dips = np.zeros((8, 8))
    dips[3, 3] = -1.0  # only a dip, nothing above the median
    assert region_from_patches(dips, 800, 800) is None
    # pure noise: the best patch of 196 reaches ~2.7 sd by chance; the rule wants a clear peak
    found = [region_from_patches(noise(14, 14, seed=s), 1000, 1000) for s in range(200)]
    assert sum(f is not None for f in found) <= 4
    weak = noise(14, 14, seed=1)
    weak[5, 5] += 0.04  # 2 sd: within what noise does
    assert region_from_patches(weak, 1000, 1000) is None
    strong = noise(14, 14, seed=1)
    strong[5, 5] += 0.2  # 10 sd
    assert region_from_patches(strong, 1000, 1000) is not None
    nan = strong.copy()
    nan[0, 0] = np.nan
    assert region_from_patches(nan, 1000, 1000) is None
    assert region_from_patches(np.array([1.0, 2.0, 9.0, 1.0]), 100, 100) is None  # not 2-D
    assert region_from_patches(np.array([[1.0]]), 100, 100) is None


def test_a_region_over_half_the_image_is_no_region() -> None:
    # Few patches, but spread over most of the image: opposite corners, equally high.
    grid = noise(8, 8, seed=5)
    grid[0, 0] = grid[7, 7] = 1.0
    assert region_from_patches(grid, 800, 800) is None
    grid[7, 7] = 0.1  # one corner alone is a region
    found = region_from_patches(grid, 800, 800)
    assert found is not None and found[0] == Box(0, 0, 100, 100)
    # an L of high patches along two edges: 15 of 64 patches, a box of the whole image
    ell = np.zeros((8, 8))
    ell[7, :] = ell[:, 0] = 1.0
    assert region_from_patches(ell, 800, 800) is None
    # a similarity high over more than half the patches is the background, not a region
    most = np.ones((4, 4))
    most[:, 3] = 0.0
    assert region_from_patches(most, 400, 400) is None


def test_patch_path_only_when_text_and_place_found_nothing() -> None:
    grid = np.zeros((8, 8))
    grid[7, 7] = 1.0
    scorer = GridScorer(grid)
    loc = QueryRegionLocator(ocr_engine=LinesOcr(FORM_LINES), patch_scorer=scorer)
    text = loc.locate_detailed(blank(), "What is the Order ID?", signals_with())
    assert text.path == "text" and scorer.calls == []
    place = loc.locate_detailed(blank(), "what is in the top right corner?", None)
    assert place.path.startswith("spatial") and scorer.calls == []
    none = loc.locate_detailed(blank(), "where is the dog?", signals_with())
    assert none.path == "patches" and len(scorer.calls) == 1
    assert none.region is not None and none.region.box == Box(875, 700, 1000, 800)


def test_patch_scorer_failure_or_no_grid_gives_no_region(caplog: pytest.LogCaptureFixture) -> None:
    failing = QueryRegionLocator(ocr_engine=None, patch_scorer=GridScorer(None, RuntimeError("cuda oom")))
    with caplog.at_level(logging.WARNING, logger="headroom_core.locate.locator"):
        report = failing.locate_detailed(blank(), "where is the cat?", None)
    assert report.region is None and report.path == "none"
    assert any(
        "patch scorer failed" in r.getMessage() and "cuda oom" in r.getMessage() for r in caplog.records
    )
    assert (
        QueryRegionLocator(ocr_engine=None, patch_scorer=GridScorer(None)).locate(blank(), "cat?", None)
        is None
    )
    bad_shape = GridScorer(np.zeros((2, 2, 2)))
    assert QueryRegionLocator(ocr_engine=None, patch_scorer=bad_shape).locate(blank(), "cat?", None) is None
    lambda_fails = QueryRegionLocator(ocr_engine=None, patch_scorer=lambda i, q: 1 / 0)  # type: ignore[arg-type,return-value]
    assert lambda_fails.locate(blank(), "where is the cat?", None) is None


def red_square_photo() -> Image.Image:
    img = Image.new("RGB", (1600, 1200), (90, 140, 90))
    ImageDraw.Draw(img).rectangle((1000, 200, 1200, 400), fill=(220, 20, 20))
    return img


def test_compressor_crops_to_the_patch_region_and_survives_a_failing_scorer(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from conftest import data_url, png_bytes

    from headroom_core import ImageCompressor, Technique

    data = png_bytes(red_square_photo())
    messages = [
        {
            "role": "user",
            "content": [
                {"type": "image_url", "image_url": {"url": data_url(data)}},
                {"type": "text", "text": "zoom in on the red square"},  # the rule router says CROP
            ],
        }
    ]
    grid = np.zeros((12, 16))
    grid[2:4, 10:12] = 1.0  # the square: x 1000..1200, y 200..400 (100 px cells)
    scorer = GridScorer(grid)
    comp = ImageCompressor(
        "openai", "gpt-4o", router="rules", locator=QueryRegionLocator(ocr_engine=None, patch_scorer=scorer)
    )
    comp.compress(messages)
    assert comp.last_result is not None
    r = comp.last_result.images[0]
    assert r.technique is Technique.CROP, r.reason
    assert r.crop_box is not None and inside(Box(1000, 200, 1200, 400), r.crop_box)
    assert r.crop_box.area < 0.25 * 1600 * 1200 and r.compressed_tokens < r.original_tokens
    assert len(scorer.calls) == 1

    failing = GridScorer(None, RuntimeError("scorer exploded"))
    comp = ImageCompressor(
        "openai", "gpt-4o", router="rules", locator=QueryRegionLocator(ocr_engine=None, patch_scorer=failing)
    )
    with caplog.at_level(logging.WARNING):
        out = comp.compress(messages)
    assert comp.last_result is not None
    r = comp.last_result.images[0]
    assert r.error is None and r.technique is Technique.PRESERVE and r.crop_box is None
    assert "no region located" in r.reason
    assert out[0]["content"][1] == messages[0]["content"][1]
    assert len(failing.calls) == 1 and any("scorer exploded" in rec.getMessage() for rec in caplog.records)


# --------------------------------------------------------------------------- real OCR engine


@pytest.fixture(scope="module")
def real_engine() -> OcrEngine:
    from headroom_core.ocr import get_ocr_engine

    try:
        return get_ocr_engine("auto")
    except MissingDependencyError as exc:
        pytest.skip(f"no OCR engine installed: {exc}")


def draw_form() -> Image.Image:
    img = blank(1000, 700)
    d = ImageDraw.Draw(img)
    d.text((40, 30), "Quarterly Sales Report", font=font(32), fill="black")
    rows = [("Order ID", "A-48213"), ("Customer", "Jane Smith"), ("Subtotal", "$41.00"), ("Total", "$45.00")]
    for i, (k, v) in enumerate(rows):
        d.text((60, 120 + i * 40), k, font=font(18), fill="black")
        d.text((400, 120 + i * 40), v, font=font(18), fill="black")
    d.text((40, 400), "ERROR 42 disk quota exceeded", font=font(18), fill=(200, 30, 30))
    d.text((40, 650), "Page 1 of 3 - confidential", font=font(14), fill="gray")
    return img


def test_real_engine_key_value(real_engine: OcrEngine) -> None:
    img = draw_form()
    r = QueryRegionLocator(ocr_engine=real_engine).locate(img, "What is the Order ID?", signals_with())
    assert isinstance(r, LocatedRegion) and r.confidence >= 0.8
    assert r.box.left <= 60 and r.box.right >= 460 and r.box.top >= 110 and r.box.bottom <= 150


def test_real_engine_line_and_total(real_engine: OcrEngine) -> None:
    img = draw_form()
    loc = QueryRegionLocator(ocr_engine=real_engine)
    line = loc.locate(img, "Which line starts with ERROR?", signals_with())
    assert line is not None and line.box.top >= 390 and line.box.bottom <= 430 and line.box.right > 250
    total = loc.locate(img, "What is the Total?", signals_with())
    assert total is not None and total.box.top >= 230 and total.box.right > 440
