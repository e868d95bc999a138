"""Every routing threshold, in one place.

Each field is one rule's threshold; :mod:`headroom_core.router.fusion` applies them and names the
field in the decision's reason. Change a value and the behaviour changes; nothing else hides a
threshold. Tests pin each rule (``tests/core/test_fusion.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_POLICY", "POLICY_VERSION", "RoutingPolicy"]

#: Bumped whenever a default below changes the output for some image: part of the cache key, so
#: images already sent keep their bytes while new ones follow the new policy.
POLICY_VERSION = "2026.11.27.3"


@dataclass(frozen=True)
class RoutingPolicy:
    """Thresholds of the fusion rules (all 0..1 unless a unit is given)."""

    #: Rule 1: below this query confidence the decision falls back to PRESERVE.
    min_query_confidence: float = 0.45
    #: Rule 1b: PRESERVE also when its probability is within this of the top class's (a near tie
    #: between a technique that drops pixels and keeping them; "What does this chart show?" at
    #: transcode 0.48 / preserve 0.41).
    preserve_tie_margin: float = 0.1
    #: Rule 2 (TRANSCODE): the image must look like it has text ...
    transcode_min_has_text: float = 0.5
    #: ... and be text-dominated: a document, or text covering at least this fraction of the image.
    transcode_min_is_document: float = 0.5
    transcode_min_text_area: float = 0.08
    #: Rule 2d: the line a question names by its own text replaces the page's text only when the
    #: locator found it this surely (an unambiguous, near-exact match of the quoted text).
    named_line_min_confidence: float = 0.9
    #: Rule 2e: when TRANSCODE is refused and no region is located, the low view is sent (if rule 3
    #: allows it) when the classifier gave FULL_LOW at least this probability.
    gist_fallback_min_probability: float = 0.35
    #: Rule 2f: the same reading is the fallback of a TRANSCODE whose OCR then reads badly, on an
    #: image below this ``is_document`` only (a dialog or a form with labels: its gist is how it
    #: looks). A page of text is its text: OCR that cannot read it at full size says nothing good of
    #: the low view (tried without this bound: 8 of 41 such pydoc pages lost their heading).
    gist_fallback_max_is_document: float = 0.9
    #: Rule 2g: a title question on a text page goes as the low view when the page's text (its
    #: estimate from the line boxes, 0.8-1.4x the real count) costs at least this many times more.
    title_low_view_text_margin: float = 1.5
    #: ... and when the title's text stays at least this tall in it: the title is the answer here,
    #: not a gist's headline, so it keeps a margin above ``min_legible_text_px`` (11.9 px of ink
    #: lost a pydoc heading in the end-to-end evaluation's OCR check; 13.7 px and more kept it).
    title_min_low_view_px: float = 13.0
    #: ... and its crop is sent instead (where cheaper) only when the located title holds the
    #: page's headline: its tallest measured line at least this fraction of the tallest text-shaped
    #: line on the page (a breadcrumb 15 px tall over a 24 px heading was taken for the title).
    title_crop_min_headline_fraction: float = 0.9
    #: Rule 3c: a text-dominated image's headline stands for its gist beside the low view only when
    #: it is a title, set at least this many times its body text (the median line): a section
    #: heading (1.1-1.4x on the evaluation's Debian manuals) names one part of the page, not the page.
    headline_min_body_ratio: float = 1.5
    #: Rule 2b (TRANSCODE, after OCR): refuse when more than this share of the text area reads with
    #: a line confidence below ``ocr_min_line_confidence`` (a line's confidence is its weakest word's).
    #: Measured on 57 Debian doc pages plus blurred/low-resolution copies: pages read well (word F1
    #: >= 0.85) had a share <= 0.31, pages read badly (F1 < 0.6) >= 0.49.
    ocr_max_low_confidence_area: float = 0.4
    ocr_min_line_confidence: float = 0.6
    #: Rule 2c: refuse when OCR finds text on less than this fraction of the image (a photo with a sign).
    ocr_min_text_area: float = 0.02
    #: Rule 3 (FULL_LOW): refuse when the image's headline (its tallest text line) would be smaller
    #: than this many pixels at the low size (rule 4b: the region's text). The analyzer measures a
    #: line's ink height, about 1 px under an OCR line box (measured on the evaluation's charts), so
    #: 11 px of ink is the 12 px line box (an x-height of about 6 px) at which the end-to-end
    #: evaluation counts downscaled text as readable (OCR engines read smaller text than vision
    #: models do) ...
    min_legible_text_px: float = 11.0
    #: ... counted only where the image has text (has_text at least this).
    legibility_has_text: float = 0.5
    #: ... and not where the text is incidental to a gist question: at most this many text lines,
    #: covering less than this fraction of an image that is not text-dominated (a name tag, a shop
    #: sign far off in a photo: not what "what is shown in this photo?" needs).
    incidental_text_max_lines: int = 2
    incidental_text_max_area: float = 0.01
    #: Rule 3: an image with text, not text-dominated, whose background is at least this uniform is
    #: a graphic (a chart, a diagram): its gist's headline is its located title, which must stay
    #: ``min_legible_text_px`` tall in the low view, and its few lines are not incidental text.
    #: The evaluation's photos measure 0.04-0.24 (a photo's background varies), its charts 0.32-0.99.
    graphic_min_background_uniformity: float = 0.3
    #: Rule 3, where no text height was measured: refuse FULL_LOW on a text-dominated image when fine
    #: detail is likely.
    full_low_max_small_details: float = 0.85
    #: Rule 4 (CROP): the located region must have at least this confidence.
    crop_min_region_confidence: float = 0.5
    #: Rule 4c: a region the page's text keeps in its reading order is sent as that text when the
    #: crop would cost at least this many times the text's estimate (0.8-1.4x the real count) ...
    region_text_margin: float = 1.5
    #: ... on a document only (is_document at least this, as rule 2's ``transcode_min_is_document``:
    #: not a screenshot whose text merely covers enough of it); the crop stays the fallback when OCR
    #: then reads the page badly.
    region_text_min_is_document: float = 0.5


DEFAULT_POLICY = RoutingPolicy()
