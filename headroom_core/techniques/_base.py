"""The technique stage: one typed ``apply`` per technique, and the context it works on."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from .._imageio import DecodedImage
from ..codecs import Replacement
from ..costs import CostModel
from ..types import Box, RouteDecision, Technique

__all__ = ["Applied", "ApplyContext", "TechniqueApplier"]


@dataclass(frozen=True)
class ApplyContext:
    """Everything a technique needs to transform one image.

    ``detail`` is the detail the caller sent (``None`` = omitted); ``original_tokens`` is what the
    image costs as sent. ``label`` names the image in fenced text (e.g. ``image 2``).
    """

    decoded: DecodedImage
    original_data: bytes
    cost_model: CostModel
    detail: str | None
    original_tokens: int
    query: str
    decision: RouteDecision
    provider: str
    model: str | None
    alignment: str = "bounded"
    max_downscale: float = 0.125
    label: str = "image"
    text_like: bool = False
    region: Box | None = None
    #: Whether the block's format has a per-image detail field (Anthropic blocks have none).
    detail_settable: bool = True


@dataclass(frozen=True)
class Applied:
    """A technique's output: a replacement (``None`` keeps the original bytes) and its billed tokens."""

    technique: Technique
    replacement: Replacement | None
    tokens: int
    size: tuple[int, int] | None
    note: str = ""
    text: str | None = None
    byte_size: int = 0
    extras: dict[str, object] = field(default_factory=dict)


class TechniqueApplier(ABC):
    """Transforms one image for one technique.

    Raise :class:`~headroom_core.TechniqueRefusedError` with a reason to decline; the compressor
    then falls back to PRESERVE and records the reason.
    """

    technique: Technique

    @abstractmethod
    def apply(self, ctx: ApplyContext) -> Applied:
        """Produce the output for ``ctx``."""
