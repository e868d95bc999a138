"""Token cost models against every worked example of research/provider-token-rules.md, and name resolution."""

from __future__ import annotations

import logging

import pytest

import headroom_core.costs as costs
from headroom_core._exceptions import ConfigurationError, UnknownModelError
from headroom_core.costs import CostModel, TokenCost, get_cost_model, list_cost_models


def model(provider: str, name: str | None = None, rule: str | None = None) -> CostModel:
    return get_cost_model(provider, name, rule)


# --- OpenAI tile method (§1.2) -----------------------------------------------------------

TILE_EXAMPLES = [
    # (model, width, height, detail, tokens, billed size)
    ("gpt-4o", 1024, 1024, "high", 765, (768, 768)),
    ("gpt-4o", 2048, 4096, "high", 1105, (768, 1536)),
    ("gpt-4o", 1920, 1080, "high", 1105, (1365, 768)),
    ("gpt-4o", 1920, 1080, None, 1105, (1365, 768)),  # newest doc: auto/omitted = high
    ("gpt-4o", 1920, 1080, "auto", 1105, (1365, 768)),
    ("gpt-4o", 4032, 3024, "low", 85, (682, 512)),
    ("gpt-4o", 100, 100, "low", 85, (100, 100)),
    # §5 cheat sheet, gpt-4o high column
    ("gpt-4o", 512, 512, "high", 255, (512, 512)),
    ("gpt-4o", 3840, 2160, "high", 1105, (1365, 768)),
    ("gpt-4o", 4032, 3024, "high", 765, (1024, 768)),
    # base / per-tile table
    ("gpt-4.1", 1024, 1024, "high", 765, (768, 768)),
    ("gpt-4.5-preview", 1024, 1024, "high", 765, (768, 768)),
    ("gpt-5", 1024, 1024, "high", 70 + 4 * 140, (768, 768)),
    ("gpt-5-chat-latest", 1024, 1024, "low", 70, (512, 512)),
    ("gpt-5.1", 512, 512, "high", 210, (512, 512)),
    ("gpt-4o-mini", 1024, 1024, "high", 2833 + 4 * 5667, (768, 768)),
    ("gpt-4o-mini", 1024, 1024, "low", 2833, (512, 512)),
    ("gpt-4o-mini", 768, 2048, "high", 48_169, (768, 2048)),  # the 2x4-tile maximum
    ("o1", 1024, 1024, "high", 75 + 4 * 150, (768, 768)),
    ("o1-pro", 512, 512, "high", 225, (512, 512)),
    ("o3", 1024, 1024, "low", 75, (512, 512)),
    ("computer-use-preview", 1024, 1024, "high", 65 + 4 * 129, (768, 768)),
    ("gpt-image-1", 1024, 1024, "high", 65 + 129, (512, 512)),  # short side 512, not 768
]


@pytest.mark.parametrize(("name", "width", "height", "detail", "tokens", "billed"), TILE_EXAMPLES)
def test_openai_tile_examples(
    name: str, width: int, height: int, detail: str | None, tokens: int, billed: tuple[int, int]
) -> None:
    cost = model("openai", name).cost(width, height, detail)
    assert (cost.tokens, cost.billed_size) == (tokens, billed)


# --- OpenAI patch method (§1.3) ----------------------------------------------------------

PATCH_EXAMPLES = [
    # (model, width, height, detail, tokens, billed size)
    ("gpt-5.4", 1024, 1024, "high", 1229, (1024, 1024)),
    ("gpt-5.4", 2048, 2048, "high", 3000, (1600, 1600)),
    ("gpt-5.5", 4032, 3024, "auto", 11_868, (3669, 2752)),
    ("gpt-5.5", 4032, 3024, None, 11_868, (3669, 2752)),
    ("gpt-5.6-sol", 4032, 3024, "auto", 14_364, (4032, 3024)),
    ("gpt-5.6-sol", 4032, 3024, "high", 2942, (1824, 1368)),
    ("gpt-5.6-sol", 640, 480, "low", 231, (512, 384)),
    # 1800x2400 with the older 1,536 budget: 1056x1408 -> 33x44 = 1,452 patches
    ("o4-mini", 1800, 2400, "high", 2498, (1056, 1408)),  # x 1.72
    ("gpt-5-mini", 1800, 2400, "high", 1743, (1056, 1408)),  # x 1.2
    ("gpt-5-nano", 1800, 2400, None, 2178, (1056, 1408)),  # x 1.5
    ("gpt-4.1-nano", 1800, 2400, "low", 3572, (1056, 1408)),  # x 2.46, every level the same
    ("gpt-4.1-mini", 1024, 1024, "high", 1659, (1024, 1024)),  # 1,024 patches x 1.62
    # §5 cheat sheet, gpt-5.4 high (x1.2)
    ("gpt-5.4", 512, 512, "high", 308, (512, 512)),
    ("gpt-5.4", 1920, 1080, "high", 2448, (1920, 1080)),
    ("gpt-5.4", 3840, 2160, "high", 2765, (2048, 1152)),  # open question: fit-first reading
    ("gpt-5.4", 4032, 3024, "high", 2942, (1824, 1368)),
    ("gpt-5.4", 4032, 3024, None, 2942, (1824, 1368)),  # auto = high on gpt-5.4
    ("gpt-5.4-mini", 1024, 1024, "high", 1229, (1024, 1024)),
    ("gpt-5.4-nano", 1024, 1024, "high", 1229, (1024, 1024)),
    # §5 cheat sheet, gpt-5.6 auto (x1.2)
    ("gpt-5.6-terra", 512, 512, None, 308, (512, 512)),
    ("gpt-5.6-luna", 1024, 1024, None, 1229, (1024, 1024)),
    ("gpt-5.6-sol", 1920, 1080, None, 2448, (1920, 1080)),
    ("gpt-5.6-sol", 3840, 2160, None, 9792, (3840, 2160)),
    ("gpt-5.6-sol", 4032, 3024, None, 14_364, (4032, 3024)),
    # third-party dataset: GPT-6 Astra auto / high on 4032x3024 (secondary)
    ("gpt-6-astra", 4032, 3024, None, 14_364, (4032, 3024)),
    ("gpt-6-astra", 4032, 3024, "high", 2942, (1824, 1368)),
    # gpt-5.4 family low: 2048 px + 6,144 patches, costs more than high here
    ("gpt-5.4", 4032, 3024, "low", 3687, (2048, 1536)),
    ("gpt-5.4", 4032, 3024, "original", 11_868, (3669, 2752)),
    # gpt-5.2 and gpt-4.1-mini: every level 2048 px + 6,144 patches
    ("gpt-5.2", 4032, 3024, "low", 3687, (2048, 1536)),
    ("gpt-5.2", 4032, 3024, "high", 3687, (2048, 1536)),
    ("gpt-4.1-mini", 4032, 3024, None, 4977, (2048, 1536)),
]


@pytest.mark.parametrize(("name", "width", "height", "detail", "tokens", "billed"), PATCH_EXAMPLES)
def test_openai_patch_examples(
    name: str, width: int, height: int, detail: str | None, tokens: int, billed: tuple[int, int]
) -> None:
    cost = model("openai", name).cost(width, height, detail)
    assert (cost.tokens, cost.billed_size) == (tokens, billed)


def test_patch_counts_of_worked_examples() -> None:
    m = model("openai", "gpt-5.6-sol")
    assert m.cost(4032, 3024).tokens == 14_364 == -(-11_970 * 6 // 5)  # 126 x 95 patches
    assert m.cost(4032, 3024, "high").billed_size == (1824, 1368)  # 57 x 43 = 2,451 patches


def test_gpt56_original_over_30000_patches_is_marked_rejected() -> None:
    m = model("openai", "gpt-5.6-sol")
    big = m.cost(8000, 8000)  # 250 x 250 = 62,500 patches, no budget
    assert big.rejected and big.tokens == 75_000 and big.billed_size == (8000, 8000)
    assert not m.cost(4032, 3024).rejected
    assert not m.cost(8000, 8000, "high").rejected  # high has a budget: resized, not rejected
    assert not model("openai", "gpt-5.5").cost(8000, 8000).rejected  # 10,000-patch budget


def test_gpt56_fits_65535_px() -> None:
    cost = model("openai", "gpt-5.6-sol").cost(70_000, 1000)
    assert cost.billed_size == (65_535, 936) and cost.rejected  # 2,048 x 30 patches


# --- Anthropic (§2) ----------------------------------------------------------------------

CLAUDE_EXAMPLES = [
    # (width, height, standard size, standard tokens, high-res size, high-res tokens): doc table + §5
    (200, 200, (200, 200), 64, (200, 200), 64),
    (1000, 1000, (1000, 1000), 1296, (1000, 1000), 1296),
    (1092, 1092, (1092, 1092), 1521, (1092, 1092), 1521),
    (1920, 1080, (1456, 819), 1560, (1920, 1080), 2691),
    (2000, 1500, (1270, 952), 1564, (2000, 1500), 3888),  # doc: 1269x952; the reference code: 1270x952
    (3840, 2160, (1456, 819), 1560, (2576, 1449), 4784),
    (4032, 3024, (1270, 952), 1564, (2212, 1659), 4740),
    (512, 512, (512, 512), 361, (512, 512), 361),
    (1024, 1024, (1024, 1024), 1369, (1024, 1024), 1369),
    (1075, 1520, (924, 1307), 1551, (1075, 1520), 2145),  # A4 at 130 DPI, a tall image
]


@pytest.mark.parametrize(
    ("width", "height", "std_size", "std_tokens", "hi_size", "hi_tokens"), CLAUDE_EXAMPLES
)
def test_claude_patch_examples(
    width: int,
    height: int,
    std_size: tuple[int, int],
    std_tokens: int,
    hi_size: tuple[int, int],
    hi_tokens: int,
) -> None:
    std = model("anthropic", "claude-sonnet-4-5").cost(width, height)
    high = model("anthropic", "claude-opus-4-7").cost(width, height)
    assert (std.billed_size, std.tokens) == (std_size, std_tokens)
    assert (high.billed_size, high.tokens) == (hi_size, hi_tokens)
    assert std.detail is None and not std.rejected


def test_claude_short_edge_uses_half_to_even_rounding() -> None:
    # 2000x1500: long edge 1270 gives a short edge of 952.5, which Python rounds to 952.
    assert model("anthropic", "claude-haiku-4-5").cost(2000, 1500).billed_size == (1270, 952)
    assert model("anthropic").cost(1500, 2000).billed_size == (952, 1270)


def test_claude_over_8000_px_is_marked_rejected() -> None:
    assert model("anthropic", "claude-sonnet-4-5").cost(8001, 100).rejected
    assert not model("anthropic", "claude-sonnet-4-5").cost(8000, 8000).rejected
    assert model("anthropic", "claude-sonnet-4-5", rule="legacy").cost(100, 9000).rejected


LEGACY_EXAMPLES = [(200, 200, 54), (1000, 1000, 1334), (1092, 1092, 1590), (819, 1456, 1590)]


@pytest.mark.parametrize(("width", "height", "tokens"), LEGACY_EXAMPLES)
def test_claude_legacy_examples(width: int, height: int, tokens: int) -> None:
    cost = model("anthropic", "claude-sonnet-4-5", rule="legacy").cost(width, height)
    assert cost.tokens == tokens and cost.billed_size == (width, height)


@pytest.mark.parametrize(
    ("width", "height"), [(1092, 1092), (951, 1268), (896, 1344), (819, 1456), (784, 1568)]
)
def test_claude_legacy_largest_sizes_cost_about_1600(width: int, height: int) -> None:
    # "Largest sizes not resized ... (≈1,600 tokens)": within 2.5 % of 1,600.
    assert 1560 <= model("anthropic", rule="legacy").tokens(width, height) <= 1600


def test_claude_legacy_resizes_long_edge_and_area() -> None:
    m = model("anthropic", "claude-3-5-sonnet-legacy")
    assert m.family == "anthropic-legacy"
    cost = m.cost(3840, 2160)
    assert max(cost.billed_size) <= 1568 and cost.billed_width * cost.billed_height <= 1_200_000
    assert cost.tokens <= 1600


# --- Gemini (§3) -------------------------------------------------------------------------

GEMINI_EXAMPLES = [
    # (model, width, height, detail, tokens)
    ("gemini-3-pro-preview", 256, 256, "low", 280),
    ("gemini-3-pro-preview", 4032, 3024, "medium", 560),
    ("gemini-3-pro-preview", 4032, 3024, "high", 1120),
    ("gemini-3-pro-preview", 4032, 3024, "ultra_high", 2240),
    ("gemini-3-pro-preview", 512, 512, None, 1120),  # default high, size-independent
    ("gemini-3-flash", 12_000, 1000, None, 1120),
    ("gemini-3-pro-preview", 1024, 1024, "media_resolution_low", 280),
    ("gemini-3-pro-preview", 1024, 1024, "MEDIA_RESOLUTION_ULTRA_HIGH", 2240),
    ("gemini-3-pro-preview", 1024, 1024, "media_resolution_unspecified", 1120),
    ("gemini-2.5-flash", 4032, 3024, "low", 64),
    ("gemini-2.5-flash", 4032, 3024, "medium", 256),
    ("gemini-2.5-flash", 4032, 3024, "high", 256),
    ("gemini-2.5-flash", 384, 384, None, 258),  # both sides <= 384: one tile
    ("gemini-2.5-flash", 1024, 1024, None, 4 * 258),  # tile side 682: 2 x 2
    ("gemini-2.0-flash", 385, 200, None, 2 * 258),  # tile side clamps to 256
    ("gemini-2.0-flash", 4032, 3024, None, 24 * 258),  # tile side clamps to 768: 6 x 4
    ("gemini-1.5-pro", 300, 300, None, 258),
    ("gemini-pro-vision", 4032, 3024, None, 258),  # Gemini 1.0: 258 per image
]


@pytest.mark.parametrize(("name", "width", "height", "detail", "tokens"), GEMINI_EXAMPLES)
def test_gemini_examples(name: str, width: int, height: int, detail: str | None, tokens: int) -> None:
    cost = model("google", name).cost(width, height, detail)
    assert cost.tokens == tokens and cost.billed_size == (width, height)


def test_gemini_detail_values() -> None:
    assert model("google", "gemini-3").details == ("low", "medium", "high", "ultra_high")
    assert model("google", "gemini-2.5-pro").details == ("low", "medium", "high")
    assert model("google", "gemini-2.0-flash").details == ()
    assert model("google", "gemini-3").cost(10, 10).detail == "high"
    with pytest.raises(ConfigurationError):
        model("google", "gemini-2.5-pro").cost(10, 10, "ultra_high")


# --- detail handling, cheapest detail, errors --------------------------------------------


@pytest.mark.parametrize(
    ("provider", "name", "detail"),
    [
        ("openai", "gpt-4o", "original"),
        ("openai", "gpt-5.2", "original"),
        ("openai", "gpt-5.4", "ultra"),
        ("anthropic", "claude-sonnet-4-5", "high"),
        ("google", "gemini-2.0-flash", "low"),
    ],
)
def test_unknown_detail_raises(provider: str, name: str, detail: str) -> None:
    with pytest.raises(ConfigurationError, match="detail"):
        model(provider, name).cost(100, 100, detail)


def test_detail_is_case_insensitive() -> None:
    assert model("openai", "gpt-4o").cost(2000, 2000, "LOW").tokens == 85


@pytest.mark.parametrize(("width", "height"), [(0, 10), (10, 0), (-5, 5)])
def test_bad_size_raises(width: int, height: int) -> None:
    with pytest.raises(ConfigurationError):
        model("openai").cost(width, height)


@pytest.mark.parametrize(
    ("provider", "name", "size", "expected"),
    [
        ("openai", "gpt-4o", (1920, 1080), ("low", 85)),
        ("openai", "gpt-4o-mini", (100, 100), ("low", 2833)),
        ("openai", "gpt-5.4", (4032, 3024), ("high", 2942)),  # low (6,144 patches) costs more
        ("openai", "gpt-5.6-sol", (4032, 3024), ("low", 231)),
        ("openai", "gpt-5.2", (4032, 3024), ("low", 3687)),  # all levels equal: first listed
        ("anthropic", "claude-opus-4-7", (1920, 1080), (None, 2691)),
        ("google", "gemini-3-pro-preview", (800, 600), ("low", 280)),
        ("google", "gemini-2.5-flash", (300, 300), ("low", 64)),
        ("google", "gemini-2.0-flash", (1024, 1024), (None, 1032)),
    ],
)
def test_cheapest_detail(
    provider: str, name: str, size: tuple[int, int], expected: tuple[str | None, int]
) -> None:
    assert model(provider, name).cheapest_detail(*size) == expected


def test_gpt54_low_can_cost_more_than_high() -> None:
    m = model("openai", "gpt-5.4")
    assert m.tokens(4032, 3024, "low") > m.tokens(4032, 3024, "high")
    assert set(m.details) == {"low", "high", "original", "auto"}


def test_token_cost_is_frozen() -> None:
    cost = model("openai").cost(10, 10)
    assert isinstance(cost, TokenCost)
    with pytest.raises(AttributeError):
        cost.tokens = 1  # type: ignore[misc]


# --- name resolution ---------------------------------------------------------------------

RESOLUTION = [
    ("openai", "gpt-4o", "gpt-4o"),
    ("openai", "gpt-4o-2024-08-06", "gpt-4o"),
    ("openai", "chatgpt-4o-latest", "gpt-4o"),
    ("openai", "openai/gpt-4o", "gpt-4o"),
    ("openai", "GPT-4o-Mini", "gpt-4o-mini"),
    ("openai", "gpt-4o-mini-2024-07-18", "gpt-4o-mini"),
    ("openai", "gpt-4.1", "gpt-4o"),
    ("openai", "gpt-4.1-2025-04-14", "gpt-4o"),
    ("openai", "gpt-4.1-mini", "gpt-4.1-mini"),
    ("openai", "gpt-4.1-mini-2025-04-14", "gpt-4.1-mini"),
    ("openai", "gpt-4.1-nano", "gpt-4.1-nano"),
    ("openai", "gpt-4.5-preview", "gpt-4o"),
    ("openai", "o1", "o1-o3"),
    ("openai", "o1-pro", "o1-o3"),
    ("openai", "o3-2025-04-16", "o1-o3"),
    ("openai", "o4-mini", "o4-mini"),
    ("openai", "o4-mini-2025-04-16", "o4-mini"),
    ("openai", "computer-use-preview-2025-03-11", "computer-use-preview"),
    ("openai", "gpt-5", "gpt-5"),
    ("openai", "gpt-5-2025-08-07", "gpt-5"),
    ("openai", "gpt-5-chat-latest", "gpt-5"),
    ("openai", "gpt-5-mini", "gpt-5-mini"),
    ("openai", "gpt-5-mini-2025-08-07", "gpt-5-mini"),
    ("openai", "gpt-5-nano", "gpt-5-nano"),
    ("openai", "gpt-5.1", "gpt-5"),
    ("openai", "gpt-5.1-2025-11-13", "gpt-5"),
    ("openai", "gpt-5.1-codex-mini", "gpt-5-codex-mini"),
    ("openai", "gpt-5-codex-mini", "gpt-5-codex-mini"),
    ("openai", "codex-mini-latest", "codex-mini"),
    ("openai", "gpt-5.2", "gpt-5.2"),
    ("openai", "gpt-5.2-2025-12-11", "gpt-5.2"),
    ("openai", "gpt-5.4", "gpt-5.4"),
    ("openai", "gpt-5.4-mini", "gpt-5.4"),
    ("openai", "gpt-5.4-nano", "gpt-5.4"),
    ("openai", "gpt-5.5", "gpt-5.5"),
    ("openai", "gpt-5.6-sol", "gpt-5.6"),
    ("openai", "gpt-5.6-terra", "gpt-5.6"),
    ("openai", "gpt-5.6-luna", "gpt-5.6"),
    ("openai", "gpt-6-astra", "gpt-6-astra"),
    ("openai", "gpt-image-1", "gpt-image-1"),
    ("anthropic", "claude-sonnet-4-5", "anthropic-standard"),
    ("anthropic", "claude-sonnet-4-5-20250929", "anthropic-standard"),
    ("anthropic", "claude-haiku-4-5", "anthropic-standard"),
    ("anthropic", "claude-opus-4-6", "anthropic-standard"),
    ("anthropic", "claude-sonnet-4-6", "anthropic-standard"),
    ("anthropic", "claude-opus-4-1-20250805", "anthropic-standard"),
    ("anthropic", "claude-sonnet-4-20250514", "anthropic-standard"),
    ("anthropic", "claude-3-5-sonnet-20241022", "anthropic-standard"),
    ("anthropic", "claude-3-opus-20240229", "anthropic-standard"),
    ("anthropic", "claude-opus-4-7", "anthropic-highres"),
    ("anthropic", "claude-opus-4.7", "anthropic-highres"),
    ("anthropic", "Claude-Opus-4.8", "anthropic-highres"),
    ("anthropic", "claude-sonnet-5", "anthropic-highres"),
    ("anthropic", "claude-sonnet-5.1", "anthropic-highres"),
    ("anthropic", "claude-fable-5", "anthropic-highres"),
    ("anthropic", "claude-mythos-5", "anthropic-highres"),
    ("anthropic", "claude-haiku-5-20270101", "anthropic-highres"),
    ("anthropic", "claude-sonnet-4-7", "anthropic-highres"),  # "Claude 4.7 and later"
    ("anthropic", "us.anthropic.claude-opus-4-7-v1:0", "anthropic-highres"),  # Bedrock id
    ("anthropic", "claude-opus-4-7@20260416", "anthropic-highres"),  # Vertex id
    ("anthropic", "claude-sonnet-4-5-legacy", "anthropic-legacy"),
    ("anthropic", "claude-opus-4-7-legacy", "anthropic-legacy"),
    ("google", "gemini-2.5-flash", "gemini-2.5"),
    ("google", "models/gemini-2.5-flash", "gemini-2.5"),
    ("google", "gemini-2.5-pro", "gemini-2.5"),
    ("google", "gemini-2.5-flash-lite", "gemini-2.5"),
    ("google", "gemini-2.0-flash-001", "gemini-2.0"),
    ("google", "gemini-1.5-pro-002", "gemini-1.5"),
    ("google", "gemini-pro-vision", "gemini-1.0"),
    ("google", "gemini-3-pro-preview", "gemini-3"),
    ("google", "gemini-3.1-flash", "gemini-3"),
    ("gemini", "gemini-3-pro-preview", "gemini-3"),
    ("Google", "models/Gemini-3-Pro-Preview", "gemini-3"),
]


@pytest.mark.parametrize(("provider", "name", "family"), RESOLUTION)
def test_name_resolution(provider: str, name: str, family: str) -> None:
    assert get_cost_model(provider, name).family == family


@pytest.mark.parametrize(
    ("name", "not_family"),
    [("gpt-4o-mini", "gpt-4o"), ("gpt-5-mini", "gpt-5"), ("gpt-4.1-mini", "gpt-4o"), ("gpt-5-nano", "gpt-5")],
)
def test_mini_and_nano_do_not_resolve_to_the_big_model(name: str, not_family: str) -> None:
    assert get_cost_model("openai", name).family != not_family


def test_prefix_matches_only_at_a_dash_boundary(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="headroom_core.costs"):
        assert get_cost_model("openai", "gpt-50-turbo").family == "gpt-4o"  # not gpt-5
        assert get_cost_model("openai", "o10").family == "gpt-4o"  # not o1
    assert "gpt-50-turbo" in caplog.text


@pytest.mark.parametrize(
    ("provider", "family"),
    [("openai", "gpt-4o"), ("anthropic", "anthropic-standard"), ("google", "gemini-2.5")],
)
def test_defaults(provider: str, family: str, caplog: pytest.LogCaptureFixture) -> None:
    assert get_cost_model(provider).family == family
    with caplog.at_level(logging.DEBUG, logger="headroom_core.costs"):
        assert get_cost_model(provider, "some-future-model-9").family == family
    assert "some-future-model-9" in caplog.text


def test_legacy_rule_argument() -> None:
    assert get_cost_model("anthropic", "claude-sonnet-4-5", rule="legacy").family == "anthropic-legacy"
    assert get_cost_model("anthropic", "claude-sonnet-4-5", rule="current").family == "anthropic-standard"
    assert get_cost_model("anthropic", rule="LEGACY").family == "anthropic-legacy"


def test_unknown_provider_raises() -> None:
    with pytest.raises(UnknownModelError, match="mistral"):
        get_cost_model("mistral", "pixtral-12b")
    with pytest.raises(UnknownModelError):
        list_cost_models("mistral")


@pytest.mark.parametrize(("provider", "rule"), [("openai", "legacy"), ("anthropic", "v2"), ("google", "old")])
def test_bad_rule_raises(provider: str, rule: str) -> None:
    with pytest.raises(ConfigurationError):
        get_cost_model(provider, None, rule)


def test_models_are_cached_and_shared_by_a_family() -> None:
    assert get_cost_model("openai", "gpt-4o") is get_cost_model("openai", "gpt-4o-2024-08-06")
    assert get_cost_model("gemini", "gemini-3") is get_cost_model("google", "gemini-3-pro-preview")


def test_list_cost_models_covers_every_family() -> None:
    infos = list_cost_models()
    families = {info.family for info in infos}
    assert {
        "gpt-4o", "gpt-4o-mini", "o1-o3", "computer-use-preview", "gpt-5", "gpt-image-1",
        "gpt-5.6", "gpt-6-astra", "gpt-5.5", "gpt-5.4", "gpt-5.2", "gpt-4.1-mini", "gpt-4.1-nano",
        "o4-mini", "gpt-5-mini", "gpt-5-nano", "gpt-5-codex-mini", "codex-mini",
        "anthropic-standard", "anthropic-highres", "anthropic-legacy",
        "gemini-1.0", "gemini-1.5", "gemini-2.0", "gemini-2.5", "gemini-3",
    } == families  # fmt: skip
    for info in infos:
        if info.family != "anthropic-legacy":
            assert get_cost_model(info.provider, info.model).family == info.family
    assert {info.provider for info in list_cost_models("gemini")} == {"google"}


def test_public_names() -> None:
    assert sorted(costs.__all__) == [
        "CostModel",
        "ModelInfo",
        "TokenCost",
        "get_cost_model",
        "list_cost_models",
    ]
