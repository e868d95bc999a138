"""The OCR engine stage: one typed method, a name registry, engines loaded lazily."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..types import TextLine

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["OcrEngine", "OcrResult"]


@dataclass(frozen=True)
class OcrResult:
    """Lines read from one image, in pixel coordinates of the image given to the engine.

    ``lines`` are in the engine's raw order; reading order is applied by the layout step.
    ``confidence`` of each line is 0..1.
    """

    lines: tuple[TextLine, ...]
    engine: str
    elapsed_ms: float
    width: int
    height: int


class OcrEngine(ABC):
    """Reads text lines from an RGB image. Implementations must be thread-safe and load lazily."""

    name: str = "base"

    @abstractmethod
    def read(self, image: Image.Image) -> OcrResult:
        """Read every text line of ``image`` (mode RGB or L)."""

    def is_available(self) -> bool:
        """True when the engine's dependencies (binary, package, weights) are present."""
        return True

    def warm_up(self) -> None:  # noqa: B027 - optional hook, a no-op by default
        """Load models now instead of on first use."""
