"""Hostile and odd images through every codec and technique: nothing escapes, nothing is lost.

The corpus is Pillow's own test images (truncated files, CMYK, 16-bit, palette + transparency,
EXIF rotations, animated GIF/WebP/APNG, decompression bombs, fuzzer crash files...), extracted
from its source distribution by ``make test-data``; the test skips when they are absent.
"""

from __future__ import annotations

import base64
import copy
from pathlib import Path
from typing import Any

import pytest
from _fakes import FakeOcr, FixedRouter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from headroom_core import ImageCompressor, Technique
from headroom_core.codecs import find_images

CORPUS = Path(__file__).resolve().parents[2] / ".cache" / "pillow-images"
TECHNIQUES = list(Technique)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def requests_for(data: bytes, mime: str = "image/png") -> dict[str, Any]:
    """The same image in each provider's shape, between two text blocks."""
    b64 = _b64(data)
    return {
        "openai": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "before"},
                    {
                        "type": "image_url",
                        "image_url": {"url": f"data:{mime};base64,{b64}", "detail": "high"},
                    },
                    {"type": "text", "text": "after"},
                ],
            }
        ],
        "anthropic": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "before"},
                    {
                        "type": "tool_result",
                        "tool_use_id": "t1",
                        "content": [
                            {
                                "type": "image",
                                "source": {"type": "base64", "media_type": mime, "data": b64},
                                "cache_control": {"type": "ephemeral"},
                            }
                        ],
                    },
                    {"type": "text", "text": "after"},
                ],
            }
        ],
        "google": [
            {
                "role": "user",
                "parts": [
                    {"text": "before"},
                    {"inline_data": {"mime_type": mime, "data": b64}},
                    {"text": "after"},
                ],
            }
        ],
    }


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.stat().st_size <= 4_000_000)


def _non_image_skeleton(obj: Any) -> Any:
    """The request with every image block replaced by a marker: what must survive untouched."""
    if isinstance(obj, list):
        return [_non_image_skeleton(x) for x in obj]
    if isinstance(obj, dict):
        if obj.get("type") in ("image_url", "image") or "inline_data" in obj:
            return "<image>"
        return {k: _non_image_skeleton(v) for k, v in obj.items()}
    return obj


@pytest.mark.skipif(not corpus_files(), reason="Pillow test images not extracted (run `make test-data`)")
def test_pillow_corpus_never_escapes_and_never_loses_content() -> None:
    files = corpus_files()
    assert len(files) > 300
    ocr = FakeOcr(["corpus text line"])
    compressors = {
        (provider, technique): ImageCompressor(
            provider, router=FixedRouter(technique), ocr_engine=ocr, cache=False, time_budget_s=None
        )
        for provider in ("openai", "anthropic", "google")
        for technique in TECHNIQUES
    }
    outcomes = {"processed": 0, "passed_through": 0}
    for i, path in enumerate(files):
        data = path.read_bytes()
        provider = ("openai", "anthropic", "google")[i % 3]
        technique = TECHNIQUES[i % len(TECHNIQUES)]
        request = requests_for(data)[provider]
        snapshot = copy.deepcopy(request)
        out, result = compressors[(provider, technique)].compress_with_result(request)  # must not raise
        assert request == snapshot, path.name
        (r,) = result.images
        assert r.compressed_tokens <= r.original_tokens, path.name
        if r.technique is None:
            outcomes["passed_through"] += 1
            assert r.error, path.name  # a reason is always recorded
            assert out == request, path.name  # and the image is sent exactly as given
        else:
            outcomes["processed"] += 1
            if r.technique is not Technique.TRANSCODE:
                assert _non_image_skeleton(out) == _non_image_skeleton(request), path.name
    assert outcomes["processed"] > 100 and outcomes["passed_through"] > 20, outcomes


@pytest.mark.parametrize(
    "payload",
    ["", "====", "data:image/png;base64,", "AAAA", _b64(b"GIF89a" + b"\0" * 10), _b64(b"<svg></svg>")],
)
def test_garbage_payloads_pass_through(payload: str) -> None:
    req = [
        {
            "role": "user",
            "content": [{"type": "image_url", "image_url": {"url": f"data:image/png;base64,{payload}"}}],
        }
    ]
    comp = ImageCompressor("openai", router=FixedRouter(Technique.FULL_LOW))
    out = comp.compress(req)
    assert out == req
    (r,) = comp.last_result.images
    assert r.technique is None and r.error


def test_wrong_mime_is_decoded_by_content(draw_photo, to_png) -> None:
    png = to_png(draw_photo(800, 600))
    req = requests_for(png, mime="image/jpeg")["anthropic"]
    comp = ImageCompressor("anthropic", router=FixedRouter(Technique.FULL_LOW))
    comp.compress(req)
    (r,) = comp.last_result.images
    assert r.technique is Technique.FULL_LOW and r.compressed_tokens < r.original_tokens


_TEXT = st.text(min_size=0, max_size=20)


@st.composite
def conversations(draw: st.DrawFn, image_b64: str) -> list[dict[str, Any]]:
    messages = []
    for _ in range(draw(st.integers(1, 5))):
        role = draw(st.sampled_from(["user", "assistant", "tool"]))
        blocks: list[Any] = []
        for _ in range(draw(st.integers(0, 4))):
            kind = draw(st.sampled_from(["text", "image", "bad", "url"]))
            if kind == "text":
                blocks.append({"type": "text", "text": draw(_TEXT)})
            elif kind == "image":
                blocks.append(
                    {
                        "type": "image_url",
                        "image_url": {"url": f"data:image/png;base64,{image_b64}"},
                        "id": draw(_TEXT),
                    }
                )
            elif kind == "bad":
                blocks.append({"type": "image_url", "image_url": {"url": "data:image/png;base64,@@@"}})
            else:
                blocks.append({"type": "image_url", "image_url": {"url": "https://example.com/x.png"}})
        messages.append(
            {"role": role, "content": blocks if draw(st.booleans()) or not blocks else draw(_TEXT)}
        )
    return messages


@pytest.fixture(scope="module")
def small_png() -> str:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (900, 700), "white").save(buf, format="PNG")
    return _b64(buf.getvalue())


def test_any_message_structure_keeps_order_and_non_image_content(small_png: str) -> None:
    comp = ImageCompressor("openai", "gpt-4o", router=FixedRouter(Technique.FULL_LOW))

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(conversations(small_png))
    def check(messages: list[dict[str, Any]]) -> None:
        snapshot = copy.deepcopy(messages)
        out, result = comp.compress_with_result(messages)
        assert messages == snapshot
        assert len(out) == len(messages)
        assert _non_image_skeleton(out) == _non_image_skeleton(messages)
        assert len(result.images) == len(find_images(messages))
        assert result.compressed_tokens <= result.original_tokens
        for ref, r in zip(find_images(messages), result.images, strict=True):
            assert r.location == ref.location
            if ref.source == "url":
                assert r.skipped_reason
            elif ref.error:
                assert r.error

    check()
