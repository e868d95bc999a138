"""Fusion: the query classifier's prediction + the image's signals -> one technique.

The rules, in order (thresholds in :class:`~headroom_core.router.policy.RoutingPolicy`):

1. Query confidence below ``min_query_confidence`` -> PRESERVE. 1b. So is a near tie with PRESERVE:
   when the classifier's PRESERVE probability is within ``preserve_tie_margin`` of its top class's,
   it cannot tell a question that needs the pixels from one that does not, and keeping the image
   is the choice that cannot lose the answer.
2. TRANSCODE needs text present (``has_text``) and text-dominated (``is_document`` or
   ``text_area_fraction``); else CROP when a region is located, else PRESERVE. (OCR quality is
   checked again by the TRANSCODE applier after reading: rule 2b/2c.) 2d. First, when the question
   names its target by the target's own text (``query_names_text``: "what does the line beginning
   with 'warning (' say?", "the option labelled 'Check style'") and the locator finds that text in
   the image surely (``named_line_min_confidence``: not one of several similar lines), the line
   (or the label and its value) is all the question needs: it is cropped (or
   sent as the low view, rule 4b) instead of sending the whole page's text. 2e. When rule 2
   refuses TRANSCODE and locates no region, the classifier's reading of the question as a gist
   (its FULL_LOW probability at least ``gist_fallback_min_probability``: "What is shown in this
   screenshot?" sits between the two) sends the low view when rule 3 allows it, else PRESERVE.
   2f. The same reading is the ``fallback`` of a TRANSCODE that its applier then refuses because
   OCR reads the text badly (rule 2b), on an image that is not a page of text (``is_document``
   below ``gist_fallback_max_is_document``: a dialog, a form): its gist is how it looks. A page's
   gist is its text, and text OCR cannot read at full size is no safer in the low view (tried
   without that bound: 8 of 41 such answers lost in the end-to-end evaluation).
   2g. When the question asks for the image's title alone ("What does the main heading say?",
   ``query_asks_title``) on a text-dominated image, and the locator finds the title, the low view
   is sent when that title's text stays ``title_min_low_view_px`` tall in it and the low view costs
   at most ``1 / title_low_view_text_margin`` of the page's text (estimated from the analyzer's
   line boxes): the whole page's text is not needed to read one heading. The same holds when the
   question asks what the page is about and nothing more (``query_asks_topic``: "What is this page
   about?", not "summarise it"): its title, found whatever the question (``locate_title``), says
   that. For the title alone, where the low view would not keep it legible (or costs more), the
   title's crop is sent when it too costs at most ``1 / title_low_view_text_margin`` of the page's
   text (priced as the applier plans it): a wide screenshot's heading instead of its whole text
   (not for the topic: a gist is of the whole image). Otherwise TRANSCODE.
   2h. When rule 2d found the named text, but not surely (a fuzzy match, one of several similar
   lines: at least ``crop_min_region_confidence``, under ``named_line_min_confidence``), and rule 2
   then sends the image's text, the crop of what it found is that TRANSCODE's ``fallback``, ahead
   of rule 2f's gist: if the applier's OCR then reads the image badly (a dialog whose option
   "labelled 'Hard edge'" OCR read as "Herd edge"), the region the question names is what rule 2
   would have cropped had it refused before reading, rather than the whole image kept.
3. FULL_LOW, on an image with text (``legibility_has_text``) that is more than incidental to it
   (``incidental_text_max_lines`` lines on ``incidental_text_max_area`` of a photo are not its
   gist), is refused when the image's headline
   (its tallest text line: a title, a heading, a sign) would fall below ``min_legible_text_px`` at
   the size the provider will look at: the gist of a text image is at least its headline, and its
   body text is not needed for a gist. A graphic (``graphic_min_background_uniformity``: text on a
   uniform background, not text-dominated; or any image the question calls a chart, a graph, a
   plot or a diagram, ``query_names_graphic``) is judged by its located title instead, which must
   stay ``min_legible_text_px`` tall (a rotated axis label is taller than the title, and a chart's
   one detected line is its title, not incidental text). Where no text height was measured, it is
   refused on a text-dominated image (as in rule 2) when small detail is likely
   (``has_small_details``). 3b. A text-dominated image that is not a graphic is then sent as its
   text (its gist is its text; the applier still refuses text dearer than the image), anything
   else is kept (PRESERVE: a chart's gist is in its pixels). Small detail alone does not
   refuse FULL_LOW on a photo or a chart: it does not carry a scene's gist. 3c. Before that, where
   the low view would lose the title (or headline), the low view goes with that line beside it at
   up to full resolution, on one canvas no larger than the view's own
   (:func:`~headroom_core.techniques.full_low.plan_low_inset`: gpt-4o's 85-token ``low`` view of a
   chart with its 14 px title at 14 px): when the line stays ``title_min_low_view_px`` tall there
   (or is at full resolution). A graphic's line is its located title; another image's is its
   headline, only when that is a title (``headline_min_body_ratio`` times the body text, no other
   line as tall): the located title where that holds it, or on an image that is no document (a
   dialog, ``is_document`` under ``transcode_min_is_document``) its tallest line. The same view
   serves rule 2e/2f's gist reading (with the headline even on a graphic) and rule 2g (the topic,
   and the title alone where it costs less than the title's crop), when it costs at most
   ``1 / title_low_view_text_margin`` of the page's text.
4. CROP needs a located region with ``crop_min_region_confidence``; else PRESERVE. 4b. When the
   text the analyzer measured inside that region stays at least ``min_legible_text_px`` tall in the
   low view, and the low view costs fewer tokens than the crop would, the low view is sent instead
   (FULL_LOW): the answer stays readable and the image costs less (a chart's axis label on OpenAI).
   The same holds for the region rule 2 falls back to. 4c. Else, on a document
   (``region_text_min_is_document``), when the region is one the page's text keeps in its reading
   order (``LocatedRegion.in_reading_order``: a line named by its own words, a title, header,
   footer or nth or last line, the top-left corner where the text begins; not another corner, a
   column or a label's value, whose place the text may lose) and the crop would cost at least
   ``region_text_margin`` times the page's text (estimated from the analyzer's line boxes: a wide
   heading strip is several Gemini tiles), the page's text is sent (TRANSCODE), with the crop as
   the fallback if OCR then reads badly. The same holds for rule 2d's named line.
5. PRESERVE stays PRESERVE.

``RouteDecision.reason`` names, in one sentence, the signal that decided.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache
from types import MappingProxyType
from typing import TypeGuard

from ..types import Box, ImageSignals, RouteDecision, Technique
from ._base import LocatedRegion
from .policy import DEFAULT_POLICY, RoutingPolicy

__all__ = ["fuse", "query_names_graphic"]


def _found_by_text(region: LocatedRegion | None, min_confidence: float) -> TypeGuard[LocatedRegion]:
    """The locator found the question's named text by its words (not by a place) this surely."""
    return region is not None and region.by_text and region.confidence >= min_confidence


def _headline_height(signals: ImageSignals) -> float | None:
    """The height of the image's headline text in pixels (an analyzer without one: its median)."""
    ev = signals.evidence
    for key in ("headline_text_height_px", "median_text_height_px", "min_text_height_px"):
        value = ev.get(key)
        if isinstance(value, int | float) and value > 0:
            return float(value)
    return None


def _not_text_dominated(signals: ImageSignals, policy: RoutingPolicy) -> str | None:
    """Why the image is not text-dominated enough to be sent as its text, or ``None`` if it is."""
    text_area = float(signals.evidence.get("text_area_fraction", 0.0) or 0.0)
    if signals.has_text < policy.transcode_min_has_text:
        return f"has_text {signals.has_text:.2f} < transcode_min_has_text {policy.transcode_min_has_text}"
    if signals.is_document < policy.transcode_min_is_document and text_area < policy.transcode_min_text_area:
        return (
            f"text is not dominant (is_document {signals.is_document:.2f}, text area {text_area:.1%} "
            f"< transcode_min_text_area {policy.transcode_min_text_area:.0%})"
        )
    return None


#: Rule 2g's estimate of a page's text cost from the analyzer's line boxes: a character is about
#: half a line's height wide, a token about four characters, plus the fence around the text (on
#: the evaluation's documents and screenshots 0.8-1.4x gpt-4o's count, median 1.16).
_CHAR_WIDTH_PER_LINE_HEIGHT = 0.5
_CHARS_PER_TOKEN = 4.0
_FENCE_TOKENS = 20


def _text_tokens_estimate(signals: ImageSignals) -> float | None:
    """Roughly how many tokens the image's text would cost as TRANSCODE, or ``None``."""
    chars = sum(
        tl.box.width / (_CHAR_WIDTH_PER_LINE_HEIGHT * tl.box.height)
        for tl in signals.text_lines
        if tl.box.height > 0
    )
    return chars / _CHARS_PER_TOKEN + _FENCE_TOKENS if chars > 0 else None


def _heights_inside(region: LocatedRegion, signals: ImageSignals) -> list[int]:
    """The heights of the text lines the analyzer measured with their centre in the region."""
    return [tl.box.height for tl in signals.text_lines if region.box.contains_centre(tl.box)]


def _smallest_text_inside(region: LocatedRegion, signals: ImageSignals) -> int | None:
    """The height of the smallest text line the analyzer measured with its centre in the region
    (rules 2g, 3 and 4b judge a region's legibility by it), or ``None`` when it measured none."""
    return min(_heights_inside(region, signals), default=None)


_GRAPHIC_WORDS = re.compile(
    r"\b(?:chart|graph|plot|diagram|histogram|heat ?map|visuali[sz]ation|infographic)s?\b", re.IGNORECASE
)


def query_names_graphic(query: str) -> bool:
    """Whether the question calls its image a chart, a graph, a plot or a diagram (rule 3): then
    the image is a graphic whatever its share of text, and its gist is in its pixels."""
    return bool(_GRAPHIC_WORDS.search(query))


def _is_graphic(signals: ImageSignals, policy: RoutingPolicy, named: bool = False) -> bool:
    """Rule 3: a chart or a diagram: text on a uniform background, not text-dominated (a photo's
    background is not uniform), or an image the question calls one (``named``). Its text labels
    it, and its gist's headline is its title."""
    if signals.has_text < policy.legibility_has_text:
        return False
    if named:
        return True
    uniformity = signals.evidence.get("background_uniformity")
    return (
        isinstance(uniformity, int | float)
        and uniformity >= policy.graphic_min_background_uniformity
        and _not_text_dominated(signals, policy) is not None
    )


def _graphic_title_in_low_view(
    signals: ImageSignals,
    low_view_scale: float | None,
    title: Callable[[], LocatedRegion | None] | None,
    policy: RoutingPolicy,
    named: bool = False,
) -> tuple[LocatedRegion, float] | None:
    """Rule 3: a graphic's located title and how tall its text would be in the low view, or
    ``None`` (not a graphic, no title found)."""
    if title is None or low_view_scale is None or not _is_graphic(signals, policy, named):
        return None
    found = title()
    if found is None or found.confidence < policy.crop_min_region_confidence:
        return None
    smallest = _smallest_text_inside(found, signals)
    return None if smallest is None else (found, smallest * low_view_scale)


def _low_view_refusal(
    signals: ImageSignals | None,
    low_view_scale: float | None,
    policy: RoutingPolicy,
    title: Callable[[], LocatedRegion | None] | None = None,
    named: bool = False,
) -> str | None:
    """Rule 3: why the low view would lose a text image's headline (or its detail), or ``None``.
    A graphic's headline is its title (``title`` locates it), not its tallest text: a rotated axis
    label is tall, and a chart's one detected line may be the title itself."""
    if signals is None or signals.has_text < policy.legibility_has_text:
        return None
    graphic = _graphic_title_in_low_view(signals, low_view_scale, title, policy, named)
    if graphic is not None:
        found, px = graphic
        if px < policy.min_legible_text_px:
            return (
                f"its title ({found.evidence}) would be {px:.1f} px at the low size (< min_legible_text_px "
                f"{policy.min_legible_text_px:g})"
            )
        return None
    height = _headline_height(signals)
    if height is not None and low_view_scale is not None:
        if height * low_view_scale < policy.min_legible_text_px:
            return (
                f"its headline text, {height:.0f} px tall, would be {height * low_view_scale:.1f} px "
                f"at the low size (< min_legible_text_px {policy.min_legible_text_px})"
            )
        return None
    if (
        _not_text_dominated(signals, policy) is None
        and signals.has_small_details >= policy.full_low_max_small_details
    ):
        return (
            f"no text height measured and has_small_details {signals.has_small_details:.2f} >= "
            f"full_low_max_small_details {policy.full_low_max_small_details}"
        )
    return None


def _incidental_text(signals: ImageSignals | None, policy: RoutingPolicy, named: bool = False) -> str | None:
    """Rule 3: how the image's text is incidental to a gist question (a line or two on a sliver of
    an image that is not text-dominated), or ``None``."""
    if signals is None or signals.has_text < policy.legibility_has_text:
        return None  # no text to keep legible: rule 3 does not apply (its own reason says so)
    if _not_text_dominated(signals, policy) is None or _is_graphic(signals, policy, named):
        return None  # a page's text is its gist; a chart's few lines are its title and labels
    lines = signals.evidence.get("text_line_count")
    area = float(signals.evidence.get("text_area_fraction", 0.0) or 0.0)
    if not isinstance(lines, int) or lines > policy.incidental_text_max_lines:
        return None
    if area >= policy.incidental_text_max_area:
        return None
    return f"its text is incidental: {lines} line(s) on {area:.1%} of it"


def _region_legible_in_low_view(
    region: LocatedRegion,
    signals: ImageSignals | None,
    low_view_scale: float | None,
    low_view_tokens: int | None,
    crop_tokens: Callable[[Box], int] | None,
    policy: RoutingPolicy,
) -> str | None:
    """Rule 4b: why the low view keeps the region's text legible for fewer tokens than its crop, or
    ``None``. Only text the analyzer measured inside the region counts (a region with no measured
    text, such as a person singled out in a photo, is always cropped)."""
    if signals is None or low_view_scale is None or low_view_tokens is None or crop_tokens is None:
        return None
    smallest = _smallest_text_inside(region, signals)
    if smallest is None:
        return None
    crop_cost = crop_tokens(region.box)
    if smallest * low_view_scale < policy.min_legible_text_px or low_view_tokens >= crop_cost:
        return None
    return (
        f"its text, {smallest} px tall, stays {smallest * low_view_scale:.1f} px in the low view "
        f"(>= min_legible_text_px {policy.min_legible_text_px}) for {low_view_tokens} tokens, fewer "
        f"than the crop's {crop_cost}"
    )


def _text_cheaper_than_crop(
    region: LocatedRegion,
    signals: ImageSignals | None,
    crop_tokens: Callable[[Box], int] | None,
    policy: RoutingPolicy,
) -> str | None:
    """Rule 4c: why the page's text is clearly cheaper than the region's crop and still says which
    text the question is about, or ``None``."""
    if signals is None or crop_tokens is None or not region.in_reading_order:
        return None
    if signals.is_document < policy.region_text_min_is_document or _not_text_dominated(signals, policy):
        return None
    text_cost = _text_tokens_estimate(signals)
    if text_cost is None:
        return None
    crop_cost = crop_tokens(region.box)
    if crop_cost < policy.region_text_margin * text_cost:
        return None
    return (
        f"the page's text (is_document {signals.is_document:.2f}) costs about {text_cost:.0f} tokens, "
        f"the crop at least {crop_cost}, and the text keeps the region in its reading order"
    )


def _title_in_low_view(
    title: LocatedRegion | None,
    signals: ImageSignals,
    low_view_scale: float | None,
    low_view_tokens: int | None,
    policy: RoutingPolicy,
) -> str | None:
    """Rule 2g: why the low view reads the located title for clearly fewer tokens than the page's
    text, or ``None``."""
    if title is None or title.confidence < policy.crop_min_region_confidence:
        return None
    if low_view_scale is None or low_view_tokens is None:
        return None
    height = _smallest_text_inside(title, signals)
    if height is None:
        return None
    smallest = height * low_view_scale
    if smallest < policy.title_min_low_view_px:
        return None
    text_cost = _text_tokens_estimate(signals)
    if text_cost is None or low_view_tokens * policy.title_low_view_text_margin > text_cost:
        return None
    return (
        f"{title.evidence} stays {smallest:.1f} px in the low view (>= title_min_low_view_px "
        f"{policy.title_min_low_view_px:g}) for {low_view_tokens} tokens, against about {text_cost:.0f} "
        "for the page's text"
    )


def _title_crop_cheaper(
    title: LocatedRegion | None,
    signals: ImageSignals,
    crop_plan_tokens: Callable[[Box], int] | None,
    policy: RoutingPolicy,
) -> tuple[int, str] | None:
    """Rule 2g (crop): the title's crop cost and why it reads the title for clearly fewer tokens
    than the page's text, or ``None``."""
    if title is None or title.confidence < policy.crop_min_region_confidence or crop_plan_tokens is None:
        return None
    # A crop keeps nothing else: the located title must hold the page's headline (a breadcrumb
    # taken for the title would crop away the heading the question asks for).
    headline = signals.evidence.get("headline_text_height_px")
    tallest = max(_heights_inside(title, signals), default=0)
    if not isinstance(headline, int | float) or tallest < policy.title_crop_min_headline_fraction * headline:
        return None
    text_cost = _text_tokens_estimate(signals)
    if text_cost is None:
        return None
    crop_cost = crop_plan_tokens(title.box)
    if crop_cost * policy.title_low_view_text_margin > text_cost:
        return None
    return crop_cost, (
        f"its crop costs {crop_cost} tokens, against about {text_cost:.0f} for the page's text"
    )


def _headline_line(signals: ImageSignals) -> LocatedRegion | None:
    """The text line the analyzer measured as the image's headline (``headline_text_height_px``:
    its tallest text-shaped line), the topmost of equals; ``None`` without one."""
    tallest = signals.evidence.get("headline_text_height_px")
    if not isinstance(tallest, int | float):
        return None
    lines = [
        tl.box
        for tl in signals.text_lines
        if tl.box.height >= tallest - 0.5 and tl.box.width >= 2 * tl.box.height
    ]
    if not lines:
        return None
    box = min(lines, key=lambda b: (b.top, b.left))
    return LocatedRegion(box, 1.0, "its headline (the tallest text line)")


def _title_inset(
    title: LocatedRegion | None,
    signals: ImageSignals | None,
    low_view_inset: Callable[[Box], tuple[int, float] | None] | None,
    policy: RoutingPolicy,
    *,
    headline: bool,
) -> tuple[LocatedRegion, int, float] | None:
    """Rule 3c: the line kept beside the low view, the tokens of both, and how tall the line's text
    is there; or ``None`` where it would not stay legible (under ``title_min_low_view_px`` unless
    at full resolution) or does not fit. A graphic's line is its located title. Any other text
    image's (``headline``) is its headline, when that is a title (``headline_min_body_ratio``
    times its body text) and no other line is as tall (one of a reference page's section headings
    is not its title): the located title where that holds it, else, on an image that is no
    document (``is_document`` under ``transcode_min_is_document``), the tallest line."""
    if signals is None or low_view_inset is None:
        return None
    if title is not None and title.confidence < policy.crop_min_region_confidence:
        title = None
    if headline:
        tallest = signals.evidence.get("headline_text_height_px")
        body = signals.evidence.get("median_text_height_px")
        if not isinstance(tallest, int | float) or not isinstance(body, int | float):
            return None
        if tallest < policy.headline_min_body_ratio * body:
            return None  # no title: a page's gist is then its text, and a form's its look
        holds = (
            title is not None
            and max(_heights_inside(title, signals), default=0)
            >= policy.title_crop_min_headline_fraction * tallest
        )
        if not holds:
            # A page's tallest "line" may be a table row or merged lines: only its located title
            # stands for it; the tallest line of an image that is no document (a dialog, a
            # desktop) is its heading.
            page = signals.is_document >= policy.transcode_min_is_document
            title = None if page else _headline_line(signals)
    if title is None:
        return None
    heights = _heights_inside(title, signals)
    if not heights:
        return None
    as_tall = 0.9 * max(heights)
    elsewhere = any(
        tl.box.height >= as_tall and not title.box.contains_centre(tl.box) for tl in signals.text_lines
    )
    if headline and elsewhere:
        return None  # one of several headings (a reference page's sections): not the image's title
    planned = low_view_inset(title.box)
    if planned is None:
        return None
    tokens, scale = planned
    px = min(heights) * scale
    if px < policy.title_min_low_view_px and scale < 1.0:
        return None
    return title, tokens, px


def fuse(
    *,
    query_prediction: Technique,
    query_confidence: float,
    signals: ImageSignals | None,
    low_view_scale: float | None,
    locate: Callable[[], LocatedRegion | None],
    router: str,
    query_probabilities: Mapping[str, float] | None = None,
    policy: RoutingPolicy = DEFAULT_POLICY,
    low_view_tokens: int | None = None,
    crop_tokens: Callable[[Box], int] | None = None,
    crop_plan_tokens: Callable[[Box], int] | None = None,
    query_names_text: bool = False,
    query_asks_title: bool = False,
    query_asks_topic: bool = False,
    locate_title: Callable[[], LocatedRegion | None] | None = None,
    query_names_graphic: bool = False,
    low_view_inset: Callable[[Box], tuple[int, float] | None] | None = None,
) -> RouteDecision:
    """Apply the fusion rules; ``locate`` is called only when a region is needed, at most once.

    ``low_view_tokens`` (what FULL_LOW would cost) and ``crop_tokens`` (what the box costs at its
    own size: a lower bound of its crop) enable rule 4b, so the low view, which risks legibility,
    must beat even the cheapest crop. ``crop_plan_tokens`` (what the applier's crop of a box costs:
    :func:`~headroom_core.techniques.crop.plan_image_crop`; default ``crop_tokens``) enables rule
    4c, where the text must beat the crop actually sent. Without them a region is always cropped.
    ``low_view_tokens`` also enables rule 2g.
    ``query_names_text`` (the locator's :meth:`~._base.RegionLocator.names_text`) enables rule 2d,
    ``query_asks_title`` (:meth:`~._base.RegionLocator.asks_title`) and ``query_asks_topic``
    (:meth:`~._base.RegionLocator.asks_topic`, with ``locate_title``) rule 2g. ``locate_title``
    (:meth:`~._base.RegionLocator.locate_title`, called at most once) lets rule 3 judge a graphic's
    low view by its title; ``query_names_graphic`` (:func:`query_names_graphic`) makes the image a
    graphic for rule 3 whatever its share of text. ``low_view_inset`` (the tokens of the low view
    with a box beside it, and the box's scale there:
    :func:`~headroom_core.techniques.full_low.plan_low_inset`; ``None`` where it does not fit or
    costs as much as the image) enables rule 3c.
    """
    probs = MappingProxyType(dict(query_probabilities or {}))
    # each locator call at most once per decision
    region_once = cache(locate)
    find_title = cache(locate_title if locate_title is not None else lambda: None)

    def kept() -> str:
        """Why the low view keeps what a gist needs (rule 3 has not refused it)."""
        if signals is None:
            return ""
        if signals.has_text < policy.legibility_has_text:
            return f" (no text to keep legible, has_text {signals.has_text:.2f})"
        graphic = _graphic_title_in_low_view(signals, low_view_scale, find_title, policy, query_names_graphic)
        if graphic is not None:
            found, px = graphic
            return f" (its title, {found.evidence}, stays {px:.1f} px, has_text {signals.has_text:.2f})"
        if _headline_height(signals) is None or low_view_scale is None:
            return f" (no text height measured, has_text {signals.has_text:.2f})"
        return f" (its headline stays legible, has_text {signals.has_text:.2f})"

    def decision(
        technique: Technique,
        reason: str,
        region: LocatedRegion | None = None,
        confidence_of: LocatedRegion | None = None,
        fallback: Technique = Technique.PRESERVE,
        beside: LocatedRegion | None = None,
    ) -> RouteDecision:
        if technique is query_prediction:
            confidence = query_confidence
        else:  # a fallback: the classifier's own probability of it, when it has one
            confidence = probs.get(technique.value, 1.0 - query_confidence)
        if confidence_of is not None:  # rule 4b: as sure as the region it keeps legible
            confidence = confidence_of.confidence
        if region is not None:
            confidence = (
                min(confidence, region.confidence) if technique is query_prediction else region.confidence
            )
        return RouteDecision(
            technique=technique,
            confidence=round(max(0.0, min(1.0, confidence)), 4),
            reason=reason,
            image_signals=signals,
            query_prediction=query_prediction,
            query_confidence=query_confidence,
            region=region.box if region else (beside.box if beside else None),
            router=router,
            query_probabilities=probs,
            fallback=fallback,
        )

    def crop_or_low_view(region: LocatedRegion, lead: str) -> RouteDecision:
        # Rule 4b: the whole low view, when it keeps the region's text legible for fewer tokens.
        cheaper = _region_legible_in_low_view(
            region, signals, low_view_scale, low_view_tokens, crop_tokens, policy
        )
        if cheaper is not None:
            return decision(
                Technique.FULL_LOW,
                f"{lead} {region.evidence}, but the low view is cheaper: {cheaper}",
                confidence_of=region,
            )
        # Rule 4c: the page's text, when it is clearly cheaper and keeps the region's place.
        as_text = _text_cheaper_than_crop(region, signals, crop_plan_tokens or crop_tokens, policy)
        if as_text is not None:
            return decision(
                Technique.TRANSCODE,
                f"{lead} {region.evidence}, but {as_text}; if OCR reads it badly, the crop",
                region,
                fallback=Technique.CROP,
            )
        return decision(Technique.CROP, f"{lead} {region.evidence}", region)

    q = query_prediction.value
    # Rule 1: confidence floor.
    if query_confidence < policy.min_query_confidence:
        return decision(
            Technique.PRESERVE,
            f"query classifier unsure ({q} at {query_confidence:.2f} < min_query_confidence "
            f"{policy.min_query_confidence}), so the image is kept",
        )

    # Rule 1b: a near tie with PRESERVE keeps the image.
    keep = probs.get(Technique.PRESERVE.value)
    if (
        query_prediction is not Technique.PRESERVE
        and keep is not None
        and query_confidence - keep < policy.preserve_tie_margin
    ):
        return decision(
            Technique.PRESERVE,
            f"query classifier torn between {q} ({query_confidence:.2f}) and preserve ({keep:.2f}), "
            f"closer than preserve_tie_margin {policy.preserve_tie_margin}, so the image is kept",
        )

    if query_prediction is Technique.TRANSCODE:
        # Rule 2d: the question names one line (or a label's value) by its own text.
        named: LocatedRegion | None = None
        if query_names_text:
            named = region_once()
            if _found_by_text(named, policy.named_line_min_confidence):
                return crop_or_low_view(named, "the question names one line by its own text, found at")
        # Rule 2: text must be present and dominate the image.
        if signals is None:
            return decision(
                Technique.PRESERVE, "TRANSCODE refused: no image signals to confirm text is present"
            )
        why = _not_text_dominated(signals, policy)
        # Rule 2g: one heading of a text-dominated page, or what the page is about (its title says
        # it), legible in the low view.
        if (query_asks_title or query_asks_topic) and why is None:
            title = region_once() if query_asks_title else find_title()
            asked = "the title only" if query_asks_title else "what the page is about"
            legible = _title_in_low_view(title, signals, low_view_scale, low_view_tokens, policy)
            # the title alone is cropped; a topic is a gist, which needs the whole image
            cropped = (
                _title_crop_cheaper(title, signals, crop_plan_tokens or crop_tokens, policy)
                if query_asks_title
                else None
            )
            if legible is not None and (cropped is None or (low_view_tokens or 0) <= cropped[0]):
                return decision(
                    Technique.FULL_LOW,
                    f"the question asks for {asked}, and {legible}",
                    confidence_of=title,
                )
            # Rule 3c: else the low view with the title beside it, clearly cheaper than the text and
            # cheaper than the title's crop alone (which shows it at full resolution).
            inset = (
                _title_inset(title, signals, low_view_inset, policy, headline=True)
                if legible is None
                else None
            )
            text_cost = _text_tokens_estimate(signals)
            if inset is not None and (
                text_cost is None or inset[1] * policy.title_low_view_text_margin > text_cost
            ):
                inset = None
            if inset is not None and cropped is not None and cropped[0] <= inset[1]:
                inset = None
            if inset is None and cropped is not None and title is not None:
                return decision(
                    Technique.CROP,
                    f"the question asks for {asked}, and {title.evidence} says it: {cropped[1]}",
                    title,
                )
            if inset is not None and text_cost is not None:
                found, tokens, px = inset
                return decision(
                    Technique.FULL_LOW,
                    f"the question asks for {asked}, and {found.evidence} says it: the low view with "
                    f"it beside at {px:.1f} px costs {tokens} tokens, against about {text_cost:.0f} for "
                    "the page's text" + (f" and {cropped[0]} for its crop" if cropped is not None else ""),
                    confidence_of=found,
                    beside=found,
                )
        # Rules 2e/2f: the classifier's next reading of the question, a gist, where rule 3 allows it.
        gist = probs.get(Technique.FULL_LOW.value, 0.0)
        gist_refused = _low_view_refusal(signals, low_view_scale, policy, find_title, query_names_graphic)
        gist_inset = (
            # the question reads as a text question first: the line beside the view must be the
            # image's headline, a title, even on a graphic (a sparse reference page looks like one)
            _title_inset(find_title(), signals, low_view_inset, policy, headline=True)
            if gist >= policy.gist_fallback_min_probability and gist_refused is not None
            else None
        )
        gist_allowed = gist >= policy.gist_fallback_min_probability and (
            gist_refused is None or gist_inset is not None
        )
        beside = gist_inset[0] if gist_inset is not None else None
        with_title = (
            f", with {gist_inset[0].evidence} beside it at {gist_inset[2]:.1f} px (rule 3c)"
            if gist_inset is not None
            else ""
        )
        if why is None:
            reason = (
                f"the question asks for the image's text and the image is text-dominated "
                f"(has_text {signals.has_text:.2f}, is_document {signals.is_document:.2f})"
            )
            # Rule 2h: the named text, found but not surely, is where to look if OCR reads badly.
            if _found_by_text(named, policy.crop_min_region_confidence):
                return decision(
                    Technique.TRANSCODE,
                    f"{reason}; if OCR reads it badly, the crop of {named.evidence} (rule 2h: the "
                    f"question names it, found below named_line_min_confidence "
                    f"{policy.named_line_min_confidence})",
                    named,
                    fallback=Technique.CROP,
                )
            if gist_allowed and signals.is_document < policy.gist_fallback_max_is_document:
                return decision(
                    Technique.TRANSCODE,
                    f"{reason}; if OCR reads it badly, the low version (rule 2f: full_low {gist:.2f}, "
                    f"not a page of text){with_title}",
                    fallback=Technique.FULL_LOW,
                    beside=beside,
                )
            return decision(Technique.TRANSCODE, reason)
        region = region_once()
        if region is not None and region.confidence >= policy.crop_min_region_confidence:
            return crop_or_low_view(region, f"TRANSCODE refused ({why}); cropping to")
        if gist_allowed:
            return decision(
                Technique.FULL_LOW,
                f"TRANSCODE refused ({why}) and no text region located; the question may ask for the "
                f"gist (full_low {gist:.2f} >= gist_fallback_min_probability "
                f"{policy.gist_fallback_min_probability}) and the low version keeps it"
                + (with_title or kept()),
                beside=beside,
            )
        return decision(Technique.PRESERVE, f"TRANSCODE refused ({why}) and no text region located")

    if query_prediction is Technique.FULL_LOW:
        # Rule 3: legibility and detail at the low size, where the image has text not incidental.
        incidental = _incidental_text(signals, policy, query_names_graphic)
        if incidental is not None:
            return decision(
                Technique.FULL_LOW,
                f"a gist/scene question: the low version keeps what it needs ({incidental})",
            )
        refused = _low_view_refusal(signals, low_view_scale, policy, find_title, query_names_graphic)
        if refused is not None:
            graphic = signals is not None and _is_graphic(signals, policy, query_names_graphic)
            # Rule 3c: the low view with the title beside it, where that keeps the title legible.
            inset = _title_inset(find_title(), signals, low_view_inset, policy, headline=not graphic)
            if inset is not None:
                found, tokens, px = inset
                return decision(
                    Technique.FULL_LOW,
                    f"a gist/scene question: the low view alone would not do ({refused}), so "
                    f"{found.evidence} goes beside it at {px:.1f} px ({tokens} tokens)",
                    beside=found,
                )
            # Rule 3b: a text-dominated image's gist is its text; a graphic's is in its pixels.
            if signals is not None and not graphic and _not_text_dominated(signals, policy) is None:
                return decision(
                    Technique.TRANSCODE,
                    f"FULL_LOW refused ({refused}); the image is text-dominated, so its text "
                    "carries the gist",
                )
            return decision(Technique.PRESERVE, f"FULL_LOW refused: {refused}")
        return decision(
            Technique.FULL_LOW, "a gist/scene question: the low version keeps what it needs" + kept()
        )

    if query_prediction is Technique.CROP:
        # Rule 4: a located region.
        region = region_once()
        if region is None or region.confidence < policy.crop_min_region_confidence:
            why = (
                "no region located"
                if region is None
                else (
                    f"region confidence {region.confidence:.2f} < crop_min_region_confidence "
                    f"{policy.crop_min_region_confidence}"
                )
            )
            return decision(Technique.PRESERVE, f"CROP refused: {why}, so the whole image is kept")
        return crop_or_low_view(region, "the question is about one region:")

    return decision(Technique.PRESERVE, "the question needs fine detail, so the image is kept")
