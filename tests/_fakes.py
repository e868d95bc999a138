"""Fakes (not mocks) shared by the tests: a fixed router and an OCR engine that returns given lines."""

from __future__ import annotations

import logging
import threading
from typing import Any

from PIL import Image

from headroom_core import Box, ImageSignals, RouteDecision, Router, Technique, TextLine
from headroom_core.analyzers import EmbeddedImageAnalyzer
from headroom_core.costs import CostModel
from headroom_core.ocr import OcrEngine, OcrResult

#: What the adapter tests' fake OCR reads in every image (``fixed_compressor`` in tests/conftest.py).
OCR_LINES = ["INVOICE 2026-117", "Total due: 1,284.00 EUR", "Pay by 12 March 2026"]

TEXT_SIGNALS = ImageSignals(0.95, 0.9, 0.3, 0.2, analyzer="fake", evidence={"text_area_fraction": 0.4})


class FixedRouter(Router):
    """Always returns the same technique; records the queries it was asked."""

    name = "fixed"

    def __init__(
        self,
        technique: Technique,
        region: Box | None = None,
        fail: bool = False,
        fallback: Technique = Technique.PRESERVE,
    ) -> None:
        self.technique = technique
        self.region = region
        self.fail = fail
        self.fallback = fallback
        self.queries: list[str] = []

    def decide(
        self, image: Image.Image, query: str, cost_model: CostModel, detail: str | None
    ) -> RouteDecision:
        self.queries.append(query)
        if self.fail:
            raise RuntimeError("router exploded")
        return RouteDecision(
            self.technique,
            0.9,
            f"fixed {self.technique.value}",
            TEXT_SIGNALS,
            self.technique,
            0.9,
            self.region,
            router="fixed",
            fallback=self.fallback,
        )


class FakeOcr(OcrEngine):
    """Returns ``lines`` as evenly spaced text lines with one confidence."""

    name = "fake-ocr"

    def __init__(self, lines: list[str], confidence: float = 0.95) -> None:
        self.lines = lines
        self.confidence = confidence

    def read(self, image: Image.Image) -> OcrResult:
        h = max(1, image.height // max(1, len(self.lines) + 2))
        out = tuple(
            TextLine(Box(20, 20 + i * h, image.width - 20, 20 + i * h + int(h * 0.8)), t, self.confidence)
            for i, t in enumerate(self.lines)
        )
        return OcrResult(out, self.name, 1.0, image.width, image.height)


class SilentRouter(Router):
    """Decides one technique for every image with no image signals (so encoding follows the input's
    format); records ``(query, size, detail)`` of each call. Used by the adapter tests."""

    name = "fixed"

    def __init__(self, technique: Technique, region: Box | None = None) -> None:
        self.technique = technique
        self.region = region
        self.calls: list[tuple[str, tuple[int, int], str | None]] = []

    def decide(
        self, image: Image.Image, query: str, cost_model: CostModel, detail: str | None
    ) -> RouteDecision:
        self.calls.append((query, image.size, detail))
        return RouteDecision(
            technique=self.technique,
            confidence=1.0,
            reason=f"test router: always {self.technique.value}",
            region=self.region,
            router=self.name,
        )


class CountingAnalyzer(EmbeddedImageAnalyzer):
    """The real embedded analyzer, counting how many are built (register it in ``ANALYZERS``)."""

    built = 0
    _lock = threading.Lock()

    def __init__(self, **kwargs: Any) -> None:
        with CountingAnalyzer._lock:
            CountingAnalyzer.built += 1
        super().__init__(**kwargs)


class LoadRecords(logging.Handler):
    """Collects the INFO records of the model loaders (attach it to the package logger)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.name}: {record.getMessage()}")
