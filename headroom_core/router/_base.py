"""Router and region-locator stages."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..types import Box, ImageSignals, RouteDecision, Technique

if TYPE_CHECKING:
    from PIL import Image

    from ..costs import CostModel

__all__ = ["LocatedRegion", "QueryClassifier", "QueryPrediction", "RegionLocator", "Router"]


@dataclass(frozen=True)
class LocatedRegion:
    """A region of the image the question is about, in original-image pixels."""

    box: Box
    confidence: float
    evidence: str
    #: Found by matching the question's words in the image's text (not by place or patches alone).
    by_text: bool = False
    #: The image's text, read in order, still says which text the question is about: the question
    #: names a line by its own words or names its place in that order (a title or heading, the
    #: header or footer, the nth or last line, the top-left corner where the text begins). Another
    #: corner, a column, a label's value (beside the label, which the text may not keep) or a
    #: patch is not (fusion rule 4c).
    in_reading_order: bool = False


class RegionLocator(ABC):
    """Finds the region a question is about, or ``None`` when it cannot."""

    name: str = "base"

    @abstractmethod
    def locate(self, image: Image.Image, query: str, signals: ImageSignals | None) -> LocatedRegion | None:
        """Return the region ``query`` refers to in ``image``, or ``None``."""

    def names_text(self, query: str) -> bool:
        """Whether ``query`` names its target by the target's own text (a quoted line, a label's
        value), so that a region found by that text is all the question needs. No I/O."""
        return False

    def asks_title(self, query: str) -> bool:
        """Whether ``query`` asks for the image's title or main heading alone ("What does the main
        heading say?"), so that a legible title is all it needs (fusion rule 2g). No I/O."""
        return False

    def asks_topic(self, query: str) -> bool:
        """Whether ``query`` asks what a page is about and nothing else ("What is this page
        about?"), so that its legible title answers it (fusion rule 2g). No I/O."""
        return False

    def locate_title(self, image: Image.Image, signals: ImageSignals | None) -> LocatedRegion | None:
        """The image's title, whatever the question (fusion rule 3 judges a chart's low view by
        it), from the analyzer's text lines alone; ``None`` when there is none or no way to tell."""
        return None


class Router(ABC):
    """Decides the technique for one image and its question."""

    name: str = "base"

    @abstractmethod
    def decide(
        self, image: Image.Image, query: str, cost_model: CostModel, detail: str | None
    ) -> RouteDecision:
        """Decide for a decoded RGB ``image`` sent with ``detail`` to ``cost_model``'s provider."""

    def warm_up(self) -> None:  # noqa: B027 - optional hook, a no-op by default
        """Load any model now."""

    def classify(
        self,
        image_data: bytes,
        query: str = "",
        *,
        provider: str = "openai",
        model: str | None = None,
        detail: str | None = None,
    ) -> RouteDecision:
        """Decide for encoded image bytes, to ask *why* before compressing.

        Raises :class:`~headroom_core.UnsupportedImageError` for bytes that cannot be decoded.
        """
        from .._imageio import decode_image
        from ..costs import get_cost_model

        decoded = decode_image(image_data)
        return self.decide(decoded.image, query, get_cost_model(provider, model), detail)


@dataclass(frozen=True)
class QueryPrediction:
    """A query classifier's output: the technique, its (calibrated) probability, all probabilities."""

    technique: Technique
    confidence: float
    probabilities: Mapping[str, float]
    classifier: str


class QueryClassifier(ABC):
    """Classifies a question about an image into the technique that answers it."""

    name: str = "base"

    @abstractmethod
    def predict(self, query: str) -> QueryPrediction:
        """Classify ``query``."""

    def warm_up(self) -> None:  # noqa: B027 - optional hook, a no-op by default
        """Load any model now."""
