"""``QueryRegionLocator``: the region of an image a question is about, from the question's words
found in the image's text, the place it names, and optionally patch similarity.

Paths, in order of preference (combined where they agree):

1. **text**: the question's key terms (quoted strings, "starts with X", capitalised / ALL-CAPS
   tokens, field labels, other content words) matched, fuzzily, against OCR lines; the region is the
   matched text and its neighbourhood (:mod:`._text`). The image is OCR'd at most once per content
   (a small LRU cache keyed by the pixels, so a follow-up question about the same image reuses it),
   and only when the question names text: a purely spatial question never pays for OCR. Lines that
   already carry text in ``signals.text_lines`` are used instead of OCR.
2. **spatial**: "top-right corner", "the header", "the legend", "the left column", "the third row"...
   resolved against the layout (:mod:`._spatial`): the analyzer's text boxes (``signals.text_lines``;
   the text detector is never run again) and content blocks from the pixels.
3. **patches** (optional, only when 1 and 2 found nothing): a ``patch_scorer`` callable, e.g.
   :class:`~._patches.SiglipPatchScorer` (SigLIP's patch tokens against the question), whose grid is
   turned into a box by :func:`~._patches.region_from_patches`: the connected high-scoring patches
   around a clear peak; a flat or noise-level grid gives no region. A scorer that fails or returns
   ``None`` gives no region either (the reason is logged); it never fails the request.
4. Otherwise ``None``: no region, so no CROP.

Text and spatial agreeing (the match lies in the named place) raises the confidence; when they
disagree the text wins unless it is much weaker. :meth:`QueryRegionLocator.locate_detailed` also
returns the time split (OCR vs the rest) and which path decided.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .._exceptions import HeadroomError
from ..ocr._base import OcrEngine, OcrResult
from ..router._base import LocatedRegion, RegionLocator
from ..types import Box, ImageSignals, TextLine
from ._geometry import center, center_inside
from ._patches import PatchScorer, region_from_patches
from ._query import ParsedQuery, parse_query, title_cue
from ._spatial import LAYOUT_CONFIDENCE, Layout, SpatialRegion, content_blocks, locate_spatial
from ._text import TextRegion, locate_text

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["LocateReport", "LocateTiming", "QueryRegionLocator"]

logger = logging.getLogger(__name__)

#: Agreement of the text match with the named place adds this to the confidence.
AGREEMENT_BONUS = 0.08
#: A text match outside the named place loses this much.
DISAGREEMENT_PENALTY = 0.1
#: Text boxes of the analyzer that the page OCR missed are read again when at least this tall ...
MISSED_MIN_HEIGHT_PX = 6
#: ... at most this many of them, in one OCR call.
MISSED_MAX_BOXES = 80
#: Below this ``has_text`` and with no text boxes, the image is not OCR'd (a photo without text).
OCR_MIN_HAS_TEXT = 0.15


@dataclass(frozen=True)
class LocateTiming:
    """Where one ``locate`` call spent its time (milliseconds).

    ``ocr``: ``"ran"``, ``"cached"`` (same pixels read before), ``"signals"`` (text lines with text
    came with the signals), ``"skipped"`` (not needed, or no text in the image) or
    ``"unavailable"`` (no OCR engine installed).
    """

    total_ms: float
    ocr_ms: float
    rest_ms: float
    ocr: str


@dataclass(frozen=True)
class LocateReport:
    """A ``locate`` call's region (``None`` = no region), the path that decided and its timing."""

    region: LocatedRegion | None
    path: str
    timing: LocateTiming
    query: ParsedQuery


class _OcrCache:
    """A small thread-safe LRU of OCR results keyed by image content."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, OcrResult] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> OcrResult | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key: str, value: OcrResult) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def _content_key(image: Image.Image, engine: str) -> str:
    digest = hashlib.blake2b(image.tobytes(), digest_size=16)
    digest.update(f"{image.mode}:{image.size}:{engine}".encode())
    return digest.hexdigest()


class QueryRegionLocator(RegionLocator):
    """Finds the region a question is about (see the module docstring).

    Args:
        ocr_engine: an :class:`~headroom_core.ocr.OcrEngine`, an engine name for
            :func:`~headroom_core.ocr.get_ocr_engine` (default ``"auto"``, resolved on first use), or
            ``None`` for no OCR (then only text that comes with the signals is matched).
        patch_scorer: optional ``(image, query) -> similarity grid`` (e.g. SigLIP patches), used
            when neither text nor place locates anything.
        ocr_cache_size: OCR results kept by image content (0 = no cache).
    """

    name = "query"

    def __init__(
        self,
        *,
        ocr_engine: OcrEngine | str | None = "auto",
        patch_scorer: PatchScorer | None = None,
        ocr_cache_size: int = 16,
    ) -> None:
        self._engine_spec = ocr_engine
        self._engine: OcrEngine | None = None if isinstance(ocr_engine, str) else ocr_engine
        self._engine_failed = False
        self.patch_scorer = patch_scorer
        self._cache = _OcrCache(ocr_cache_size)
        self._lock = threading.Lock()

    # -- OCR -------------------------------------------------------------------------------

    def _ocr_engine(self) -> OcrEngine | None:
        if self._engine is not None or self._engine_failed or not isinstance(self._engine_spec, str):
            return self._engine
        with self._lock:
            if self._engine is None and not self._engine_failed:
                from ..ocr import get_ocr_engine

                try:
                    self._engine = get_ocr_engine(self._engine_spec)
                except HeadroomError as exc:
                    self._engine_failed = True
                    logger.warning("region locator: no OCR engine (%s); text matching is off", exc)
        return self._engine

    def _read(self, image: Image.Image) -> tuple[tuple[TextLine, ...] | None, str]:
        engine = self._ocr_engine()
        if engine is None:
            return None, "unavailable"
        key = _content_key(image, f"{engine.name}:{id(engine)}") if self._cache.size > 0 else ""
        if key:
            hit = self._cache.get(key)
            if hit is not None:
                return hit.lines, "cached"
        rgb = image if image.mode in ("RGB", "L") else image.convert("RGB")
        result = engine.read(rgb)
        if key:
            self._cache.put(key, result)
        return result.lines, "ran"

    def _read_missed(
        self, image: Image.Image, read: tuple[TextLine, ...], detected: tuple[TextLine, ...]
    ) -> tuple[TextLine, ...]:
        """OCR the detected text boxes no OCR line covers, stacked into one small image (one call)."""
        engine = self._ocr_engine()
        if engine is None:
            return ()
        missed = [
            ln.box
            for ln in detected
            if ln.box.height >= MISSED_MIN_HEIGHT_PX
            and ln.box.width >= ln.box.height
            and not any(_covered(ln.box, r.box) for r in read)
        ][:MISSED_MAX_BOXES]
        if not missed:
            return ()
        key = (
            _content_key(image, f"{engine.name}:{id(engine)}:missed:{len(read)}")
            if self._cache.size > 0
            else ""
        )
        if key:
            hit = self._cache.get(key)
            if hit is not None:
                return hit.lines
        lines = _read_stacked(engine, image, missed)
        if key:
            self._cache.put(key, OcrResult(lines, f"{engine.name}/stacked", 0.0, image.width, image.height))
        return lines

    def clear_cache(self) -> None:
        """Forget cached OCR results."""
        self._cache.clear()

    # -- locate ----------------------------------------------------------------------------

    def locate(self, image: Image.Image, query: str, signals: ImageSignals | None) -> LocatedRegion | None:
        return self.locate_detailed(image, query, signals).region

    def names_text(self, query: str) -> bool:
        return parse_query(query).names_text_target

    def asks_title(self, query: str) -> bool:
        return parse_query(query).asks_title

    def asks_topic(self, query: str) -> bool:
        return parse_query(query).asks_topic

    def locate_title(self, image: Image.Image, signals: ImageSignals | None) -> LocatedRegion | None:
        # the analyzer's line boxes only: no OCR, no content blocks (the title rule reads lines)
        lines = tuple(ln.box for ln in signals.text_lines) if signals is not None else ()
        if not lines:
            return None
        found = locate_spatial((title_cue("the title"),), Layout(image.width, image.height, lines, ()), image)
        return None if found is None else _from_spatial(found)

    def locate_detailed(self, image: Image.Image, query: str, signals: ImageSignals | None) -> LocateReport:
        """Like :meth:`locate`, with the deciding path and the OCR / rest time split."""
        t0 = time.perf_counter()
        parsed = parse_query(query)
        width, height = image.size
        signal_lines = signals.text_lines if signals is not None else ()
        text_lines: tuple[TextLine, ...] = tuple(ln for ln in signal_lines if ln.text.strip())
        ocr_ms = 0.0
        ocr_status = "skipped"
        place = parsed.spatial[0].region if parsed.spatial else None
        if len(parsed.spatial) > 1:
            specific = [c for c in parsed.spatial if c.kind not in ("row", "legend", "title")]
            place = specific[0].region if specific else place

        def text_path() -> TextRegion | None:
            """OCR (once) and match; returns the text region. Updates the OCR time and status."""
            nonlocal text_lines, ocr_ms, ocr_status
            if not text_lines:
                t1 = time.perf_counter()
                try:
                    read, ocr_status = self._read(image)
                except HeadroomError as exc:  # an OCR failure only disables the text path
                    logger.warning("region locator: OCR failed (%s); locating without text", exc)
                    read, ocr_status = None, "failed"
                ocr_ms += (time.perf_counter() - t1) * 1000.0
                text_lines = read or ()
            found = locate_text(text_lines, parsed, width, height, place)
            if (found is None or not found.complete) and ocr_status in ("ran", "cached") and signal_lines:
                # The page OCR may skip text its layout analysis took for graphics (values inside
                # form boxes, cells of a coloured table): read the analyzer's boxes it left uncovered.
                t1 = time.perf_counter()
                try:
                    missed = self._read_missed(image, text_lines, signal_lines)
                except HeadroomError as exc:
                    logger.warning("region locator: OCR of missed text boxes failed (%s)", exc)
                    missed = ()
                ocr_ms += (time.perf_counter() - t1) * 1000.0
                if missed:
                    text_lines = text_lines + missed
                    found = locate_text(text_lines, parsed, width, height, place) or found
            return found

        text: TextRegion | None = None
        if text_lines:
            ocr_status = "signals"
            text = locate_text(text_lines, parsed, width, height, place) if parsed.terms else None
        elif self._wants_ocr(parsed, signals):
            text = text_path()
        spatial: SpatialRegion | None = None
        if parsed.spatial:
            boxes = tuple(ln.box for ln in text_lines) or tuple(ln.box for ln in signal_lines)
            layout = Layout(width, height, boxes, content_blocks(image))
            spatial = locate_spatial(parsed.spatial, layout, image)
            if (
                ocr_status == "skipped"
                and parsed.terms
                and (spatial is None or spatial.confidence < LAYOUT_CONFIDENCE)
                and self._may_have_text(signals)
            ):
                text = text_path()  # the place alone was not enough: look for the words too
        region, path = self._combine(text, spatial, width, height)
        if region is not None and region.by_text:
            # a named line keeps its place in the page's text; a label's value sits beside the
            # label, which the text may not keep
            region = replace(region, in_reading_order=parsed.intent in ("line", "paragraph"))
        if region is None and self.patch_scorer is not None:
            region, path = self._patches(image, query)
        total = (time.perf_counter() - t0) * 1000.0
        timing = LocateTiming(round(total, 3), round(ocr_ms, 3), round(total - ocr_ms, 3), ocr_status)
        logger.debug(
            "locate %r: %s via %s (ocr %s %.1f ms, rest %.1f ms)",
            query,
            region.evidence if region else "no region",
            path,
            ocr_status,
            ocr_ms,
            total - ocr_ms,
        )
        return LocateReport(region, path, timing, parsed)

    @classmethod
    def _wants_ocr(cls, parsed: ParsedQuery, signals: ImageSignals | None) -> bool:
        if not parsed.terms:
            return False
        if parsed.spatial and not parsed.strong_terms:
            return False  # "what is the title of the chart": the place says enough, unless it fails
        return cls._may_have_text(signals)

    @staticmethod
    def _may_have_text(signals: ImageSignals | None) -> bool:
        return not (signals is not None and not signals.text_lines and signals.has_text < OCR_MIN_HAS_TEXT)

    @staticmethod
    def _combine(
        text: TextRegion | None, spatial: SpatialRegion | None, width: int, height: int
    ) -> tuple[LocatedRegion | None, str]:
        if text is not None and spatial is not None:
            cx, cy = center(text.box)
            x0, y0, x1, y1 = spatial.cue.region
            in_place = (
                text.in_region
                or (x0 * width <= cx <= x1 * width and y0 * height <= cy <= y1 * height)
                or center_inside(text.key, spatial.box)
            )
            if in_place:
                conf = min(0.99, max(text.confidence, spatial.confidence) + AGREEMENT_BONUS)
                return LocatedRegion(
                    text.box, round(conf, 4), f"{text.evidence}, in {spatial.evidence}", by_text=True
                ), "text+spatial"
            if text.confidence - DISAGREEMENT_PENALTY >= spatial.confidence - 0.1:
                conf = max(0.0, text.confidence - DISAGREEMENT_PENALTY)
                evidence = f"{text.evidence}, though not in the {spatial.cue.phrase.strip()} named"
                return LocatedRegion(text.box, round(conf, 4), evidence, by_text=True), "text"
            return _from_spatial(spatial), "spatial"
        if text is not None:
            return LocatedRegion(text.box, text.confidence, text.evidence, by_text=True), "text"
        if spatial is not None:
            return _from_spatial(spatial), "spatial"
        return None, "none"

    def _patches(self, image: Image.Image, query: str) -> tuple[LocatedRegion | None, str]:
        assert self.patch_scorer is not None
        try:
            scores = self.patch_scorer(image, query)
            found = None if scores is None else region_from_patches(scores, image.width, image.height)
        except Exception as exc:  # an optional path must never fail the locator
            logger.warning("region locator: patch scorer failed (%s: %s); no region", type(exc).__name__, exc)
            return None, "none"
        if found is None:
            logger.debug(
                "region locator: %s; no region",
                "the patch scorer returned no grid" if scores is None else "the patch grid has no clear peak",
            )
            return None, "none"
        box, conf, evidence = found
        return LocatedRegion(box, conf, evidence), "patches"


#: Places the image's text keeps in its reading order: the first lines, the last, the nth.
_READING_ORDER_CUES = frozenset({"title", "header", "footer", "row"})


def _from_spatial(spatial: SpatialRegion) -> LocatedRegion:
    cue = spatial.cue
    # an item of a sidebar is not: a page's text does not keep its columns apart reliably
    ordered = cue.kind in _READING_ORDER_CUES and cue.side != "item"
    # the top-left corner is where the page's text begins (left-to-right reading); the other
    # corners' text lands anywhere in it
    ordered = ordered or (cue.kind == "corner" and cue.side == "top-left")
    return LocatedRegion(spatial.box, spatial.confidence, spatial.evidence, in_reading_order=ordered)


def _covered(box: Box, by: Box) -> bool:
    """At least half of ``box`` lies inside ``by``."""
    iw = min(box.right, by.right) - max(box.left, by.left)
    ih = min(box.bottom, by.bottom) - max(box.top, by.top)
    return iw > 0 and ih > 0 and iw * ih >= 0.5 * max(1, box.area)


def _read_stacked(engine: OcrEngine, image: Image.Image, boxes: list[Box]) -> tuple[TextLine, ...]:
    """Read ``boxes`` of ``image`` in one OCR call: each box (with a small margin) is pasted on a white
    canvas, one under the other; the lines read are mapped back to the box they fall in."""
    from PIL import Image as PILImage

    rgb = image if image.mode == "RGB" else image.convert("RGB")
    crops: list[tuple[Box, PILImage.Image]] = []
    for b in boxes:
        m = max(2, b.height // 3)
        src = Box(b.left - m, b.top - m, b.right + m, b.bottom + m).clamp(image.width, image.height)
        crops.append((src, rgb.crop(src.as_tuple())))
    gap = max(12, max(src.height for src, _ in crops) // 2)
    width = max(c.width for _, c in crops) + 2 * gap
    height = sum(c.height for _, c in crops) + gap * (len(crops) + 1)
    canvas = PILImage.new("RGB", (width, height), "white")
    slots: list[tuple[int, int, Box]] = []
    y = gap
    for src, crop in crops:
        canvas.paste(crop, (gap, y))
        slots.append((y, y + crop.height, src))
        y += crop.height + gap
    out: list[TextLine] = []
    for line in engine.read(canvas).lines:
        cy = (line.box.top + line.box.bottom) / 2
        for top, bottom, src in slots:
            if top <= cy < bottom:
                dx, dy = src.left - gap, src.top - top
                box = Box(line.box.left + dx, line.box.top + dy, line.box.right + dx, line.box.bottom + dy)
                out.append(TextLine(box.clamp(image.width, image.height), line.text, line.confidence))
                break
    return tuple(out)
