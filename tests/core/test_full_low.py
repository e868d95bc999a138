"""FULL_LOW's plan: never dearer than the aligned whole image, and the cheap knob of each provider."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from headroom_core.costs import get_cost_model
from headroom_core.techniques.full_low import GEMINI_ONE_TILE_SIDE, plan_full_low
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
