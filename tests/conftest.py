"""Hermetic test environment: no network, no provider keys, images drawn by the tests."""

from __future__ import annotations

import base64
import io
import os
import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from _fakes import OCR_LINES, FakeOcr, SilentRouter
from PIL import Image, ImageDraw, ImageFont

from headroom_core import Box, ImageCompressor, Technique

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

_PROVIDER_KEYS = (
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "GOOGLE_API_KEY",
    "GEMINI_API_KEY",
    "LANGSMITH_API_KEY",
)


class _NetworkBlocked(RuntimeError):
    pass


@pytest.fixture(autouse=True)
def _hermetic(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No provider keys and no outbound connections (loopback and unix sockets stay allowed)."""
    for key in _PROVIDER_KEYS:
        monkeypatch.delenv(key, raising=False)
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0] if isinstance(address, tuple) else str(address)
            if host not in ("127.0.0.1", "::1", "localhost"):
                raise _NetworkBlocked(f"tests must not reach the network (tried {address!r})")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    yield


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def png_bytes(img: Image.Image, fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt)
    return buf.getvalue()


def data_url(data: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


@pytest.fixture
def draw_page() -> Callable[..., Image.Image]:
    """A page of text lines: ``draw_page(width, height, font_size, lines)``."""

    def make(
        width: int = 900, height: int = 1200, font_size: int = 20, lines: list[str] | None = None
    ) -> Image.Image:
        img = Image.new("RGB", (width, height), "white")
        d = ImageDraw.Draw(img)
        f = font(font_size)
        text = lines or [
            f"Line {i}: the quick brown fox jumps over the lazy dog {i * 7}"
            for i in range(int(height / (font_size * 1.6)) - 2)
        ]
        y = 40
        for line in text:
            if y > height - font_size * 2:
                break
            d.text((40, y), line, fill="black", font=f)
            y += int(font_size * 1.6)
        return img

    return make


@pytest.fixture
def draw_photo() -> Callable[..., Image.Image]:
    """A photo-like image: a real scikit-image photo when available, else smooth gradients + noise."""

    def make(width: int = 1024, height: int = 768, seed: int = 0) -> Image.Image:
        try:
            from skimage import data as skdata

            arr = [skdata.astronaut, skdata.coffee, skdata.chelsea, skdata.rocket][seed % 4]()
            return Image.fromarray(arr).convert("RGB").resize((width, height), Image.Resampling.LANCZOS)
        except Exception:
            import numpy as np

            rng = np.random.default_rng(seed)
            yy, xx = np.mgrid[0:height, 0:width]
            base = np.stack(
                [(xx / width) * 200, (yy / height) * 180, ((xx + yy) / (width + height)) * 220], -1
            )
            arr = np.clip(base + rng.normal(0, 25, base.shape), 0, 255).astype("uint8")
            return Image.fromarray(arr, "RGB")

    return make


@pytest.fixture
def openai_request() -> Callable[..., list[dict[str, Any]]]:
    def make(
        img_bytes: bytes, query: str = "", mime: str = "image/png", detail: str | None = None
    ) -> list[dict[str, Any]]:
        image_url: dict[str, Any] = {"url": data_url(img_bytes, mime)}
        if detail:
            image_url["detail"] = detail
        content: list[dict[str, Any]] = [{"type": "image_url", "image_url": image_url}]
        if query:
            content.append({"type": "text", "text": query})
        return [{"role": "user", "content": content}]

    return make


@pytest.fixture
def to_png() -> Callable[..., bytes]:
    """Encode a PIL image: ``to_png(img, fmt="PNG")``."""
    return png_bytes


@pytest.fixture
def make_font() -> Callable[[int], ImageFont.FreeTypeFont | ImageFont.ImageFont]:
    return font


@pytest.fixture
def fixed_compressor() -> Callable[..., ImageCompressor]:
    """``fixed_compressor(technique, provider="openai", region=None, **options)``: a compressor whose
    router always decides ``technique`` (no image signals), and whose TRANSCODE reads
    :data:`_fakes.OCR_LINES` (see the ``ocr_lines`` fixture). Used by the adapter tests."""

    def make(
        technique: Technique, provider: str = "openai", region: Box | None = None, **options: Any
    ) -> ImageCompressor:
        options.setdefault("ocr_engine", FakeOcr(OCR_LINES))
        return ImageCompressor(provider, router=SilentRouter(technique, region), **options)

    return make


@pytest.fixture
def ocr_lines() -> list[str]:
    """What the fake OCR engine of ``fixed_compressor`` reads in every image."""
    return list(OCR_LINES)
