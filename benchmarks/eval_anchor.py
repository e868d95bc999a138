"""The anchor (PyPI ``headroom-ai``) as a subprocess worker for the end-to-end evaluation (issue 8).

The anchor never enters the project venv. ``anchor_python()`` builds its own venv at
``benchmarks/.cache/venv-anchor-eval`` (``python3.11 -m venv``; ``pip install -r
benchmarks/requirements-anchor.txt``: headroom-ai 0.42.0 with its ``[image]`` extra, Pillow 13,
rapidocr-onnxruntime 1.4.4) on first use, and ``run_anchor()`` runs every job in one worker process
inside it (``python eval_anchor.py --worker jobs.json out_dir``), so the OCR engine loads once, as in
the anchor's long-running proxy, whose image-isolation worker also keeps one ``ImageCompressor`` for
all requests. Top-level imports are standard library only: this file is both the driver that
``benchmarks/evaluate.py`` imports and the worker.

What the worker sends (one user message per job, the image then the question, as the anchor reads it):

- ``openai``: ``{"type": "image_url", "image_url": {"url": "data:<mime>;base64,..."}}`` (no ``detail``,
  i.e. OpenAI's ``auto``) and ``{"type": "text", "text": question}``.
- ``anthropic``: ``{"type": "image", "source": {"type": "base64", "media_type", "data"}}`` and the text.
- ``google``: ``{"inlineData": {"mimeType", "data"}}`` and ``{"type": "text", "text": question}`` in
  ``message["content"]``. That hybrid is the only Google shape ``headroom.image`` handles: it reads only
  ``message["content"]`` (a native Gemini ``{"role", "parts": [...]}`` message has no images for it)
  and takes the query only from ``type == "text"`` parts. Its Gemini proxy handler never calls the
  image compressor at all, so this measures the library, not a deployed path.

Calls per mode (headroom-ai 0.42.0, ``headroom/image/compressor.py``):

- ``auto``: ``ImageCompressor().compress(messages, provider=provider)`` (public API; no ``deadline``,
  which the proxy sets to 2/3 of its timeout) and ``last_result.technique``. Offline the router cannot
  load: ``compress()`` tries ``OnnxTechniqueRouter`` (Hugging Face ``chopratejas/technique-router-onnx``,
  not cached, refused by ``HEADROOM_OFFLINE`` / ``HF_HUB_OFFLINE``), then the PyTorch ``TrainedRouter``
  (fails with ``NameError: name 'torch' is not defined``: it uses ``torch`` imported only for type
  checking), and falls back to PRESERVE with confidence 0 after its tile optimizer. The worker captures
  those log lines and reports them in ``note``. Failed routers are not cached, so every call retries
  the hub: without the offline switches each call took ~23 s here (5 retries of a failing DNS lookup;
  longer where connections hang), with them a few ms.
- forced ``preserve | full_low | transcode | crop``: the public API cannot force a technique (the router
  decides inside ``compress()``), so the worker replays ``compress()`` with the router's decision
  replaced, using the anchor's own internals in the same order: return unchanged unless
  ``has_images()`` and ``decoder_guard.pillow_is_safe()``; ``tile_optimizer.optimize_images_in_messages
  (messages, provider)`` (exceptions swallowed, as ``compress()`` does); then
  ``ImageCompressor._apply_compression(messages, Technique(mode), provider)``. Token accounting
  (``last_result``) is skipped: the evaluation counts tokens with its own exact rules.

Per job the worker gives the compressor a fresh OCR memo (``_ocr_memo``): the anchor memoizes OCR by
image bytes, and the same image reaches it for several questions and providers here, which in
production would be distinct requests. ``ms`` is the wall time of the anchor's call alone (request
building and output writing excluded); the first job that OCRs includes the engine's construction,
also reported alone as ``load_ms`` (timed by wrapping the resolved RapidOCR class), and ``cold`` marks
the first job of each code path in the process (module imports such as the ONNX router's happen there).

Observed with 0.42.0 (``--selfcheck``): OpenAI images are always tile-resized and re-encoded as JPEG q85,
PRESERVE included (1280x800 PNG -> 818x512 JPEG); Anthropic images are never touched by the tile step
and Google ones are not looked at; FULL_LOW/CROP give ``detail: "low"`` (OpenAI, bytes as tiled),
longest side 512 (Anthropic) or 768 (Google, smaller images left as they are). Its RapidOCR
(rapidocr-onnxruntime 1.4.4, Chinese PP-OCRv4 models) often drops the spaces between words
("Invoice2041-Bissued 14March2026"), emits full-width commas, puts table cells on lines of their own,
and may accept text on a photo (a name tape) and replace the photo by it.

Usage::

    python benchmarks/eval_anchor.py --selfcheck        # builds the venv if needed, runs provider x mode
    python benchmarks/eval_anchor.py --worker jobs.json out_dir   # inside the anchor venv (internal)
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ANCHOR_VENV = HERE / ".cache" / "venv-anchor-eval"
REQUIREMENTS = HERE / "requirements-anchor.txt"
SELFCHECK_DIR = HERE / ".cache" / "anchor-selfcheck"
PROVIDERS = ("openai", "anthropic", "google")
FORCED_MODES = ("preserve", "full_low", "transcode", "crop")
MODES = ("auto", *FORCED_MODES)
#: Set in the worker's environment so the router's hub lookups fail at once instead of retrying.
#: ``HEADROOM_OFFLINE`` is the anchor's own air-gap switch; a cache hit still loads (so a pre-seeded
#: Hugging Face cache would give the real router). ``ANCHOR_ALLOW_HUB=1`` leaves them unset.
OFFLINE_ENV = {
    "HEADROOM_OFFLINE": "1",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_ETAG_TIMEOUT": "5",
    "HF_HUB_DOWNLOAD_TIMEOUT": "10",
}
_OCR_MARKER = "[OCR from image]"


@dataclass(frozen=True)
class AnchorJob:
    job_id: str
    image_path: str  # PNG/JPEG file
    question: str
    provider: str  # "openai" | "anthropic" | "google" (the anchor's provider names)
    mode: str  # "auto" or a forced technique: "preserve" | "full_low" | "transcode" | "crop"


@dataclass(frozen=True)
class AnchorOutput:
    job_id: str
    technique: str | None  # last_result.technique in auto, else the forced one
    blocks: tuple[dict[str, Any], ...]  # the user message's content after compression, in order
    ms: float  # wall time of the anchor's call (first OCR job includes the engine load)
    error: str | None
    note: str
    load_ms: float = 0.0  # part of ms spent constructing the OCR engine
    cold: bool = False  # first job of its code path in the worker process
    anchor_tokens: tuple[int, int] | None = None  # auto: the anchor's own (original, compressed) estimate


# --------------------------------------------------------------------------- driver


def _stamp() -> str:
    return hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()[:16]


def _probe(python: str) -> str | None:
    """None when ``python`` can import the anchor's image module, else the reason."""
    code = "import headroom.image, PIL, importlib.metadata as m; print(m.version('headroom-ai'))"
    try:
        proc = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=300, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{python}: {exc}"
    if proc.returncode != 0:
        return f"{python} cannot import headroom.image: {proc.stderr.strip()[-400:]}"
    return None


def anchor_python(explicit: str | None = None) -> str | None:
    """The anchor venv's python, built on first use; None (with the reason printed) if impossible."""
    if explicit:
        reason = _probe(explicit)
        if reason:
            print("anchor:", reason, flush=True)
            return None
        return explicit
    py = ANCHOR_VENV / "bin" / "python"
    stamp = ANCHOR_VENV / ".requirements-stamp"
    if py.exists() and stamp.is_file() and stamp.read_text().strip() == _stamp():
        return str(py)
    base = shutil.which("python3.11")
    if base is None and sys.version_info[:2] == (3, 11):
        base = sys.executable
    if base is None:
        print("anchor: python3.11 not found (needed for headroom-ai's [image] extra); skipping", flush=True)
        return None
    print(f"anchor: building {ANCHOR_VENV} from {REQUIREMENTS.name} (a few minutes, ~0.9 GB)", flush=True)
    try:
        if not py.exists():
            subprocess.run([base, "-m", "venv", str(ANCHOR_VENV)], check=True)
        subprocess.run(
            [str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r", str(REQUIREMENTS)],
            check=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        print("anchor: could not build the venv:", exc, flush=True)
        shutil.rmtree(ANCHOR_VENV, ignore_errors=True)
        return None
    reason = _probe(str(py))
    if reason:
        print("anchor:", reason, flush=True)
        return None
    stamp.write_text(_stamp() + "\n")
    return str(py)


def worker_env() -> dict[str, str]:
    env = dict(os.environ, PYTHONWARNINGS="ignore", PYTHONUNBUFFERED="1")
    if env.get("ANCHOR_ALLOW_HUB") != "1":
        env.update(OFFLINE_ENV)
    return env


def _output_from(d: dict[str, Any]) -> AnchorOutput:
    tokens = d.get("anchor_tokens")
    return AnchorOutput(
        job_id=d["job_id"],
        technique=d.get("technique"),
        blocks=tuple(d.get("blocks", ())),
        ms=float(d.get("ms", 0.0)),
        error=d.get("error"),
        note=d.get("note", ""),
        load_ms=float(d.get("load_ms", 0.0)),
        cold=bool(d.get("cold", False)),
        anchor_tokens=(int(tokens[0]), int(tokens[1])) if tokens else None,
    )


def run_anchor(
    jobs: list[AnchorJob], out_dir: Path, python: str, timeout: float = 1800
) -> list[AnchorOutput]:
    """Run ``jobs`` in one worker process in the anchor venv; one output per job, in order.

    Results stream to a JSON-lines file, so a worker that times out or dies still returns what it
    finished; the jobs it did not reach come back with ``error`` set.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if not jobs:
        return []
    fd, name = tempfile.mkstemp(prefix="anchor-jobs-", suffix=".json", dir=out_dir)
    jobs_path = Path(name)
    with os.fdopen(fd, "w") as fh:
        json.dump([asdict(j) for j in jobs], fh)
    results_path = jobs_path.with_suffix(".results.jsonl")
    log_path = jobs_path.with_suffix(".log")
    cmd = [python, str(Path(__file__).resolve()), "--worker", str(jobs_path), str(out_dir)]
    failure: str | None = None
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=worker_env())
        try:
            rc = proc.wait(timeout=timeout)
            if rc != 0:
                failure = f"worker exited with {rc}"
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            failure = f"worker timed out after {timeout:.0f} s"
    found: dict[str, AnchorOutput] = {}
    if results_path.is_file():
        for line in results_path.read_text().splitlines():
            if line.strip():
                out = _output_from(json.loads(line))
                found[out.job_id] = out
    if failure:
        tail = log_path.read_text(errors="replace")[-1500:]
        print(
            f"anchor: {failure}; {len(found)} of {len(jobs)} jobs done; log {log_path}:\n{tail}", flush=True
        )
    else:
        log_path.unlink(missing_ok=True)
    jobs_path.unlink(missing_ok=True)
    results_path.unlink(missing_ok=True)
    missing = failure or "no result from the worker"
    return [found.get(j.job_id) or AnchorOutput(j.job_id, None, (), 0.0, missing, "") for j in jobs]


def worker_meta(out_dir: Path) -> dict[str, Any]:
    """What the last worker wrote about itself (versions, import time, OCR engine load), if anything."""
    path = Path(out_dir) / "anchor-meta.json"
    return dict(json.loads(path.read_text())) if path.is_file() else {}


# --------------------------------------------------------------------------- worker (anchor venv)


def _sniff_mime(data: bytes) -> str:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    return "application/octet-stream"


def build_messages(provider: str, data: bytes, mime: str, question: str) -> list[dict[str, Any]]:
    """One user message in the provider's shape that ``headroom.image`` reads (see the docstring)."""
    b64 = base64.b64encode(data).decode("ascii")
    text = {"type": "text", "text": question}
    image: dict[str, Any]
    if provider == "openai":
        image = {"type": "image_url", "image_url": {"url": f"data:{mime};base64,{b64}"}}
    elif provider == "anthropic":
        image = {"type": "image", "source": {"type": "base64", "media_type": mime, "data": b64}}
    elif provider == "google":
        image = {"inlineData": {"mimeType": mime, "data": b64}}
    else:
        raise ValueError(f"unknown provider {provider!r}")
    return [{"role": "user", "content": [image, text]}]


_EXT = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/gif": "gif"}


class _Blocks:
    """Turns the compressed user content into the driver's neutral blocks, writing images to files."""

    def __init__(self, out_dir: Path, job_id: str) -> None:
        self.out_dir = out_dir
        self.stem = hashlib.sha1(job_id.encode()).hexdigest()[:16]
        self.n = 0

    def _image(self, data: bytes, mime: str, detail: str | None) -> dict[str, Any]:
        path = self.out_dir / f"anchor-{self.stem}-{self.n}.{_EXT.get(_sniff_mime(data), 'bin')}"
        self.n += 1
        path.write_bytes(data)
        return {"type": "image", "path": str(path), "mime": mime, "detail": detail}

    def convert(self, content: Any) -> tuple[dict[str, Any], ...]:
        if isinstance(content, str):
            return ({"type": "text", "text": content},)
        blocks: list[dict[str, Any]] = []
        for item in content or []:
            if isinstance(item, str):
                blocks.append({"type": "text", "text": item})
            elif not isinstance(item, dict):
                blocks.append({"type": "unknown", "repr": repr(item)[:200]})
            elif item.get("type") == "text":
                blocks.append({"type": "text", "text": str(item.get("text", ""))})
            elif item.get("type") == "image_url":
                spec = item.get("image_url", {})
                m = re.match(r"data:([^;]+);base64,(.+)", spec.get("url", ""), re.S)
                if m:
                    blocks.append(self._image(base64.b64decode(m.group(2)), m.group(1), spec.get("detail")))
                else:
                    blocks.append({"type": "unknown", "repr": "image_url without data URL"})
            elif item.get("type") == "image" and item.get("source", {}).get("type") == "base64":
                src = item["source"]
                blocks.append(
                    self._image(base64.b64decode(src.get("data", "")), src.get("media_type", ""), None)
                )
            elif "inlineData" in item:
                src = item["inlineData"]
                blocks.append(
                    self._image(base64.b64decode(src.get("data", "")), src.get("mimeType", ""), None)
                )
            else:
                blocks.append({"type": "unknown", "repr": json.dumps(sorted(item))[:200]})
        return tuple(blocks)


class _Capture(logging.Handler):
    """Keeps the anchor's log lines of the current job (router failures, OCR fallbacks)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def _router_note(lines: list[str], technique: str | None, confidence: float | None) -> str:
    onnx = next((ln for ln in lines if ln.startswith("ONNX router not available")), None)
    failed = next((ln for ln in lines if ln.startswith("Router failed")), None)
    if onnx is None and failed is None:
        return f"router chose {technique} (confidence {confidence:.2f})" if confidence is not None else ""
    parts = []
    if onnx:
        reason = onnx[len("ONNX router not available (") :].split(")", 1)[0]
        if "not cached" in reason:
            reason = "model_quantized.onnx not cached, hub refused offline"
        parts.append(f"ONNX router: {reason[:160]}")
    if failed:
        parts.append(f"PyTorch router: {failed.split(': ', 1)[-1][:120]}")
    return "router models unavailable offline -> PRESERVE (" + "; ".join(parts) + ")"


def worker_main(jobs_path: Path, out_dir: Path) -> int:
    for key, value in OFFLINE_ENV.items():
        if os.environ.get("ANCHOR_ALLOW_HUB") != "1":
            os.environ.setdefault(key, value)
    t0 = time.perf_counter()
    import importlib.metadata as md

    from headroom.image import ImageCompressor, Technique
    from headroom.image import compressor as cmod
    from headroom.image.decoder_guard import pillow_is_safe
    from headroom.image.image_types import ImageMemo
    from headroom.image.tile_optimizer import optimize_images_in_messages

    import_ms = (time.perf_counter() - t0) * 1000

    capture = _Capture()
    log = logging.getLogger("headroom.image")
    log.setLevel(logging.DEBUG)
    log.addHandler(capture)
    log.propagate = False

    # Time the OCR engine's construction without changing it: wrap the class the anchor resolved.
    ocr_cls, api = cmod._resolve_rapidocr()
    ocr_load: list[float] = []
    if ocr_cls is not None:
        real_cls = ocr_cls

        def timed_engine(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return real_cls(*args, **kwargs)
            finally:
                ocr_load.append((time.perf_counter() - start) * 1000)

        cmod._RESOLVED_OCR = (timed_engine, api)

    # One compressor for the whole run, as the proxy's isolation worker keeps one (_is_singleton).
    comp = ImageCompressor()
    comp._is_singleton = True

    def forced(messages: list[dict[str, Any]], provider: str, mode: str) -> list[dict[str, Any]]:
        """compress() with the router's decision replaced by ``mode`` (same steps, same order)."""
        if not comp.has_images(messages) or not pillow_is_safe():
            return messages
        with contextlib.suppress(Exception):  # compress() swallows tile-step failures the same way
            messages, _ = optimize_images_in_messages(messages, provider)
        return list(comp._apply_compression(messages, Technique(mode), provider))

    jobs = [AnchorJob(**j) for j in json.loads(jobs_path.read_text())]
    results_path = jobs_path.with_suffix(".results.jsonl")
    seen_paths: set[str] = set()
    with open(results_path, "a") as res:
        for job in jobs:
            record = _run_job(job, out_dir, comp, forced, capture, ocr_load, seen_paths, ImageMemo, cmod)
            res.write(json.dumps(record) + "\n")
            res.flush()

    def version(pkg: str) -> str | None:
        try:
            return md.version(pkg)
        except md.PackageNotFoundError:
            return None

    meta = {
        "python": sys.version.split()[0],
        "headroom_ai": version("headroom-ai"),
        "pillow": version("pillow"),
        "ocr_api": api,
        "rapidocr_onnxruntime": version("rapidocr-onnxruntime"),
        "rapidocr": version("rapidocr"),
        "onnxruntime": version("onnxruntime"),
        "import_ms": round(import_ms, 1),
        "ocr_engine_load_ms": round(ocr_load[0], 1) if ocr_load else None,
        "offline_env": {k: os.environ.get(k) for k in OFFLINE_ENV},
        "jobs": len(jobs),
    }
    (out_dir / "anchor-meta.json").write_text(json.dumps(meta, indent=1) + "\n")
    return 0


def _run_job(
    job: AnchorJob,
    out_dir: Path,
    comp: Any,
    forced: Any,
    capture: _Capture,
    ocr_load: list[float],
    seen_paths: set[str],
    memo_cls: Any,
    cmod: Any,
) -> dict[str, Any]:
    record: dict[str, Any] = {"job_id": job.job_id, "technique": None, "blocks": [], "ms": 0.0, "error": None}
    try:
        if job.mode not in MODES:
            raise ValueError(f"unknown mode {job.mode!r}")
        data = Path(job.image_path).read_bytes()
        messages = build_messages(job.provider, data, _sniff_mime(data), job.question)
        path_key = "auto" if job.mode == "auto" else ("ocr" if job.mode == "transcode" else "forced")
        record["cold"] = path_key not in seen_paths
        seen_paths.add(path_key)
        comp._ocr_memo = memo_cls(max_bytes=cmod._OCR_MEMO_BYTES)  # each job is a new request
        capture.lines.clear()
        loads_before = len(ocr_load)
        start = time.perf_counter()
        if job.mode == "auto":
            out = comp.compress(messages, provider=job.provider)
        else:
            out = forced(messages, job.provider, job.mode)
        record["ms"] = (time.perf_counter() - start) * 1000
        if len(ocr_load) > loads_before:
            record["load_ms"] = ocr_load[-1]
        notes: list[str] = []
        if job.mode == "auto":
            res = comp.last_result
            record["technique"] = res.technique.value if res else None
            if res is not None:
                record["anchor_tokens"] = [res.original_tokens, res.compressed_tokens]
            notes.append(_router_note(capture.lines, record["technique"], res.confidence if res else None))
            if res is None:
                notes.append("compress() returned early (no image it can read, or Pillow < 13)")
        else:
            record["technique"] = job.mode
        content = out[-1].get("content") if out else None
        blocks = _Blocks(out_dir, job.job_id).convert(content)
        record["blocks"] = list(blocks)
        ocr_text = any(b["type"] == "text" and b["text"].startswith(_OCR_MARKER) for b in blocks)
        if job.mode == "transcode" and not ocr_text:
            why = "OCR gave no text or mean confidence < 0.7"
            if any("OCR" in ln and "fail" in ln for ln in capture.lines):
                why = "; ".join(ln for ln in capture.lines if "OCR" in ln)[:200]
            notes.append(f"TRANSCODE fell back to FULL_LOW ({why})")
        if "load_ms" in record:
            notes.append(f"includes OCR engine load {record['load_ms']:.0f} ms")
        if job.provider == "google" and job.mode in ("auto", "preserve"):
            notes.append("tile optimizer ignores inlineData")
        elif job.provider == "anthropic" and job.mode in ("auto", "preserve"):
            notes.append("tile optimizer never changes Anthropic images")
        record["note"] = "; ".join(n for n in notes if n)
    except Exception as exc:  # one bad job must not end the run
        record["error"] = f"{type(exc).__name__}: {exc}"
        record["note"] = ""
    return record


def make_images(out: Path, photos: list[str]) -> dict[str, str]:
    """Self-check inputs (run in the anchor venv, which has Pillow): a text screenshot and a photo."""
    from PIL import Image, ImageDraw, ImageFont

    out.mkdir(parents=True, exist_ok=True)
    lines = [
        "Invoice 2041-B  issued 14 March 2026",
        "Customer: Northwind Traders, 12 Harbour Road",
        "Item                    Qty    Unit     Total",
        "Paper A4 80g            12     4.20     50.40",
        "Toner cartridge TN-421   3    61.00    183.00",
        "Subtotal                              233.40",
        "VAT 20%                                46.68",
        "Amount due                           280.08",
        "Payment within 30 days to account 0042-7781.",
    ]
    font_path = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")
    font: Any = ImageFont.truetype(str(font_path), 22) if font_path.is_file() else ImageFont.load_default(22)
    img = Image.new("RGB", (1280, 800), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, 1280, 56), fill=(40, 70, 120))
    draw.text((24, 14), "Billing - Invoices", fill="white", font=font)
    for i, line in enumerate(lines):
        draw.text((60, 110 + 52 * i), line, fill="black", font=font)
    text_png = out / "text-1280x800.png"
    img.save(text_png)

    photo = out / "photo.jpg"
    src = next((Path(p) for p in photos if Path(p).is_file()), None)
    if src is not None:
        shutil.copyfile(src, photo)
    else:  # no photo on disk: a smooth synthetic scene, JPEG
        scene = Image.radial_gradient("L").resize((1024, 768)).convert("RGB")
        scene = Image.merge("RGB", (scene.getchannel(0), scene.getchannel(0).rotate(90), scene.getchannel(0)))
        scene.save(photo, quality=90)
    return {"text": str(text_png), "photo": str(photo)}


# --------------------------------------------------------------------------- self-check (driver)


def image_size(path: str) -> tuple[int, int] | None:
    """Width and height of a PNG or JPEG file, stdlib only."""
    data = Path(path).read_bytes()
    if data.startswith(b"\x89PNG"):
        w, h = struct.unpack(">II", data[16:24])
        return int(w), int(h)
    if data.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
                i += 1 if marker == 0xFF else 2
                continue
            seg = struct.unpack(">H", data[i + 2 : i + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
                h, w = struct.unpack(">HH", data[i + 5 : i + 9])
                return int(w), int(h)
            i += 2 + seg
    return None


def _photo_candidates() -> list[str]:
    """Real photos that may be on disk (bundled with matplotlib / scikit-learn / scikit-image)."""
    import importlib.util

    rel = {
        "matplotlib": "mpl-data/sample_data/grace_hopper.jpg",
        "sklearn": "datasets/images/china.jpg",
        "skimage": "data/rocket.jpg",
    }
    found = []
    for mod, sub in rel.items():
        try:
            spec = importlib.util.find_spec(mod)
        except (ImportError, ValueError):
            spec = None
        if spec is not None and spec.origin:
            found.append(str(Path(spec.origin).parent / sub))
    return found


def _describe(out: AnchorOutput, original: tuple[int, int] | None) -> str:
    if out.error:
        return f"ERROR {out.error}"
    parts = []
    for b in out.blocks:
        if b["type"] == "text":
            if b["text"].startswith(_OCR_MARKER):
                parts.append(f"ocr-text {len(b['text'])} chars")
        elif b["type"] == "image":
            size = image_size(b["path"])
            dims = f"{size[0]}x{size[1]}" if size else "?"
            same = " (orig)" if size == original else ""
            parts.append(f"img {dims}{same} {b['mime'].split('/')[-1]} detail={b['detail']}")
        else:
            parts.append(b["type"])
    return ", ".join(parts)


def _checks(job: AnchorJob, out: AnchorOutput, original: tuple[int, int] | None, kind: str) -> list[str]:
    """What the anchor's code says must come out; the problems found."""
    bad: list[str] = []
    if out.error:
        return [out.error]
    images = [b for b in out.blocks if b["type"] == "image"]
    ocr = [b for b in out.blocks if b["type"] == "text" and b["text"].startswith(_OCR_MARKER)]
    if not any(b["type"] == "text" and b["text"] == job.question for b in out.blocks):
        bad.append("question text missing")
    size = image_size(images[0]["path"]) if images else None
    mode = "preserve" if job.mode == "auto" else job.mode
    if job.mode == "auto" and (out.technique != "preserve" or "PRESERVE" not in out.note):
        bad.append(f"auto offline should be PRESERVE with a note, got {out.technique}: {out.note}")
    if mode == "transcode" and kind == "text":
        if not ocr:
            bad.append("transcode of the text image gave no OCR text")
        elif "280.08" not in ocr[0]["text"] or "Northwind" not in ocr[0]["text"]:
            bad.append("OCR text lacks 'Northwind' / '280.08'")
        return bad
    if mode == "transcode" and ocr:
        return bad  # OCR accepted something on the photo: reported in the table
    if len(images) != 1 or size is None:
        return [*bad, "expected one image"]
    lowered = mode in ("full_low", "crop", "transcode")
    if job.provider == "openai":
        if original and original[0] * original[1] > 512 * 512 and size == original:
            bad.append("openai: tile optimizer did not resize")
        if lowered != (images[0]["detail"] == "low"):
            bad.append(f"openai: detail {images[0]['detail']}")
    else:  # anthropic: longest side 512 when lowered; google: 768; smaller images are left as they are
        longest = max(original or (0, 0))
        want = min(longest, 512 if job.provider == "anthropic" else 768) if lowered else longest
        if max(size) != want:
            bad.append(f"{job.provider}: long side {max(size)}, expected {want}")
    return bad


def selfcheck(explicit: str | None) -> int:
    python = anchor_python(explicit)
    if python is None:
        return 1
    SELFCHECK_DIR.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [python, str(Path(__file__).resolve()), "--make-images", str(SELFCHECK_DIR), *_photo_candidates()],
        capture_output=True,
        text=True,
        check=True,
    )
    images: dict[str, str] = json.loads(proc.stdout.strip().splitlines()[-1])
    questions = {"text": "What is the amount due on this invoice?", "photo": "What is in this picture?"}
    jobs = [
        AnchorJob(f"{kind}|{prov}|{mode}", path, questions[kind], prov, mode)
        for kind, path in images.items()
        for prov in PROVIDERS
        for mode in MODES
    ]
    out_dir = SELFCHECK_DIR / "out"
    t0 = time.perf_counter()
    outputs = run_anchor(jobs, out_dir, python, timeout=900)
    wall = time.perf_counter() - t0
    meta = worker_meta(out_dir)
    print(
        f"headroom-ai {meta.get('headroom_ai')} (python {meta.get('python')}, pillow {meta.get('pillow')}, "
        f"OCR {meta.get('ocr_api')}: rapidocr-onnxruntime {meta.get('rapidocr_onnxruntime')}, "
        f"onnxruntime {meta.get('onnxruntime')}); import {meta.get('import_ms')} ms, OCR engine load "
        f"{meta.get('ocr_engine_load_ms')} ms; {len(jobs)} jobs in {wall:.1f} s (process start included)"
    )
    for kind, path in images.items():
        size = image_size(path)
        print(f"  {kind}: {path} {size[0]}x{size[1]}" if size else f"  {kind}: {path}")
    print()
    header = f"{'image':6} {'provider':9} {'mode':9} {'technique':9} {'ms':>8}  {'output':52} check / note"
    print(header)
    print("-" * len(header))
    failures = 0
    for job, out in zip(jobs, outputs, strict=True):
        kind = job.job_id.split("|")[0]
        original = image_size(job.image_path)
        bad = _checks(job, out, original, kind)
        failures += bool(bad)
        verdict = "FAIL " + "; ".join(bad) if bad else "ok"
        cold = "*" if out.cold else " "
        print(
            f"{kind:6} {job.provider:9} {job.mode:9} {out.technique or '-':9} {out.ms:7.1f}{cold} "
            f"{_describe(out, original):52} {verdict}" + (f" | {out.note}" if out.note else "")
        )
    for job_id in ("text|openai|transcode", "photo|anthropic|transcode"):
        out = next(o for j, o in zip(jobs, outputs, strict=True) if j.job_id == job_id)
        ocr = [b["text"] for b in out.blocks if b["type"] == "text" and b["text"].startswith(_OCR_MARKER)]
        print(f"\nOCR text ({job_id}):\n" + (ocr[0] if ocr else "(none: fell back to FULL_LOW)"))
    print(f"\n* = first job of its code path in the worker. {failures} check(s) failed.")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument(
        "--worker", nargs=2, metavar=("JOBS_JSON", "OUT_DIR"), help="run jobs (inside the anchor venv)"
    )
    ap.add_argument("--make-images", nargs="+", metavar="DIR", help=argparse.SUPPRESS)
    ap.add_argument("--selfcheck", action="store_true", help="build the venv and check every provider x mode")
    ap.add_argument("--anchor-python", default=None, help="python of an existing venv with headroom-ai")
    args = ap.parse_args(argv)
    if args.worker:
        return worker_main(Path(args.worker[0]), Path(args.worker[1]))
    if args.make_images:
        print(json.dumps(make_images(Path(args.make_images[0]), args.make_images[1:])))
        return 0
    if args.selfcheck:
        return selfcheck(args.anchor_python)
    python = anchor_python(args.anchor_python)
    print(python or "anchor venv unavailable")
    return 0 if python else 1


if __name__ == "__main__":
    sys.exit(main())
