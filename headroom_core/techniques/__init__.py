"""Technique appliers and their name registry."""

from __future__ import annotations

from ..types import Technique
from ._base import Applied, ApplyContext, TechniqueApplier
from .crop import CropApplier
from .full_low import FullLowApplier, plan_full_low
from .preserve import PreserveApplier
from .transcode import TranscodeApplier, fence_text

__all__ = [
    "TECHNIQUES",
    "Applied",
    "ApplyContext",
    "CropApplier",
    "FullLowApplier",
    "PreserveApplier",
    "TechniqueApplier",
    "TranscodeApplier",
    "fence_text",
    "plan_full_low",
]

#: Technique -> applier class. Register a new technique by adding a row.
TECHNIQUES: dict[Technique, type[TechniqueApplier]] = {
    Technique.PRESERVE: PreserveApplier,
    Technique.FULL_LOW: FullLowApplier,
    Technique.CROP: CropApplier,
    Technique.TRANSCODE: TranscodeApplier,
}
