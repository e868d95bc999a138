"""Each fusion rule, with its threshold, decides as documented in router/fusion.py."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from headroom_core import Box, ImageSignals, RouteDecision, RoutingPolicy, Technique, TextLine
from headroom_core.router import LocatedRegion, fuse

POLICY = RoutingPolicy()


def signals(
    has_text: float = 0.0,
    is_document: float = 0.0,
    is_complex: float = 0.5,
    has_small_details: float = 0.2,
    **evidence: Any,
) -> ImageSignals:
    return ImageSignals(
        has_text, is_document, is_complex, has_small_details, analyzer="test", evidence=evidence
    )


def run(
    pred: Technique,
    conf: float,
    sig: ImageSignals | None,
    *,
    scale: float | None = 1.0,
    region: LocatedRegion | None = None,
    policy: RoutingPolicy = POLICY,
    names_text: bool = False,
    asks_title: bool = False,
    low_tokens: int | None = None,
):
    calls: list[int] = []

    def locate() -> LocatedRegion | None:
        calls.append(1)
        return region

    d = fuse(
        query_prediction=pred,
        query_confidence=conf,
        signals=sig,
        low_view_scale=scale,
        locate=locate,
        router="test",
        policy=policy,
        query_names_text=names_text,
        query_asks_title=asks_title,
        low_view_tokens=low_tokens,
    )
    return d, len(calls)


def test_rule1_confidence_floor_preserves() -> None:
    d, _ = run(Technique.FULL_LOW, POLICY.min_query_confidence - 0.01, signals())
    assert d.technique is Technique.PRESERVE
    assert "min_query_confidence" in d.reason
    d2, _ = run(Technique.FULL_LOW, POLICY.min_query_confidence + 0.01, signals())
    assert d2.technique is Technique.FULL_LOW


def test_rule1b_near_tie_with_preserve_keeps_the_image() -> None:
    page = signals(has_text=0.95, is_document=0.9, text_area_fraction=0.3)

    def fused(probs: dict[str, float]) -> RouteDecision:
        top = max(probs, key=lambda k: probs[k])
        return fuse(
            query_prediction=Technique(top),
            query_confidence=probs[top],
            signals=page,
            low_view_scale=1.0,
            locate=lambda: None,
            router="test",
            query_probabilities=probs,
        )

    torn = fused({"transcode": 0.48, "crop": 0.0, "full_low": 0.11, "preserve": 0.41})
    assert torn.technique is Technique.PRESERVE
    assert "torn between transcode (0.48) and preserve (0.41)" in torn.reason
    assert torn.confidence == 0.41  # the classifier's own probability of keeping the image
    clear = fused({"transcode": 0.55, "crop": 0.0, "full_low": 0.1, "preserve": 0.35})
    assert clear.technique is Technique.TRANSCODE  # 0.2 apart: the classifier is not torn
    # A tie between two techniques that both drop pixels is not this rule's business.
    other = fused({"transcode": 0.48, "crop": 0.0, "full_low": 0.44, "preserve": 0.08})
    assert other.technique is Technique.TRANSCODE
    # Without probabilities (a classifier that gives none) the rule cannot apply.
    d, _ = run(Technique.TRANSCODE, 0.6, page)
    assert d.technique is Technique.TRANSCODE


def test_rule2_transcode_needs_text_and_text_dominance() -> None:
    page = signals(has_text=0.95, is_document=0.9, text_area_fraction=0.3)
    d, calls = run(Technique.TRANSCODE, 0.9, page)
    assert d.technique is Technique.TRANSCODE and calls == 0
    assert "text-dominated" in d.reason

    photo = signals(has_text=0.1, is_document=0.05)
    d, _ = run(Technique.TRANSCODE, 0.9, photo)
    assert d.technique is Technique.PRESERVE
    assert "has_text 0.10 < transcode_min_has_text" in d.reason


def test_rule2_photo_with_small_sign_goes_to_crop_when_located() -> None:
    sign = signals(has_text=0.8, is_document=0.1, text_area_fraction=0.01)
    region = LocatedRegion(Box(10, 10, 110, 40), 0.8, "the sign's text")
    d, calls = run(Technique.TRANSCODE, 0.9, sign, region=region)
    assert calls == 1
    assert d.technique is Technique.CROP and d.region == Box(10, 10, 110, 40)
    assert "TRANSCODE refused" in d.reason and "text is not dominant" in d.reason
    d2, _ = run(Technique.TRANSCODE, 0.9, sign, region=None)
    assert d2.technique is Technique.PRESERVE and "no text region located" in d2.reason


def test_rule2d_a_line_named_by_its_own_text_is_cropped_instead_of_sending_the_page_text() -> None:
    page = signals(has_text=0.95, is_document=0.9, text_area_fraction=0.3)
    line = LocatedRegion(Box(40, 300, 700, 318), 0.9, "the line 'warning (message) ...'", by_text=True)

    def decide(named: bool, region: LocatedRegion | None) -> tuple[RouteDecision, int]:
        return run(Technique.TRANSCODE, 0.9, page, scale=0.5, region=region, names_text=named)

    d, calls = decide(True, line)
    assert d.technique is Technique.CROP and d.region == line.box and calls == 1
    assert "names one line by its own text" in d.reason and d.confidence == 0.9
    # not named by its text: the page goes as its text, and the locator is not even asked
    d, calls = decide(False, line)
    assert d.technique is Technique.TRANSCODE and calls == 0
    # the locator found a place, not the text: the page's text
    by_place = LocatedRegion(line.box, 0.9, "the bottom line")
    assert decide(True, by_place)[0].technique is Technique.TRANSCODE
    # the text was not found, or only weakly: the page's text
    assert decide(True, None)[0].technique is Technique.TRANSCODE
    # one of several similar lines (the locator lowers its confidence), or a fuzzy match: the text
    weak = LocatedRegion(line.box, POLICY.named_line_min_confidence - 0.05, "3 similar matches", by_text=True)
    assert decide(True, weak)[0].technique is Technique.TRANSCODE


def test_rule2d_on_an_image_that_is_not_text_dominated_asks_the_locator_once() -> None:
    chart = signals(has_text=0.9, is_document=0.05, text_area_fraction=0.01)
    line = LocatedRegion(Box(10, 10, 210, 30), 0.8, "the legend entry", by_text=True)
    d, calls = run(Technique.TRANSCODE, 0.9, chart, region=line)  # rule 2's fallback
    assert d.technique is Technique.CROP and calls == 1
    d, calls = run(Technique.TRANSCODE, 0.9, chart, region=None, names_text=True)
    assert d.technique is Technique.PRESERVE and "no text region located" in d.reason and calls == 1


def test_rule2h_a_named_text_found_but_not_surely_is_the_crop_fallback_of_the_transcode() -> None:
    """ "What is set for the option labelled 'Hard edge'?" on a dialog whose OCR read "Herd edge":
    TRANSCODE, and the option's crop if the applier's OCR then reads the dialog badly."""
    dialog = signals(has_text=1.0, is_document=0.45, text_area_fraction=0.2, headline_text_height_px=14)
    fuzzy = LocatedRegion(Box(5, 549, 127, 635), 0.79, "'Herd edge' and the value below it", by_text=True)
    d, calls = run(Technique.TRANSCODE, 0.9, dialog, scale=0.5, region=fuzzy, names_text=True)
    assert d.technique is Technique.TRANSCODE and d.fallback is Technique.CROP and calls == 1
    assert d.region == fuzzy.box and "rule 2h" in d.reason and "Herd edge" in d.reason
    # the fallback decision crops that region, and carries no fallback on
    crop = d.with_technique(Technique.CROP, "refused", region=d.region)
    assert crop.region == fuzzy.box and crop.fallback is Technique.PRESERVE
    # below crop_min_region_confidence, found by place and not by text, or not named: no crop fallback
    weak = replace(fuzzy, confidence=POLICY.crop_min_region_confidence - 0.05)
    by_place = LocatedRegion(fuzzy.box, 0.79, "the bottom-left corner")
    for region, named in ((weak, True), (by_place, True), (fuzzy, False)):
        d, _ = run(Technique.TRANSCODE, 0.9, dialog, scale=0.5, region=region, names_text=named)
        assert d.technique is Technique.TRANSCODE and d.fallback is not Technique.CROP, (region, named)
    # found surely: rule 2d crops it at once
    sure = replace(fuzzy, confidence=POLICY.named_line_min_confidence)
    d, _ = run(Technique.TRANSCODE, 0.9, dialog, scale=0.5, region=sure, names_text=True)
    assert d.technique is Technique.CROP


def _docs_page() -> tuple[ImageSignals, LocatedRegion, Box, tuple[TextLine, ...]]:
    """A docs page: a 36 px heading over 40 body lines (about 1,170 tokens as text); its title."""
    heading = Box(260, 100, 900, 136)
    body = tuple(TextLine(Box(260, 180 + 22 * k, 1060, 194 + 22 * k)) for k in range(40))
    page = ImageSignals(
        1.0,
        1.0,
        0.1,
        0.9,
        analyzer="test",
        text_lines=(TextLine(heading), *body),
        evidence={"text_area_fraction": 0.3, "headline_text_height_px": 36},
    )
    return (
        page,
        LocatedRegion(Box(250, 95, 910, 141), 0.78, "the title (the topmost large text)"),
        heading,
        body,
    )


def test_rule2g_a_pages_title_alone_goes_as_the_low_view_when_it_stays_legible() -> None:
    """ "What does the main heading say?" of a docs page."""
    page, title, heading, body = _docs_page()

    def decide(sig: ImageSignals = page, **kw: Any) -> tuple[RouteDecision, int]:
        args: dict[str, Any] = {"scale": 0.4, "region": title, "asks_title": True, "low_tokens": 85}
        args.update(kw)
        return run(Technique.TRANSCODE, 0.9, sig, **args)

    d, calls = decide()  # 36 px -> 14.4 px; 85 tokens against ~1,170 for 40 lines of text
    assert d.technique is Technique.FULL_LOW and calls == 1 and d.confidence == 0.78
    assert "asks for the title only" in d.reason and "14.4 px" in d.reason
    # the heading would fall below the title's floor (12.6 px: legible for a gist, short of the
    # margin an answer keeps): the page's text
    assert decide(scale=0.35)[0].technique is Technique.TRANSCODE
    # the locator took a small line (a breadcrumb) for the title: not legible at the low size
    crumb = LocatedRegion(Box(20, 20, 1250, 36), 0.78, "the title (the topmost large text)")
    assert decide(region=crumb)[0].technique is Technique.TRANSCODE  # no measured text in it
    with_crumb = replace(page, text_lines=(TextLine(Box(25, 22, 1240, 36)), *body))
    assert decide(with_crumb, region=crumb)[0].technique is Technique.TRANSCODE  # 14 px -> 5.6 px
    # a page with little text: the text is about as cheap as the low view, so it goes as text
    sparse = replace(page, text_lines=(TextLine(heading), *body[:1]))
    assert decide(sparse)[0].technique is Technique.TRANSCODE
    # no title located, a weak one, the question not about the title, or no low-view cost known
    assert decide(region=None)[0].technique is Technique.TRANSCODE
    weak = LocatedRegion(title.box, POLICY.crop_min_region_confidence - 0.1, "a guess")
    assert decide(region=weak)[0].technique is Technique.TRANSCODE
    d, calls = decide(asks_title=False)
    assert d.technique is Technique.TRANSCODE and calls == 0
    assert decide(low_tokens=None)[0].technique is Technique.TRANSCODE


def test_rule2g_what_a_page_is_about_goes_as_the_low_view_when_its_title_stays_legible() -> None:
    """ "What is this page about?" of a docs page: its title, found whatever the question, says it."""
    page, title, _, _ = _docs_page()
    titles: list[int] = []

    def decide(scale: float = 0.4, found: LocatedRegion | None = title, topic: bool = True) -> RouteDecision:
        def locate_title() -> LocatedRegion | None:
            titles.append(1)
            return found

        return fuse(
            query_prediction=Technique.TRANSCODE,
            query_confidence=0.9,
            signals=page,
            low_view_scale=scale,
            locate=lambda: None,
            locate_title=locate_title,
            router="test",
            low_view_tokens=85,
            query_asks_topic=topic,
        )

    d = decide()
    assert d.technique is Technique.FULL_LOW and "what the page is about" in d.reason and titles == [1]
    assert decide(scale=0.35).technique is Technique.TRANSCODE  # 12.6 px: short of the title's floor
    assert decide(found=None).technique is Technique.TRANSCODE  # no title: the page's text
    titles.clear()
    assert decide(topic=False).technique is Technique.TRANSCODE and titles == []  # "summarise this page"


def test_rule2g_a_title_the_low_view_would_lose_is_cropped_when_the_crop_is_clearly_cheaper() -> None:
    """ "What does the main heading say?" of a wide screenshot: the heading's crop, not 40 lines."""
    page, title, heading, body = _docs_page()
    priced: list[Box] = []

    def decide(
        sig: ImageSignals = page,
        found: LocatedRegion | None = title,
        crop_cost: int | None = 100,
        scale: float = 0.3,
        asks_title: bool = True,
    ) -> RouteDecision:
        def plan(box: Box) -> int:
            priced.append(box)
            assert crop_cost is not None
            return crop_cost

        return fuse(
            query_prediction=Technique.TRANSCODE,
            query_confidence=0.9,
            signals=sig,
            low_view_scale=scale,
            low_view_tokens=85,
            locate=lambda: found,
            locate_title=lambda: found,
            router="test",
            crop_plan_tokens=None if crop_cost is None else plan,
            query_asks_title=asks_title,
            query_asks_topic=not asks_title,
        )

    # 36 px -> 10.8 px in the low view: short of the title's floor; the crop costs 100 of ~1,170
    d = decide()
    assert d.technique is Technique.CROP and d.region == title.box and priced == [title.box]
    assert "asks for the title only" in d.reason and "crop costs 100 tokens" in d.reason
    assert d.confidence == title.confidence
    # the crop not clearly cheaper than the text (1.5x margin): the page's text
    assert decide(crop_cost=800).technique is Technique.TRANSCODE
    # the low view keeps the title legible and is cheaper than the crop: the low view
    assert decide(scale=0.4).technique is Technique.FULL_LOW
    # ... but a crop cheaper than the low view wins
    assert decide(scale=0.4, crop_cost=60).technique is Technique.CROP
    # no crop pricing known, no title, or a weak one: the page's text, as before
    assert decide(crop_cost=None).technique is Technique.TRANSCODE
    assert decide(found=None).technique is Technique.TRANSCODE
    weak = LocatedRegion(title.box, POLICY.crop_min_region_confidence - 0.1, "a guess")
    assert decide(found=weak).technique is Technique.TRANSCODE
    # the locator took the breadcrumb (14 px) over the 36 px heading for the title: a crop of it
    # would lose the heading, so the page's text
    crumb_box = Box(20, 20, 1250, 36)
    crumb = LocatedRegion(crumb_box, 0.78, "the title (the topmost large text)")
    with_crumb = replace(page, text_lines=(TextLine(Box(25, 22, 1240, 36)), TextLine(heading), *body))
    assert decide(with_crumb, found=crumb).technique is Technique.TRANSCODE
    # no headline measured: nothing says the title holds it
    unmeasured = replace(page, evidence={"text_area_fraction": 0.3})
    assert decide(unmeasured, scale=0.3).technique is Technique.TRANSCODE
    # what the page is about is a gist of the whole page: never its title's crop
    assert decide(asks_title=False).technique is Technique.TRANSCODE


def transcode_or_gist(sig: ImageSignals, full_low: float, scale: float) -> RouteDecision:
    """The classifier torn between TRANSCODE and FULL_LOW, nothing located."""
    return fuse(
        query_prediction=Technique.TRANSCODE,
        query_confidence=1.0 - full_low,
        query_probabilities={"transcode": 1.0 - full_low, "full_low": full_low},
        signals=sig,
        low_view_scale=scale,
        locate=lambda: None,
        router="test",
    )


def test_rule2e_a_refused_transcode_falls_to_the_gist_when_the_classifier_reads_one() -> None:
    """ "What is shown in this screenshot?" of a dialog: transcode 0.52 / full_low 0.46; the dialog
    is not text-dominated and no region is named."""
    title = Box(300, 10, 700, 40)  # the dialog's title, 30 px tall
    dialog = ImageSignals(
        0.9,
        0.1,
        0.5,
        0.3,
        analyzer="test",
        text_lines=(TextLine(title, "", 0.9),),
        evidence={"text_area_fraction": 0.03, "headline_text_height_px": 30},
    )
    d = transcode_or_gist(dialog, 0.46, 0.5)  # the 30 px title stays 15 px in the low view
    assert d.technique is Technique.FULL_LOW and d.confidence == 0.46
    assert "gist_fallback_min_probability" in d.reason and "headline stays legible" in d.reason
    # the title would fall below the legibility floor: the image is kept
    d = transcode_or_gist(dialog, 0.46, 0.3)
    assert d.technique is Technique.PRESERVE and "no text region located" in d.reason
    # the classifier does not read a gist into it: the image is kept
    low = POLICY.gist_fallback_min_probability - 0.05
    assert transcode_or_gist(dialog, low, 0.5).technique is Technique.PRESERVE


def test_rule2f_the_gist_is_the_fallback_of_a_dialogs_transcode_not_of_a_pages() -> None:
    """A text-dominated dialog ("What is shown in this screenshot?"): TRANSCODE, and the low view if
    its OCR then reads badly; a page of text keeps PRESERVE as the fallback."""
    dialog = signals(has_text=0.99, is_document=0.45, text_area_fraction=0.09, headline_text_height_px=24)
    d = transcode_or_gist(dialog, 0.46, 0.5)  # the 24 px title stays 12 px in the low view
    assert d.technique is Technique.TRANSCODE and d.fallback is Technique.FULL_LOW
    assert "rule 2f" in d.reason and d.as_dict()["fallback"] == "full_low"
    # a page of text: its gist is its text; OCR that cannot read it keeps the image
    bound = POLICY.gist_fallback_max_is_document
    page = signals(has_text=1.0, is_document=bound, text_area_fraction=0.35, headline_text_height_px=40)
    d = transcode_or_gist(page, 0.46, 0.5)
    assert d.technique is Technique.TRANSCODE and d.fallback is Technique.PRESERVE
    # no gist read into the question, or a title rule 3 would shrink below legibility: no fallback
    low = POLICY.gist_fallback_min_probability - 0.05
    assert transcode_or_gist(dialog, low, 0.5).fallback is Technique.PRESERVE
    assert transcode_or_gist(dialog, 0.46, 0.3).fallback is Technique.PRESERVE
    # a fallback decision does not carry the fallback on
    assert d.with_technique(Technique.PRESERVE, "x").fallback is Technique.PRESERVE


def test_rule2_text_area_alone_can_qualify() -> None:
    screenshot = signals(
        has_text=0.9, is_document=0.2, text_area_fraction=POLICY.transcode_min_text_area + 0.01
    )
    assert run(Technique.TRANSCODE, 0.9, screenshot)[0].technique is Technique.TRANSCODE


def test_rule2_without_signals_preserves() -> None:
    assert run(Technique.TRANSCODE, 0.9, None)[0].technique is Technique.PRESERVE


def test_rule3_full_low_refused_when_text_becomes_illegible() -> None:
    chart = signals(has_text=0.9, is_document=0.2, median_text_height_px=14, text_area_fraction=0.03)
    d, _ = run(Technique.FULL_LOW, 0.9, chart, scale=0.4)  # 14 px -> 5.6 px
    assert d.technique is Technique.PRESERVE
    assert "5.6 px" in d.reason and "min_legible_text_px" in d.reason
    d2, _ = run(Technique.FULL_LOW, 0.9, chart, scale=0.9)  # 12.6 px stays legible
    assert d2.technique is Technique.FULL_LOW


def test_rule3b_illegible_text_dominated_page_is_sent_as_its_text() -> None:
    page = signals(has_text=0.95, is_document=0.9, median_text_height_px=14)
    d, calls = run(Technique.FULL_LOW, 0.9, page, scale=0.4)
    assert d.technique is Technique.TRANSCODE and calls == 0
    assert "min_legible_text_px" in d.reason and "carries the gist" in d.reason
    screen = signals(has_text=0.95, is_document=0.1, has_small_details=0.95, text_area_fraction=0.3)
    d2, _ = run(Technique.FULL_LOW, 0.9, screen)
    assert d2.technique is Technique.TRANSCODE and "has_small_details" in d2.reason


def test_rule3_incidental_text_does_not_refuse_a_photos_gist() -> None:
    """A portrait with a name tag: two 14 px lines on 0.6 % of it; 7 px at the low size."""

    def gist(is_document: float = 0.0, **evidence: Any) -> RouteDecision:
        sig = signals(has_text=0.86, is_document=is_document, headline_text_height_px=14, **evidence)
        return run(Technique.FULL_LOW, 0.9, sig, scale=0.5)[0]

    d = gist(text_area_fraction=0.006, text_line_count=2)
    assert d.technique is Technique.FULL_LOW and "incidental" in d.reason
    # more lines, or more of the image, is text worth keeping legible: rule 3 refuses
    more_lines = POLICY.incidental_text_max_lines + 1
    assert gist(text_area_fraction=0.006, text_line_count=more_lines).technique is Technique.PRESERVE
    more_area = POLICY.incidental_text_max_area
    assert gist(text_area_fraction=more_area, text_line_count=2).technique is Technique.PRESERVE
    # a text-dominated image's text is never incidental (rule 3b sends it as text)
    slide = gist(is_document=0.9, text_area_fraction=0.006, text_line_count=2)
    assert slide.technique is Technique.TRANSCODE
    # no line count measured: rule 3 as before
    assert gist(text_area_fraction=0.006).technique is Technique.PRESERVE
    # no text at all: the low view, for that reason, not as "incidental" text
    d, _ = run(Technique.FULL_LOW, 0.9, signals(has_text=0.03, text_line_count=0), scale=0.5)
    assert d.technique is Technique.FULL_LOW and "no text to keep legible" in d.reason


def test_rule3_a_legible_headline_carries_the_gist_of_a_text_image() -> None:
    # body text 10 px -> 4 px at the low size, title 40 px -> 16 px: the gist (the title) survives
    page = signals(
        has_text=0.95,
        is_document=0.9,
        has_small_details=0.95,
        median_text_height_px=10,
        headline_text_height_px=40,
    )
    d, _ = run(Technique.FULL_LOW, 0.9, page, scale=0.4)
    assert d.technique is Technique.FULL_LOW and "headline stays legible" in d.reason
    # a title of 20 px -> 8 px is not legible: the page is sent as its text
    small_title = signals(
        has_text=0.95, is_document=0.9, median_text_height_px=10, headline_text_height_px=20
    )
    d2, _ = run(Technique.FULL_LOW, 0.9, small_title, scale=0.4)
    assert d2.technique is Technique.TRANSCODE and "headline text, 20 px tall, would be 8.0 px" in d2.reason
    # the threshold itself: exactly min_legible_text_px at the low size is legible
    edge = signals(has_text=0.9, headline_text_height_px=POLICY.min_legible_text_px / 0.5)
    assert run(Technique.FULL_LOW, 0.9, edge, scale=0.5)[0].technique is Technique.FULL_LOW
    assert run(Technique.FULL_LOW, 0.9, edge, scale=0.49)[0].technique is Technique.PRESERVE


def gist_with_title(sig: ImageSignals, scale: float, title_box: Box, *, named: bool = False) -> RouteDecision:
    """A gist question about an image whose title the locator finds at ``title_box``."""
    return fuse(
        query_prediction=Technique.FULL_LOW,
        query_confidence=0.9,
        signals=sig,
        low_view_scale=scale,
        locate=lambda: None,
        locate_title=lambda: LocatedRegion(title_box, 0.6, "the title (the topmost text line)"),
        query_names_graphic=named,
        router="test",
    )


def _chart_signals(*lines: Box, uniformity: float = 0.98) -> ImageSignals:
    """A chart's signals: these text lines (its title among them) on a uniform background."""
    return ImageSignals(
        0.92,
        0.1,
        0.3,
        0.9,
        analyzer="test",
        text_lines=tuple(TextLine(b, "", 0.9) for b in lines),
        evidence={
            "background_uniformity": uniformity,
            "text_line_count": len(lines),
            "text_area_fraction": 0.008,
            "headline_text_height_px": max(b.height for b in lines),
            "median_text_height_px": 14,
        },
    )


def test_rule3_a_charts_gist_is_judged_by_its_title() -> None:
    """A chart: text on a uniform background. Its one detected line is its 14 px title, not
    incidental text; a rotated axis label 40 px tall is not its headline."""
    title_box = Box(262, 18, 548, 32)
    rotated = Box(20, 200, 34, 240)

    def chart_gist(
        scale: float, uniformity: float = 0.98, lines: tuple[Box, ...] = (title_box,)
    ) -> RouteDecision:
        return gist_with_title(_chart_signals(*lines, uniformity=uniformity), scale, title_box)

    d = chart_gist(0.85)  # 14 px -> 11.9 px
    assert d.technique is Technique.FULL_LOW and "its title" in d.reason and "11.9 px" in d.reason
    refused = chart_gist(0.64)  # 9.0 px: the title is lost in the low view; a chart is kept
    assert (
        refused.technique is Technique.PRESERVE
        and "its title" in refused.reason
        and "9.0 px" in refused.reason
    )
    # the tall rotated label does not vouch for the title
    assert chart_gist(0.64, lines=(title_box, rotated)).technique is Technique.PRESERVE
    # a photo (a background that varies) with one such line: incidental text, the low view
    photo = chart_gist(0.64, uniformity=0.1)
    assert photo.technique is Technique.FULL_LOW and "incidental" in photo.reason


def test_rule3_an_image_the_question_calls_a_chart_keeps_its_gist_in_pixels() -> None:
    # gnuplot's unicode demo: a chart made mostly of text (is_document 0.82). Asked what the chart
    # shows, its title decides the low view, and the page's text is not its gist (rule 3b).
    title_box = Box(500, 20, 780, 33)
    chart = ImageSignals(
        0.99,
        0.82,
        0.1,
        0.9,
        analyzer="test",
        text_lines=(TextLine(title_box, "", 0.9), TextLine(Box(100, 200, 900, 230), "", 0.9)),
        evidence={"background_uniformity": 0.98, "headline_text_height_px": 30, "text_area_fraction": 0.05},
    )

    def gist(named: bool, scale: float) -> RouteDecision:
        return gist_with_title(chart, scale, title_box, named=named)

    kept = gist(True, 0.53)  # 13 px -> 6.9 px
    assert kept.technique is Technique.PRESERVE and "its title" in kept.reason
    assert gist(True, 0.9).technique is Technique.FULL_LOW  # 11.7 px
    # not called a chart: a text-dominated image, judged by its headline (30 px -> 15.9 px)
    assert gist(False, 0.53).technique is Technique.FULL_LOW
    assert gist(False, 0.3).technique is Technique.TRANSCODE  # 9 px: rule 3b, its text
    from headroom_core.router.fusion import query_names_graphic

    assert query_names_graphic("What does this chart show?") and query_names_graphic("describe the heat map")
    assert not query_names_graphic("What is this page about?")
    assert not query_names_graphic("Read the paragraph")  # 'graph' inside a word is not a graph


def test_rule3_text_height_ignored_without_text() -> None:
    photo = signals(has_text=0.1, median_text_height_px=5)
    d, _ = run(Technique.FULL_LOW, 0.9, photo, scale=0.1)
    assert d.technique is Technique.FULL_LOW and "no text to keep legible" in d.reason


def test_rule3_small_details_refuse_full_low_only_on_text_dominated_images() -> None:
    busy = POLICY.full_low_max_small_details
    page = signals(has_text=0.9, is_document=0.9, has_small_details=busy)
    d, _ = run(Technique.FULL_LOW, 0.9, page)
    assert d.technique is Technique.TRANSCODE and "has_small_details" in d.reason
    # A detailed photo, even one where a sign or a name tape makes has_text high: its gist survives.
    for has_text in (0.1, 0.9):
        photo = signals(has_text=has_text, is_document=0.1, has_small_details=0.99, text_area_fraction=0.01)
        assert run(Technique.FULL_LOW, 0.9, photo)[0].technique is Technique.FULL_LOW


def _with_lines(*boxes: Box, has_text: float = 0.9, is_document: float = 0.1) -> ImageSignals:
    return ImageSignals(
        has_text,
        is_document,
        0.5,
        0.2,
        analyzer="test",
        text_lines=tuple(TextLine(b, "", 0.9) for b in boxes),
    )


def run_4b(
    sig: ImageSignals,
    region: LocatedRegion,
    *,
    scale: float,
    low: int,
    crop: int,
    pred: Technique = Technique.CROP,
) -> RouteDecision:
    return fuse(
        query_prediction=pred,
        query_confidence=0.9,
        signals=sig,
        low_view_scale=scale,
        locate=lambda: region,
        router="test",
        policy=POLICY,
        low_view_tokens=low,
        crop_tokens=lambda box: crop,
    )


def test_rule4b_a_region_whose_text_stays_legible_goes_as_the_cheaper_low_view() -> None:
    label = Box(300, 560, 500, 574)  # an axis label, 14 px of ink
    region = LocatedRegion(Box(290, 550, 510, 580), 0.8, "the x-axis label")
    sig = _with_lines(label, Box(40, 20, 200, 30))
    # 14 px x 0.85 = 11.9 px >= 11 in the low view; 85 tokens against a crop of 255
    d = run_4b(sig, region, scale=0.85, low=85, crop=255)
    assert d.technique is Technique.FULL_LOW and d.region is None
    assert "14 px tall, stays 11.9 px" in d.reason and "85 tokens, fewer than the crop's 255" in d.reason
    assert d.confidence == 0.8  # as sure as the region
    # the same text shrunk below the floor: the crop
    assert run_4b(sig, region, scale=0.7, low=85, crop=255).technique is Technique.CROP
    # a crop cheaper than the low view (Anthropic: a small crop costs a few dozen tokens): the crop
    assert run_4b(sig, region, scale=0.85, low=350, crop=60).technique is Technique.CROP
    # no measured text inside the region (a person singled out in a photo): always the crop
    person = LocatedRegion(Box(600, 100, 800, 500), 0.8, "the man on the far right")
    assert run_4b(sig, person, scale=0.85, low=85, crop=255).technique is Technique.CROP
    # without costs (a caller of fuse that passes none) the region is cropped as before
    d2 = fuse(
        query_prediction=Technique.CROP,
        query_confidence=0.9,
        signals=sig,
        low_view_scale=0.85,
        locate=lambda: region,
        router="test",
    )
    assert d2.technique is Technique.CROP


def test_rule4b_applies_to_the_region_rule2_falls_back_to() -> None:
    title = Box(400, 20, 700, 36)  # a chart title, 16 px: not a text-dominated image
    region = LocatedRegion(Box(390, 10, 710, 46), 0.78, "the title (the topmost large text)")
    sig = _with_lines(title, has_text=0.9, is_document=0.05)
    d = run_4b(sig, region, scale=0.85, low=85, crop=255, pred=Technique.TRANSCODE)
    assert d.technique is Technique.FULL_LOW and "TRANSCODE refused" in d.reason and "low view" in d.reason


def _page(is_document: float = 0.8) -> ImageSignals:
    # ten lines 600 px wide and 14 px tall: about 857 characters, 234 tokens as text (the estimate)
    return _with_lines(
        *(Box(100, 100 + 30 * i, 700, 114 + 30 * i) for i in range(10)), is_document=is_document
    )


def run_4c(
    sig: ImageSignals,
    region: LocatedRegion,
    *,
    plan: int,
    bound: int | None = None,
    pred: Technique = Technique.CROP,
    scale: float = 0.3,
    names_text: bool = False,
) -> RouteDecision:
    return fuse(
        query_prediction=pred,
        query_confidence=0.9,
        query_probabilities={pred.value: 0.9, "transcode": 0.05},
        signals=sig,
        low_view_scale=scale,
        locate=lambda: region,
        router="test",
        policy=POLICY,
        low_view_tokens=258,
        crop_tokens=lambda box: plan if bound is None else bound,
        crop_plan_tokens=lambda box: plan,
        query_names_text=names_text,
    )


def test_rule4c_a_heading_dearer_to_crop_than_the_pages_text_goes_as_the_text() -> None:
    # A Gemini page: the heading's strip is three tiles (774), the page's text about 234 tokens.
    heading = LocatedRegion(
        Box(100, 100, 700, 114), 0.7, "the title (the topmost text line)", in_reading_order=True
    )
    d = run_4c(_page(), heading, plan=774, bound=516)
    assert d.technique is Technique.TRANSCODE and d.fallback is Technique.CROP
    assert d.region == heading.box and d.confidence == 0.7  # kept for the fallback; as sure as the region
    assert "costs about 234 tokens, the crop at least 774" in d.reason and "reading order" in d.reason
    # a crop within the margin of the text (1.5 x 234 = 351): the crop
    assert run_4c(_page(), heading, plan=340).technique is Technique.CROP
    # a corner or a column: the page's text does not say where its text was
    corner = replace(heading, evidence="the top-right corner", in_reading_order=False)
    assert run_4c(_page(), corner, plan=774).technique is Technique.CROP
    # not a document (a screenshot whose text covers enough of it): the crop
    assert run_4c(_page(is_document=0.3), heading, plan=774).technique is Technique.CROP
    # rule 4b first: text legible in a low view cheaper than even the smallest crop
    assert run_4c(_page(), heading, plan=774, scale=0.9).technique is Technique.FULL_LOW
    # rule 2d's named line too
    named = replace(heading, confidence=0.95, by_text=True)
    d2 = run_4c(_page(), named, plan=774, pred=Technique.TRANSCODE, names_text=True)
    assert d2.technique is Technique.TRANSCODE and d2.fallback is Technique.CROP and d2.region == named.box


def test_rule4_crop_needs_a_confident_region() -> None:
    d, _ = run(Technique.CROP, 0.9, signals(), region=None)
    assert d.technique is Technique.PRESERVE and "no region located" in d.reason
    weak = LocatedRegion(Box(0, 0, 50, 50), POLICY.crop_min_region_confidence - 0.1, "weak")
    d, _ = run(Technique.CROP, 0.9, signals(), region=weak)
    assert d.technique is Technique.PRESERVE and "crop_min_region_confidence" in d.reason
    good = LocatedRegion(Box(0, 0, 50, 50), 0.9, "the top-left corner")
    d, _ = run(Technique.CROP, 0.9, signals(), region=good)
    assert d.technique is Technique.CROP and d.region == Box(0, 0, 50, 50)
    assert "top-left corner" in d.reason


def test_rule5_preserve_stays() -> None:
    d, calls = run(Technique.PRESERVE, 0.99, signals(has_text=0.9, is_document=0.9))
    assert d.technique is Technique.PRESERVE and calls == 0


def test_thresholds_are_the_policy() -> None:
    strict = RoutingPolicy(min_query_confidence=0.95)
    assert run(Technique.FULL_LOW, 0.9, signals(), policy=strict)[0].technique is Technique.PRESERVE


@pytest.mark.parametrize("tech", list(Technique))
def test_decision_carries_query_prediction_and_signals(tech: Technique) -> None:
    sig = signals(has_text=0.9, is_document=0.9, text_area_fraction=0.3)
    d, _ = run(tech, 0.8, sig, region=LocatedRegion(Box(0, 0, 9, 9), 0.9, "x"))
    assert d.query_prediction is tech and d.query_confidence == 0.8
    assert d.image_signals is sig and d.signals is sig
    assert d.router == "test" and d.reason


# --------------------------------------------------------------------------- rule 3c: the title beside


def _inset_gist(
    sig: ImageSignals,
    title: LocatedRegion | None,
    inset: tuple[int, float] | None,
    *,
    pred: Technique = Technique.FULL_LOW,
    scale: float = 0.4,
    topic: bool = False,
    probs: dict[str, float] | None = None,
) -> tuple[RouteDecision, list[Box]]:
    asked: list[Box] = []

    def low_view_inset(box: Box) -> tuple[int, float] | None:
        asked.append(box)
        return inset

    d = fuse(
        query_prediction=pred,
        query_confidence=0.9 if probs is None else max(probs.values()),
        query_probabilities=probs,
        signals=sig,
        low_view_scale=scale,
        low_view_tokens=85,
        locate=lambda: None,
        locate_title=lambda: title,
        router="test",
        query_asks_topic=topic,
        low_view_inset=low_view_inset,
    )
    return d, asked


def test_rule3c_a_charts_gist_goes_as_the_low_view_with_its_title_beside_it() -> None:
    """A chart whose 14 px title would be 5.6 px in the low view: the view with the title at full
    size beside it (85 tokens), where it fits; else the image is kept, as rule 3 says."""
    title_box = Box(573, 25, 708, 39)
    title = LocatedRegion(title_box, 0.7, "the title (the topmost text line)")
    chart = _chart_signals(title_box, Box(100, 900, 130, 914))  # a tick label as tall: a chart's
    d, asked = _inset_gist(chart, title, (85, 1.0))
    assert d.technique is Technique.FULL_LOW and d.region == title_box and asked == [title_box]
    assert "5.6 px" in d.reason and "beside it at 14.0 px (85 tokens)" in d.reason
    assert _inset_gist(chart, title, None)[0].technique is Technique.PRESERVE  # no room for it
    # the inset itself shrunk: 14 px x 0.9 = 12.6 px, under the floor a title keeps
    assert _inset_gist(chart, title, (85, 0.9))[0].technique is Technique.PRESERVE
    assert _inset_gist(chart, title, (85, 0.93))[0].technique is Technique.FULL_LOW  # 13.0 px
    assert _inset_gist(chart, None, (85, 1.0))[0].technique is Technique.PRESERVE  # no title found
    weak = LocatedRegion(title_box, POLICY.crop_min_region_confidence - 0.1, "a guess")
    assert _inset_gist(chart, weak, (85, 1.0))[0].technique is Technique.PRESERVE
    # legible in the low view anyway: the plain low view, nothing beside it
    d, asked = _inset_gist(chart, title, (85, 1.0), scale=0.9)
    assert d.technique is Technique.FULL_LOW and d.region is None and asked == []


def _dialog(headline: Box, *lines: Box, is_document: float = 0.4) -> ImageSignals:
    all_lines = (headline, *lines)
    return ImageSignals(
        0.99,
        is_document,
        0.3,
        0.9,
        analyzer="test",
        text_lines=tuple(TextLine(b, "", 0.9) for b in all_lines),
        evidence={
            "text_area_fraction": 0.05,
            "headline_text_height_px": headline.height,
            "median_text_height_px": 11,
        },
    )


def test_rule3c_a_dialogs_headline_goes_beside_the_view_only_when_it_is_a_title() -> None:
    heading = Box(20, 40, 220, 64)  # 24 px over 11 px labels
    labels = [Box(20, 80 + 20 * k, 200, 91 + 20 * k) for k in range(8)]
    dialog = _dialog(heading, *labels)
    bar = LocatedRegion(Box(0, 0, 300, 12), 0.6, "the title (the topmost text line)")  # holds no headline
    d, asked = _inset_gist(dialog, bar, (85, 1.0), scale=0.3)  # 24 px -> 7.2 px
    assert d.technique is Technique.FULL_LOW and d.region == heading and asked == [heading]
    assert "its headline (the tallest text line)" in d.reason
    # a headline barely taller than the labels is no title: the image is kept
    flat = _dialog(Box(20, 40, 220, 55), *labels)  # 15 px: 1.36x
    assert _inset_gist(flat, bar, (85, 1.0), scale=0.3)[0].technique is Technique.PRESERVE
    # one of several headings as tall (a reference page's sections): not its title
    sections = _dialog(heading, Box(20, 300, 220, 324), *labels)
    assert _inset_gist(sections, bar, (85, 1.0), scale=0.3)[0].technique is Technique.PRESERVE


def test_rule3c_a_pages_tallest_line_is_not_taken_for_its_title() -> None:
    """A text-dominated page whose located title does not hold the headline: its tallest "line"
    may be a table row or merged lines, so nothing goes beside the view; its text goes (3b)."""
    heading = Box(20, 40, 520, 76)
    body = [Box(20, 100 + 20 * k, 900, 114 + 20 * k) for k in range(30)]
    page = _dialog(heading, *body, is_document=0.95)
    page = replace(page, evidence={**page.evidence, "text_area_fraction": 0.35, "median_text_height_px": 14})
    crumb = LocatedRegion(Box(0, 0, 900, 14), 0.78, "the title (the topmost large text)")
    d, asked = _inset_gist(page, crumb, (85, 1.0), scale=0.3)
    assert d.technique is Technique.TRANSCODE and asked == []
    held = LocatedRegion(Box(10, 35, 530, 80), 0.78, "the title (the topmost large text)")
    d, _ = _inset_gist(page, held, (85, 1.0), scale=0.3)
    assert d.technique is Technique.FULL_LOW and d.region == held.box


def test_rule3c_serves_the_topic_of_a_page_and_the_gist_reading_of_a_text_question() -> None:
    page, title, _, _ = _docs_page()
    page = replace(page, evidence={**page.evidence, "median_text_height_px": 14})
    # "What is this page about?": 36 px -> 10.8 px in the low view; beside it, at full size
    d, _ = _inset_gist(page, title, (85, 1.0), pred=Technique.TRANSCODE, scale=0.3, topic=True)
    assert d.technique is Technique.FULL_LOW and d.region == title.box
    assert "what the page is about" in d.reason and "85 tokens" in d.reason
    # the view with the title beside it is not clearly cheaper than the page's text: the text
    d, _ = _inset_gist(page, title, (900, 1.0), pred=Technique.TRANSCODE, scale=0.3, topic=True)
    assert d.technique is Technique.TRANSCODE
    # rule 2f: a dialog's text question whose OCR may read badly; its fallback carries the headline
    heading_box = Box(20, 40, 220, 64)
    dialog = _dialog(heading_box, *[Box(20, 80 + 20 * k, 200, 91 + 20 * k) for k in range(8)])
    dialog = replace(dialog, evidence={**dialog.evidence, "text_area_fraction": 0.3})
    probs = {"transcode": 0.5, "full_low": 0.4, "preserve": 0.05, "crop": 0.05}
    named = LocatedRegion(Box(15, 35, 225, 69), 0.6, "the title (the topmost large text)")
    d, _ = _inset_gist(dialog, named, (85, 1.0), pred=Technique.TRANSCODE, scale=0.3, probs=probs)
    assert d.technique is Technique.TRANSCODE and d.fallback is Technique.FULL_LOW
    assert d.region == named.box and "rule 3c" in d.reason
    # no title located: a dialog (no document) has its tallest line beside the view; a document's
    # tallest "line" may be a table row, so nothing is
    d, _ = _inset_gist(dialog, None, (85, 1.0), pred=Technique.TRANSCODE, scale=0.3, probs=probs)
    assert d.fallback is Technique.FULL_LOW and d.region == heading_box
    form = replace(dialog, is_document=POLICY.transcode_min_is_document + 0.05)
    d, _ = _inset_gist(form, None, (85, 1.0), pred=Technique.TRANSCODE, scale=0.3, probs=probs)
    assert d.technique is Technique.TRANSCODE and d.fallback is Technique.PRESERVE and d.region is None
    d, _ = _inset_gist(dialog, named, None, pred=Technique.TRANSCODE, scale=0.3, probs=probs)
    assert d.technique is Technique.TRANSCODE and d.fallback is Technique.PRESERVE and d.region is None


def test_rule3c_the_title_alone_goes_beside_the_low_view_when_that_costs_less_than_its_crop() -> None:
    """ "What does the main heading say?" where the low view would lose the heading: its crop, or
    the low view with the heading beside it when that is cheaper (a wide heading: 3 Gemini tiles
    as a strip, one tile beside the view)."""
    page, title, _, _ = _docs_page()
    page = replace(page, evidence={**page.evidence, "median_text_height_px": 14})

    def decide(crop_cost: int, inset: tuple[int, float] | None) -> RouteDecision:
        return fuse(
            query_prediction=Technique.TRANSCODE,
            query_confidence=0.9,
            signals=page,
            low_view_scale=0.3,
            low_view_tokens=258,
            locate=lambda: title,
            router="test",
            crop_plan_tokens=lambda box: crop_cost,
            query_asks_title=True,
            low_view_inset=lambda box: inset,
        )

    d = decide(774, (258, 0.6))  # 36 px x 0.6 = 21.6 px beside the view
    assert d.technique is Technique.FULL_LOW and d.region == title.box and "774 for its crop" in d.reason
    assert decide(258, (258, 0.6)).technique is Technique.CROP  # a tie: the crop, at full size
    assert decide(774, (258, 0.3)).technique is Technique.CROP  # 10.8 px beside it: too small
    assert decide(774, None).technique is Technique.CROP
