"""The public surface is pinned, and importing the core loads no heavy dependency."""

from __future__ import annotations

import subprocess
import sys

import headroom_core

CORE_ALL = [
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
    "TechniqueRefusedError",
    "Technique",
    "TextLine",
    "TokenCost",
    "UnknownModelError",
    "UnsupportedImageError",
    "__version__",
    "align",
    "compress_images",
    "get_cost_model",
]


def test_core_all_is_pinned() -> None:
    assert sorted(headroom_core.__all__) == sorted(CORE_ALL)
    for name in CORE_ALL:
        assert hasattr(headroom_core, name), name


def test_exception_tree_has_one_root() -> None:
    for name in CORE_ALL:
        obj = getattr(headroom_core, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, headroom_core.HeadroomError), name


def test_import_core_loads_no_heavy_dependency() -> None:
    code = (
        "import sys, headroom_core, headroom_core.ocr, headroom_core.analyzers, headroom_core.router;"
        "heavy = [m for m in ('torch', 'transformers', 'easyocr', 'cv2', 'langchain_core', 'llama_index')"
        " if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
