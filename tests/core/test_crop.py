"""The CROP applier (padding, grid snapping, alignment, the never-costlier rule) and CROP end to end
with the query locator, including a follow-up question about another region of the same image."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from typing import Any

import pytest
from conftest import font, png_bytes
from PIL import Image, ImageDraw

from headroom_core import Box, ImageCompressor, ImageSignals, RouteDecision, Technique, TextLine
from headroom_core._exceptions import TechniqueRefusedError
from headroom_core._imageio import decode_image
from headroom_core.analyzers.embedded import EmbeddedImageAnalyzer
from headroom_core.codecs import find_images
from headroom_core.costs import get_cost_model
from headroom_core.locate import QueryRegionLocator
from headroom_core.ocr import OcrEngine, OcrResult
from headroom_core.router import FusedRouter, LocatedRegion, QueryClassifier, QueryPrediction, RegionLocator
from headroom_core.techniques import ApplyContext, CropApplier
from headroom_core.techniques.crop import expand_to_lines, pad_box, plan_crop, snap_box
from headroom_core.tiling import align

GPT4O = get_cost_model("openai", "gpt-4o")
OPUS = get_cost_model("anthropic", "claude-opus-4-7")
GPT54 = get_cost_model("openai", "gpt-5.4")


def test_box_contains_with_and_without_slack() -> None:
    outer = Box(10, 10, 100, 50)
    assert outer.contains(Box(10, 10, 100, 50)) and outer.contains(Box(20, 20, 30, 30))
    assert not outer.contains(Box(9, 10, 100, 50)) and not outer.contains(Box(10, 10, 100, 51))
    assert outer.contains(Box(8, 8, 102, 52), slack=2) and not outer.contains(Box(7, 10, 50, 30), slack=2)


def context(
    image: Image.Image,
    region: Box | None,
    *,
    model: Any = GPT4O,
    lines: Sequence[Box] = (),
    alignment: str = "bounded",
) -> ApplyContext:
    data = png_bytes(image)
    decoded = decode_image(data)
    signals = ImageSignals(0.9, 0.8, 0.2, 0.2, text_lines=tuple(TextLine(b) for b in lines))
    decision = RouteDecision(Technique.CROP, 0.9, "test", signals, Technique.CROP, 0.9, region)
    return ApplyContext(
        decoded=decoded,
        original_data=data,
        cost_model=model,
        detail=None,
        original_tokens=model.tokens(image.width, image.height),
        query="q",
        decision=decision,
        provider=model.provider,
        model=None,
        alignment=alignment,
        text_like=True,
        region=region,
    )


# --------------------------------------------------------------------------- padding


def test_padding_keeps_the_whole_text_line() -> None:
    line = Box(100, 300, 700, 320)
    cut = Box(350, 302, 420, 318)  # a word in the middle of the line
    assert expand_to_lines(cut, [line]) == line
    plan = plan_crop(cut, 1600, 1200, OPUS, lines=[line, Box(100, 600, 700, 620)])
    assert plan.box.left <= line.left and plan.box.right >= line.right
    assert plan.box.top <= line.top - 16 and plan.box.bottom >= line.bottom + 16  # and a margin
    assert plan.box.bottom < 600  # a line it does not cut is not added


def test_expansion_does_not_cascade_through_touching_lines() -> None:
    lines = [Box(0, 0, 500, 20), Box(480, 10, 1000, 30), Box(980, 20, 1500, 40)]
    assert expand_to_lines(Box(100, 2, 200, 18), lines) == Box(0, 0, 500, 20).union(Box(100, 2, 200, 18))


def test_a_block_does_not_take_a_line_crossing_its_side() -> None:
    """A sidebar (a block of lines) whose top row the page's breadcrumb shares: the breadcrumb runs
    far past the sidebar's right edge and is not added; a line the block cuts a little is."""
    sidebar = Box(25, 22, 220, 560)
    breadcrumb = Box(139, 23, 733, 37)
    assert expand_to_lines(sidebar, [breadcrumb]) == sidebar
    overhang = Box(30, 300, 260, 314)  # a sidebar entry running 40 px past the panel
    assert expand_to_lines(sidebar, [overhang]) == Box(25, 22, 260, 560)
    # a block over single-column text (the left half of a page) still takes its whole lines
    rows = [Box(20, y, 980, y + 16) for y in (0, 20, 40)]
    assert expand_to_lines(Box(0, 0, 500, 50), rows).right == 980
    # a one-line box (a value) still takes its whole line, however long
    value = Box(600, 302, 680, 318)
    assert expand_to_lines(value, [Box(40, 300, 700, 320)]) == Box(40, 300, 700, 320)


def test_pad_box_margin_and_clamp() -> None:
    assert pad_box(Box(100, 100, 200, 140), 1000, 1000) == Box(84, 84, 216, 156)
    assert pad_box(Box(0, 0, 50, 50), 60, 60) == Box(0, 0, 60, 60)
    assert pad_box(Box(100, 100, 200, 140), 1000, 1000, line_height=30) == Box(70, 70, 230, 170)


# --------------------------------------------------------------------------- snapping


def test_snapping_fills_the_paid_tiles_for_free() -> None:
    padded = Box(600, 400, 900, 460)  # 300x60: one 512 tile on gpt-4o
    snapped = snap_box(padded, 2000, 1500, GPT4O, None)
    assert (snapped.width, snapped.height) == (512, 512)
    assert snapped.left <= 600 and snapped.right >= 900 and snapped.top <= 400 and snapped.bottom >= 460
    assert GPT4O.tokens(512, 512) == GPT4O.tokens(300, 60) == 255


def test_snapping_to_patches_never_adds_a_patch() -> None:
    padded = Box(101, 203, 101 + 250, 203 + 61)
    for model in (OPUS, GPT54):
        snapped = snap_box(padded, 3000, 2000, model, None)
        g = model.grid
        assert snapped.width % g == 0 and snapped.height % g == 0
        assert model.tokens(snapped.width, snapped.height) == model.tokens(padded.width, padded.height)


def test_snapping_stops_at_the_image_edge() -> None:
    snapped = snap_box(Box(10, 10, 210, 60), 300, 300, GPT4O, None)
    assert snapped == Box(0, 0, 300, 300)


def test_crop_slightly_wider_than_a_tile_is_aligned_within_the_bound() -> None:
    # 540 px wide: two tiles at native size, one after a 5 % downscale (bounded mode).
    region = Box(100, 400, 100 + 540 - 32, 430)
    plan = plan_crop(region, 2000, 1500, GPT4O, mode="bounded", per_image_detail=False)
    assert plan.resized and plan.size[0] <= 512 and plan.tokens == 255 and plan.level is None
    assert plan.size[0] >= 0.875 * plan.box.width
    native = plan_crop(region, 2000, 1500, GPT4O, mode="off", per_image_detail=False)
    assert not native.resized and native.tokens == 425
    # Step 7: within 512x512, gpt-4o's low detail shows all of it, where the format sets detail.
    low = plan_crop(region, 2000, 1500, GPT4O, mode="bounded")
    assert (low.size, low.level, low.tokens) == (plan.size, "low", 85)
    assert plan_crop(region, 2000, 1500, GPT4O, mode="off").level is None  # 540 px: low would shrink it
    assert (
        plan_crop(region, 2000, 1500, GPT54).level is None
        and plan_crop(region, 2000, 1500, OPUS).level is None
    )


# --------------------------------------------------------------------------- the applier


def page(width: int = 1600, height: int = 1200) -> Image.Image:
    img = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(img)
    for i in range(20):
        d.text((40, 40 + i * 50), f"row {i}: the quick brown fox {i * 7}", font=font(18), fill="black")
    return img


def test_a_larger_crop_is_taken_where_the_provider_bills_it_fewer_tiles() -> None:
    """Gemini 2.x tiles by the shorter side / 1.5: a 700x460 crop pays 3x2 tiles, a taller box 2x2."""
    gemini = get_cost_model("google", "gemini-2.5-flash")
    region = Box(0, 0, 640, 400)
    padded = pad_box(region, 1280, 800, None)
    assert gemini.tokens(padded.width, padded.height) == 6 * 258
    plan = plan_crop(region, 1280, 800, gemini)
    assert plan.tokens == 4 * 258 == gemini.tokens(*plan.size) and not plan.resized
    assert plan.box.contains(padded) and plan.box.right <= 1280 and plan.box.bottom <= 800
    assert plan.box.height > padded.height  # grown, not shrunk: nothing of the region is lost
    # where cost grows with size (OpenAI tiles, Anthropic pixels) the crop is not grown for it
    for provider, model in (("openai", "gpt-4o"), ("anthropic", "claude-opus-4-7")):
        cm = get_cost_model(provider, model)
        p = plan_crop(region, 1280, 800, cm)
        assert p.tokens <= cm.tokens(padded.width, padded.height)
        assert p.box.width * p.box.height <= 1024 * 512


def test_applier_crops_at_native_resolution_and_records_the_box() -> None:
    img = page()
    applied = CropApplier().apply(context(img, Box(40, 140, 400, 160)))
    assert applied.technique is Technique.CROP and applied.replacement is not None
    box = applied.extras["box"]
    assert isinstance(box, Box) and box.left <= 40 and box.right >= 400
    assert applied.size == (box.width, box.height) == (512, 512)
    assert applied.tokens == 85 < align(1600, 1200, GPT4O).tokens_after  # one tile, at detail low
    assert applied.replacement.detail == "low" and "at detail 'low'" in applied.note
    sent = Image.open(io.BytesIO(applied.replacement.data))
    assert sent.size == (512, 512) and applied.replacement.mime_type == "image/png"
    assert sent.convert("RGB").tobytes() == img.crop(box.as_tuple()).tobytes()  # lossless, unscaled


def test_never_costlier_a_crop_as_large_as_the_image_is_refused() -> None:
    img = page(1024, 768)
    with pytest.raises(TechniqueRefusedError, match="not less than the aligned whole image"):
        CropApplier().apply(context(img, Box(0, 0, 1024, 768)))
    with pytest.raises(TechniqueRefusedError, match="not less than"):
        CropApplier().apply(context(img, Box(10, 10, 1000, 700), model=OPUS))
    with pytest.raises(TechniqueRefusedError, match="no region"):
        CropApplier().apply(context(img, None))


def test_refused_crop_falls_back_to_preserve_in_the_compressor() -> None:
    from _fakes import FixedRouter

    data = png_bytes(page(1024, 768))
    comp = ImageCompressor(
        "openai", "gpt-4o", router=FixedRouter(Technique.CROP, region=Box(0, 0, 1024, 768))
    )
    out = comp.compress(request([(data, "what is in the whole page?")]))
    r = comp.last_result.images[0]
    assert r.technique is Technique.PRESERVE and "CROP refused" in r.reason
    assert r.compressed_tokens <= r.original_tokens
    assert find_images(out)[0].data == data


# --------------------------------------------------------------------------- end to end, two turns


class AlwaysCrop(QueryClassifier):
    name = "always-crop"

    def predict(self, query: str) -> QueryPrediction:
        return QueryPrediction(Technique.CROP, 0.95, {"crop": 0.95}, self.name)


class FormOcr(OcrEngine):
    """The text of :func:`form`, as an OCR engine would read it."""

    name = "form-ocr"

    def __init__(self, lines: list[TextLine]) -> None:
        self.lines = tuple(lines)
        self.calls = 0

    def read(self, image: Image.Image) -> OcrResult:
        self.calls += 1
        return OcrResult(self.lines, self.name, 1.0, image.width, image.height)


def form() -> tuple[Image.Image, list[TextLine]]:
    img = Image.new("RGB", (1400, 1100), "white")
    d = ImageDraw.Draw(img)
    lines: list[TextLine] = []
    rows = [("Order ID", "A-48213", 120), ("Customer", "Jane Smith", 400), ("Total", "$45.00", 900)]
    for key, value, y in rows:
        for text, x in ((key, 80), (value, 900)):
            d.text((x, y), text, font=font(20), fill="black")
            lines.append(
                TextLine(Box(*(int(v) for v in d.textbbox((x, y), text, font=font(20)))), text, 0.95)
            )
    return img, lines


def request(turns: list[tuple[bytes, str]]) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []
    for n, (data, query) in enumerate(turns):
        url = "data:image/png;base64," + base64.b64encode(data).decode()
        content = [{"type": "image_url", "image_url": {"url": url}}, {"type": "text", "text": query}]
        messages.append({"role": "user", "content": content})
        if n < len(turns) - 1:
            messages.append({"role": "assistant", "content": "noted"})
    return messages


def test_follow_up_question_about_another_region_gets_its_own_crop() -> None:
    img, lines = form()
    data = png_bytes(img)
    engine = FormOcr(lines)
    router = FusedRouter(
        AlwaysCrop(), analyzer=EmbeddedImageAnalyzer(), locator=QueryRegionLocator(ocr_engine=engine)
    )
    comp = ImageCompressor("openai", "gpt-4o", router=router)

    first_q, second_q = "What is the Order ID?", "What is the Total?"
    out1 = comp.compress(request([(data, first_q)]))
    r1 = comp.last_result.images[0]
    assert r1.technique is Technique.CROP and r1.decision is not None and r1.decision.region is not None
    crop1 = find_images(out1)[0].data

    out2 = comp.compress(request([(data, first_q), (data, second_q)]))
    h, r2 = comp.last_result.images
    assert h.cached and h.decision is not None and h.decision.region == r1.decision.region
    assert find_images(out2)[0].data == crop1  # history keeps the bytes it was first sent with
    assert r2.technique is Technique.CROP and r2.decision is not None and r2.decision.region is not None
    assert r2.decision.region != r1.decision.region
    assert r1.decision.region.bottom < 200 and r2.decision.region.top > 800
    crop2 = find_images(out2)[1].data
    assert crop2 != crop1 and r2.compressed_tokens < r2.original_tokens
    assert engine.calls == 1  # the follow-up reused the OCR of the same pixels


def test_grow_to_content_takes_the_panel_value_and_stops_at_its_frame() -> None:
    from PIL import Image, ImageDraw, ImageFont

    from headroom_core.techniques.crop import grow_to_content

    img = Image.new("RGB", (1600, 1000), (240, 242, 245))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, 1600, 70), fill=(33, 47, 61))  # a dark header bar just above the panel
    d.rectangle((1180, 100, 1570, 300), fill="white", outline=(200, 200, 200))
    d.text((1200, 120), "Open incidents", fill=(90, 90, 90), font=ImageFont.load_default(size=22))
    d.text((1200, 170), "7", fill=(200, 40, 40), font=ImageFont.load_default(size=64))
    label = Box(1198, 126, 1354, 146)  # what a locator finds: the label line only
    grown = grow_to_content(img, label, 23.0)
    assert grown.bottom >= 230  # the big value under the label is in
    assert (
        grown.top >= 95 and grown.left >= 1175 and grown.right <= 1575 and grown.bottom <= 305
    )  # not past the frame
    # On a page where everything touches everything, the located box is kept.
    page = Image.new("RGB", (800, 800), "white")
    ImageDraw.Draw(page).rectangle((0, 0, 800, 800), fill="black")
    assert grow_to_content(page, Box(100, 100, 200, 120), 20.0) == Box(100, 100, 200, 120)


def test_a_chart_title_does_not_run_along_the_plot_frame_under_it() -> None:
    """A frame taken in closes one side only: a chart's title just above the plot's border keeps
    its own width (it ran along the border to both edges: 774 tokens on Gemini 2.5, now 258)."""
    from PIL import Image, ImageDraw

    from headroom_core.techniques.crop import grow_to_content, plan_image_crop

    img = Image.new("RGB", (800, 600), "white")
    d = ImageDraw.Draw(img)
    d.text((345, 16), "Rotation of label text", fill="black", font=font(14))
    d.rectangle((52, 47, 776, 560), outline="black")  # the plot's frame, 18 px under the title
    for x in range(100, 760, 60):  # a curve inside the frame
        d.line((x, 300 + (x % 120), x + 60, 300 + ((x + 60) % 120)), fill=(200, 0, 0), width=2)
    title = Box(*(int(v) for v in d.textbbox((345, 16), "Rotation of label text", font=font(14))))
    grown = grow_to_content(img, title, float(title.height))
    assert grown.bottom >= 47  # the frame's border under the title is taken in
    assert grown.left >= title.left - 5 and grown.right <= title.right + 5  # but not followed sideways
    plan = plan_image_crop(img, title, get_cost_model("google", "gemini-2.5"), lines=[title])
    assert plan.tokens == 258 and plan.box.width <= 384


class AlwaysTranscode(QueryClassifier):
    name = "always-transcode"

    def predict(self, query: str) -> QueryPrediction:
        return QueryPrediction(Technique.TRANSCODE, 0.9, {"transcode": 0.9, "preserve": 0.05}, self.name)


def test_a_line_named_by_its_text_is_cropped_while_the_page_goes_as_text() -> None:
    """Rule 2d end to end: a drawn page of text, the real analyzer and locator; the page's OCR
    is the drawn text. The question naming one line by its start gets that line; the same page
    asked to be transcribed goes as its text."""
    img = Image.new("RGB", (1200, 1500), "white")
    d = ImageDraw.Draw(img)
    lines: list[TextLine] = []
    words = "the kernel reads each option from the command line and stores its value".split()
    for i in range(40):
        text = f"{i + 1}. " + " ".join(words[(i + k) % len(words)] for k in range(9))
        if i == 23:
            text = "warning (message) print a warning message and go on"
        y = 60 + i * 34
        d.text((80, y), text, font=font(20), fill="black")
        lines.append(TextLine(Box(*(int(v) for v in d.textbbox((80, y), text, font=font(20)))), text, 0.95))
    router = FusedRouter(
        AlwaysTranscode(),
        analyzer=EmbeddedImageAnalyzer(),
        locator=QueryRegionLocator(ocr_engine=FormOcr(lines)),
    )
    named = router.decide(img, "What does the line beginning with 'warning (' say?", OPUS, None)
    assert named.technique is Technique.CROP, named.reason
    assert named.region is not None and "names one line by its own text" in named.reason
    target = lines[23].box
    assert named.region.top <= target.top and named.region.bottom >= target.bottom
    assert named.region.height < 3 * target.height  # the line, not the page
    whole = router.decide(img, "Transcribe the text on this page.", OPUS, None)
    assert whole.technique is Technique.TRANSCODE and whole.region is None


def _one_line_page(text: str, size: int = 16) -> tuple[Image.Image, Box, list[Box]]:
    """A dense page of lines 22 px apart (the crop's margin takes in the lines around the asked one);
    returns it, the box of line 12 (``text``) and every line's box."""
    img = Image.new("RGB", (900, 700), "white")
    d = ImageDraw.Draw(img)
    boxes = []
    filler = "an unrelated line of text about the options of the build"
    for i in range(28):
        line = text if i == 12 else f"{i}. {filler}"
        y = 40 + i * 22
        d.text((120, y), line, fill="black", font=font(size))
        boxes.append(Box(*(int(v) for v in d.textbbox((120, y), line, font=font(size)))))
    return img, boxes[12], boxes


def test_a_one_line_crop_is_folded_at_word_gaps_where_the_provider_bills_fewer_tiles() -> None:
    from headroom_core.techniques.crop import plan_image_crop

    text = "Various macros can be set in the file config to customise how the build is run"
    img, line, boxes = _one_line_page(text)
    gemini = get_cost_model("google", "gemini-2.5")
    plan = plan_image_crop(img, line, gemini, lines=boxes)
    assert plan.folded and len(plan.pieces) >= 2 and plan.tokens == 258  # one tile, not 3
    assert plan.size[0] <= 384 and plan.size[1] <= 384
    assert gemini.tokens(line.width + 32, line.height + 32) > plan.tokens  # the line alone is dearer
    # Pieces are the line left to right, cut where no ink crosses the line, at native resolution.
    assert [p.left for p in plan.pieces] == sorted(p.left for p in plan.pieces)
    assert plan.pieces[0].left <= line.left and plan.pieces[-1].right >= line.right
    ink = img.convert("L").load()
    for p in plan.pieces[1:]:
        assert all(ink[p.left, y] > 200 for y in range(line.top, line.bottom))
    # Only the line: the lines above and below, which the margin took in, are left out.
    assert all(p.top >= boxes[11].bottom and p.bottom <= boxes[13].top for p in plan.pieces)
    sent = plan.render(img)
    assert sent.size == plan.size
    assert gemini.cost(*sent.size).tokens == plan.tokens
    top_row = sent.crop((0, 0, plan.pieces[0].width, plan.pieces[0].height))
    assert top_row.tobytes() == img.crop(plan.pieces[0].as_tuple()).tobytes()
    # gpt-4o: 2 tiles for the strip, 1 folded; a patch model (gpt-5.4) is not cheaper folded.
    gpt4o = get_cost_model("openai", "gpt-4o")
    assert plan_image_crop(img, line, gpt4o, lines=boxes, per_image_detail=False).tokens == 255
    assert plan_image_crop(img, line, gpt4o, lines=boxes).tokens == 85  # folded, within 512: detail low
    assert not plan_image_crop(img, line, get_cost_model("openai", "gpt-5.4"), lines=boxes).folded


def test_a_crop_of_two_lines_is_never_folded() -> None:
    from headroom_core.techniques.crop import plan_image_crop

    img, line, boxes = _one_line_page("Various macros can be set in the file config to customise the build")
    two = line.union(boxes[13])
    plan = plan_image_crop(img, two, get_cost_model("google", "gemini-2.5"), lines=boxes)
    assert not plan.folded and plan.tokens > 258


def test_the_crop_applier_sends_the_folded_line() -> None:
    img, line, boxes = _one_line_page("Various macros can be set in the file config to customise how it runs")
    gemini = get_cost_model("google", "gemini-2.5")
    applied = CropApplier().apply(context(img, line, model=gemini, lines=boxes))
    assert applied.replacement.data is not None
    sent = Image.open(io.BytesIO(applied.replacement.data))
    assert applied.tokens == 258 and sent.size == applied.size and sent.width <= 384
    assert "folded at word gaps into" in applied.note
    assert gemini.cost(*sent.size).tokens == 258


def test_a_short_title_in_a_wide_box_is_trimmed_to_its_ink_not_folded() -> None:
    """A title whose box holds blank on both sides (a chart's title row) goes as the title alone,
    one strip: folding the box's width would cut the title ("gamma =" / "0.75")."""
    from headroom_core.techniques.crop import plan_image_crop

    img = Image.new("RGB", (800, 600), "white")
    d = ImageDraw.Draw(img)
    d.text((340, 20), "gamma = 0.75", fill="black", font=font(16))
    title = Box(*(int(v) for v in d.textbbox((340, 20), "gamma = 0.75", font=font(16))))
    wide = Box(40, title.top, 760, title.bottom)  # the located row, blank either side of the title
    gemini = get_cost_model("google", "gemini-2.5")
    plan = plan_image_crop(img, wide, gemini, lines=[title])
    assert not plan.folded and plan.tokens == 258
    assert plan.box.left <= title.left and plan.box.right >= title.right and plan.box.width < 384


def test_a_fold_cuts_at_the_widest_gap_among_the_cheapest() -> None:
    """A breadcrumb with a wide gap between two phrases folds there, not between two words."""
    from headroom_core.techniques.crop import plan_image_crop

    img = Image.new("RGB", (1400, 300), "white")
    d = ImageDraw.Draw(img)
    # Balanced pieces would cut inside the right phrase; both cuts cost one tile on gpt-4o.
    left, right = "Python Runtime", "traceback Print or retrieve a stack traceback from the frames"
    d.text((40, 100), left, fill="black", font=font(16))
    end_left = int(d.textbbox((40, 100), left, font=font(16))[2])
    d.text((end_left + 60, 100), right, fill="black", font=font(16))  # a 60 px gap between them
    line = Box(*(int(v) for v in d.textbbox((40, 100), left, font=font(16))))
    line = line.union(Box(*(int(v) for v in d.textbbox((end_left + 60, 100), right, font=font(16)))))
    gpt4o = get_cost_model("openai", "gpt-4o")
    plan = plan_image_crop(img, line, gpt4o, lines=[line], per_image_detail=False)
    assert plan.folded and len(plan.pieces) == 2 and plan.tokens == 255
    assert end_left < plan.pieces[1].left + 16 and plan.pieces[0].right - 16 < end_left + 60


def test_a_crop_is_refused_where_the_whole_small_image_goes_cheaper_at_low_detail() -> None:
    """gpt-4o: a 500x400 image is one tile (255) and PRESERVE sends it whole at detail low (85), so
    a one-tile crop of it is not cheaper than keeping all of it."""
    img = Image.new("RGB", (500, 400), "white")
    ImageDraw.Draw(img).text((40, 40), "Order ID: 48213", fill="black", font=font(18))
    with pytest.raises(TechniqueRefusedError, match="not less than the aligned whole image's 85"):
        CropApplier().apply(context(img, Box(40, 40, 200, 60)))


class _FixedLocator(RegionLocator):
    name = "fixed"

    def __init__(self, region: LocatedRegion) -> None:
        self.region = region

    def locate(self, image: Image.Image, query: str, signals: ImageSignals | None) -> LocatedRegion | None:
        return self.region


def test_an_axis_label_is_cropped_when_its_crop_costs_what_the_low_view_costs() -> None:
    """Rule 4b weighs the low view against the cheapest crop. On gpt-4o a crop within 512x512 goes at
    detail low (85 tokens, not the 255 of one tile): the low view is not cheaper, the label is cropped
    at full resolution rather than sent at 0.85x."""
    img = Image.new("RGB", (800, 600), "white")
    d = ImageDraw.Draw(img)
    d.rectangle((80, 40, 760, 520), outline="black")
    d.line([(80 + k * 10, 500 - (k * 53) % 400) for k in range(68)], fill=(200, 40, 40), width=2)
    label = "Time (sec)"
    x0, y0, x1, y1 = (int(v) for v in d.textbbox((360, 550), label, font=font(20)))
    d.text((360, 550), label, font=font(20), fill="black")
    region = LocatedRegion(Box(x0 - 6, y0 - 6, x1 + 6, y1 + 6), 0.8, "the x-axis label")
    router = FusedRouter(AlwaysCrop(), analyzer=EmbeddedImageAnalyzer(), locator=_FixedLocator(region))
    gpt4o = get_cost_model("openai", "gpt-4o")
    decision = router.decide(img, "What is the label of the x axis?", gpt4o, None)
    assert decision.technique is Technique.CROP and decision.region == region.box, decision.reason
    assert gpt4o.cost(region.box.width, region.box.height, None).tokens == 255  # the old lower bound
