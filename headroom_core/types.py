"""Frozen result and decision types shared by every stage.

Nothing here imports a heavy dependency; these are plain data.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = [
    "Box",
    "CompressionResult",
    "ImageResult",
    "ImageSignals",
    "RouteDecision",
    "Technique",
    "TextLine",
]

_EMPTY: Mapping[str, Any] = MappingProxyType({})


class Technique(enum.StrEnum):
    """How one image is sent to the model."""

    TRANSCODE = "transcode"
    """Replace the image by its OCR text (fenced as image content)."""
    CROP = "crop"
    """Send only the region the question is about."""
    FULL_LOW = "full_low"
    """Send a low-detail / small version (scene and gist questions)."""
    PRESERVE = "preserve"
    """Send the image (tile-aligned within the configured loss bound)."""


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in pixel coordinates: ``left``/``top`` inclusive, ``right``/``bottom`` exclusive."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return max(0, self.right - self.left)

    @property
    def height(self) -> int:
        return max(0, self.bottom - self.top)

    @property
    def area(self) -> int:
        return self.width * self.height

    def union(self, other: Box) -> Box:
        return Box(
            min(self.left, other.left),
            min(self.top, other.top),
            max(self.right, other.right),
            max(self.bottom, other.bottom),
        )

    def contains(self, other: Box, slack: int = 0) -> bool:
        """``other`` lies inside this box, allowing ``slack`` pixels on every side."""
        return (
            self.left - slack <= other.left
            and self.top - slack <= other.top
            and other.right <= self.right + slack
            and other.bottom <= self.bottom + slack
        )

    def contains_centre(self, other: Box) -> bool:
        """The centre of ``other`` lies in this box (edges included)."""
        cx, cy = (other.left + other.right) / 2, (other.top + other.bottom) / 2
        return self.left <= cx <= self.right and self.top <= cy <= self.bottom

    def clamp(self, width: int, height: int) -> Box:
        return Box(
            max(0, min(self.left, width)),
            max(0, min(self.top, height)),
            max(0, min(self.right, width)),
            max(0, min(self.bottom, height)),
        )

    def as_tuple(self) -> tuple[int, int, int, int]:
        return (self.left, self.top, self.right, self.bottom)


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of text found in an image (by OCR or a text detector)."""

    box: Box
    text: str = ""
    confidence: float = 1.0


@dataclass(frozen=True)
class ImageSignals:
    """Visual signals of one image, each calibrated to 0..1, with the evidence that produced them."""

    has_text: float
    is_document: float
    is_complex: float
    has_small_details: float
    analyzer: str = "unknown"
    evidence: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    text_lines: tuple[TextLine, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "has_text": round(self.has_text, 4),
            "is_document": round(self.is_document, 4),
            "is_complex": round(self.is_complex, 4),
            "has_small_details": round(self.has_small_details, 4),
            "analyzer": self.analyzer,
            "evidence": dict(self.evidence),
        }


@dataclass(frozen=True)
class RouteDecision:
    """What the router chose for one image, and why."""

    technique: Technique
    confidence: float
    reason: str
    image_signals: ImageSignals | None = None
    query_prediction: Technique | None = None
    query_confidence: float | None = None
    region: Box | None = None
    router: str = "unknown"
    query_probabilities: Mapping[str, float] = field(default_factory=lambda: _EMPTY)
    #: What is sent when ``technique``'s applier refuses after trying (a TRANSCODE whose OCR reads
    #: badly), decided with the technique by the same rules: PRESERVE unless a rule says otherwise.
    fallback: Technique = Technique.PRESERVE

    @property
    def signals(self) -> ImageSignals | None:
        """Alias of :attr:`image_signals`."""
        return self.image_signals

    def with_technique(self, technique: Technique, reason: str, region: Box | None = None) -> RouteDecision:
        """A copy that falls back to ``technique`` with a new ``reason`` (and no further fallback)."""
        return RouteDecision(
            technique=technique,
            confidence=self.confidence,
            reason=reason,
            image_signals=self.image_signals,
            query_prediction=self.query_prediction,
            query_confidence=self.query_confidence,
            region=region,
            router=self.router,
            query_probabilities=self.query_probabilities,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "technique": self.technique.value,
            "confidence": round(self.confidence, 4),
            "reason": self.reason,
            "router": self.router,
            "query_prediction": self.query_prediction.value if self.query_prediction else None,
            "query_confidence": None if self.query_confidence is None else round(self.query_confidence, 4),
            "region": self.region.as_tuple() if self.region else None,
            "fallback": self.fallback.value,
            "image_signals": self.image_signals.as_dict() if self.image_signals else None,
        }


@dataclass(frozen=True)
class ImageResult:
    """The outcome for one image of a request.

    ``technique`` is ``None`` when the image was not processed (a URL or file id, or a failure);
    then ``skipped_reason`` or ``error`` says why and the image was sent exactly as given.
    Tokens are the provider's billed image tokens (text tokens for TRANSCODE).
    """

    location: tuple[str | int, ...]
    format: str
    technique: Technique | None
    original_tokens: int
    compressed_tokens: int
    decision: RouteDecision | None = None
    original_bytes: int = 0
    compressed_bytes: int = 0
    original_size: tuple[int, int] | None = None
    compressed_size: tuple[int, int] | None = None
    elapsed_ms: float = 0.0
    error: str | None = None
    skipped_reason: str | None = None
    cached: bool = False
    text: str | None = None
    #: For CROP: the box sent, in original-image pixels (after padding and grid snapping).
    crop_box: Box | None = None

    @property
    def saved_tokens(self) -> int:
        return self.original_tokens - self.compressed_tokens

    @property
    def reason(self) -> str:
        """One human-readable sentence on what happened to this image."""
        if self.error:
            return f"passed through unchanged: {self.error}"
        if self.skipped_reason:
            return f"skipped: {self.skipped_reason}"
        return self.decision.reason if self.decision else ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "location": list(self.location),
            "format": self.format,
            "technique": self.technique.value if self.technique else None,
            "original_tokens": self.original_tokens,
            "compressed_tokens": self.compressed_tokens,
            "original_bytes": self.original_bytes,
            "compressed_bytes": self.compressed_bytes,
            "original_size": list(self.original_size) if self.original_size else None,
            "compressed_size": list(self.compressed_size) if self.compressed_size else None,
            "elapsed_ms": round(self.elapsed_ms, 2),
            "error": self.error,
            "skipped_reason": self.skipped_reason,
            "cached": self.cached,
            "crop_box": list(self.crop_box.as_tuple()) if self.crop_box else None,
            "reason": self.reason,
            "decision": self.decision.as_dict() if self.decision else None,
        }


@dataclass(frozen=True)
class CompressionResult:
    """Per-image results of one request and the request totals."""

    images: tuple[ImageResult, ...]
    provider: str
    model: str | None

    @property
    def original_tokens(self) -> int:
        return sum(r.original_tokens for r in self.images)

    @property
    def compressed_tokens(self) -> int:
        return sum(r.compressed_tokens for r in self.images)

    @property
    def saved_tokens(self) -> int:
        return self.original_tokens - self.compressed_tokens

    @property
    def savings_percent(self) -> float:
        before = self.original_tokens
        return 0.0 if before <= 0 else 100.0 * (before - self.compressed_tokens) / before

    @property
    def techniques(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self.images:
            key = r.technique.value if r.technique else "skipped"
            counts[key] = counts.get(key, 0) + 1
        return counts

    def as_dict(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "model": self.model,
            "original_tokens": self.original_tokens,
            "compressed_tokens": self.compressed_tokens,
            "savings_percent": round(self.savings_percent, 2),
            "images": [r.as_dict() for r in self.images],
        }
