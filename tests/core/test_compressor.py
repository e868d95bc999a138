"""ImageCompressor end to end with fakes for the router and the OCR engine."""

from __future__ import annotations

import asyncio
import base64
import copy
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from _fakes import FakeOcr, FixedRouter
from PIL import Image

from headroom_core import Box, ImageCompressor, Technique, compress_images, get_cost_model
from headroom_core.codecs import find_images


def image_of(messages: list[dict[str, Any]], i: int = 0):
    return find_images(messages)[i]


@pytest.fixture
def page_bytes(draw_page: Callable[..., Image.Image], to_png: Callable[..., bytes]) -> bytes:
    return to_png(draw_page(1024, 1024))


def test_preserve_keeps_bytes_when_alignment_cannot_help(openai_request, page_bytes: bytes) -> None:
    req = openai_request(page_bytes, "where is the logo?")
    comp = ImageCompressor("openai", "gpt-4o", router=FixedRouter(Technique.PRESERVE))
    out = comp.compress(req)
    assert image_of(out).data == page_bytes
    r = comp.last_result.images[0]
    assert r.technique is Technique.PRESERVE
    assert r.original_tokens == r.compressed_tokens == 765


def test_preserve_aligns_when_it_saves_a_tile_row(openai_request, draw_page, to_png) -> None:
    # 1030x1030 on gpt-4o: scaled to 768x768 = 4 tiles; alignment never raises tokens.
    data = to_png(draw_page(1100, 560))  # 1100 wide: 3x2 tiles; 1024 wide would be 2x2
    comp = ImageCompressor("openai", "gpt-4o", router=FixedRouter(Technique.PRESERVE))
    comp.compress(openai_request(data, "q"))
    r = comp.last_result.images[0]
    assert r.compressed_tokens <= r.original_tokens
    before = get_cost_model("openai", "gpt-4o").tokens(1100, 560)
    assert r.original_tokens == before


def test_full_low_sets_detail_low_on_gpt4o(openai_request, page_bytes: bytes) -> None:
    comp = ImageCompressor("openai", "gpt-4o", router=FixedRouter(Technique.FULL_LOW))
    out = comp.compress(openai_request(page_bytes, "describe"))
    block = out[0]["content"][0]
    assert block["image_url"]["detail"] == "low"
    assert comp.last_result.images[0].compressed_tokens == 85
    assert comp.last_savings == pytest.approx(100 * (765 - 85) / 765)


def test_full_low_downscales_for_anthropic(page_bytes: bytes) -> None:
    b64 = base64.b64encode(page_bytes).decode()
    req = [
        {
            "role": "user",
            "content": [
                {
                    "type": "image",
                    "source": {"type": "base64", "media_type": "image/png", "data": b64},
                    "cache_control": {"type": "ephemeral"},
                },
                {"type": "text", "text": "what is this?"},
            ],
        }
    ]
    comp = ImageCompressor("anthropic", "claude-sonnet-4-5", router=FixedRouter(Technique.FULL_LOW))
    out = comp.compress(req)
    ref = image_of(out)
    with Image.open(__import__("io").BytesIO(ref.data)) as im:
        assert max(im.size) <= 512
    assert out[0]["content"][0]["cache_control"] == {"type": "ephemeral"}
    r = comp.last_result.images[0]
    assert r.compressed_tokens < r.original_tokens


def test_transcode_replaces_image_by_fenced_text(openai_request, page_bytes: bytes) -> None:
    lines = ["Invoice INV-2024-00731", "Total: $1,234.56", "billing@acme-corp.example"]
    comp = ImageCompressor(
        "openai", "gpt-4o", router=FixedRouter(Technique.TRANSCODE), ocr_engine=FakeOcr(lines)
    )
    out = comp.compress(openai_request(page_bytes, "transcribe"))
    block = out[0]["content"][0]
    assert block["type"] == "text"
    text = block["text"]
    for line in lines:
        assert line in text
    assert text.startswith('<image_text source="image 1">') and text.rstrip().endswith("</image_text>")
    r = comp.last_result.images[0]
    assert r.technique is Technique.TRANSCODE and 0 < r.compressed_tokens < 100
    assert out[0]["content"][1] == {"type": "text", "text": "transcribe"}


def test_transcode_refused_on_low_confidence_falls_back_to_preserve(
    openai_request, page_bytes: bytes
) -> None:
    comp = ImageCompressor(
        "openai",
        "gpt-4o",
        router=FixedRouter(Technique.TRANSCODE),
        ocr_engine=FakeOcr(["smudged", "unreadable"], confidence=0.2),
    )
    out = comp.compress(openai_request(page_bytes, "transcribe"))
    r = comp.last_result.images[0]
    assert r.technique is Technique.PRESERVE
    assert "TRANSCODE refused" in r.reason
    assert out[0]["content"][0]["type"] == "image_url"


def test_a_refused_transcode_is_sent_as_the_routers_fallback(openai_request, page_bytes: bytes) -> None:
    """Fusion rule 2f decided FULL_LOW as the fallback: the OCR reads badly, the low view goes."""
    bad_ocr = FakeOcr(["smudged", "unreadable"], confidence=0.2)
    router = FixedRouter(Technique.TRANSCODE, fallback=Technique.FULL_LOW)
    comp = ImageCompressor("openai", "gpt-4o", router=router, ocr_engine=bad_ocr)
    out = comp.compress(openai_request(page_bytes, "what is shown in this screenshot?"))
    r = comp.last_result.images[0]
    assert r.technique is Technique.FULL_LOW and r.compressed_tokens == 85
    assert "TRANSCODE refused" in r.reason and "the router's fallback" in r.reason
    assert r.decision is not None and r.decision.fallback is Technique.PRESERVE  # no third try
    assert out[0]["content"][0]["image_url"]["detail"] == "low"
    # OCR that reads well: the text goes, the fallback is unused
    good = ImageCompressor(
        "openai", "gpt-4o", router=router, ocr_engine=FakeOcr(["Export Image", "Name: a.png"])
    )
    good.compress(openai_request(page_bytes, "what is shown in this screenshot?"))
    assert good.last_result.images[0].technique is Technique.TRANSCODE
    # FULL_LOW not allowed by configuration: the image is kept
    only = ImageCompressor(
        "openai",
        "gpt-4o",
        router=router,
        ocr_engine=bad_ocr,
        techniques=[Technique.TRANSCODE, Technique.PRESERVE],
    )
    only.compress(openai_request(page_bytes, "what is shown in this screenshot?"))
    assert only.last_result.images[0].technique is Technique.PRESERVE


def test_a_refused_transcode_falls_back_to_the_routers_crop(openai_request, page_bytes: bytes) -> None:
    """Fusion rule 4c sent a heading as the page's text with its crop as the fallback: the OCR reads
    badly, the crop of the region goes."""
    heading = Box(40, 30, 600, 80)
    router = FixedRouter(Technique.TRANSCODE, region=heading, fallback=Technique.CROP)
    bad_ocr = FakeOcr(["smudged", "unreadable"], confidence=0.2)
    comp = ImageCompressor("openai", "gpt-4o", router=router, ocr_engine=bad_ocr)
    comp.compress(openai_request(page_bytes, "What is the heading at the top of the page?"))
    r = comp.last_result.images[0]
    assert r.technique is Technique.CROP and "the router's fallback" in r.reason
    assert r.crop_box is not None and r.crop_box.contains(heading)
    assert r.compressed_tokens < r.original_tokens == 765


def test_transcode_refused_when_text_costs_more(openai_request, draw_page, to_png) -> None:
    small = to_png(draw_page(300, 200))  # 255 tokens on gpt-4o
    long_text = ["word " * 60] * 10
    comp = ImageCompressor(
        "openai", "gpt-4o", router=FixedRouter(Technique.TRANSCODE), ocr_engine=FakeOcr(long_text)
    )
    comp.compress(openai_request(small, "transcribe"))
    r = comp.last_result.images[0]
    assert r.technique is Technique.PRESERVE and "not less than the image" in r.reason
    assert r.compressed_tokens <= r.original_tokens


def test_crop_sends_only_the_region(openai_request, draw_page, to_png) -> None:
    data = to_png(draw_page(2000, 1500))
    comp = ImageCompressor(
        "openai", "gpt-4o", router=FixedRouter(Technique.CROP, region=Box(1500, 100, 1900, 300))
    )
    out = comp.compress(openai_request(data, "top right?"))
    r = comp.last_result.images[0]
    assert r.technique is Technique.CROP
    assert r.compressed_size is not None and r.compressed_size[0] < 2000 / 2
    assert r.compressed_tokens < r.original_tokens
    assert image_of(out).data != data


def test_each_image_gets_its_own_turns_query(openai_request, page_bytes: bytes) -> None:
    router = FixedRouter(Technique.PRESERVE)
    req = [
        *openai_request(page_bytes, "first question"),
        {"role": "assistant", "content": "ok"},
        *openai_request(page_bytes[:], "second question"),
    ]
    ImageCompressor("openai", router=router, cache=False).compress(req)
    assert router.queries == ["first question", "second question"]


def test_input_is_never_mutated(openai_request, page_bytes: bytes) -> None:
    req = openai_request(page_bytes, "describe")
    snapshot = copy.deepcopy(req)
    ImageCompressor("openai", router=FixedRouter(Technique.FULL_LOW)).compress(req)
    assert req == snapshot


@pytest.mark.parametrize(
    ("payload", "needle"),
    [
        ("data:image/png;base64,!!!not base64!!!", "base64"),
        (
            "data:image/png;base64," + base64.b64encode(b"plain text, not an image").decode(),
            "not a recognised image",
        ),
        ("data:image/png;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 40).decode(), "image"),
    ],
)
def test_fail_open_on_bad_bytes(payload: str, needle: str) -> None:
    req = [
        {
            "role": "user",
            "content": [{"type": "image_url", "image_url": {"url": payload}}, {"type": "text", "text": "q"}],
        }
    ]
    comp = ImageCompressor("openai", router=FixedRouter(Technique.FULL_LOW))
    out = comp.compress(req)
    assert out == req
    r = comp.last_result.images[0]
    assert r.technique is None and r.error and needle in r.error


def test_router_failure_passes_image_through(openai_request, page_bytes: bytes) -> None:
    req = openai_request(page_bytes, "q")
    comp = ImageCompressor("openai", router=FixedRouter(Technique.FULL_LOW, fail=True))
    out = comp.compress(req)
    assert out == req
    r = comp.last_result.images[0]
    assert r.error and "router exploded" in r.error
    assert r.original_tokens == r.compressed_tokens == 765


def test_url_images_are_skipped_not_fetched() -> None:
    req = [
        {
            "role": "user",
            "content": [{"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}],
        }
    ]
    comp = ImageCompressor("openai", router=FixedRouter(Technique.FULL_LOW))
    assert comp.compress(req) == req
    r = comp.last_result.images[0]
    assert r.skipped_reason and "not fetched" in r.skipped_reason


def test_history_is_byte_identical_and_cached(openai_request, page_bytes: bytes, draw_photo, to_png) -> None:
    comp = ImageCompressor("openai", router=FixedRouter(Technique.FULL_LOW))
    turn1 = openai_request(page_bytes, "describe it")
    out1 = comp.compress(turn1)
    turn2 = [
        *turn1,
        {"role": "assistant", "content": "a page"},
        *openai_request(to_png(draw_photo(640, 480)), "and this one?"),
    ]
    out2 = comp.compress(turn2)
    assert out2[0] == out1[0]  # the first turn is sent exactly as before
    first, second = comp.last_result.images
    assert first.cached and not second.cached
    start = time.perf_counter()
    comp.compress(turn2)
    assert (time.perf_counter() - start) < 5


def test_never_costlier_than_the_input(openai_request, page_bytes: bytes) -> None:
    # gpt-5.4 `low` has a 6,144-patch budget: FULL_LOW must not pick it when it costs more.
    comp = ImageCompressor("openai", "gpt-5.4", router=FixedRouter(Technique.FULL_LOW))
    comp.compress(openai_request(page_bytes, "q"))
    r = comp.last_result.images[0]
    assert r.compressed_tokens <= r.original_tokens


def test_disabled_technique_falls_back_to_preserve(openai_request, page_bytes: bytes) -> None:
    comp = ImageCompressor("openai", router=FixedRouter(Technique.FULL_LOW), techniques=["preserve", "crop"])
    comp.compress(openai_request(page_bytes, "q"))
    r = comp.last_result.images[0]
    assert r.technique is Technique.PRESERVE and "disabled" in r.reason


def test_acompress_matches_compress(openai_request, page_bytes: bytes) -> None:
    comp = ImageCompressor("openai", router=FixedRouter(Technique.FULL_LOW))
    req = openai_request(page_bytes, "q")
    assert asyncio.run(comp.acompress(req)) == comp.compress(req)


def test_one_shot_helper_and_totals(openai_request, page_bytes: bytes) -> None:
    out = compress_images(
        openai_request(page_bytes, "q"), provider="openai", router=FixedRouter(Technique.FULL_LOW)
    )
    assert out[0]["content"][0]["image_url"]["detail"] == "low"


def test_unknown_provider_is_a_configuration_error() -> None:
    from headroom_core import ConfigurationError

    with pytest.raises(ConfigurationError):
        ImageCompressor("nonsense")


def test_compress_many_matches_serial(openai_request, draw_page, to_png) -> None:
    requests = [openai_request(to_png(draw_page(600 + 50 * i, 800)), f"q{i}") for i in range(6)]
    comp = ImageCompressor("openai", router=FixedRouter(Technique.FULL_LOW))
    serial = [comp.compress_with_result(r)[0] for r in requests]
    comp2 = ImageCompressor("openai", router=FixedRouter(Technique.FULL_LOW))
    parallel = comp2.compress_many(requests, max_workers=3, progress=False)
    assert [out for out, _ in parallel] == serial
    assert all(res.images[0].technique is Technique.FULL_LOW for _, res in parallel)


def test_anthropic_block_sent_to_openai_gets_no_detail_and_never_fails(page_bytes: bytes) -> None:
    b64 = base64.b64encode(page_bytes).decode()
    req = [
        {
            "role": "user",
            "content": [
                {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": b64}}
            ],
        }
    ]
    comp = ImageCompressor("openai", "gpt-4o", router=FixedRouter(Technique.FULL_LOW))
    out = comp.compress(req)
    (r,) = comp.last_result.images
    assert "detail" not in out[0]["content"][0]
    assert (
        r.technique is Technique.FULL_LOW and r.compressed_tokens == 255
    )  # a 512 px downscale, not detail=low


def test_crop_result_records_the_box_sent(openai_request, draw_page, to_png) -> None:
    data = to_png(draw_page(2000, 1500))
    comp = ImageCompressor(
        "openai", "gpt-4o", router=FixedRouter(Technique.CROP, region=Box(1500, 100, 1900, 300))
    )
    comp.compress(openai_request(data, "top right?"))
    (r,) = comp.last_result.images
    assert r.crop_box is not None and r.compressed_size == (r.crop_box.width, r.crop_box.height)
    assert r.crop_box.left <= 1500 and r.crop_box.right >= 1900 and r.crop_box.top <= 100


# -- time budget: OCR that overruns it ----------------------------------------------------------------


class SlowOcr(FakeOcr):
    """FakeOcr that blocks until ``release`` is set (or ``delay`` s pass); counts calls begun and ended."""

    name = "slow-ocr"

    def __init__(self, lines: list[str], delay: float = 10.0) -> None:
        super().__init__(lines)
        self.delay = delay
        self.release = threading.Event()
        self.started = 0
        self.finished = 0
        self._lock = threading.Lock()

    def read(self, image: Image.Image):
        with self._lock:
            self.started += 1
        self.release.wait(self.delay)
        try:
            return super().read(image)
        finally:
            with self._lock:
                self.finished += 1


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


LINES = ["Invoice INV-2024-00731", "Total: $1,234.56", "billing@acme-corp.example"]


def test_time_budget_interrupts_a_slow_ocr(openai_request, page_bytes: bytes) -> None:
    slow = SlowOcr(LINES)
    budget = 0.3
    comp = ImageCompressor(
        "openai", "gpt-4o", router=FixedRouter(Technique.TRANSCODE), ocr_engine=slow, time_budget_s=budget
    )
    req = openai_request(page_bytes, "transcribe")
    try:
        start = time.perf_counter()
        out = comp.compress(req)
        elapsed = time.perf_counter() - start
        assert elapsed < budget + 0.7, elapsed  # the OCR alone would take 10 s
        assert out == req  # sent unchanged
        (r,) = comp.last_result.images
        assert r.technique is None and r.error is not None and r.error.startswith("timeout"), r.error
        assert "transcode" in r.error and r.compressed_tokens == r.original_tokens == 765
        assert slow.started == 1 and slow.finished == 0 and comp.abandoned_jobs == 1
    finally:
        slow.release.set()
    # The OCR finishes in the background; its result is discarded and the job is no longer counted.
    assert wait_until(lambda: comp.abandoned_jobs == 0)
    assert slow.finished == 1
    # History stays as it was sent: on the next turn the image is resent unchanged, from the cache.
    turn2 = [*req, {"role": "assistant", "content": "sorry"}, {"role": "user", "content": "and?"}]
    out2 = comp.compress(turn2)
    assert out2[0] == req[0] and comp.last_result.images[0].cached and slow.started == 1


def test_fast_ocr_under_the_same_budget_is_unaffected(openai_request, page_bytes: bytes) -> None:
    fast = FakeOcr(LINES)
    comp = ImageCompressor(
        "openai", "gpt-4o", router=FixedRouter(Technique.TRANSCODE), ocr_engine=fast, time_budget_s=0.3
    )
    out = comp.compress(openai_request(page_bytes, "transcribe"))
    (r,) = comp.last_result.images
    assert r.error is None and r.technique is Technique.TRANSCODE
    assert out[0]["content"][0]["type"] == "text" and LINES[1] in out[0]["content"][0]["text"]
    assert comp.abandoned_jobs == 0


def test_no_budget_runs_inline_to_completion(openai_request, page_bytes: bytes) -> None:
    slow = SlowOcr(LINES, delay=0.4)
    comp = ImageCompressor(
        "openai", "gpt-4o", router=FixedRouter(Technique.TRANSCODE), ocr_engine=slow, time_budget_s=None
    )
    comp.compress(openai_request(page_bytes, "transcribe"))
    (r,) = comp.last_result.images
    assert r.technique is Technique.TRANSCODE and slow.finished == 1


def test_abandoned_jobs_are_bounded(openai_request, draw_page, to_png) -> None:
    slow = SlowOcr(LINES)
    budget = 0.2
    comp = ImageCompressor(
        "openai", "gpt-4o", router=FixedRouter(Technique.TRANSCODE), ocr_engine=slow, time_budget_s=budget
    )
    comp.max_abandoned_jobs = 2
    req: list[dict[str, Any]] = []
    for i in range(4):
        req += openai_request(to_png(draw_page(900 + 20 * i, 900)), f"transcribe page {i}")
        req.append({"role": "assistant", "content": "..."})
    try:
        start = time.perf_counter()
        out = comp.compress(req)
        elapsed = time.perf_counter() - start
        results = comp.last_result.images
        assert out == req and all(r.error and r.error.startswith("timeout") for r in results)
        # Two images waited their budget and were abandoned; the next two were not even started.
        assert slow.started == 2 and comp.abandoned_jobs == 2
        assert all("not started" in r.error for r in results[2:]), [r.error for r in results]
        assert elapsed < 2 * budget + 0.8, elapsed
    finally:
        slow.release.set()
    assert wait_until(lambda: comp.abandoned_jobs == 0) and slow.finished == 2
    # Once the backlog drained, new images are processed again.
    comp.compress(openai_request(to_png(draw_page(700, 900)), "transcribe"))
    assert comp.last_result.images[0].technique is Technique.TRANSCODE


def test_a_refused_transcode_falls_back_to_the_low_view_with_the_title_beside_it(
    openai_request, draw_page, to_png
) -> None:
    """Fusion rule 2f with 3c: the fallback's low view carries the headline the router put beside it."""
    from headroom_core.costs import get_cost_model
    from headroom_core.techniques.full_low import plan_low_inset

    page = draw_page(1024, 1024)
    heading = Box(40, 30, 600, 80)
    plan = plan_low_inset(page, heading, get_cost_model("openai", "gpt-4o"), None)
    assert plan is not None
    router = FixedRouter(Technique.TRANSCODE, region=heading, fallback=Technique.FULL_LOW)
    bad_ocr = FakeOcr(["smudged", "unreadable"], confidence=0.2)
    comp = ImageCompressor("openai", "gpt-4o", router=router, ocr_engine=bad_ocr)
    comp.compress(openai_request(to_png(page), "what is shown in this screenshot?"))
    r = comp.last_result.images[0]
    assert r.technique is Technique.FULL_LOW and "the router's fallback" in r.reason
    assert r.compressed_tokens == 85 and r.compressed_size == plan.canvas
    assert r.decision is not None and r.decision.region == heading
