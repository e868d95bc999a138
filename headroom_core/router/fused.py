"""A router = a query classifier + an image analyzer + a region locator, fused by the policy."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from ..types import Box, RouteDecision
from ._base import LocatedRegion, QueryClassifier, RegionLocator, Router
from .fusion import fuse, query_names_graphic
from .policy import DEFAULT_POLICY, RoutingPolicy

if TYPE_CHECKING:
    from PIL import Image

    from ..analyzers import ImageAnalyzer
    from ..costs import CostModel

__all__ = ["FusedRouter"]


class FusedRouter(Router):
    """Classifies the question, measures the image, and applies :func:`~.fusion.fuse`.

    The analyzer defaults to the embedded one and is created on first use.
    """

    name = "fused"

    def __init__(
        self,
        classifier: QueryClassifier,
        *,
        analyzer: ImageAnalyzer | None = None,
        locator: RegionLocator | None = None,
        policy: RoutingPolicy = DEFAULT_POLICY,
    ) -> None:
        self.classifier = classifier
        self._analyzer = analyzer
        self.locator = locator
        self.policy = policy
        self._lock = threading.Lock()

    @property
    def analyzer(self) -> ImageAnalyzer:
        if self._analyzer is None:
            with self._lock:
                if self._analyzer is None:
                    from ..analyzers import get_analyzer

                    self._analyzer = get_analyzer("embedded")
        return self._analyzer

    def warm_up(self) -> None:
        self.classifier.warm_up()
        _ = self.analyzer

    def decide(
        self, image: Image.Image, query: str, cost_model: CostModel, detail: str | None
    ) -> RouteDecision:
        from ..techniques.crop import plan_image_crop
        from ..techniques.full_low import plan_full_low, plan_low_inset
        from ..techniques.preserve import lossless_level

        prediction = self.classifier.predict(query)
        signals = self.analyzer.analyze(image)
        low = plan_full_low(image.width, image.height, cost_model, detail)
        lines = [tl.box for tl in signals.text_lines]
        locator = self.locator

        def locate() -> LocatedRegion | None:
            return None if locator is None else locator.locate(image, query, signals)

        def box_tokens(box: Box) -> int:
            # the cheapest crop of the box: at its own size, at the lossless level where one shows
            # all of it (OpenAI: a crop within 512x512 at detail low)
            level = lossless_level(cost_model, (box.width, box.height), detail, per_image=True)
            return cost_model.cost(box.width, box.height, level or detail).tokens

        whole = cost_model.cost(image.width, image.height, detail).tokens

        def inset(box: Box) -> tuple[int, float] | None:
            plan = plan_low_inset(image, box, cost_model, detail)
            return None if plan is None or plan.tokens >= whole else (plan.tokens, plan.inset_scale)

        return fuse(
            query_prediction=prediction.technique,
            query_confidence=prediction.confidence,
            query_probabilities=prediction.probabilities,
            signals=signals,
            low_view_scale=low.view_scale,
            low_view_tokens=low.tokens,
            crop_tokens=box_tokens,
            crop_plan_tokens=lambda box: plan_image_crop(image, box, cost_model, detail, lines=lines).tokens,
            locate=locate,
            router=f"{prediction.classifier}+{signals.analyzer}",
            policy=self.policy,
            query_names_text=locator is not None and locator.names_text(query),
            query_asks_title=locator is not None and locator.asks_title(query),
            query_asks_topic=locator is not None and locator.asks_topic(query),
            locate_title=None if locator is None else (lambda: locator.locate_title(image, signals)),
            query_names_graphic=query_names_graphic(query),
            low_view_inset=inset,
        )
