"""Corpus of (image, question, answer) cases for the end-to-end evaluation (issue 8).

Images no one here made, all from package registries:

- **documents**: pages of Debian documentation PDFs (``r-doc-pdf``, ``gnuplot-doc``,
  ``debian-reference-en``, ``octave-doc``) rendered by ``../shared/eval/make_pages.py`` through
  ``ocr.ensure_pages`` (the OCR benchmark's cache); ground truth from ``pdftotext -bbox-layout`` (lines
  and where they are on the page);
- **charts**: the demo scripts of ``gnuplot-doc`` run by ``gnuplot-nox`` into PNG (pngcairo, 800x600 or
  1280x960; one image per ``pause``); ground truth from the script's literal ``set title``,
  ``set xlabel``/``ylabel`` and the key entries of its ``plot`` command;
- **screenshots**: GUI images of ``gimp-help-en`` and ``gnome-user-docs`` (labels from the surrounding
  documentation), and HTML pages of ``python3.11-doc`` (with its ``Depends``, the jquery and underscore
  its scripts load, as installed) rendered by Debian's ``chromium`` through ``playwright`` at 1280x800
  and 1920x1080 (ground truth: the DOM text visible in the viewport and not clipped by its box, word
  boxes from ``getBoundingClientRect``);
- **photos**: the photos bundled in scikit-image, scikit-learn and matplotlib, and ``mate-backgrounds``.

Question kinds: ``transcribe``, ``field`` (a named line, label or heading), ``region`` (text at a place),
``gist`` and ``detail``; each with the string that answers it where one exists. A gist question about
a text image carries its headline (a page's tallest heading, or its body text when it has none; a
chart's title; a documentation page's main heading): the gist of a text image is at least its
headline. ``None`` for the gist of photos, of GUI screenshots and of untitled charts, and for photo
details. Candidates are best effort: the evaluator drops a case whose answer is not OCR-readable
in the original image.

The corpus is built once into ``CACHE_DIR/corpus-{quick,full}/cases.jsonl`` (rendered images under
``CACHE_DIR/corpus-work/``, shared by both) and reused; selection is deterministic (sorted names, fixed
seeds). Debian packages are fetched with ``apt-get download`` + ``dpkg -x``; ``gnuplot-nox`` and
``chromium`` are installed with ``apt-get`` when missing (root). Python packages:
``benchmarks/requirements-eval.txt``.

Usage::

    python benchmarks/eval_corpus.py [--quick] [--rebuild] [--cache DIR]

Top-level imports are standard library only.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import html
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_CACHE = HERE / ".cache" / "eval"
CATEGORIES = ("documents", "charts", "screenshots", "photos")
KINDS = ("transcribe", "field", "region", "gist", "detail")
#: images per category: the full corpus and ``quick``
FULL_SIZES = {"documents": 28, "charts": 30, "screenshots": 30, "photos": 28}
QUICK_SIZES = dict.fromkeys(CATEGORIES, 3)
#: screenshots of the full corpus: python docs, gimp, gnome (quick: one of each)
SCREENSHOT_SPLIT = (14, 11, 5)
SEED = 8
CHART_SIZES = ((800, 600), (1280, 960))
VIEWPORTS = ((1280, 800), (1920, 1080))
GNUPLOT_TIMEOUT_S = 20.0
CHROMIUM = "/usr/bin/chromium"
#: version of the python docs' rendering; screenshots cached by another are rendered again
#: (2: with the package's Depends, jquery and underscore, and words clipped by their box not "full")
PYDOC_RENDER = 2
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: enhanced-text markup of gnuplot (and anything else that would not render as written)
_MARKUP = set("^_{}@&~\\$`")


@dataclass(frozen=True)
class EvalCase:
    case_id: str  # unique, stable, e.g. "documents/debian-reference_p0012/field-1"
    image_id: str  # same for all questions of one image
    category: str  # "documents" | "charts" | "screenshots" | "photos"
    image_path: str  # absolute path to a PNG/JPEG file in the cache
    source: str  # where it came from, e.g. "deb:debian-reference-en/.../foo.pdf p12"
    question: str  # natural user question
    kind: str  # "transcribe" | "field" | "region" | "gist" | "detail"
    answer: str | None  # a string visible in the image that answers it; None where none exists


@dataclass
class _Image:
    """One image and its questions, before they become cases."""

    image_id: str
    category: str
    path: Path
    source: str
    questions: list[tuple[str, str, str | None]]  # (kind, question, answer)

    def cases(self) -> list[EvalCase]:
        out, seen = [], collections.Counter[str]()
        for kind, question, answer in self.questions:
            seen[kind] += 1
            out.append(
                EvalCase(
                    case_id=f"{self.image_id}/{kind}-{seen[kind]}",
                    image_id=self.image_id,
                    category=self.category,
                    image_path=str(self.path.resolve()),
                    source=self.source,
                    question=question,
                    kind=kind,
                    answer=answer,
                )
            )
        return out


# --------------------------------------------------------------------------- public entry


def build_corpus(quick: bool, cache_dir: Path) -> list[EvalCase]:
    """The cases of the quick or full corpus: read from the cache, built there on first use."""
    cache_dir = Path(cache_dir)
    out = cache_dir / ("corpus-quick" if quick else "corpus-full")
    cases_file = out / "cases.jsonl"
    if cases_file.is_file():
        cases = [EvalCase(**json.loads(line)) for line in cases_file.read_text().splitlines() if line]
        if cases and all(Path(c.image_path).is_file() for c in cases):
            return cases
        print(f"corpus: {cases_file} refers to missing images; rebuilding", flush=True)
    sizes = QUICK_SIZES if quick else FULL_SIZES
    work = cache_dir / "corpus-work"
    work.mkdir(parents=True, exist_ok=True)
    builders: dict[str, Callable[[int, Path, bool], list[_Image]]] = {
        "documents": _documents,
        "charts": _charts,
        "screenshots": _screenshots,
        "photos": _photos,
    }
    cases = []
    for category in CATEGORIES:
        t0 = time.perf_counter()
        images = builders[category](sizes[category], work, quick)
        got = [c for im in images for c in im.cases()]
        print(
            f"corpus: {category}: {len(images)} images, {len(got)} questions "
            f"({time.perf_counter() - t0:.1f} s)",
            flush=True,
        )
        cases.extend(got)
    ids = collections.Counter(c.case_id for c in cases)
    dup = [k for k, v in ids.items() if v > 1]
    if dup:
        raise RuntimeError(f"duplicate case ids: {dup[:5]}")
    out.mkdir(parents=True, exist_ok=True)
    tmp = cases_file.with_suffix(".tmp")
    tmp.write_text("".join(json.dumps(asdict(c)) + "\n" for c in cases))
    tmp.replace(cases_file)
    print(f"corpus: {len(cases)} cases written to {cases_file}", flush=True)
    return cases


# --------------------------------------------------------------------------- helpers


def _run(cmd: list[str], **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, text=True, capture_output=True, **kw)


def _apt(args: list[str]) -> None:
    """``apt-get ARGS``; on failure ``apt-get update`` once and again."""
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if _run(["apt-get", *args], env=env).returncode == 0:
        return
    print("corpus: apt-get update", flush=True)
    _run(["apt-get", "update", "-q"], env=env)
    r = _run(["apt-get", *args], env=env)
    if r.returncode != 0:
        raise SystemExit(f"apt-get {' '.join(args)} failed:\n{r.stderr[-2000:]}")


def _ensure_installed(binary: str, packages: list[str]) -> None:
    if shutil.which(binary) is not None:
        return
    if os.geteuid() != 0:
        raise SystemExit(f"{binary} not found: apt-get install -y {' '.join(packages)} (as root)")
    print(f"corpus: apt-get install {' '.join(packages)}", flush=True)
    _apt(["install", "-y", "-q", "--no-install-recommends", *packages])
    if shutil.which(binary) is None:
        raise SystemExit(f"{binary} still not found after installing {packages}")


def _deb_tree(work: Path, packages: Iterable[str], depends: bool = False) -> Path:
    """Extract the Debian packages (``apt-get download`` + ``dpkg -x``) into one tree; cached.
    ``depends``: also each package's direct ``Depends`` (the first alternative of each), as an install
    would have them: ``python3.11-doc``'s pages load ``jquery.js`` and ``underscore.js`` through
    symlinks into ``libjs-jquery`` and ``libjs-underscore``, and without them its sidebar script never
    runs, so the sidebar's long entries are not clipped and overflow across the page's text."""
    debs = work / "debs"
    tree = debs / "x"
    debs.mkdir(parents=True, exist_ok=True)
    wanted = list(packages)
    todo = list(wanted)
    done: set[str] = set()
    while todo:
        pkg = todo.pop(0)
        if pkg in done:
            continue
        done.add(pkg)
        stamp = debs / f"{pkg}.extracted"
        if not stamp.is_file():
            _extract(debs, tree, pkg, stamp)
        if depends and pkg in wanted:
            todo += _depends_of(debs / stamp.read_text().strip())
    return tree


def _extract(debs: Path, tree: Path, pkg: str, stamp: Path) -> None:
    have = sorted(debs.glob(f"{pkg}_*.deb"))
    if not have:
        print(f"corpus: apt-get download {pkg}", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        r = _run(["apt-get", "download", pkg], cwd=debs, env=env)
        if r.returncode != 0:
            _run(["apt-get", "update", "-q"], env=env)
            r = _run(["apt-get", "download", pkg], cwd=debs, env=env)
        have = sorted(debs.glob(f"{pkg}_*.deb"))
        if r.returncode != 0 or not have:
            raise SystemExit(f"apt-get download {pkg} failed:\n{r.stderr[-2000:]}")
    subprocess.run(["dpkg", "-x", str(have[-1]), str(tree)], check=True)
    stamp.write_text(have[-1].name)


def _depends_of(deb: Path) -> list[str]:
    """A package's direct ``Depends``: the first alternative of each, without versions."""
    r = _run(["dpkg-deb", "-f", str(deb), "Depends"])
    names = []
    for dep in r.stdout.split(","):
        name = dep.split("|")[0].split("(")[0].split(":")[0].strip()
        if name:
            names.append(name)
    return names


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def _clean(text: str) -> str:
    text = text.replace("\u00b6", " ").replace("\u00a0", " ")
    return " ".join(text.split())


def _plain(text: str) -> bool:
    """Printable ASCII without markup, with at least two letters."""
    return (
        text.isascii()
        and text.isprintable()
        and not (set(text) & _MARKUP)
        and sum(c.isalpha() for c in text) >= 2
    )


def _long_word(text: str, n: int = 4) -> bool:
    return any(sum(c.isalpha() for c in w) >= n and w.strip(".,;:()'\"").isalpha() for w in text.split())


def _leaders(text: str) -> bool:
    """Dot leaders of a table of contents (OCR reads them in many ways)."""
    return re.search(r"\.\s?\.\s?\.|\. \.", text) is not None


_TYPO = str.maketrans(dict.fromkeys("\u2014\u2013\u00bb\u00ab\u201c\u201d\u2018\u2019\u2026\u2022", " "))


def _typo_plain(text: str) -> bool:
    """Plain once typographic punctuation (dashes, quotes; dropped by the evaluator) is set aside."""
    return _plain(" ".join(text.translate(_TYPO).split()))


def _round_robin(groups: list[list[Any]]) -> Iterator[Any]:
    """Items of the groups interleaved: one of each group in turn (diverse prefixes)."""
    for i in range(max((len(g) for g in groups), default=0)):
        for g in groups:
            if i < len(g):
                yield g[i]


def _copy(src: Path, dst: Path) -> Path:
    if not dst.is_file():
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
    return dst


def _image_ok(path: Path, min_colours: int = 3) -> bool:
    """A single, readable, not blank PNG/JPEG."""
    try:
        from PIL import Image

        data = path.read_bytes()
        if data.count(b"\x89PNG\r\n\x1a\n") > 1:
            return False
        with Image.open(path) as im:
            im.load()
            small = im.convert("RGB").resize((128, 96))
            colours = small.getcolors(maxcolors=128 * 96)
            return colours is None or len(colours) >= min_colours
    except Exception:
        return False


# --------------------------------------------------------------------------- documents


@dataclass
class _Line:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def _bbox_lines(pdf: Path, page: int) -> tuple[float, float, list[_Line]]:
    r = _run(["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(pdf), "-"])
    body = re.sub(r"<!DOCTYPE[^>]*>", "", r.stdout)
    root = ET.fromstring(body)
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    pg = root.find(".//h:page", ns)
    if pg is None:
        return 0.0, 0.0, []
    lines = []
    for ln in pg.iterfind(".//h:line", ns):
        text = _clean(" ".join((w.text or "") for w in ln.iterfind("h:word", ns)))
        if text:
            box = [float(ln.get(k, "0")) for k in ("xMin", "yMin", "xMax", "yMax")]
            lines.append(_Line(text, *box))
    return float(pg.get("width", "0")), float(pg.get("height", "0")), lines


def _page_questions(stem: str, width: float, height: float, lines: list[_Line], index: int) -> list[Any]:
    """transcribe, field, region and gist questions for one page (those it can answer)."""
    rng = random.Random(f"{SEED}:{stem}")
    counts = collections.Counter(_norm(ln.text) for ln in lines)

    def prose(ln: _Line, n_words: int) -> bool:
        ws = ln.text.split()
        if _leaders(ln.text):
            return False
        letters = sum(c.isalpha() for c in ln.text)
        return (
            len(ws) >= n_words
            and _plain(ln.text)
            and letters >= 0.6 * len(ln.text)
            and counts[_norm(ln.text)] == 1
            and _long_word(ln.text)
        )

    qs: list[tuple[str, str, str | None]] = []
    middle = [ln for ln in lines if 0.3 * height <= ln.y0 <= 0.7 * height and prose(ln, 4)]
    middle.sort(key=lambda ln: (len(ln.text) < 40, abs((ln.y0 + ln.y1) / 2 - height / 2), ln.x0))
    used: set[int] = set()
    if middle:
        qs.append(("transcribe", "Transcribe the text on this page.", middle[0].text))
        used.add(id(middle[0]))
    fields = [ln for ln in lines if id(ln) not in used and prose(ln, 4)]
    rng.shuffle(fields)
    for ln in fields:
        ws = ln.text.split()
        k = 3 if len(" ".join(ws[:2])) < 9 and len(ws) >= 5 else 2
        prefix, rest = " ".join(ws[:k]), " ".join(ws[k:])
        if sum(any(c.isalpha() for c in w) for w in ws[k:]) < 2 or len(rest) < 10 or not _long_word(rest):
            continue
        if sum(1 for other in lines if _norm(other.text).startswith(_norm(prefix))) != 1:
            continue
        qs.append(("field", f"What does the line beginning with '{prefix}' say?", rest))
        used.add(id(ln))
        break

    def region_text(ln: _Line) -> bool:
        return (
            id(ln) not in used
            and _plain(ln.text)
            and len(_norm(ln.text)) >= 8
            and _long_word(ln.text, 3)
            and not _leaders(ln.text)
            and counts[_norm(ln.text)] == 1
        )

    top = sorted((ln for ln in lines if ln.y1 <= 0.15 * height and region_text(ln)), key=lambda ln: ln.y0)
    corner = sorted(
        (ln for ln in lines if ln.y0 >= 0.85 * height and ln.x0 >= 0.45 * width and region_text(ln)),
        key=lambda ln: (-ln.y1, -ln.x1),
    )
    # the page's last line, past a page number: asked only when that line itself can answer
    bottom = sorted((ln for ln in lines if not _page_number(ln.text)), key=lambda ln: (-ln.y1, ln.x0))
    last = [bottom[0]] if bottom and bottom[0].y0 >= 0.8 * height and region_text(bottom[0]) else []
    regions = [
        ("What is the heading at the top of the page?", top),
        ("What is written in the bottom-right corner?", corner),
        ("What does the last line at the bottom of the page say?", last[:1]),
    ]
    if index % 2:
        regions = regions[1:] + regions[:1]
    for question, cands in regions:
        if cands:
            qs.append(("region", question, cands[0].text))
            break
    qs.append(("gist", "What is this page about?", _page_headline(lines, region_text, middle)))
    return qs


def _page_number(text: str) -> bool:
    """A page number or a short running footer item ("12", "- 12 -", "xiv", "Page 3")."""
    t = re.sub(r"(?i)^page\s+|[\s\-–—.]", "", text)
    return bool(re.fullmatch(r"\d{1,4}|(?i:[ivxlc]{1,6})", t))


def _page_headline(lines: list[_Line], usable: Callable[[_Line], bool], middle: list[_Line]) -> str | None:
    """What a gist question about a page needs: its headline, the tallest line set at least 1.25 x
    the body's height (a title or section heading), or, on a page with no heading, its body text
    (the middle line that the transcribe question uses): a page's gist is at least its headline."""
    if not lines:
        return None
    body = sorted(ln.y1 - ln.y0 for ln in lines)[len(lines) // 2]
    heads = [ln for ln in lines if ln.y1 - ln.y0 >= 1.25 * body and _plain(ln.text) and usable(ln)]
    if heads:
        return max(heads, key=lambda ln: (ln.y1 - ln.y0, -ln.y0)).text
    return middle[0].text if middle else None


def _documents(n: int, work: Path, quick: bool) -> list[_Image]:
    import ocr  # the OCR benchmark's page cache (stdlib-only module)

    manifest = ocr.ensure_pages(None)
    where: dict[str, str] = {}  # PDF name -> "package/path" in the .deb the OCR benchmark fetched
    for deb in sorted((ocr.CACHE / "debs").glob("*.deb")):
        listing = _run(["dpkg-deb", "-c", str(deb)]).stdout
        for m in re.finditer(r"\./(\S+\.pdf)$", listing, re.M):
            where.setdefault(Path(m.group(1)).name, f"{deb.name.split('_')[0]}/{m.group(1)}")
    by_pdf: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for entry in sorted(manifest, key=lambda e: (e["source_pdf"], e["page"])):
        by_pdf[entry["source_pdf"]].append(entry)
    for name, entries in by_pdf.items():  # not always the first page (often a table of contents)
        random.Random(f"{SEED}:{name}").shuffle(entries)
    per_pdf = max(1, -(-n // max(1, len(by_pdf))))
    images: list[_Image] = []
    taken: collections.Counter[str] = collections.Counter()
    for entry in _round_robin([by_pdf[k] for k in sorted(by_pdf)]):
        if len(images) >= n:
            break
        pdf_name = entry["source_pdf"]
        if taken[pdf_name] >= per_pdf:
            continue
        stem = Path(entry["image"]).stem
        width, height, lines = _bbox_lines(ocr.CACHE / "pdfs" / pdf_name, int(entry["page"]))
        if not lines:
            continue
        qs = _page_questions(stem, width, height, lines, len(images))
        if sum(1 for q in qs if q[2] is not None and q[0] != "gist") < 2:
            continue
        taken[pdf_name] += 1
        path = _copy(ocr.PAGES / entry["image"], work / "documents" / entry["image"])
        source = f"deb:{where.get(pdf_name, pdf_name)} p{entry['page']} ({entry.get('dpi', ocr.DPI)} dpi)"
        images.append(_Image(f"documents/{stem}", "documents", path, source, qs))
    return images


# --------------------------------------------------------------------------- charts


def _split_statements(text: str) -> list[str]:
    """Gnuplot statements: continuation lines joined, comments dropped, split at ``;`` outside quotes."""
    text = re.sub(r"\\\r?\n", " ", text)
    out = []
    for line in text.splitlines():
        cur, quote, i = [], "", 0
        while i < len(line):
            c = line[i]
            if quote:
                if c == "\\" and quote == '"' and i + 1 < len(line):
                    cur.append(line[i : i + 2])
                    i += 2
                    continue
                if c == quote:
                    quote = ""
            elif c in "\"'":
                quote = c
            elif c == "#":
                break
            elif c == ";":
                out.append("".join(cur).strip())
                cur = []
                i += 1
                continue
            cur.append(c)
            i += 1
        out.append("".join(cur).strip())
    return [s for s in out if s]


def _unquoted(stmt: str) -> str:
    return re.sub(r"\"(?:\\.|[^\"\\])*\"|'[^']*'", '""', stmt)


def _literal(rest: str) -> str | None:
    """The string literal a ``set title``-like argument starts with (None: not a literal)."""
    m = re.match(r"\s*(\"((?:\\.|[^\"\\])*)\"|'([^']*)')", rest)
    if not m:
        return None
    text = m.group(2) if m.group(2) is not None else m.group(3)
    tail = rest[m.end() :].strip()
    if tail.startswith("."):  # string concatenation
        return None
    return text


_KEYWORDS = re.compile(
    r"\s(?:with|w|lw|lt|ls|lc|linewidth|linetype|linestyle|linecolor|axes|axis|smooth|title|t|ti|notitle|"
    r"not|dt|ps|pt|fs|fillstyle|fc|using|u|every|index|i)\b"
)


def _plot_elements(stmt: str) -> list[str]:
    """Elements of a plot command, split at top-level commas (ranges and ``for`` clauses dropped)."""
    body = re.sub(r"^\s*(?:s?plot|s?p|rep(?:lot)?)\b", "", stmt)
    parts, depth, quote, cur = [], 0, "", []
    for c in body:
        if quote:
            cur.append(c)
            if c == quote:
                quote = ""
            continue
        if c in "\"'":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
            continue
        cur.append(c)
    parts.append("".join(cur))
    out = []
    for part in parts:
        part = part.strip()
        while part.startswith("["):
            end = part.find("]")
            if end < 0:
                break
            part = part[end + 1 :].strip()
        out.append(part)
    return out


def _key_titles(stmt: str) -> tuple[list[str], bool]:
    """Key entries of a plot command: explicit literal titles, or the expression of a function.

    Returns (titles, complete): ``complete`` is False when some entry could not be read."""
    titles, complete = [], True
    for el in _plot_elements(stmt):
        if not el:
            continue
        if re.match(r"for\s*\[", el):
            complete = False
            continue
        m = re.search(r"\b(?:title|tit|ti|t)\s+(\"(?:\\.|[^\"\\])*\"|'[^']*')", el)
        if m:
            lit = _literal(m.group(1))
            if lit is None:
                complete = False
            else:
                titles.append(lit)
            continue
        if re.search(r"\b(?:notitle|notit|not)\b", el) or re.search(r"\b(?:title|ti|t)\s+\S", el):
            if not re.search(r"\b(?:notitle|notit|not)\b", el):
                complete = False
            continue
        if el[0] in "\"'$" or el.startswith(("'", "<")):
            complete = False  # a data file: its key entry is the file name and using spec
            continue
        expr = _KEYWORDS.split(" " + el, maxsplit=1)[0].strip()
        if expr and re.fullmatch(r"[A-Za-z0-9_.()*+\-/ ]+", expr) and any(c.isalpha() for c in expr):
            titles.append(expr)
        else:
            complete = False
    return titles, complete


@dataclass
class _Segment:
    """What one ``pause``-delimited part of a demo draws."""

    plots: int = 0
    complex: bool = False
    title: str | None = None
    xlabel: str | None = None
    ylabel: str | None = None
    key: list[str] | None = None


def _gnuplot_program(script: str, out_stem: str, size: tuple[int, int]) -> tuple[str, list[_Segment]]:
    """The demo rewritten to write one PNG per ``pause``, and what each of those PNGs shows."""
    state: dict[str, str | None] = {"title": None, "xlabel": None, "ylabel": None}
    key_on = True
    segs = [_Segment()]
    lines = [
        f'set terminal pngcairo size {size[0]},{size[1]} font "DejaVu Sans,10"',
        f'set output "{out_stem}_s00.png"',
    ]
    for stmt in _split_statements(script):
        bare = _unquoted(stmt)
        low = bare.lower()
        seg = segs[-1]
        if re.match(r"(set|unset)\s+(term|terminal|output|out|o)\b", low) or re.match(r"set\s+t\s", low):
            continue
        if re.match(r"pause\b", low):
            segs.append(_Segment())
            lines.append(f'set output "{out_stem}_s{len(segs) - 1:02d}.png"')
            continue
        if re.match(r"(exit|quit)\b", low):
            continue
        lines.append(stmt)
        if re.match(r"reset\b", low):
            state = dict.fromkeys(state)
            key_on = True
            continue
        m = re.match(r"(set|unset)\s+(tit\w*|xlab\w*|xl|ylab\w*|yl)\b(.*)$", stmt, re.I)
        if m:
            which = {"t": "title", "x": "xlabel", "y": "ylabel"}[m.group(2)[0].lower()]
            rest = m.group(3)
            if m.group(1).lower() == "unset" or not rest.strip():
                state[which] = None
            else:
                lit = _literal(rest)
                state[which] = lit if lit is not None else "\x00"  # not a literal: unknown
            continue
        if re.match(r"(unset\s+key|set\s+nokey|set\s+key\s+off)\b", low):
            key_on = False
            continue
        if re.match(r"set\s+key\b", low):
            key_on = True
            continue
        if re.match(r"(set\s+(multiplot|multi|table)|load|call|do\b|while\b|if\b|eval\b|test\b)", low):
            seg.complex = True
        if "{" in bare or "@" in bare:
            seg.complex = True
        if re.match(r"(s?plot|s?p|rep(lot)?)\b", low):
            seg.plots += 1
            if low.startswith("rep"):
                continue  # same titles as before, new settings: the state below
            seg.title, seg.xlabel, seg.ylabel = state["title"], state["xlabel"], state["ylabel"]
            titles, complete = _key_titles(stmt)
            seg.key = titles if key_on and complete else None
    lines.append("set output")
    return "\n".join(lines) + "\n", segs


CHART_TITLE_QUESTION = "What is the title of this chart?"


def _chart_questions(seg: _Segment) -> list[tuple[str, str, str | None]]:
    def ok(s: str | None) -> bool:
        return s is not None and _plain(s) and 3 <= len(s) <= 80 and "\n" not in s

    qs: list[tuple[str, str, str | None]] = []
    if ok(seg.title):
        qs.append(("field", CHART_TITLE_QUESTION, seg.title))
    if ok(seg.xlabel):
        qs.append(("field", "What is the label of the x axis?", seg.xlabel))
    if ok(seg.ylabel):
        qs.append(("field", "What is the label of the y axis?", seg.ylabel))
    key = [k for k in (seg.key or []) if ok(k)]
    if key and len(key) == len(seg.key or []):
        if len(key) == 1:
            qs.append(("region", "What is the name of the series shown in the legend?", key[0]))
        else:
            qs.append(("region", "What is the name of the first series in the legend?", key[0]))
    return qs[:3]


def _render_demo(demo: Path, run_dir: Path, out_dir: Path, size: tuple[int, int]) -> list[dict[str, Any]]:
    """Run one demo; the valid PNGs with their questions (cached in a JSON next to them)."""
    stem = f"{demo.stem}_{size[0]}x{size[1]}"
    meta = out_dir / f"{stem}.json"
    if meta.is_file():
        return list(json.loads(meta.read_text()))
    out_dir.mkdir(parents=True, exist_ok=True)
    raw = gzip.decompress(demo.read_bytes()) if demo.suffix == ".gz" else demo.read_bytes()
    program, segs = _gnuplot_program(raw.decode("utf-8", "replace"), str(out_dir / stem), size)
    prog_file = out_dir / f"{stem}.gp"
    prog_file.write_text(program)
    try:
        r = subprocess.run(
            ["gnuplot", str(prog_file)],
            cwd=run_dir,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=GNUPLOT_TIMEOUT_S,
            check=False,
        )
        failed = r.returncode != 0
    except subprocess.TimeoutExpired:
        failed = True
    found = []
    for i, seg in enumerate(segs):
        png = out_dir / f"{stem}_s{i:02d}.png"
        good = not failed and seg.plots == 1 and not seg.complex and png.is_file() and _image_ok(png, 8)
        qs = _chart_questions(seg) if good else []
        if qs:
            found.append({"png": png.name, "segment": i, "questions": qs})
        elif png.is_file():
            png.unlink()
    meta.write_text(json.dumps(found, indent=1))
    return found


def _charts(n: int, work: Path, quick: bool) -> list[_Image]:
    _ensure_installed("gnuplot", ["gnuplot-nox"])
    tree = _deb_tree(work, ["gnuplot-doc"])
    src = tree / "usr/share/doc/gnuplot/examples"
    if not src.is_dir():
        src = next(p.parent for p in tree.rglob("simple.dem"))
    run_dir = work / "gnuplot-demo"
    if not (run_dir / ".ready").is_file():
        shutil.rmtree(run_dir, ignore_errors=True)
        shutil.copytree(src, run_dir, symlinks=False, ignore_dangling_symlinks=True)
        for gz in sorted(run_dir.rglob("*.gz")):  # data files shipped compressed
            target = gz.with_suffix("")
            if not target.exists():
                target.write_bytes(gzip.decompress(gz.read_bytes()))
        (run_dir / ".ready").write_text("ok")
    demos = sorted(
        p
        for p in run_dir.iterdir()
        if (p.name.endswith(".dem") or p.name.endswith(".dem.gz")) and p.name not in ("all.dem",)
    )
    random.Random(SEED).shuffle(demos)
    out_dir = work / "charts"
    images: list[_Image] = []
    for demo in demos:
        if len(images) >= n:
            break
        size = CHART_SIZES[len(images) % len(CHART_SIZES)]
        t0 = time.perf_counter()
        found = _render_demo(demo, run_dir, out_dir, size)
        if not found:
            continue
        # the segment with the most answerable questions (the first among equals)
        best = max(found, key=lambda f: (len(f["questions"]), -f["segment"]))
        qs = [tuple(q) for q in best["questions"]]
        # the gist of a chart with a title is at least its title; without one, its shape
        title = next((q[2] for q in qs if q[1] == CHART_TITLE_QUESTION), None)
        qs.append(("gist", "What does this chart show?", title))
        name = demo.name.split(".")[0]
        image_id = f"charts/{name}_s{best['segment']:02d}_{size[0]}x{size[1]}"
        source = f"deb:gnuplot-doc/usr/share/doc/gnuplot/examples/{demo.name} plot {best['segment'] + 1}"
        images.append(_Image(image_id, "charts", out_dir / best["png"], source, qs))
        print(f"corpus:   chart {image_id} ({time.perf_counter() - t0:.1f} s)", flush=True)
    return images


# --------------------------------------------------------------------------- screenshots

_DOM_JS = r"""
() => {
  const vw = window.innerWidth, vh = window.innerHeight;
  const words = [], blocks = new Map(), info = [];
  const blockOf = (el) => {
    let b = el;
    while (b && b !== document.body && getComputedStyle(b).display.startsWith('inline')) b = b.parentElement;
    return b || document.body;
  };
  // the box an element's content is visible in: the viewport cut by every ancestor that clips
  const clips = new Map();
  const clipOf = (el) => {
    if (!el || el === document.documentElement) return [0, 0, vw, vh];
    if (clips.has(el)) return clips.get(el);
    let c = clipOf(el.parentElement);
    const st = getComputedStyle(el);
    if (st.overflowX !== 'visible' || st.overflowY !== 'visible') {
      const r = el.getBoundingClientRect();
      c = [Math.max(c[0], r.left), Math.max(c[1], r.top), Math.min(c[2], r.right), Math.min(c[3], r.bottom)];
    }
    clips.set(el, c);
    return c;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const text = node.textContent;
    if (!text.trim()) continue;
    const el = node.parentElement;
    if (!el) continue;
    const er = el.getBoundingClientRect();
    if (er.bottom <= 0 || er.top >= vh || er.right <= 0 || er.left >= vw) continue;
    const st = getComputedStyle(el);
    if (st.visibility !== 'visible' || st.display === 'none' || parseFloat(st.opacity) === 0) continue;
    if (st.color === 'rgba(0, 0, 0, 0)') continue;
    const b = blockOf(el);
    let bid = blocks.get(b);
    if (bid === undefined) {
      bid = info.length;
      blocks.set(b, bid);
      info.push({tag: b.tagName, side: !!b.closest('.sphinxsidebar'), table: !!b.closest('table'),
                 nav: !!b.closest('.related, .mobile-nav, .footer')});
    }
    const re = /\S+/g;
    let m;
    while ((m = re.exec(text))) {
      const r = document.createRange();
      r.setStart(node, m.index);
      r.setEnd(node, m.index + m[0].length);
      const q = r.getBoundingClientRect();
      if (q.width <= 0 || q.height <= 0) continue;
      if (q.right <= 0 || q.bottom <= 0 || q.left >= vw || q.top >= vh) continue;
      const c = clipOf(el);
      const full = q.left >= c[0] - 0.5 && q.top >= c[1] - 0.5
        && q.right <= c[2] + 0.5 && q.bottom <= c[3] + 0.5;
      words.push([m[0], q.left, q.top, q.right, q.bottom, bid, full]);
    }
  }
  return {words: words, blocks: info, width: vw, height: vh};
}
"""


@dataclass
class _DomLine:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    tag: str
    side: bool
    nav: bool
    table: bool
    full: bool
    block: int


def _dom_lines(dom: dict[str, Any]) -> list[_DomLine]:
    """Words grouped into visual lines: same block, same baseline band."""
    lines: list[_DomLine] = []
    cur: list[list[Any]] = []

    def flush() -> None:
        if not cur:
            return
        b = dom["blocks"][cur[0][5]]
        lines.append(
            _DomLine(
                _clean(" ".join(w[0] for w in cur)),
                min(w[1] for w in cur),
                min(w[2] for w in cur),
                max(w[3] for w in cur),
                max(w[4] for w in cur),
                b["tag"],
                b["side"],
                b["nav"],
                bool(b.get("table")),
                all(w[6] for w in cur),
                int(cur[0][5]),
            )
        )
        cur.clear()

    for w in dom["words"]:
        if cur:
            last = cur[-1]
            h = max(1.0, last[4] - last[2])
            if w[5] != last[5] or abs(w[2] - last[2]) > h / 2 or w[1] < last[1] - 1:
                flush()
        cur.append(w)
    flush()
    return [ln for ln in lines if ln.text]


def _pydoc_questions(lines: list[_DomLine], width: int, height: int, index: int) -> list[Any]:
    counts = collections.Counter(_norm(ln.text) for ln in lines)

    def good(ln: _DomLine, n_words: int = 1) -> bool:
        return ln.full and _plain(ln.text) and len(ln.text.split()) >= n_words and counts[_norm(ln.text)] == 1

    qs: list[tuple[str, str, str | None]] = []
    body = [ln for ln in lines if not ln.side and not ln.nav]
    para = [
        ln
        for ln in body
        if ln.tag in ("P", "DD", "LI") and good(ln, 5) and _long_word(ln.text) and len(ln.text) >= 30
    ]
    para.sort(key=lambda ln: (ln.table, abs((ln.y0 + ln.y1) / 2 - height / 2), ln.x0))
    if para:
        qs.append(("transcribe", "Transcribe the text visible on this screen.", para[0].text))
    # whole blocks (a heading or a sidebar item may wrap over lines), entirely on screen
    blocks: dict[int, list[_DomLine]] = collections.defaultdict(list)
    for ln in lines:
        blocks[ln.block].append(ln)
    whole = []
    for group in blocks.values():
        text = _clean(" ".join(ln.text for ln in group))
        whole.append((group[0], text, all(ln.full for ln in group) and _typo_plain(text) and len(text) >= 4))
    whole.sort(key=lambda b: (b[0].y0, b[0].x0))
    heads = [
        (ln, t) for ln, t, ok in whole if ok and ln.tag in ("H1", "H2", "H3") and not ln.side and not ln.nav
    ]
    h1 = [(ln, t) for ln, t in heads if ln.tag == "H1"]
    # the gist of a documentation page is at least its main heading, or its first one on screen
    headline = h1[0][1] if h1 else heads[0][1] if heads else None
    # the first item of the sidebar, if it is readable (not the second one instead)
    side = [(ln, t) for ln, t, ok in whole if ln.side and ln.tag == "LI"][:1]
    side = [(ln, t) for ln, t in side if any(ok for b, _, ok in whole if b is ln)]
    fields: list[tuple[str, str]] = []
    if h1:
        fields.append(("What does the main heading say?", h1[0][1]))
    elif heads:
        fields.append(("What does the first section heading on the screen say?", heads[0][1]))
    if side:
        fields.append(("What is the first item of the sidebar?", side[0][1]))
    if fields:
        question, answer = fields[(index + index // 2) % len(fields)]
        qs.append(("field", question, answer))
    used = {_norm(q[2]) for q in qs if q[2]}
    # the last line on the screen, whatever column it is in: asked only when it can answer
    shown = [ln for ln in lines if ln.full]
    last = max(shown, key=lambda ln: (ln.y1, -ln.x0)) if shown else None
    answers = (
        last is not None
        and good(last, 3)
        and _long_word(last.text)
        and last.y0 > 0.75 * height
        and _norm(last.text) not in used
        and not _leaders(last.text)
    )
    if (index // 2) % 2 and answers and last is not None:  # viewports alternate with the index
        qs.append(("region", "What does the last line at the bottom of the screen say?", last.text))
        qs.append(("gist", "What is this page about?", headline))
        return qs
    corner = [ln for ln in lines if ln.full and ln.y0 < 0.2 * height and ln.x0 < 0.5 * width]
    corner.sort(key=lambda ln: (ln.y0 + 0.5 * ln.x0, ln.x0))
    for ln in corner:
        # the phrases of the line (breadcrumbs: "Python » 3.11.2 Documentation » ..."), first usable one
        phrases = [_clean(p) for p in re.split(r"[\u00bb|\u2014\u2013]", ln.text)]
        good_phrases = [
            p
            for p in phrases
            if _plain(p) and len(p) >= 8 and len(p.split()) >= 2 and _norm(p) not in used and _long_word(p, 3)
        ]
        if good_phrases:
            qs.append(("region", "What does the text in the top-left of the screen say?", good_phrases[0]))
            break
    qs.append(("gist", "What is this page about?", headline))
    return qs


def _pydoc_pages(root: Path) -> list[Path]:
    pages = []
    for sub in ("library", "tutorial", "howto", "reference", "using", "faq", "extending"):
        pages.extend(sorted((root / sub).glob("*.html")))
    pages = [p for p in pages if p.stat().st_size > 8000 and p.name != "index.html"]
    random.Random(SEED).shuffle(pages)
    return pages


def _pydoc_shots(n: int, work: Path) -> list[_Image]:
    if n <= 0:
        return []
    _ensure_installed("chromium", ["chromium"])
    tree = _deb_tree(work, ["python3.11-doc"], depends=True)
    root = tree / "usr/share/doc/python3.11/html"
    out_dir = work / "pydoc"
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = out_dir / "RENDER"
    if not stamp.is_file() or stamp.read_text().strip() != str(PYDOC_RENDER):
        for old in [*out_dir.glob("*.png"), *out_dir.glob("*.json")]:
            old.unlink()
        stamp.write_text(f"{PYDOC_RENDER}\n")
    images: list[_Image] = []
    pages = _pydoc_pages(root)
    todo = []
    for i, page in enumerate(pages[: n * 2]):
        vw, vh = VIEWPORTS[i % len(VIEWPORTS)]
        stem = f"{page.parent.name}-{page.stem}_{vw}x{vh}"
        todo.append((page, vw, vh, stem))
    missing = [t for t in todo if not (out_dir / f"{t[3]}.json").is_file()][: n * 2]
    if missing:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as exc:
            raise SystemExit("playwright missing: pip install -r benchmarks/requirements-eval.txt") from exc
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                for page_file, vw, vh, stem in missing:
                    if sum(1 for t in todo if (out_dir / f"{t[3]}.json").is_file()) >= n:
                        break
                    t0 = time.perf_counter()
                    ctx = browser.new_context(viewport={"width": vw, "height": vh}, device_scale_factor=1)
                    try:
                        tab = ctx.new_page()
                        tab.route(re.compile(r"^(?!file:).*"), lambda route: route.abort())  # offline
                        tab.goto(page_file.resolve().as_uri(), wait_until="load", timeout=30000)
                        tab.wait_for_timeout(200)
                        tab.screenshot(path=str(out_dir / f"{stem}.png"), full_page=False)
                        dom = tab.evaluate(_DOM_JS)
                    except Exception as exc:  # one page that will not render: the next one instead
                        print(f"corpus:   pydoc {stem} skipped: {exc}", flush=True)
                        continue
                    finally:
                        ctx.close()
                    (out_dir / f"{stem}.json").write_text(json.dumps(dom))
                    print(f"corpus:   pydoc {stem} ({time.perf_counter() - t0:.1f} s)", flush=True)
            finally:
                browser.close()
    for i, (page_file, vw, vh, stem) in enumerate(todo):
        if len(images) >= n:
            break
        meta = out_dir / f"{stem}.json"
        if not meta.is_file():
            continue
        lines = _dom_lines(json.loads(meta.read_text()))
        qs = _pydoc_questions(lines, vw, vh, i)
        if sum(1 for q in qs if q[2] is not None and q[0] != "gist") < 2:
            continue
        rel = page_file.relative_to(tree)
        source = f"deb:python3.11-doc/{rel} (chromium {vw}x{vh})"
        images.append(_Image(f"screenshots/pydoc-{stem}", "screenshots", out_dir / f"{stem}.png", source, qs))
    return images


_LABEL_RE = re.compile(
    r"<span class=\"(guilabel|guibutton|guimenuitem|term)\">(.*?)</span>|<(gui)>(.*?)</gui>", re.S
)
#: labels on nearly every GIMP dialog (the dock tab, the presets bar): not about this image
_GENERIC_LABELS = {"Tool Options", "Presets", "Preview", "Help", "Reset", "Cancel", "Split view"}


def _labels(text: str) -> list[tuple[str, str]]:
    """(kind, label) of the GUI labels in documentation markup, first occurrence each."""
    out: list[tuple[str, str]] = []
    for m in _LABEL_RE.finditer(text):
        kind = m.group(1) or m.group(3)
        label = _clean(html.unescape(re.sub(r"<[^>]+>", "", m.group(2) or m.group(4) or "")))
        label = label.rstrip(".:").replace("\u2026", "").replace("...", "").strip()
        if not (3 <= len(label) <= 30 and len(label.split()) <= 4 and "," not in label):
            continue
        if label in _GENERIC_LABELS or any(label == seen for _, seen in out):
            continue
        if _plain(label) and _long_word(label):
            out.append((kind, label))
    return out


def _gui_questions(labels: list[tuple[str, str]]) -> list[tuple[str, str, str | None]]:
    qs: list[tuple[str, str, str | None]] = [("gist", "What is shown in this screenshot?", None)]
    for i, (kind, label) in enumerate(labels[:2]):
        if kind == "guibutton":
            question = f"What happens when I click the '{label}' button?"
        elif kind == "guimenuitem":
            question = f"Where is the '{label}' menu item in this screenshot?"
        elif kind == "gui":
            question = f"Where is '{label}' on this screen?"
        else:
            question = f"What is set for the option labelled '{label}'?"
        qs.append(("field" if i == 0 else "detail", question, label))
    return qs


def _gui_shots(n_gimp: int, n_gnome: int, work: Path) -> list[_Image]:
    from PIL import Image

    tree = _deb_tree(work, ["gimp-help-en", "gnome-user-docs"])
    images: list[_Image] = []
    # gimp: dialogs and windows of the manual, labels from the text after the figure
    gimp = tree / "usr/share/gimp/2.0/help/en"
    refs: dict[str, list[tuple[Path, int]]] = collections.defaultdict(list)
    docs: dict[Path, str] = {}
    if n_gimp > 0:
        for page in sorted(gimp.glob("*.html")):
            text = page.read_text(errors="replace")
            docs[page] = text
            for m in re.finditer(r'<img src="(images/[^"]+\.png)"', text):
                refs[m.group(1)].append((page, m.end()))
    gimp_cands = []
    for rel in sorted(refs):
        if not re.search(r"(dialog|^images/preferences/|^images/dialogs/)", rel):
            continue
        path = gimp / rel
        if not path.is_file():
            continue
        with Image.open(path) as im:
            w, h = im.size
        if w >= 300 and h >= 200:
            gimp_cands.append(rel)
    random.Random(SEED).shuffle(gimp_cands)
    for rel in gimp_cands:
        if sum(1 for im in images if "/gimp-" in im.image_id) >= n_gimp:
            break
        page, pos = refs[rel][0]
        text = docs[page]
        nxt = text.find("<img ", pos)
        labels = _labels(text[pos : nxt if 0 < nxt - pos < 8000 else pos + 8000])
        if not labels:
            continue
        stem = rel.removeprefix("images/").removesuffix(".png").replace("/", "-")
        path = _copy(gimp / rel, work / "gui" / f"gimp-{stem}.png")
        source = f"deb:gimp-help-en/usr/share/gimp/2.0/help/en/{rel} (in {page.name})"
        qs = _gui_questions(labels)
        images.append(_Image(f"screenshots/gimp-{stem}", "screenshots", path, source, qs))
    # gnome: the figures of the GNOME help, labels from the page that shows them
    help_dir = tree / "usr/share/help/C/gnome-help"
    pages = sorted(help_dir.glob("*.page")) if n_gnome > 0 else []
    gnome_refs: dict[str, list[tuple[Path, int]]] = collections.defaultdict(list)
    texts = {}
    for page in pages:
        texts[page] = page.read_text(errors="replace")
        for m in re.finditer(r'<media[^>]*src="(figures/[^"]+\.png)"[^>]*>', texts[page]):
            gnome_refs[m.group(1)].append((page, m.start()))
    gnome_cands = []
    for rel in sorted(gnome_refs):
        path = help_dir / rel
        if path.is_file() and not path.is_symlink():
            with Image.open(path) as im:
                w, h = im.size
            if w >= 300 and h >= 120:
                gnome_cands.append(rel)
    random.Random(SEED).shuffle(gnome_cands)
    for rel in gnome_cands[:n_gnome]:
        page, pos = gnome_refs[rel][0]
        text = texts[page]
        labels = _labels(text[pos : pos + 2000]) or _labels(text[max(0, pos - 2000) : pos])
        stem = Path(rel).stem
        path = _copy(help_dir / rel, work / "gui" / f"gnome-{stem}.png")
        source = f"deb:gnome-user-docs/usr/share/help/C/gnome-help/{rel} (in {page.name})"
        qs = _gui_questions(labels)
        images.append(_Image(f"screenshots/gnome-{stem}", "screenshots", path, source, qs))
    return images


def _screenshots(n: int, work: Path, quick: bool) -> list[_Image]:
    if quick or n < sum(SCREENSHOT_SPLIT):
        k = max(1, n // 3)
        split = (n - 2 * k, k, k)
    else:
        split = SCREENSHOT_SPLIT
    shots = _pydoc_shots(split[0], work)
    gui = _gui_shots(split[1] + (split[0] - len(shots)), split[2], work)
    gimp = [im for im in gui if "/gimp-" in im.image_id]
    gnome = [im for im in gui if "/gnome-" in im.image_id]
    return list(_round_robin([shots, gimp, gnome]))[:n]


# --------------------------------------------------------------------------- photos

#: questions about a detail of a known photo (the answer is not written anywhere: None)
_DETAILS = {
    "astronaut": "What is the astronaut holding, and what flag is on the suit?",
    "camera": "What is the man in the photo doing?",
    "chelsea": "What colour is the cat's fur?",
    "coffee": "What colour is the cup?",
    "coins": "How many coins are there?",
    "hubble_deep_field": "How many galaxies can you see?",
    "ihc": "What colours are the stained cells?",
    "moon": "Are there craters visible on the surface?",
    "retina": "Where is the optic disc in this image?",
    "rocket": "What is next to the rocket on the launch pad?",
    "motorcycle_left": "What colour is the motorcycle?",
    "china": "What kind of building is in the photo?",
    "flower": "What colour is the flower?",
    "grace_hopper": "What is the person wearing?",
}
_SKIMAGE_PHOTOS = (
    "astronaut.png",
    "camera.png",
    "chelsea.png",
    "coffee.png",
    "coins.png",
    "hubble_deep_field.jpg",
    "ihc.png",
    "moon.png",
    "retina.jpg",
    "rocket.jpg",
    "motorcycle_left.png",
    "clock_motion.png",
    "grass.png",
    "gravel.png",
)


def _photo_sources(work: Path, quick: bool) -> list[list[tuple[Path, str, str]]]:
    """(file, origin label, source) per provider of photos, each in a fixed order."""
    from importlib.metadata import version

    groups: list[list[tuple[Path, str, str]]] = []
    try:
        import skimage.data

        base = Path(skimage.data.__file__).parent
        ver = version("scikit-image")
        groups.append(
            [
                (base / name, "skimage", f"pypi:scikit-image {ver} skimage/data/{name}")
                for name in _SKIMAGE_PHOTOS
                if (base / name).is_file()
            ]
        )
    except ImportError:
        print("corpus: scikit-image missing (pip install -r benchmarks/requirements-eval.txt)", flush=True)
    try:
        from sklearn.datasets import load_sample_images

        files = sorted(load_sample_images().filenames)
        groups.append(
            [
                (Path(f), "sklearn", f"pypi:scikit-learn {version('scikit-learn')} {Path(f).name}")
                for f in files
            ]
        )
    except ImportError:
        print("corpus: scikit-learn missing", flush=True)
    try:
        import matplotlib

        mpl = Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg"
        if mpl.is_file():
            groups.append([(mpl, "mpl", f"pypi:matplotlib {matplotlib.__version__} sample_data/{mpl.name}")])
    except ImportError:
        print("corpus: matplotlib missing", flush=True)
    tree = _deb_tree(work, ["mate-backgrounds"])
    mate = sorted((tree / "usr/share/backgrounds/mate/nature").glob("*.jpg"))
    groups.append([(p, "mate", f"deb:mate-backgrounds/{p.relative_to(tree)}") for p in mate])
    return groups


def _photos(n: int, work: Path, quick: bool) -> list[_Image]:
    groups = _photo_sources(work, quick)
    images: list[_Image] = []
    for i, (src, origin, source) in enumerate(_round_robin(groups)):
        if len(images) >= n:
            break
        stem = src.stem
        path = _copy(src, work / "photos" / f"{origin}-{src.name}")
        if not _image_ok(path):
            continue
        qs: list[tuple[str, str, str | None]] = [("gist", "What is shown in this photo?", None)]
        if i % 2 == 1:
            qs.append(("gist", "Describe the scene.", None))
        qs.append(("detail", _DETAILS.get(stem, "What colour is the main object?"), None))
        images.append(_Image(f"photos/{origin}-{stem}", "photos", path, source, qs))
    return images


# --------------------------------------------------------------------------- main


def main(argv: Iterable[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="3 images per category")
    ap.add_argument("--rebuild", action="store_true", help="ignore the cached cases.jsonl")
    ap.add_argument("--cache", default=str(DEFAULT_CACHE), help=f"cache directory (default {DEFAULT_CACHE})")
    args = ap.parse_args(list(argv) if argv is not None else None)
    cache = Path(args.cache)
    if args.rebuild:
        (cache / ("corpus-quick" if args.quick else "corpus-full") / "cases.jsonl").unlink(missing_ok=True)
    t0 = time.perf_counter()
    cases = build_corpus(args.quick, cache)
    elapsed = time.perf_counter() - t0
    images: dict[str, set[str]] = collections.defaultdict(set)
    table: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for c in cases:
        images[c.category].add(c.image_id)
        table[c.category][c.kind] += 1
    print(f"\n{'category':<12} {'images':>6} " + " ".join(f"{k:>10}" for k in KINDS) + f" {'total':>6}")
    for cat in CATEGORIES:
        row = table[cat]
        print(
            f"{cat:<12} {len(images[cat]):>6} "
            + " ".join(f"{row[k]:>10}" for k in KINDS)
            + f" {sum(row.values()):>6}"
        )
    total = collections.Counter(c.kind for c in cases)
    print(
        f"{'all':<12} {sum(len(v) for v in images.values()):>6} "
        + " ".join(f"{total[k]:>10}" for k in KINDS)
        + f" {len(cases):>6}"
    )
    answered = sum(1 for c in cases if c.answer is not None)
    print(f"\n{answered} of {len(cases)} cases have an answer string; {elapsed:.1f} s")
    problems = [c.case_id for c in cases if not Path(c.image_path).is_file()]
    if problems:
        print(f"missing images: {problems[:5]}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
