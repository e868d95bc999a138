"""Tile alignment: concrete examples and properties over random sizes and models."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from headroom_core._exceptions import ConfigurationError
from headroom_core.costs import CostModel, get_cost_model
from headroom_core.tiling import MODES, Alignment, align

MODELS: list[CostModel] = [
    get_cost_model("openai", "gpt-4o"),
    get_cost_model("openai", "gpt-4o-mini"),
    get_cost_model("openai", "gpt-5"),
    get_cost_model("openai", "gpt-image-1"),
    get_cost_model("openai", "gpt-5.4"),
    get_cost_model("openai", "gpt-5.5"),
    get_cost_model("openai", "gpt-5.6-sol"),
    get_cost_model("openai", "o4-mini"),
    get_cost_model("openai", "gpt-4.1-mini"),
    get_cost_model("anthropic", "claude-sonnet-4-5"),
    get_cost_model("anthropic", "claude-opus-4-7"),
    get_cost_model("anthropic", "claude-sonnet-4-5", rule="legacy"),
    get_cost_model("google", "gemini-2.0-flash"),
    get_cost_model("google", "gemini-2.5-flash"),
    get_cost_model("google", "gemini-3-pro-preview"),
]


def gpt4o() -> CostModel:
    return get_cost_model("openai", "gpt-4o")


# --- concrete examples -------------------------------------------------------------------

EXAMPLES = [
    # (provider, model, size, detail, mode, target, tokens before, tokens after)
    # gpt-4o: OpenAI's own 768-px short-side downscale, done client side (same tokens).
    ("openai", "gpt-4o", (1920, 1080), None, "lossless", (1365, 768), 1105, 1105),
    ("openai", "gpt-4o", (1920, 1080), None, "bounded", (1365, 768), 1105, 1105),
    ("openai", "gpt-4o", (4032, 3024), "high", "bounded", (1024, 768), 765, 765),
    ("openai", "gpt-4o", (1920, 1080), "low", "lossless", (910, 512), 85, 85),
    # gpt-4o: a thin third tile column (1083 px = 2 tiles + 59 px) dropped: 6 -> 4 tiles.
    ("openai", "gpt-4o", (1100, 780), None, "bounded", (1024, 726), 1105, 765),
    ("openai", "gpt-4o", (1100, 780), None, "lossless", (1083, 768), 1105, 1105),
    ("openai", "gpt-4o", (540, 540), "high", "bounded", (512, 512), 765, 255),
    # Patch models: 1030 px = 32 patches + 6 px; 1024x1024 drops a patch row and column.
    ("openai", "gpt-5.4", (1030, 1030), None, "bounded", (1024, 1024), 1307, 1229),
    ("openai", "gpt-5.6-sol", (1030, 1030), None, "bounded", (1024, 1024), 1307, 1229),
    ("openai", "gpt-5.4", (1030, 1030), None, "lossless", (1030, 1030), 1307, 1307),
    ("openai", "gpt-5.6-sol", (4032, 3024), None, "bounded", (4000, 3000), 14_364, 14_100),
    ("openai", "gpt-5.6-sol", (4032, 3024), "high", "lossless", (1824, 1368), 2942, 2942),
    # Claude 28-px patches: 1456x819 has a 7-px last patch row.
    ("anthropic", "claude-sonnet-4-5", (1920, 1080), None, "lossless", (1456, 819), 1560, 1560),
    ("anthropic", "claude-sonnet-4-5", (1920, 1080), None, "bounded", (1443, 812), 1560, 1508),
    ("anthropic", "claude-sonnet-4-5", (540, 540), None, "bounded", (532, 532), 400, 361),
    ("anthropic", "claude-sonnet-4-5", (1030, 1030), None, "bounded", (1030, 1030), 1369, 1369),
    ("anthropic", "claude-opus-4-7", (3840, 2160), None, "lossless", (2576, 1449), 4784, 4784),
    ("anthropic", "claude-sonnet-4-5", (1075, 1520), None, "lossless", (924, 1307), 1551, 1551),
    # Claude legacy: area rule, no grid: bounded == lossless.
    ("anthropic", "claude-sonnet-4-5-legacy", (1000, 1000), None, "bounded", (1000, 1000), 1334, 1334),
    # Gemini 3 bills a fixed budget: never resized.
    ("google", "gemini-3-pro-preview", (4032, 3024), None, "bounded", (4032, 3024), 1120, 1120),
    ("google", "gemini-3-pro-preview", (1030, 1030), "low", "bounded", (1030, 1030), 280, 280),
    # Gemini 2.x tile rule, 768-px tiles: 4032 px = 5 tiles + 192 px.
    ("google", "gemini-2.5-flash", (4032, 3024), None, "bounded", (3840, 2880), 6192, 5160),
    ("google", "gemini-2.5-flash", (4032, 3024), "low", "bounded", (4032, 3024), 64, 64),
]


@pytest.mark.parametrize(
    ("provider", "name", "size", "detail", "mode", "target", "before", "after"), EXAMPLES
)
def test_examples(
    provider: str,
    name: str,
    size: tuple[int, int],
    detail: str | None,
    mode: str,
    target: tuple[int, int],
    before: int,
    after: int,
) -> None:
    m = get_cost_model(provider, name)
    a = align(*size, m, detail, mode=mode)
    assert (a.target_size, a.tokens_before, a.tokens_after) == (target, before, after)
    assert a.resized == (target != size)
    assert a.tokens_after == m.tokens(*a.target_size, detail)
    assert a.mode == mode and a.reason


def test_lossless_keeps_every_billed_pixel() -> None:
    a = align(1920, 1080, gpt4o(), mode="lossless")
    assert a.pixels_kept == 1.0 and a.tokens_saved == 0 and "provider's own resize" in a.reason


def test_bounded_reports_pixels_kept() -> None:
    a = align(1920, 1080, get_cost_model("anthropic", "claude-sonnet-4-5"))
    assert a.pixels_kept == pytest.approx(1443 * 812 / (1456 * 819))
    assert a.tokens_saved == 52 and "28-px" in a.reason


def test_bounded_respects_a_smaller_bound() -> None:
    m = gpt4o()
    assert align(1100, 780, m, max_downscale=0.05).target_size == (1083, 768)  # 1024/1083 = 0.946
    assert align(1100, 780, m, max_downscale=0.0).target_size == (1083, 768)


def test_off_changes_nothing() -> None:
    a = align(4032, 3024, gpt4o(), mode="off")
    assert a == Alignment((4032, 3024), (4032, 3024), 765, 765, 1.0, False, "off", "alignment off")


def test_rejected_size_is_reported() -> None:
    a = align(8000, 8000, get_cost_model("openai", "gpt-5.6-sol"))
    assert "rejects" in a.reason


@pytest.mark.parametrize("mode", ["fast", "", "LOSSLESS", None])
def test_bad_mode_raises(mode: str) -> None:
    with pytest.raises(ConfigurationError, match="mode"):
        align(100, 100, gpt4o(), mode=mode)


@pytest.mark.parametrize("bound", [-0.1, 1.0, 2, "0.1", True])
def test_bad_bound_raises(bound: float) -> None:
    with pytest.raises(ConfigurationError, match="max_downscale"):
        align(100, 100, gpt4o(), max_downscale=bound)


def test_bad_size_raises() -> None:
    with pytest.raises(ConfigurationError):
        align(0, 100, gpt4o())


# --- properties --------------------------------------------------------------------------


@st.composite
def cases(draw: st.DrawFn) -> tuple[int, int, CostModel, str | None, str, float]:
    width = draw(st.integers(1, 8000))
    height = draw(st.integers(1, 8000))
    m = draw(st.sampled_from(MODELS))
    detail = draw(st.sampled_from([None, *m.details]))
    mode = draw(st.sampled_from(["lossless", "bounded"]))
    bound = draw(st.sampled_from([0.0, 0.05, 0.125, 0.25]))
    return width, height, m, detail, mode, bound


@settings(max_examples=400, deadline=None)
@given(cases())
def test_alignment_properties(case: tuple[int, int, CostModel, str | None, str, float]) -> None:
    width, height, m, detail, mode, bound = case
    a = align(width, height, m, detail, mode=mode, max_downscale=bound)
    tw, th = a.target_size
    # never raises tokens, and the reported tokens are the target's
    assert a.tokens_after <= a.tokens_before == m.tokens(width, height, detail)
    assert a.tokens_after == m.tokens(tw, th, detail)
    # never upscales; target within bounds
    assert 1 <= tw <= width and 1 <= th <= height
    assert a.resized == ((tw, th) != (width, height))
    # pixel loss within the mode's bound
    if mode == "lossless":
        assert a.pixels_kept == 1.0 and a.tokens_after == a.tokens_before
    else:
        assert a.pixels_kept >= (1 - bound) ** 2 - 1e-9
        billed = m.cost(width, height, detail).billed_size
        if a.tokens_after < a.tokens_before:
            assert tw >= billed[0] * (1 - bound) - 1e-9 and th >= billed[1] * (1 - bound) - 1e-9
    # idempotent
    again = align(tw, th, m, detail, mode=mode, max_downscale=bound)
    assert (again.target_size, again.tokens_after, again.resized) == ((tw, th), a.tokens_after, False)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 8000), st.integers(1, 8000), st.sampled_from(MODELS))
def test_bounded_never_costs_more_than_lossless(width: int, height: int, m: CostModel) -> None:
    lossless = align(width, height, m, mode="lossless")
    bounded = align(width, height, m, mode="bounded")
    assert bounded.tokens_after <= lossless.tokens_after
    assert align(width, height, m, mode="off").target_size == (width, height)


def test_size_independent_rules_never_resize_below_the_billed_size() -> None:
    gemini3 = get_cost_model("google", "gemini-3")
    for size in [(100, 100), (1030, 1030), (4032, 3024), (8000, 10)]:
        for detail in (None, *gemini3.details):
            assert align(*size, gemini3, detail).target_size == size


def test_modes_constant() -> None:
    assert MODES == ("lossless", "bounded", "off")


# --------------------------------------------------------------------------- PRESERVE and small text


def _preserve(body_px: float | None, size: tuple[int, int] = (1210, 935)) -> tuple[tuple[int, int], int, str]:
    """PRESERVE a page whose analyzer measured body text ``body_px`` tall, on Claude Opus 4.7."""
    import io

    from PIL import Image

    from headroom_core import ImageSignals, RouteDecision, Technique
    from headroom_core._imageio import decode_image
    from headroom_core.techniques import ApplyContext, PreserveApplier

    model = get_cost_model("anthropic", "claude-opus-4-7")
    buf = io.BytesIO()
    Image.new("RGB", size, "white").save(buf, format="PNG")
    data = buf.getvalue()
    evidence = {} if body_px is None else {"median_text_height_px": body_px}
    signals = ImageSignals(0.95, 0.9, 0.3, 0.6, evidence=evidence)
    ctx = ApplyContext(
        decoded=decode_image(data),
        original_data=data,
        cost_model=model,
        detail=None,
        original_tokens=model.tokens(*size),
        query="q",
        decision=RouteDecision(Technique.PRESERVE, 0.9, "test", signals),
        provider="anthropic",
        model=None,
        alignment="bounded",
        text_like=True,
    )
    out = PreserveApplier().apply(ctx)
    return out.size, out.tokens, out.note


def test_preserve_does_not_shrink_body_text_below_the_legibility_floor() -> None:
    bounded = align(1210, 935, get_cost_model("anthropic", "claude-opus-4-7"))
    assert bounded.resized and bounded.tokens_after < bounded.tokens_before  # 1496 -> 1419 tokens
    # 20 px body text stays >= 11 px after the shrink: the page is aligned
    size, tokens, _ = _preserve(20.0)
    assert size == bounded.target_size and tokens == bounded.tokens_after
    # a reference card's 9 px body text: sent at the size the provider sees, not smaller
    size, tokens, note = _preserve(9.0)
    assert size == (1210, 935) and tokens == bounded.tokens_before
    assert "body text, 9.0 px, would be" in note and "min_legible_text_px" in note
    # no text measured: aligned as before
    assert _preserve(None)[0] == bounded.target_size


# --------------------------------------------------------------------------- step 3: padding


GEMINI25 = get_cost_model("google", "gemini-2.5")


@pytest.mark.parametrize(
    ("size", "canvas", "before", "after"),
    [
        ((1280, 800), (1280, 960), 1548, 1032),  # 16:10 screenshot: 3x2 tiles of 533 px -> 2x2 of 640
        ((1366, 768), (1366, 1025), 1548, 1032),
        ((671, 462), (671, 504), 1548, 1032),
        ((1000, 400), (1000, 750), 2064, 1032),
    ],
)
def test_gemini_tiles_are_fewer_on_a_padded_canvas(
    size: tuple[int, int], canvas: tuple[int, int], before: int, after: int
) -> None:
    from headroom_core.tiling import pad_canvas

    assert pad_canvas(*size, GEMINI25) == canvas
    a = align(*size, GEMINI25, pad=True)
    assert (a.target_size, a.canvas_size, a.sent_size) == (size, canvas, canvas)
    assert (a.tokens_before, a.tokens_after, a.pixels_kept) == (before, after, 1.0)
    assert GEMINI25.tokens(*canvas) == after and GEMINI25.tokens(canvas[0], canvas[1] - 1) > after
    assert "padded to" in a.reason
    assert align(*size, GEMINI25).canvas_size is None  # opt-in
    assert align(*size, GEMINI25, mode="off", pad=True).canvas_size is None


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 4000), st.integers(1, 4000), st.sampled_from([*MODELS, GEMINI25]))
def test_padding_never_costs_more_and_only_where_the_provider_keeps_the_canvas(
    width: int, height: int, m: CostModel
) -> None:
    a = align(width, height, m, pad=True)
    plain = align(width, height, m)
    assert a.target_size == plain.target_size and a.tokens_after <= plain.tokens_after
    if a.canvas_size is None:
        assert a.tokens_after == plain.tokens_after
        return
    cw, ch = a.canvas_size
    tw, th = a.target_size
    # the shorter side grows, at most to a square
    assert (cw == tw and th < ch <= tw) or (ch == th and tw < cw <= th)
    assert m.cost(cw, ch).billed_size == (cw, ch)  # the provider does not resize it
    assert a.tokens_after == m.tokens(cw, ch) < plain.tokens_after
    assert align(cw, ch, m, pad=True).canvas_size is None  # idempotent


def test_resizing_providers_never_pad() -> None:
    for m in MODELS:
        if m.provider == "google":
            continue
        for size in [(1280, 800), (1366, 768), (671, 462), (1000, 400), (1920, 1080)]:
            assert align(*size, m, pad=True).canvas_size is None, (m.family, size)


def test_preserve_sends_the_image_on_its_padded_canvas() -> None:
    import io

    from PIL import Image, ImageDraw

    from headroom_core import ImageSignals, RouteDecision, Technique
    from headroom_core._imageio import decode_image
    from headroom_core.techniques import ApplyContext, PreserveApplier

    img = Image.new("RGB", (1280, 800), (246, 246, 246))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, 1279, 40), fill=(40, 60, 120))
    d.rectangle((100, 100, 500, 700), outline="black", width=3)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    data = buf.getvalue()
    ctx = ApplyContext(
        decoded=decode_image(data),
        original_data=data,
        cost_model=GEMINI25,
        detail=None,
        original_tokens=GEMINI25.tokens(1280, 800),
        query="q",
        decision=RouteDecision(Technique.PRESERVE, 0.9, "test", ImageSignals(0.1, 0.1, 0.5, 0.5)),
        provider="google",
        model=None,
        text_like=True,
    )
    out = PreserveApplier().apply(ctx)
    assert out.tokens == 1032 and out.size == (1280, 960) and "canvas of its background" in out.note
    assert out.replacement is not None and out.replacement.data is not None
    sent = Image.open(io.BytesIO(out.replacement.data)).convert("RGB")
    assert sent.size == (1280, 960) and GEMINI25.tokens(*sent.size) == out.tokens
    assert sent.crop((0, 0, 1280, 800)).tobytes() == img.tobytes()  # every pixel, unscaled
    assert sent.crop((0, 800, 1280, 960)).getcolors() == [(1280 * 160, (248, 248, 248))]  # its background


def test_preserve_sends_an_image_within_512_px_at_low_detail_on_openai_tiles() -> None:
    """gpt-4o's low detail is "a 512x512 version": all of an image that fits in it, for 85 tokens
    instead of 255. Larger images, patch models and Anthropic keep their detail."""
    import io

    from PIL import Image

    from headroom_core import ImageSignals, RouteDecision, Technique
    from headroom_core._imageio import decode_image
    from headroom_core.techniques import Applied, ApplyContext, PreserveApplier

    def preserve(
        size: tuple[int, int], provider: str, model: str, detail: str | None, settable: bool = True
    ) -> tuple[Applied, bytes]:
        buf = io.BytesIO()
        Image.new("RGB", size, (120, 160, 200)).save(buf, format="PNG")
        data = buf.getvalue()
        cm = get_cost_model(provider, model)
        ctx = ApplyContext(
            decoded=decode_image(data),
            original_data=data,
            cost_model=cm,
            detail=detail,
            original_tokens=cm.tokens(*size, detail),
            query="q",
            decision=RouteDecision(Technique.PRESERVE, 0.9, "test", ImageSignals(0.1, 0.1, 0.5, 0.5)),
            provider=provider,
            model=model,
            detail_settable=settable,
        )
        return PreserveApplier().apply(ctx), data

    out, data = preserve((384, 303), "openai", "gpt-4o", None)
    assert out.replacement is not None and out.replacement.detail == "low" and out.replacement.data == data
    assert (out.tokens, out.size) == (85, (384, 303)) and "sees every pixel" in out.note
    out, _ = preserve((512, 512), "openai", "gpt-4o", "high")
    assert out.tokens == 85 and out.replacement is not None and out.replacement.detail == "low"
    for size, provider, model, detail, settable in [
        ((513, 400), "openai", "gpt-4o", None, True),  # low would be a downscale
        ((384, 303), "openai", "gpt-4o", "low", True),  # already low
        ((384, 303), "openai", "gpt-4o", None, False),  # no per-image detail in this format
        ((384, 303), "openai", "gpt-5.4", None, True),  # patches: no such level
        ((384, 303), "anthropic", "claude-opus-4-7", None, True),
    ]:
        out, _ = preserve(size, provider, model, detail, settable)
        assert out.replacement is None or out.replacement.detail != "low", (size, model, detail)
