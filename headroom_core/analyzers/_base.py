"""The image-analyzer stage: one typed method, a name registry, models loaded lazily."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, TypeVar

from .._exceptions import ConfigurationError, MissingDependencyError, ModelUnavailableError

if TYPE_CHECKING:
    from PIL import Image

    from ..types import ImageSignals

__all__ = ["ANALYZERS", "ImageAnalyzer", "get_analyzer", "register_analyzer"]

logger = logging.getLogger(__name__)


class ImageAnalyzer(ABC):
    """Measures an image and maps the evidence to calibrated 0..1 signals.

    Implementations are thread-safe (one instance serves concurrent requests) and load any
    model lazily, once per process.
    """

    name: str = "base"

    @abstractmethod
    def analyze(self, image: Image.Image) -> ImageSignals:
        """Signals and evidence for ``image`` (any PIL mode; sizes in the image's own pixels)."""

    def check(self) -> None:  # noqa: B027 - an optional hook; nothing to check by default
        """Raise :class:`MissingDependencyError` / :class:`ModelUnavailableError` if the analyzer
        cannot run here, without loading any model. The default has nothing to check."""

    def warm_up(self) -> None:  # noqa: B027 - an optional hook; nothing to load by default
        """Load models now instead of on first use."""


_A = TypeVar("_A", bound=type[ImageAnalyzer])

#: Analyzer name -> class. Filled by :func:`register_analyzer` when the modules are imported
#: (``import headroom_core.analyzers`` imports them all; none imports a heavy dependency).
ANALYZERS: dict[str, type[ImageAnalyzer]] = {}


def register_analyzer(cls: _A) -> _A:
    """Class decorator: make ``cls`` available to :func:`get_analyzer` under ``cls.name``."""
    ANALYZERS[cls.name] = cls
    return cls


def get_analyzer(name: str = "embedded", *, best_effort: bool = False, **kwargs: Any) -> ImageAnalyzer:
    """Build the analyzer registered as ``name`` with ``kwargs``.

    The analyzer's :meth:`~ImageAnalyzer.check` runs here, so a missing extra or missing weights
    is reported now (naming the model and the fix) rather than on the first image. With
    ``best_effort=True`` such a failure logs a warning and returns the embedded analyzer instead.
    """
    from . import embedded, siglip  # noqa: F401  (importing registers them)

    try:
        cls = ANALYZERS[name]
    except KeyError:
        known = ", ".join(sorted(ANALYZERS))
        raise ConfigurationError(f"unknown image analyzer {name!r}; known: {known}") from None
    try:
        analyzer = cls(**kwargs)
        analyzer.check()
    except (ModelUnavailableError, MissingDependencyError) as exc:
        if not best_effort or name == "embedded":
            raise
        logger.warning("image analyzer %r unavailable, using the embedded analyzer instead: %s", name, exc)
        return ANALYZERS["embedded"]()
    return analyzer
