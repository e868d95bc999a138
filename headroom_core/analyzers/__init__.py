"""Image analyzers: measured evidence -> calibrated ``has_text`` / ``is_document`` / ``is_complex`` /
``has_small_details`` signals.

``embedded`` needs only numpy + Pillow; ``siglip`` adds any SigLIP checkpoint (the ``ml`` extra).
Importing this package imports neither torch nor transformers.
"""

from __future__ import annotations

from ._base import ANALYZERS, ImageAnalyzer, get_analyzer, register_analyzer
from .embedded import EmbeddedImageAnalyzer
from .siglip import DEFAULT_SIGLIP_MODEL, ConceptPrompts, SiglipImageAnalyzer

__all__ = [
    "ANALYZERS",
    "DEFAULT_SIGLIP_MODEL",
    "ConceptPrompts",
    "EmbeddedImageAnalyzer",
    "ImageAnalyzer",
    "SiglipImageAnalyzer",
    "get_analyzer",
    "register_analyzer",
]
