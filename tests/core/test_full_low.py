"""FULL_LOW's plan: never dearer than the aligned whole image, and the cheap knob of each provider."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageFont

from headroom_core import Box
from headroom_core.costs import get_cost_model
from headroom_core.techniques.full_low import (
    GEMINI_ONE_TILE_SIDE,
    INSET_MIN_VIEW_FRACTION,
    plan_full_low,
    plan_low_inset,
)
from headroom_core.tiling import align

MODELS = [
    ("openai", "gpt-4o"),
    ("openai", "gpt-5.4"),
    ("openai", "gpt-4o-mini"),
    ("anthropic", "claude-sonnet-4-5"),
    ("anthropic", "claude-opus-4-7"),
    ("anthropic", "anthropic-legacy"),
    ("google", "gemini-2.5-flash"),
    ("google", "gemini-3-pro"),
]


@settings(max_examples=60, deadline=None)
@given(
    model=st.sampled_from(MODELS),
    width=st.integers(min_value=16, max_value=4000),
    height=st.integers(min_value=16, max_value=4000),
)
def test_low_plan_never_bills_more_than_the_aligned_whole_image(
    model: tuple[str, str], width: int, height: int
) -> None:
    cm = get_cost_model(*model)
    plan = plan_full_low(width, height, cm, None)
    aligned = align(width, height, cm, None, mode="bounded")
    assert plan.tokens <= aligned.tokens_after
    assert plan.tokens <= cm.tokens(width, height, None)
    assert plan.size[0] <= width and plan.size[1] <= height


def test_a_512px_square_for_claude_opus_is_snapped_not_sent_as_is() -> None:
    # 512 x 512 is already "low" by size, but 504 x 504 sits on Claude's 28-px grid and bills less.
    cm = get_cost_model("anthropic", "claude-opus-4-7")
    plan = plan_full_low(512, 512, cm, None)
    assert plan.tokens < cm.tokens(512, 512, None)
    assert plan.size[0] < 512 and plan.resized


@pytest.mark.parametrize("size", [(640, 480), (1700, 2200), (1920, 1080)])
def test_gemini_2_low_version_is_one_tile(size: tuple[int, int]) -> None:
    cm = get_cost_model("google", "gemini-2.5-flash")
    plan = plan_full_low(*size, cm, None)
    assert max(plan.size) <= GEMINI_ONE_TILE_SIDE
    assert plan.tokens == 258 < cm.tokens(*size, None)


# --------------------------------------------------------------------------- the title inset


def _chart(
    size: tuple[int, int] = (1280, 960), title: str = "Rosenbrock Function"
) -> tuple[Image.Image, Box]:
    """A gnuplot-like chart: a 14 px title centred over a framed plot with a curve; the title's box."""
    img = Image.new("RGB", size, "white")
    d = ImageDraw.Draw(img)
    f = ImageFont.load_default(size=14)
    w, h = size
    left, top, right, bottom = d.textbbox((0, 0), title, font=f)
    x = (w - (right - left)) // 2
    d.text((x, 24), title, fill="black", font=f)
    d.rectangle((80, 70, w - 60, h - 70), outline="black", width=1)
    curve = [(80 + k * 8, h - 80 - ((k * 37) % 400)) for k in range((w - 160) // 8)]
    d.line(curve, fill=(40, 120, 200), width=2)
    box = Box(int(x + left), int(24 + top), int(x + right), int(24 + bottom))
    return img, box


@pytest.mark.parametrize(
    ("model", "tokens"), [(("openai", "gpt-4o"), 85), (("google", "gemini-2.5-flash"), 258)]
)
def test_the_title_inset_costs_what_the_low_view_costs_and_keeps_the_title_at_full_size(
    model: tuple[str, str], tokens: int
) -> None:
    img, title = _chart()
    cm = get_cost_model(*model)
    low = plan_full_low(*img.size, cm, None)
    plan = plan_low_inset(img, title, cm, None)
    assert plan is not None
    assert plan.tokens == low.tokens == tokens
    assert plan.inset_scale == 1.0 and plan.inset_size == (plan.source.width, plan.source.height)
    assert plan.source.contains(title) and plan.source.width < title.width + 20  # its ink, a margin
    assert plan.view_scale >= INSET_MIN_VIEW_FRACTION * low.view_scale
    rendered = plan.render(img)
    assert rendered.size == plan.canvas
    # the title's pixels are there as they are in the original, below the view
    x = (plan.canvas[0] - plan.inset_size[0]) // 2
    y = plan.view_size[1] + plan.gap
    inset = rendered.crop((x, y, x + plan.inset_size[0], y + plan.inset_size[1]))
    assert inset.tobytes() == img.crop(plan.source.as_tuple()).tobytes()


def test_the_inset_takes_in_the_rest_of_its_line() -> None:
    """A heading whose first word is a link in another colour, taken by the locator for another
    line: the inset holds the whole heading."""
    img = Image.new("RGB", (1280, 800), "white")
    d = ImageDraw.Draw(img)
    f = ImageFont.load_default(size=30)
    d.text((80, 100), "sunau", fill=(30, 80, 200), font=f)
    link_right = int(d.textbbox((80, 100), "sunau", font=f)[2])
    d.text((link_right + 12, 100), "— Read and write Sun AU files", fill="black", font=f)
    small = ImageFont.load_default(size=14)
    for k in range(20):
        d.text((80, 180 + 24 * k), "body text of the page " * 3, fill="black", font=small)
    rest = Box(link_right + 12, 100, 700, 140)
    plan = plan_low_inset(img, rest, get_cost_model("openai", "gpt-4o"), None)
    assert plan is not None and plan.source.left < 85 and plan.source.bottom < 180


def test_a_heading_wrapped_over_two_lines_does_not_take_in_the_sidebar_beside_it() -> None:
    """A docs page's heading wraps over two lines beside a sidebar whose entries are about two of
    its line heights away: the inset reaches one line height's join, not the two lines' height,
    so it holds the heading and none of the sidebar."""
    img = Image.new("RGB", (1280, 800), "white")
    d = ImageDraw.Draw(img)
    big = ImageFont.load_default(size=30)
    small = ImageFont.load_default(size=13)
    for k in range(6):
        d.text((20, 110 + 18 * k), "Sidebar.entry()", fill="black", font=small)
    sidebar_right = max(int(d.textbbox((20, 0), "Sidebar.entry()", font=small)[2]), 0)
    left = sidebar_right + 70  # about two heading line heights beyond the sidebar's text
    d.text((left, 110), "email.message: Representing an email", fill="black", font=big)
    d.text((left, 150), "message", fill="black", font=big)
    heading = Box(
        left, 110, int(d.textbbox((left, 110), "email.message: Representing an email", font=big)[2]), 185
    )
    plan = plan_low_inset(img, heading, get_cost_model("anthropic", "claude-opus-4-7"), None)
    assert plan is not None
    assert plan.source.left > sidebar_right and plan.source.contains(Box(left + 2, 152, left + 60, 170))
    # one line alone at the same gap still takes in the word beside it (the join reaches it)
    one = Image.new("RGB", (1280, 800), "white")
    d1 = ImageDraw.Draw(one)
    d1.text((left - 40, 110), "sunau", fill="black", font=big)
    d1.text((left + 60, 110), "Read and write", fill="black", font=big)
    found = plan_low_inset(
        one, Box(left + 60, 110, left + 300, 145), get_cost_model("openai", "gpt-4o"), None
    )
    assert found is not None and found.source.left < left - 30


def test_an_inset_that_needs_more_room_than_a_quarter_of_the_view_is_refused() -> None:
    img, _ = _chart((600, 800))
    tall = Box(100, 100, 500, 400)  # a 300 px "line" on a portrait image
    assert plan_low_inset(img, tall, get_cost_model("google", "gemini-2.5-flash"), None) is None


def test_full_low_with_a_region_sends_the_canvas() -> None:
    from headroom_core._imageio import decode_image
    from headroom_core.techniques import FullLowApplier
    from headroom_core.techniques._base import ApplyContext
    from headroom_core.types import RouteDecision, Technique

    img, title = _chart()
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    data = buf.getvalue()
    cm = get_cost_model("openai", "gpt-4o")
    ctx = ApplyContext(
        decoded=decode_image(data),
        original_data=data,
        cost_model=cm,
        detail=None,
        original_tokens=cm.tokens(*img.size, None),
        query="What does this chart show?",
        decision=RouteDecision(Technique.FULL_LOW, 0.9, "test", region=title),
        provider="openai",
        model="gpt-4o",
        region=title,
    )
    applied = FullLowApplier().apply(ctx)
    plan = plan_low_inset(img, title, cm, None)
    assert plan is not None and applied.tokens == 85 and applied.size == plan.canvas
    assert applied.replacement is not None and applied.replacement.detail == "low"
    sent = Image.open(io.BytesIO(applied.replacement.data))
    assert sent.size == plan.canvas and "beside it" in applied.note
    plain = FullLowApplier().apply(replace(ctx, region=None))
    assert plain.tokens == 85 and plain.size != plan.canvas


def test_the_inset_does_not_take_in_a_row_of_items() -> None:
    """A desktop's top bar: a clock centred between menus and status icons on the same row. The
    inset is the clock's line, not the whole bar (which would shrink it to fit)."""
    img = Image.new("RGB", (764, 863), (30, 30, 30))
    d = ImageDraw.Draw(img)
    f = ImageFont.load_default(size=15)
    for x in range(10, 300, 20):
        d.rectangle((x, 10, x + 12, 24), fill=(230, 230, 230))  # menus
    d.text((327, 8), "Tue 10:42", fill="white", font=f)
    for x in range(450, 760, 20):
        d.rectangle((x, 10, x + 12, 24), fill=(230, 230, 230))  # status icons
    clock = Box(325, 8, 400, 27)
    plan = plan_low_inset(img, clock, get_cost_model("google", "gemini-2.5-flash"), None)
    assert plan is not None and plan.source.width < 2 * clock.width and plan.inset_scale == 1.0
