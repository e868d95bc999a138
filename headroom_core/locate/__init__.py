"""Region locators: find the part of an image a question is about (for CROP).

:class:`QueryRegionLocator` (name ``"query"``) combines the question's words found in the image's
text, the place the question names (resolved against the page layout) and, optionally, patch
similarity (:class:`SiglipPatchScorer`: SigLIP's patch tokens against the question, given to the
default locator when SigLIP weights are configured). See :mod:`headroom_core.locate.locator`.
"""

from __future__ import annotations

from ._patches import PatchScorer, SiglipPatchScorer, region_from_patches, siglip_patch_scorer
from ._query import ParsedQuery, SpatialCue, Term, parse_query
from .locator import LocateReport, LocateTiming, QueryRegionLocator

__all__ = [
    "LocateReport",
    "LocateTiming",
    "ParsedQuery",
    "PatchScorer",
    "QueryRegionLocator",
    "SiglipPatchScorer",
    "SpatialCue",
    "Term",
    "parse_query",
    "region_from_patches",
    "siglip_patch_scorer",
]
