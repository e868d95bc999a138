"""Region locators: find the part of an image a question is about (for CROP).

:class:`QueryRegionLocator` (name ``"query"``) combines the question's words found in the image's
text, the place the question names (resolved against the page layout) and, optionally, patch
similarity. See :mod:`headroom_core.locate.locator`.
"""

from __future__ import annotations

from ._patches import PatchScorer, region_from_patches
from ._query import ParsedQuery, SpatialCue, Term, parse_query
from .locator import LocateReport, LocateTiming, QueryRegionLocator

__all__ = [
    "LocateReport",
    "LocateTiming",
    "ParsedQuery",
    "PatchScorer",
    "QueryRegionLocator",
    "SpatialCue",
    "Term",
    "parse_query",
    "region_from_patches",
]
