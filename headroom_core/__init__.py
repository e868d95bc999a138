"""headroom-image core: cut the tokens images cost in LLM chat requests.

Importing this package loads no torch, transformers or OCR engine; models load on first use.
"""

from __future__ import annotations

from ._exceptions import (
    CompressionTimeoutError,
    ConfigurationError,
    HeadroomError,
    MissingDependencyError,
    ModelUnavailableError,
    TechniqueRefusedError,
    UnknownModelError,
    UnsupportedImageError,
)
from ._fetch import FetchPolicy
from ._version import __version__
from .compressor import ImageCompressor, compress_images
from .costs import CostModel, TokenCost, get_cost_model
from .router._base import QueryClassifier, QueryPrediction, RegionLocator, Router
from .router.policy import RoutingPolicy
from .tiling import Alignment, align
from .types import Box, CompressionResult, ImageResult, ImageSignals, RouteDecision, Technique, TextLine

__all__ = [
    "Alignment",
    "Box",
    "CompressionResult",
    "CompressionTimeoutError",
    "ConfigurationError",
    "CostModel",
    "FetchPolicy",
    "HeadroomError",
    "ImageCompressor",
    "ImageResult",
    "ImageSignals",
    "MissingDependencyError",
    "ModelUnavailableError",
    "QueryClassifier",
    "QueryPrediction",
    "RegionLocator",
    "RouteDecision",
    "Router",
    "RoutingPolicy",
    "Technique",
    "TechniqueRefusedError",
    "TextLine",
    "TokenCost",
    "UnknownModelError",
    "UnsupportedImageError",
    "__version__",
    "align",
    "compress_images",
    "get_cost_model",
]
