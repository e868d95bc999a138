"""Optional patch-similarity path: a grid of question-to-patch similarities thresholded into a box.

The locator takes any ``PatchScorer``: a callable ``(image, query) -> 2-D array`` of similarity
scores, one per patch of a regular grid laid over the whole image (e.g. a SigLIP vision tower's patch
embeddings against the text embedding), or ``None`` when it cannot score. This module only turns
such a grid into a region; it loads no model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ..types import Box

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["PatchScorer", "region_from_patches"]

PatchScorer = Callable[["Image.Image", str], "npt.NDArray[Any] | None"]
"""``(image, query) -> (rows, cols) similarity grid over the whole image, or None``."""

#: A patch joins the region when its score is at least this far from the median towards the peak.
PEAK_FRACTION = 0.6
#: The peak must stand this many standard deviations above the median to count at all.
MIN_PEAK_Z = 2.0
MAX_CONFIDENCE = 0.7


def region_from_patches(scores: npt.NDArray[Any], width: int, height: int) -> tuple[Box, float, str] | None:
    """The connected patches around the best one, as an image box, with a confidence and evidence."""
    grid = np.asarray(scores, dtype=np.float64)
    if grid.ndim != 2 or grid.size < 4 or not np.all(np.isfinite(grid)):
        return None
    rows, cols = grid.shape
    med = float(np.median(grid))
    std = float(grid.std())
    peak_idx = int(np.argmax(grid))
    peak = float(grid.flat[peak_idx])
    if std <= 1e-9:
        return None
    z = (peak - med) / std
    if z < MIN_PEAK_Z:
        return None
    mask = grid >= med + PEAK_FRACTION * (peak - med)
    # The 4-connected component of the mask holding the peak.
    start = divmod(peak_idx, cols)
    seen = {start}
    stack = [start]
    while stack:
        r, c = stack.pop()
        for nr, nc in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)):
            if 0 <= nr < rows and 0 <= nc < cols and mask[nr, nc] and (nr, nc) not in seen:
                seen.add((nr, nc))
                stack.append((nr, nc))
    rs = [r for r, _ in seen]
    cs = [c for _, c in seen]
    box = Box(
        int(min(cs) * width / cols),
        int(min(rs) * height / rows),
        int(np.ceil((max(cs) + 1) * width / cols)),
        int(np.ceil((max(rs) + 1) * height / rows)),
    )
    share = len(seen) / grid.size
    conf = min(MAX_CONFIDENCE, 0.35 + 0.07 * z) * (0.7 if share > 0.5 else 1.0)
    evidence = f"the patches most similar to the question ({len(seen)} of {grid.size}, peak {z:.1f} sd)"
    return box, round(conf, 4), evidence
