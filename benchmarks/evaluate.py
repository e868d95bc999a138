"""End-to-end evaluation on images no one here made, beside the anchor and an oracle (issue 8).

For every (image, question) case of the corpus (``eval_corpus.py``: Debian documentation pages,
gnuplot demo charts, GUI screenshots and rendered Python docs, photos bundled in PyPI/Debian
packages) and every provider/model in :data:`PROVIDERS`, it records:

- **ours**: ``ImageCompressor(provider, model)`` with its defaults (trained router, embedded analyzer,
  tesseract OCR, query locator): technique, tokens before/after (exact rules), milliseconds;
- **anchor**: PyPI ``headroom-ai`` (``eval_anchor.py``, its own venv) through its public
  ``compress()`` ("auto": offline its router models cannot download, so it routes PRESERVE after its
  tile optimizer), and with each technique forced through its own applier; its output is counted
  with *our* exact token rules (its own counts are wrong, see the research notes);
- **oracle**: every technique applied by our appliers (CROP with the box our locator offers), and the
  cheapest output that keeps the answer; the physical limit of the approach.

"Kept" (DESIGN section 6): an answer string is kept when it is in the TRANSCODE text, or OCR-readable
in the image sent *as the provider sees it* (the sent image resized to the size the provider bills
and looks at; Gemini's fixed-budget levels by its token density). A gist question about a text image
has its headline as answer string (see ``eval_corpus.py``). A gist is lost when only a crop is sent,
or when a photo or a chart is sent as text (their gist is in the pixels); a question with no answer
string (the gist of a photo, a detail of a photo) is lost the same ways. A case is
*answerable* for a provider when at least one output (the original included) keeps its answer; the
rates below are over answerable cases.

Run: ``python benchmarks/evaluate.py --quick`` (a few minutes) or ``python benchmarks/evaluate.py``
(the full corpus); ``--write`` writes ``benchmarks/RESULTS_evaluate.md`` and the chart
``benchmarks/evaluate_chart.png``. Extra packages: ``benchmarks/requirements-eval.txt``; the anchor's
venv is built by ``eval_anchor.py`` on first use (``--no-anchor`` skips it).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import math
import os
import platform
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from crop import norm  # noqa: E402 - the crop benchmark's answer normalisation and percentile
from eval_corpus import EvalCase, build_corpus  # noqa: E402

from headroom_core import Box, ImageCompressor, RouteDecision, Router, Technique  # noqa: E402
from headroom_core._text_tokens import count_text_tokens  # noqa: E402
from headroom_core.codecs import find_images  # noqa: E402
from headroom_core.costs import CostModel, get_cost_model  # noqa: E402
from headroom_core.ocr import OcrEngine, OcrResult, get_ocr_engine  # noqa: E402

CACHE = HERE / ".cache" / "eval"
RESULTS = HERE / "RESULTS_evaluate.md"
CHART = HERE / "evaluate_chart.png"

#: (label, provider, model for our token rules, the anchor's provider name)
PROVIDERS: list[tuple[str, str, str, str]] = [
    ("gpt-4o", "openai", "gpt-4o", "openai"),
    ("gpt-5.4", "openai", "gpt-5.4", "openai"),
    ("claude-sonnet-4.5 (legacy rule)", "anthropic", "claude-sonnet-4-5-legacy", "anthropic"),
    ("claude-opus-4.7", "anthropic", "claude-opus-4-7", "anthropic"),
    ("gemini-2.5", "google", "gemini-2.5-flash", "google"),
]
CATEGORIES = ("documents", "charts", "screenshots", "photos")
TECHNIQUES = (Technique.PRESERVE, Technique.FULL_LOW, Technique.TRANSCODE, Technique.CROP)
ANCHOR_MODES = ("preserve", "full_low", "transcode", "crop")
TARGET_KEPT = 0.97
TARGET_ORACLE_SHARE = 0.90
#: Gemini bills 258 tokens for a 768 x 768 tile: the pixel area one token stands for.
GEMINI_AREA_PER_TOKEN = 768 * 768 / 258


# --------------------------------------------------------------------------- answer checks


class _CachedOcr(OcrEngine):
    """An engine whose reads are remembered by pixel content (the oracle applies every technique to
    the same image for several questions and providers; reading it once is enough there)."""

    def __init__(self, engine: OcrEngine) -> None:
        self.engine = engine
        self.name = engine.name
        self._seen: dict[str, OcrResult] = {}

    def read(self, image: Image.Image) -> OcrResult:
        key = _pixels_key(image)
        hit = self._seen.get(key)
        if hit is None:
            hit = self._seen[key] = self.engine.read(image)
        return hit

    def warm_up(self) -> None:
        self.engine.warm_up()


def _pixels_key(image: Image.Image) -> str:
    return hashlib.sha1(image.mode.encode() + repr(image.size).encode() + image.tobytes()).hexdigest()


class Reader:
    """Is an answer readable in an image as the provider sees it? The default engine (automatic
    layout), then, only when that misses, tesseract in sparse-text mode (psm 11), as
    ``benchmarks/crop.py`` judges crops; and the lines that carry the answer must be at least
    :data:`MIN_SEEN_LINE_PX` tall in that image (or, where the original's own text is smaller, not
    shrunk). OCR engines upscale small text and read lines a vision model cannot (a page at
    OpenAI's 512 px ``low`` view reads perfectly for tesseract at 9 px a line); without this floor
    the oracle would "keep" body text at sizes no model reads. An answer wrapped over lines is
    followed from the end of one line to the start of the line below it, also where the OCR reads
    other lines in between (a heading wrapped beside a sidebar).
    Reads are cached by pixel content."""

    def __init__(self) -> None:
        self.primary = get_ocr_engine("auto")
        self.primary.warm_up()
        self.sparse: OcrEngine | None = None
        if self.primary.name == "tesseract":
            from headroom_core.ocr import TesseractEngine

            self.sparse = TesseractEngine(psm=11)
        #: The engines in the order they are asked: the default, then the sparse mode.
        self.engines: list[OcrEngine] = [self.primary] + ([self.sparse] if self.sparse is not None else [])
        self._lines: dict[tuple[int, str], list[_Line]] = {}
        self._native: dict[tuple[str, str], float | None] = {}

    def _read(self, engine: OcrEngine, image: Image.Image, key: str) -> list[_Line]:
        k = (id(engine), key)
        if k not in self._lines:
            self._lines[k] = [
                _Line(norm(ln.text), ln.box.left, ln.box.top, ln.box.right, ln.box.bottom)
                for ln in engine.read(image).lines
                if norm(ln.text)
            ]
        return self._lines[k]

    def heights(self, image: Image.Image, answer: str) -> list[float]:
        """Median line height of every occurrence of ``answer`` in ``image`` (empty: not found):
        the default engine's, and the sparse mode's too where the default finds none at least
        :data:`MIN_SEEN_LINE_PX` tall (it may read a page's small breadcrumb and run the same words,
        set large below the page, into the text above them)."""
        want = norm(answer)
        if not want:
            return []
        key = _pixels_key(image)
        found: list[float] = []
        for engine in self.engines:
            found += _answer_heights(self._read(engine, image, key), want)
            if found and max(found) >= MIN_SEEN_LINE_PX:
                break
        return found

    def height(self, image: Image.Image, answer: str) -> float | None:
        """The tallest occurrence of ``answer`` in ``image`` (``None``: not found)."""
        return max(self.heights(image, answer), default=None)

    def native_height(self, path: str, answer: str) -> float | None:
        """The answer's line height in the original image, at full resolution: its smallest
        occurrence (a docs page repeats its title in the sidebar at body size; a crop of the
        sidebar at full resolution has not shrunk it), as either engine reads it (the automatic
        layout reads a pydoc sidebar beside the page badly, the sparse mode finds it)."""
        k = (path, answer)
        if k not in self._native:
            want = norm(answer)
            found: list[float] = []
            if want:
                with Image.open(path) as im:
                    rgb = im.convert("RGB")
                key = _pixels_key(rgb)
                for engine in self.engines:
                    found += _answer_heights(self._read(engine, rgb, key), want)
            self._native[k] = min(found, default=None)
        return self._native[k]

    def finds(self, image: Image.Image, answer: str, native: float | None) -> bool:
        """Readable, with its lines at least :data:`MIN_SEEN_LINE_PX` tall, or, for text already
        smaller than that in the original, not shrunk below 85 % of its own height."""
        h = self.height(image, answer)
        if h is None:
            return False
        floor = MIN_SEEN_LINE_PX if native is None else min(MIN_SEEN_LINE_PX, 0.85 * native)
        return h >= floor


#: Line height (box, ascender to descender) below which a downscaled answer does not count as
#: readable: an x-height of about 6 px.
MIN_SEEN_LINE_PX = 12


def _answer_heights(lines: list[_Line], want: str) -> list[float]:
    """Median height of the lines each occurrence of ``want`` spans: in their joined text (the
    engine's reading order), and over wrapped lines read out of order (:func:`_wrapped_heights`)."""
    joined, starts = "", []
    for ln in lines:
        starts.append(len(joined))
        joined += ln.text
    out: list[float] = []
    at = joined.find(want)
    while at >= 0:
        end = at + len(want)
        heights = [
            ln.height for ln, s in zip(lines, starts, strict=True) if s < end and s + len(ln.text) > at
        ]
        if heights:
            out.append(float(statistics.median(heights)))
        at = joined.find(want, at + 1)
    return out + _wrapped_heights(lines, want)


#: A wrapped answer's next piece starts on the next line: its top within this many line heights
#: of the previous line's bottom (above it by at most half a line: boxes overlap a little).
WRAP_MAX_GAP_HEIGHTS = 1.0
#: ... and the first piece (the end of a line) has at least this many characters.
WRAP_MIN_FIRST_PIECE = 4


def _wrapped_heights(lines: list[_Line], want: str) -> list[float]:
    """Occurrences of ``want`` wrapped over lines that follow each other on the page but not in the
    engine's reading order (a heading wrapped beside a sidebar, whose lines an OCR layout interleaves
    with the sidebar's): it starts at the end of a line and goes on at the start of the line below,
    which overlaps it sideways, and so on."""
    out: list[float] = []

    def below(prev: _Line) -> list[_Line]:
        h = prev.height
        return [
            ln
            for ln in lines
            if prev.bottom - 0.5 * h <= ln.top <= prev.bottom + WRAP_MAX_GAP_HEIGHTS * h
            and ln.left < prev.right
            and ln.right > prev.left
            and ln is not prev
        ]

    def rest(prev: _Line, remaining: str, depth: int) -> list[_Line] | None:
        for ln in below(prev):
            if ln.text.startswith(remaining):
                return [ln]
            if depth < 4 and remaining.startswith(ln.text):
                more = rest(ln, remaining[len(ln.text) :], depth + 1)
                if more is not None:
                    return [ln, *more]
        return None

    for first in lines:
        for k in range(min(len(first.text), len(want) - 1), WRAP_MIN_FIRST_PIECE - 1, -1):
            if first.text.endswith(want[:k]):
                tail = rest(first, want[k:], 1)
                if tail is not None:
                    out.append(float(statistics.median([first.height] + [ln.height for ln in tail])))
                    break
    return out


@dataclass(frozen=True)
class _Line:
    """One line an OCR engine read: its normalised text and its box."""

    text: str
    left: int
    top: int
    right: int
    bottom: int

    @property
    def height(self) -> int:
        return self.bottom - self.top


def seen_size(cost_model: CostModel, width: int, height: int, detail: str | None) -> tuple[int, int]:
    """The size the provider looks at: the billed size, and for Gemini's fixed token budgets the
    area those tokens stand for (a 64-token ``low`` image is not read at full resolution)."""
    tc = cost_model.cost(width, height, detail)
    w, h = tc.billed_size
    if cost_model.provider == "google":
        budget = tc.tokens * GEMINI_AREA_PER_TOKEN
        if w * h > budget:
            s = math.sqrt(budget / (w * h))
            w, h = max(1, int(w * s)), max(1, int(h * s))
    return min(w, width), min(h, height)


def as_seen(image: Image.Image, cost_model: CostModel, detail: str | None) -> Image.Image:
    w, h = seen_size(cost_model, image.width, image.height, detail)
    rgb = image.convert("RGB")
    return rgb if (w, h) == rgb.size else rgb.resize((w, h), Image.Resampling.LANCZOS)


@dataclass(frozen=True)
class Sent:
    """What went to the provider for one image: an image (with its detail) or a text."""

    tokens: int
    image: bytes | None = None
    detail: str | None = None
    text: str | None = None
    technique: str = ""
    ms: float = 0.0
    note: str = ""


#: Categories whose gist is in their pixels (a scene, a plot's shape): sent as text, the gist is lost.
GIST_IN_PIXELS = ("photos", "charts")


def kept(sent: Sent, case: EvalCase, reader: Reader, cost_model: CostModel) -> bool:
    tech = sent.technique
    if case.kind == "gist" or case.answer is None:
        if tech == Technique.CROP.value:
            return False
        if sent.text is not None and (case.category in GIST_IN_PIXELS or not sent.text.strip()):
            return False
    if case.answer is None:
        return True
    if sent.text is not None:
        return norm(case.answer) in norm(sent.text)
    if sent.image is None:
        return False
    image = Image.open(io.BytesIO(sent.image))
    image.load()
    native = reader.native_height(case.image_path, case.answer)
    return reader.finds(as_seen(image, cost_model, sent.detail), case.answer, native)


# --------------------------------------------------------------------------- requests


def mime_of(data: bytes) -> str:
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return "image/png"


def request(provider: str, data: bytes, question: str) -> Any:
    mime = mime_of(data)
    b64 = base64.b64encode(data).decode("ascii")
    if provider == "openai":
        url = f"data:{mime};base64,{b64}"
        return [
            {
                "role": "user",
                "content": [
                    {"type": "image_url", "image_url": {"url": url}},
                    {"type": "text", "text": question},
                ],
            }
        ]
    if provider == "anthropic":
        source = {"type": "base64", "media_type": mime, "data": b64}
        return [
            {
                "role": "user",
                "content": [{"type": "image", "source": source}, {"type": "text", "text": question}],
            }
        ]
    return [
        {"role": "user", "parts": [{"inline_data": {"mime_type": mime, "data": b64}}, {"text": question}]}
    ]


class Forced(Router):
    """The default router's decision (signals, region) with its technique replaced: the oracle's
    way of applying every technique through our own appliers. A CROP without a region asks the
    default locator for one; a FULL_LOW keeps a region only where the router put it beside the low
    view (fusion rule 3c)."""

    name = "forced"

    def __init__(self, base: Router, technique: Technique, locator: Any) -> None:
        self.base = base
        self.technique = technique
        self.locator = locator

    def decide(
        self, image: Image.Image, query: str, cost_model: CostModel, detail: str | None
    ) -> RouteDecision:
        decision = self.base.decide(image, query, cost_model, detail)
        region: Box | None = decision.region
        if self.technique is Technique.FULL_LOW and Technique.FULL_LOW not in (
            decision.technique,
            decision.fallback,
        ):
            region = None  # a region beside the low view is the title rule 3c chose, not a crop's
        if self.technique is Technique.CROP and region is None:
            found = self.locator.locate(image, query, decision.image_signals)
            region = found.box if found is not None else None
        return decision.with_technique(self.technique, f"forced {self.technique.value}", region)


def our_sent(out: Any, result: Any) -> Sent:
    r = result.images[0]
    tech = r.technique.value if r.technique else "passthrough"
    note = r.reason
    if r.text is not None:
        return Sent(r.compressed_tokens, text=r.text, technique=tech, ms=r.elapsed_ms, note=note)
    refs = [ref for ref in find_images(out) if ref.location == r.location] or find_images(out)
    ref = refs[0]
    return Sent(
        r.compressed_tokens, image=ref.data, detail=ref.detail, technique=tech, ms=r.elapsed_ms, note=note
    )


# --------------------------------------------------------------------------- records


@dataclass
class Record:
    case_id: str
    image_id: str
    category: str
    kind: str
    question: str
    answer: str | None
    provider: str
    before: int
    ours: dict[str, Any] = field(default_factory=dict)
    anchor: dict[str, Any] | None = None
    forced: dict[str, dict[str, Any]] = field(default_factory=dict)
    anchor_forced: dict[str, dict[str, Any]] = field(default_factory=dict)
    oracle: dict[str, Any] = field(default_factory=dict)
    answerable: bool = True


def summary(sent: Sent, ok: bool) -> dict[str, Any]:
    return {
        "technique": sent.technique,
        "tokens": sent.tokens,
        "kept": ok,
        "ms": round(sent.ms, 1),
        "note": sent.note,
    }


def anchor_sent(out: Any, cost_model: CostModel, provider: str, model: str, question: str) -> Sent:
    """Count the anchor's output with our exact rules; the question's own text block is not counted."""
    if out.error:
        return Sent(0, technique="error", ms=out.ms, note=out.error)
    tokens, image, detail, texts = 0, None, None, []
    for block in out.blocks:
        if block.get("type") == "text":
            if block.get("text", "") == question:
                continue
            texts.append(block.get("text", ""))
            tokens += count_text_tokens(block.get("text", ""), provider, model)
        elif block.get("type") == "image":
            image = Path(block["path"]).read_bytes()
            detail = block.get("detail")
            if detail is not None and detail not in cost_model.details:
                detail = None
            with Image.open(io.BytesIO(image)) as im:
                tokens += cost_model.tokens(im.width, im.height, detail)
    text = "\n".join(texts) if texts and image is None else None
    return Sent(
        tokens, image=image, detail=detail, text=text, technique=out.technique or "", ms=out.ms, note=out.note
    )


# --------------------------------------------------------------------------- the run


def run(
    cases: Sequence[EvalCase],
    providers: Sequence[tuple[str, str, str, str]],
    anchor_python: str | None,
    jobs: int = 1,
    log: Any = print,
) -> tuple[list[Record], dict[str, Any]]:
    """The anchor first (one worker process), then ours and the oracle on ``jobs`` processes,
    each taking whole images (so its OCR caches serve every question of an image)."""
    anchor_out = _run_anchor(cases, providers, anchor_python, log) if anchor_python else None
    groups: dict[str, list[EvalCase]] = defaultdict(list)
    for case in cases:
        groups[case.image_id].append(case)
    shards: list[list[EvalCase]] = [[] for _ in range(max(1, jobs))]
    for i, group in enumerate(groups.values()):
        shards[i % len(shards)].extend(group)
    shards = [sh for sh in shards if sh]
    if len(shards) == 1:
        records, meta = _evaluate(shards[0], providers, anchor_out, log)
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=len(shards), mp_context=ctx) as pool:
            futures = [pool.submit(_evaluate, sh, providers, _subset(anchor_out, sh), None) for sh in shards]
            parts = [f.result() for f in futures]
        order = {c.case_id: i for i, c in enumerate(cases)}
        records = sorted((r for part, _ in parts for r in part), key=lambda r: order[r.case_id])
        meta = parts[0][1]
    meta["anchor"] = anchor_out is not None
    return records, meta


def _subset(
    anchor_out: dict[tuple[str, str, str], Any] | None, cases: Sequence[EvalCase]
) -> dict[tuple[str, str, str], Any] | None:
    if anchor_out is None:
        return None
    keys = {c.case_id for c in cases} | {c.image_id for c in cases}
    return {k: v for k, v in anchor_out.items() if k[0] in keys}


def _evaluate(
    cases: Sequence[EvalCase],
    providers: Sequence[tuple[str, str, str, str]],
    anchor_out: dict[tuple[str, str, str], Any] | None,
    log: Any,
) -> tuple[list[Record], dict[str, Any]]:
    if log is None:
        log = lambda s: print(s, flush=True)  # noqa: E731 - a worker process logs to the shared stdout
    reader = Reader()
    base_ocr = get_ocr_engine("auto")
    cached_ocr = _CachedOcr(base_ocr)
    meta: dict[str, Any] = {"ocr": base_ocr.name}
    ours: dict[str, ImageCompressor] = {}
    forced: dict[str, dict[Technique, ImageCompressor]] = {}
    from headroom_core.locate import QueryRegionLocator

    locator = QueryRegionLocator(ocr_engine=cached_ocr)
    for i, (label, prov, model, _) in enumerate(providers):
        # The first provider runs as users run it (no OCR cache: its milliseconds are real); the
        # others read each image once through the shared cache (their decisions are the same code).
        if i == 0:
            ours[label] = ImageCompressor(prov, model, cache=False, time_budget_s=None)
        else:
            ours[label] = ImageCompressor(
                prov, model, cache=False, time_budget_s=None, ocr_engine=cached_ocr, locator=locator
            )
    shared = next(iter(ours.values()))
    t0 = time.perf_counter()
    shared.warm_up()
    meta["warm_up_s"] = time.perf_counter() - t0
    base_router = shared.router
    meta["router"] = type(base_router).__name__
    for label, prov, model, _ in providers:
        forced[label] = {
            t: ImageCompressor(
                prov,
                model,
                router=Forced(base_router, t, locator),
                cache=False,
                time_budget_s=None,
                ocr_engine=cached_ocr,
                locator=locator,
            )
            for t in TECHNIQUES
        }

    records: list[Record] = []
    images: dict[str, bytes] = {}
    for n, case in enumerate(cases, 1):
        data = images.get(case.image_path) or Path(case.image_path).read_bytes()
        images = {case.image_path: data}
        line = []
        for label, prov, model, aprov in providers:
            cm = get_cost_model(prov, model)
            out, result = ours[label].compress_with_result(request(prov, data, case.question))
            r = result.images[0]
            before = r.original_tokens
            mine = our_sent(out, result)
            rec = Record(
                case.case_id,
                case.image_id,
                case.category,
                case.kind,
                case.question,
                case.answer,
                label,
                before,
            )
            rec.ours = summary(mine, kept(mine, case, reader, cm))
            rec.ours["reason"] = r.reason
            candidates: list[tuple[int, str, bool]] = [
                (before, "original", _original_kept(case, data, reader, cm))
            ]
            for t, comp in forced[label].items():
                fo, fr = comp.compress_with_result(request(prov, data, case.question))
                s = our_sent(fo, fr)
                ok = kept(s, case, reader, cm)
                rec.forced[t.value] = summary(s, ok)
                candidates.append((s.tokens, s.technique, ok))
            if anchor_out is not None:
                a = anchor_out.get((case.case_id, aprov, "auto"))
                if a is not None:
                    s = anchor_sent(a, cm, prov, model, case.question)
                    rec.anchor = summary(s, kept(s, case, reader, cm))
                for mode in ANCHOR_MODES:
                    a = anchor_out.get((case.image_id, aprov, mode))
                    if a is not None:
                        s = anchor_sent(a, cm, prov, model, case.question)
                        rec.anchor_forced[mode] = summary(s, kept(s, case, reader, cm))
            keeping = [c for c in candidates if c[2]]
            rec.answerable = bool(keeping)
            best = min(keeping) if keeping else (before, "none", False)
            rec.oracle = {"tokens": best[0], "technique": best[1]}
            records.append(rec)
            mark = "ok" if rec.ours["kept"] else ("--" if not rec.answerable else "LOST")
            line.append(f"{label.split(' ')[0]}:{mine.technique[:4]}:{mark}")
        log(f"[{n}/{len(cases)}] {case.case_id:<55} " + " ".join(line))
    return records, meta


def _original_kept(case: EvalCase, data: bytes, reader: Reader, cm: CostModel) -> bool:
    sent = Sent(0, image=data, technique="original")
    return kept(sent, case, reader, cm)


def _run_anchor(
    cases: Sequence[EvalCase], providers: Sequence[tuple[str, str, str, str]], python: str, log: Any
) -> dict[tuple[str, str, str], Any]:
    from eval_anchor import AnchorJob, run_anchor

    families = sorted({p[3] for p in providers})
    jobs: list[AnchorJob] = []
    seen_images: dict[str, EvalCase] = {}
    for case in cases:
        seen_images.setdefault(case.image_id, case)
        for fam in families:
            jobs.append(AnchorJob(f"{case.case_id}|{fam}|auto", case.image_path, case.question, fam, "auto"))
    for image_id, case in seen_images.items():
        for fam in families:
            for mode in ANCHOR_MODES:
                jobs.append(AnchorJob(f"{image_id}|{fam}|{mode}", case.image_path, case.question, fam, mode))
    out_dir = CACHE / "anchor-out"
    out_dir.mkdir(parents=True, exist_ok=True)
    # The anchor's outputs do not depend on our code: each job's output is kept, keyed by the job,
    # the image's bytes and the anchor's pinned requirements, and only new jobs are run.
    from eval_anchor import REQUIREMENTS, _output_from

    stamp = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()[:16]
    digests: dict[str, str] = {}

    def job_key(job: AnchorJob) -> str:
        if job.image_path not in digests:
            digests[job.image_path] = hashlib.sha256(Path(job.image_path).read_bytes()).hexdigest()
        fields = [job.job_id, job.question, job.provider, job.mode, digests[job.image_path], stamp]
        return hashlib.sha1(json.dumps(fields).encode()).hexdigest()

    store = CACHE / "anchor-outputs.jsonl"
    kept_outputs: dict[str, dict[str, Any]] = {}
    if store.exists():
        for line in store.read_text().splitlines():
            rec = json.loads(line)
            kept_outputs[rec["key"]] = rec["output"]
    keys = {job.job_id: job_key(job) for job in jobs}
    todo = [
        job
        for job in jobs
        if keys[job.job_id] not in kept_outputs
        or any(
            b.get("type") == "image" and not Path(b["path"]).exists()
            for b in kept_outputs[keys[job.job_id]].get("blocks", ())
        )
    ]
    log(f"anchor: {len(jobs)} jobs, {len(todo)} to run in its own venv ({python})")
    t0 = time.perf_counter()
    fresh = run_anchor(todo, out_dir, python) if todo else []
    log(f"anchor: done in {time.perf_counter() - t0:.0f} s")
    with store.open("a") as fh:
        for o in fresh:
            if o.error is None:
                fh.write(json.dumps({"key": keys[o.job_id], "output": asdict(o)}) + "\n")
            kept_outputs[keys[o.job_id]] = asdict(o)
    outputs = [
        _output_from(kept_outputs[keys[job.job_id]]) for job in jobs if keys[job.job_id] in kept_outputs
    ]
    found: dict[tuple[str, str, str], Any] = {}
    for o in outputs:
        key, fam, mode = o.job_id.rsplit("|", 2)
        found[(key, fam, mode)] = o
    return found


# --------------------------------------------------------------------------- report


@dataclass
class Cell:
    """Aggregates of one system over a set of records."""

    cases: int
    answerable: int
    kept: float
    saved: float
    oracle_saved: float
    share: float
    p50_ms: float


def aggregate(records: Sequence[Record], system: str) -> Cell | None:
    rows = [r for r in records if r.answerable]
    picked = [(r, _system(r, system)) for r in rows]
    picked = [(r, s) for r, s in picked if s is not None]
    if not picked:
        return None
    before = sum(r.before for r, _ in picked)
    after = sum(s["tokens"] for _, s in picked)
    oracle_after = sum(r.oracle["tokens"] for r, _ in picked)
    kept_n = sum(1 for _, s in picked if s["kept"])
    saved = (before - after) / before if before else 0.0
    oracle_saved = (before - oracle_after) / before if before else 0.0
    ms = [s["ms"] for r, s in picked if s.get("ms") is not None and r.provider == PROVIDERS[0][0]]
    return Cell(
        cases=len(records),
        answerable=len(picked),
        kept=kept_n / len(picked),
        saved=saved,
        oracle_saved=oracle_saved,
        share=(before - after) / (before - oracle_after) if before > oracle_after else float("nan"),
        p50_ms=statistics.median(ms) if ms else float("nan"),
    )


def _system(r: Record, system: str) -> dict[str, Any] | None:
    if system == "ours":
        return r.ours
    if system == "anchor":
        return r.anchor
    if system == "oracle":
        return {"tokens": r.oracle["tokens"], "kept": True, "ms": None}
    if system.startswith("ours:"):
        return r.forced.get(system[5:])
    if system.startswith("anchor:"):
        return r.anchor_forced.get(system[7:])
    raise ValueError(system)


def machine() -> str:
    load = os.getloadavg()
    return (
        f"{platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, load average {load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f}"
    )


def _commit() -> str:
    import subprocess

    run = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True)
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=HERE, capture_output=True, text=True
    )
    return (run.stdout.strip() or "unknown") + (" (with uncommitted changes)" if dirty.stdout.strip() else "")


def _f(x: float, spec: str = ".1%") -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else format(x, spec)


def report(records: Sequence[Record], meta: dict[str, Any], corpus_note: str) -> str:
    labels = list(dict.fromkeys(r.provider for r in records))
    has_anchor = any(r.anchor is not None for r in records)
    anchor = f"headroom-ai {meta.get('anchor_version', '')}" if has_anchor else "not run"
    out: list[str] = []
    out.append(f"- machine: {machine()}")
    out.append(f"- code: commit {_commit()}")
    out.append(f"- corpus: {corpus_note}")
    out.append(
        f"- ours: ImageCompressor defaults (router {meta.get('router')}, OCR {meta.get('ocr')}), "
        f"warm-up {meta.get('warm_up_s', 0):.1f} s; anchor: {anchor}"
    )
    out.append(f"- run time: {meta.get('run_s', 0) / 60:.1f} min")
    out.append("")
    out.append("### Targets: answers kept >= 97 % of answerable cases, saving >= 90 % of the oracle's")
    out.append("")
    out.append(
        "| provider | category | answerable | ours kept | ours saved | oracle saved | ours / oracle | met "
        "| anchor kept | anchor saved | anchor / oracle | ours p50 ms* | anchor p50 ms* |"
    )
    out.append("|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|")
    misses: list[str] = []
    for label in labels:
        rows = [r for r in records if r.provider == label]
        for cat in (*CATEGORIES, "overall"):
            sub = rows if cat == "overall" else [r for r in rows if r.category == cat]
            o = aggregate(sub, "ours")
            if o is None:
                continue
            a = aggregate(sub, "anchor") if has_anchor else None
            met = o.kept >= TARGET_KEPT and (math.isnan(o.share) or o.share >= TARGET_ORACLE_SHARE)
            if not met:
                misses.append(f"{label} / {cat}")
            name = f"**{cat}**" if cat == "overall" else cat
            out.append(
                f"| {label} | {name} | {o.answerable}/{o.cases} | {_f(o.kept)} | {_f(o.saved)} | "
                f"{_f(o.oracle_saved)} | {_f(o.share)} | {'yes' if met else '**no**'} | "
                f"{_f(a.kept) if a else '-'} | {_f(a.saved) if a else '-'} | {_f(a.share) if a else '-'} | "
                f"{_f(o.p50_ms, '.0f')} | {_f(a.p50_ms, '.0f') if a else '-'} |"
            )
    out.append("")
    out.append(f"Cells missing a target: {', '.join(misses) if misses else 'none'}.")
    out.append("")
    out.append(
        f"\\* milliseconds per image on {PROVIDERS[0][0]} only, where ours runs with no OCR cache (the other "
        "providers reuse its reads); the anchor's auto mode fails over to PRESERVE in about 1 ms."
    )
    out.append("")
    out.append("### Technique by technique (forced; all providers and categories pooled)")
    out.append("")
    out.append("Kept rate, and tokens sent as a share of the tokens before; each system applies it itself.")
    out.append("")
    out.append("| technique | ours kept | ours tokens | anchor kept | anchor tokens |")
    out.append("|---|---:|---:|---:|---:|")
    for t in TECHNIQUES:
        o = aggregate(records, f"ours:{t.value}")
        a = aggregate(records, f"anchor:{t.value}") if has_anchor else None
        out.append(
            f"| {t.value} | {_f(o.kept) if o else '-'} | {_f(1 - o.saved) if o else '-'} | "
            f"{_f(a.kept) if a else '-'} | {_f(1 - a.saved) if a else '-'} |"
        )
    out.append("")
    out.append("### What ours chose, by category (all providers)")
    out.append("")
    techs = sorted({r.ours.get("technique", "") for r in records})
    out.append("| category | " + " | ".join(techs) + " |")
    out.append("|---|" + "---:|" * len(techs))
    for cat in CATEGORIES:
        sub = [r for r in records if r.category == cat]
        if sub:
            counts = [sum(1 for r in sub if r.ours.get("technique") == t) for t in techs]
            out.append(f"| {cat} | " + " | ".join(str(c) for c in counts) + " |")
    lost = [r for r in records if r.answerable and not r.ours["kept"]]
    out.append("")
    out.append(f"### Answers ours lost ({len(lost)} of {sum(1 for r in records if r.answerable)} answerable)")
    out.append("")
    if lost:
        out.append("| provider | case | kind | question | answer | ours | oracle | reason |")
        out.append("|---|---|---|---|---|---|---|---|")
        for r in lost[:60]:
            out.append(
                f"| {r.provider} | {r.case_id} | {r.kind} | {_cell(r.question)} "
                f"| {_cell(r.answer or '(none)')} | "
                f"{r.ours['technique']} {r.ours['tokens']} | {r.oracle['technique']} {r.oracle['tokens']} | "
                f"{_cell(str(r.ours.get('reason', '')))[:120]} |"
            )
        if len(lost) > 60:
            out.append(f"\n({len(lost) - 60} more in the records file)")
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")[:80]


def chart(records: Sequence[Record], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = list(dict.fromkeys(r.provider for r in records))
    systems = [("ours", "o", "tab:blue"), ("anchor", "s", "tab:red"), ("oracle", "*", "tab:green")]
    fig, axes = plt.subplots(1, len(labels), figsize=(4.2 * len(labels), 4.2), sharey=True, squeeze=False)
    for ax, label in zip(axes[0], labels, strict=True):
        rows = [r for r in records if r.provider == label]
        for system, marker, colour in systems:
            for cat in CATEGORIES:
                c = aggregate([r for r in rows if r.category == cat], system)
                if c is None:
                    continue
                ax.scatter(c.saved * 100, c.kept * 100, marker=marker, color=colour, s=70, alpha=0.85)
                ax.annotate(
                    cat[:4],
                    (c.saved * 100, c.kept * 100),
                    fontsize=7,
                    xytext=(3, 3),
                    textcoords="offset points",
                )
        ax.axhline(TARGET_KEPT * 100, color="grey", lw=0.8, ls="--")
        ax.set_title(label, fontsize=10)
        ax.set_xlabel("tokens saved (%)")
        ax.set_xlim(-5, 105)
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel("answers kept (% of answerable)")
    handles = [plt.Line2D([], [], marker=m, color=c, ls="", label=s) for s, m, c in systems]
    fig.legend(handles=handles, loc="lower center", ncol=3)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def corpus_note(cases: Sequence[EvalCase]) -> str:
    by: dict[str, set[str]] = defaultdict(set)
    for c in cases:
        by[c.category].add(c.image_id)
    parts = [f"{cat} {len(by[cat])} images" for cat in CATEGORIES if by.get(cat)]
    kinds = defaultdict(int)
    for c in cases:
        kinds[c.kind] += 1
    return (
        f"{len(cases)} questions on {sum(len(v) for v in by.values())} images ({', '.join(parts)}); "
        f"kinds: {', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}"
    )


def main(argv: Iterable[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="3 images per category (a few minutes)")
    ap.add_argument("--no-anchor", action="store_true", help="skip the anchor")
    ap.add_argument("--anchor-python", default=None, help="python of a venv with headroom-ai")
    ap.add_argument("--providers", default=None, help="comma-separated labels (default: all five)")
    ap.add_argument("--limit", type=int, default=None, help="first N cases only")
    ap.add_argument("--jobs", type=int, default=2, help="processes for ours and the oracle (default 2)")
    ap.add_argument(
        "--anchor-only", action="store_true", help="run (and keep) the anchor's outputs, then stop"
    )
    ap.add_argument("--write", action="store_true", help="write RESULTS_evaluate.md and the chart")
    args = ap.parse_args(list(argv) if argv is not None else None)

    t0 = time.perf_counter()
    cases = build_corpus(args.quick, CACHE)
    if args.limit:
        cases = cases[: args.limit]
    providers = PROVIDERS
    if args.providers:
        wanted = {p.strip() for p in args.providers.split(",")}
        providers = [p for p in PROVIDERS if p[0] in wanted or p[2] in wanted]
    print(f"{corpus_note(cases)}; providers: {', '.join(p[0] for p in providers)}", flush=True)
    anchor = None
    version = ""
    if not args.no_anchor:
        from eval_anchor import anchor_python

        anchor = anchor_python(args.anchor_python)
        if anchor is not None:
            import subprocess

            version = subprocess.run(
                [anchor, "-c", "import importlib.metadata as m; print(m.version('headroom-ai'))"],
                capture_output=True,
                text=True,
                check=False,
            ).stdout.strip()
    if args.anchor_only:
        if anchor is not None:
            _run_anchor(cases, providers, anchor, lambda s: print(s, flush=True))
        return 0
    records, meta = run(cases, providers, anchor, jobs=args.jobs, log=lambda s: print(s, flush=True))
    meta["anchor_version"] = version
    meta["run_s"] = time.perf_counter() - t0
    note = corpus_note(cases) + (" (--quick)" if args.quick else "")
    text = report(records, meta, note)
    print()
    print(text)
    CACHE.mkdir(parents=True, exist_ok=True)
    raw = CACHE / f"records{'-quick' if args.quick else ''}.jsonl"
    raw.write_text("".join(json.dumps(asdict(r)) + "\n" for r in records))
    print(f"records: {raw}")
    if args.write:
        results, chart_path = RESULTS, CHART
        if args.quick:  # the quick run never overwrites the full run's files
            results = RESULTS.with_name("RESULTS_evaluate_quick.md")
            chart_path = CHART.with_name("evaluate_chart_quick.png")
        chart(records, chart_path)
        results.write_text(
            "## End-to-end evaluation (benchmarks/evaluate.py)\n\n"
            f"Command: `python benchmarks/evaluate.py{' --quick' if args.quick else ''} --write`; "
            f"chart: `benchmarks/{chart_path.name}`.\n\n" + text
        )
        print(f"wrote {results} and {chart_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
