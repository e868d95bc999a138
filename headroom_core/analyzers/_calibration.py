"""The calibration set of the embedded analyzer, and the deterministic fit of its logistic models.

Run ``python -m headroom_core.analyzers._calibration`` to rebuild the set, refit, and print the
result; ``--write`` regenerates ``_coefficients.py``, ``--check`` verifies that the refit reproduces
it exactly (about 1.5 minutes on 2 cores), ``--dump DIR`` saves the images. It needs scikit-image
(for the real photos it ships) besides numpy and Pillow; matplotlib's and the system's DejaVu /
Computer Modern / STIX fonts are used when present, Pillow's bundled font otherwise. The result is
bit-for-bit reproducible on a machine with the same fonts and library versions.

The set (477 images, every one drawn or loaded here, seeded):

- documents (pages in serif / sans / mono fonts at 1-3 % of the page width, one or two columns,
  headings, tables, scan-like variants), receipts, code editors (dark and light), terminals,
  chat screenshots, slides;
- UI screenshots with small text, dashboards, web pages with a photo, flowcharts;
- bar / line / scatter / pie charts;
- the real photos that ship with scikit-image (astronaut, coffee, chelsea, rocket, camera, coins,
  moon, brick, grass, gravel, hubble_deep_field, immunohistochemistry, retina, logo, horse, clock,
  cell, colorwheel, the stereo motorcycle) resized and cropped, photo collages, photos with a
  small sign or a caption drawn onto them, and the scanned ``page`` and chalk-board ``text``;
- plain graphics (flat colour, gradients, a few large shapes, confetti of tiny shapes).

Labels (the rules the generators follow):

- ``has_text``: at least one line of readable text (>= 3 characters, ink height >= 6 px) is drawn.
- ``is_document``: text is the content and the layout is plain: pages, receipts, code, terminals,
  chats, slides, scans. UI screenshots, dashboards, charts, diagrams and photos are not.
- ``is_complex``: many distinct elements: busy photos (astronaut, rocket, coins, grass, gravel,
  hubble, immunohistochemistry, motorcycle), collages, UIs, dashboards, web pages, charts with many
  marks or series, large diagrams, confetti. Pages of text, receipts, slides, simple charts and
  single-subject photos are not.
- ``has_small_details``: detail that a 512-px rendition (the long side scaled to 512) would lose:
  text whose ink height there is below 9 px, or fine structure (textures, star fields, thin
  lattices, tiny marks) judged per photo below.

Fitting: the per-line text model is one L2-regularised logistic regression per pyramid level on the
detector's candidates, a candidate being text when at least 60 % of its box is covered by drawn
text and it is at least half as high as that text line (an ``i`` dot or a fragment is not a line);
each image weighs at most 15 positive and 60 negative candidates, so a page of 100 lines does not
drown the sign in a photo. Then each signal is an L2-regularised logistic regression on the
image-level features, which use the fitted line model. All fits: standardised features, Newton's
method, deterministic. Fit quality is reported with 5-fold
cross-validation grouped by source (all images made from one photo, or one generator seed bucket,
stay in one fold): log-loss, Brier score, AUC, accuracy at 0.5 and expected calibration error.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import os
import sys
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from ..types import Box
from ._detector import LINE_FEATURES
from .embedded import IMAGE_FEATURES, SIGNALS, _LineModel, _Logistic, measure

__all__ = ["Sample", "build_calibration_set", "fit_logistic", "fit_models", "main"]

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
RGB = tuple[int, int, int]
Labels = dict[str, float]

# ----------------------------------------------------------------------------------------------
# Fonts and words
# ----------------------------------------------------------------------------------------------

_FONT_FILES = {
    "sans": ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "cmss10.ttf", "DejaVuSansCondensed.ttf"],
    "serif": ["DejaVuSerif.ttf", "STIXGeneral.ttf", "cmr10.ttf", "DejaVuSerifCondensed.ttf"],
    "mono": ["DejaVuSansMono.ttf", "cmtt10.ttf", "DejaVuSansMono-Bold.ttf"],
}


def _font_dirs() -> list[Path]:
    dirs: list[Path] = []
    spec = importlib.util.find_spec("matplotlib")
    if spec is not None and spec.origin:
        dirs.append(Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf")
    dirs += [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/TTF"), Path("/Library/Fonts")]
    return [d for d in dirs if d.is_dir()]


def _find_fonts() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    dirs = _font_dirs()
    for family, names in _FONT_FILES.items():
        paths: list[str] = []
        for name in names:
            for d in dirs:
                if (d / name).is_file():
                    paths.append(str(d / name))
                    break
        found[family] = paths
    return found


_FONTS = _find_fonts()
_font_cache: dict[tuple[str, int], Font] = {}


def _font(family: str, size: int, rng: np.random.Generator | None = None, index: int | None = None) -> Font:
    size = max(6, int(size))
    paths = _FONTS.get(family) or _FONTS.get("sans") or []
    if not paths:
        key = ("<default>", size)
        if key not in _font_cache:
            _font_cache[key] = ImageFont.load_default(size=size)
        return _font_cache[key]
    if index is None:
        index = 0 if rng is None else int(rng.integers(len(paths)))
    path = paths[index % len(paths)]
    key = (path, size)
    if key not in _font_cache:
        _font_cache[key] = ImageFont.truetype(path, size)
    return _font_cache[key]


_WORDS = (
    "the of and to in is was for on that with as by at from this be are or an it have which not his but "
    "all they were one had their has been more can also its other new into some two time after first "
    "would these only may over most such where when many between three system data value total report "
    "order number account customer invoice payment service market result analysis model process design "
    "research network energy water health public policy student school project period average growth "
    "quarter revenue profit balance amount section figure table review update release version server "
    "client request response error warning status config default option method function return field "
    "record index search filter display window button label message profile settings account history "
    "summary details overview please contact support further information available between during "
    "within without against toward about around before behind below beneath beside beyond inside "
    "outside through throughout under until upon whether while Monday January Paris London Berlin "
    "Quebec Zurich Kyoto quickly carefully important necessary possible different general special"
).split()

_CODE_TOKENS = (
    "def class return import from self if else elif for while in not and or None True False try "
    "except raise with as lambda yield async await print len range dict list str int float value "
    "result items config logger request response data index count total path name args kwargs"
).split()


def _sentence(rng: np.random.Generator, n_words: int) -> str:
    words = [_WORDS[int(i)] for i in rng.integers(len(_WORDS), size=max(1, n_words))]
    s = " ".join(words)
    if rng.random() < 0.3:
        s = s[0].upper() + s[1:]
    if rng.random() < 0.2:
        s += f" {int(rng.integers(1, 9999))}"
    return s


def _title(rng: np.random.Generator, n_words: int) -> str:
    return " ".join(_WORDS[int(i)].capitalize() for i in rng.integers(len(_WORDS), size=max(1, n_words)))


# ----------------------------------------------------------------------------------------------
# Drawing helpers
# ----------------------------------------------------------------------------------------------


class _Canvas:
    """An RGB image plus the ground-truth ink boxes of the text drawn on it."""

    def __init__(self, size: tuple[int, int], bg: RGB) -> None:
        self.image = Image.new("RGB", size, bg)
        self.draw = ImageDraw.Draw(self.image)
        self.boxes: list[Box] = []
        self.heights: list[int] = []

    @classmethod
    def over(cls, image: Image.Image) -> _Canvas:
        """A canvas drawing on a copy of ``image``."""
        canvas = cls.__new__(cls)
        canvas.image = image.copy()
        canvas.draw = ImageDraw.Draw(canvas.image)
        canvas.boxes, canvas.heights = [], []
        return canvas

    def text(self, xy: tuple[float, float], s: str, font: Font, fill: RGB, record: bool = True) -> Box:
        self.draw.text(xy, s, font=font, fill=fill)
        x0, y0, x1, y1 = (round(v) for v in self.draw.textbbox(xy, s, font=font))
        box = Box(x0, y0, x1, y1).clamp(*self.image.size)
        if record and box.area > 0 and len(s.strip()) >= 2:
            self.boxes.append(box)
            self.heights.append(box.height)
        return box

    def text_width(self, s: str, font: Font) -> float:
        return float(self.draw.textlength(s, font=font))


def _grey(v: int) -> RGB:
    return (v, v, v)


def _jitter(rng: np.random.Generator, c: RGB, amount: int = 12) -> RGB:
    return tuple(int(np.clip(v + rng.integers(-amount, amount + 1), 0, 255)) for v in c)  # type: ignore[return-value]


_PALETTE: tuple[RGB, ...] = (
    (31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
    (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207),
)  # fmt: skip


def _small_label(heights: Sequence[int], long_side: int, photo: float = 0.0) -> float:
    """1 when the body text would fall below 9 px at a 512-px rendition, else the photo's own label."""
    if not heights:
        return photo
    body = float(np.percentile(np.asarray(heights, dtype=np.float64), 20))
    return 1.0 if body * 512.0 / long_side < 9.0 else photo


def _labels(text: float, doc: float, complex_: float, small: float) -> Labels:
    return {"has_text": text, "is_document": doc, "is_complex": complex_, "has_small_details": small}


@dataclass(frozen=True)
class Sample:
    """One labelled calibration image."""

    name: str
    kind: str
    group: str
    image: Image.Image
    labels: Mapping[str, float]
    text_boxes: tuple[Box, ...] | None = None  # None: text present but not annotated
    meta: Mapping[str, Any] = field(default_factory=dict)


# ----------------------------------------------------------------------------------------------
# Photos shipped on PyPI (scikit-image)
# ----------------------------------------------------------------------------------------------

# name -> (is_complex, has_small_details), judged by eye (see the module docstring).
_PHOTOS: dict[str, tuple[float, float]] = {
    "astronaut": (1.0, 1.0),
    "coffee": (0.0, 0.0),
    "chelsea": (0.0, 0.0),
    "rocket": (1.0, 1.0),
    "camera": (0.0, 0.0),
    "coins": (1.0, 1.0),
    "moon": (0.0, 0.0),
    "brick": (0.0, 0.0),
    "grass": (1.0, 1.0),
    "gravel": (1.0, 1.0),
    "hubble_deep_field": (1.0, 1.0),
    "immunohistochemistry": (1.0, 1.0),
    "retina": (0.0, 1.0),
    "logo": (0.0, 0.0),
    "horse": (0.0, 0.0),
    "clock": (0.0, 0.0),
    "cell": (0.0, 0.0),
    "colorwheel": (0.0, 0.0),
    "motorcycle": (1.0, 1.0),
}


def _load_photos() -> dict[str, Image.Image]:
    try:
        from skimage import data
    except ImportError as exc:  # pragma: no cover - dev tool
        raise SystemExit("the calibration set needs scikit-image (pip install scikit-image)") from exc
    out: dict[str, Image.Image] = {}
    for name in _PHOTOS:
        arr = data.stereo_motorcycle()[0] if name == "motorcycle" else getattr(data, name)()
        arr = np.asarray(arr)
        if arr.dtype == np.bool_:
            arr = np.where(arr, 0, 255).astype(np.uint8)  # horse: black silhouette on white
        elif arr.dtype != np.uint8:
            arr = np.clip(arr * (255.0 if arr.max() <= 1.0 else 1.0), 0, 255).astype(np.uint8)
        img = Image.fromarray(arr)
        out[name] = _flatten(img)
    out["page"] = _flatten(Image.fromarray(np.asarray(data.page())))
    out["text"] = _flatten(Image.fromarray(np.asarray(data.text())))
    return out


def _flatten(img: Image.Image) -> Image.Image:
    if img.mode in ("RGBA", "LA"):
        bg = Image.new("RGBA", img.size, (255, 255, 255, 255))
        bg.alpha_composite(img.convert("RGBA"))
        return bg.convert("RGB")
    return img.convert("RGB")


def _resize_long(img: Image.Image, long_side: int) -> Image.Image:
    w, h = img.size
    f = long_side / max(w, h)
    if abs(f - 1.0) < 1e-6:
        return img.copy()
    method = Image.Resampling.LANCZOS if f < 1 else Image.Resampling.BICUBIC
    return img.resize((max(1, round(w * f)), max(1, round(h * f))), method)


def _random_crop(img: Image.Image, rng: np.random.Generator, lo: float = 0.6) -> Image.Image:
    w, h = img.size
    f = float(rng.uniform(lo, 1.0))
    cw, ch = max(16, int(w * f)), max(16, int(h * f))
    x = int(rng.integers(0, w - cw + 1))
    y = int(rng.integers(0, h - ch + 1))
    return img.crop((x, y, x + cw, y + ch))


# ----------------------------------------------------------------------------------------------
# Generators: each returns (image, labels, text boxes or None, meta)
# ----------------------------------------------------------------------------------------------

Gen = tuple[Image.Image, Labels, tuple[Box, ...] | None, dict[str, Any]]


def gen_document(rng: np.random.Generator) -> Gen:
    size = [(850, 1100), (1275, 1650), (1700, 2200), (1240, 1754), (1000, 1294), (1654, 2339)][
        int(rng.integers(6))
    ]
    if rng.random() < 0.15:
        size = (size[1], size[0] * 3 // 4)  # landscape excerpt
    w, h = size
    scan = rng.random() < 0.3
    bg = _jitter(rng, (246, 244, 238), 6) if scan else (255, 255, 255)
    ink = _grey(int(rng.integers(0, 70)))
    c = _Canvas(size, bg)
    family = ["serif", "sans", "mono"][int(rng.choice(3, p=[0.45, 0.4, 0.15]))]
    fs = max(9, round(w * float(rng.uniform(0.009, 0.03))))
    body = _font(family, fs, rng)
    head = _font("sans" if rng.random() < 0.6 else family, round(fs * float(rng.uniform(1.3, 2.2))), rng)
    margin = int(w * float(rng.uniform(0.07, 0.13)))
    cols = 2 if (rng.random() < 0.25 and w > 900) else 1
    gutter = int(w * 0.04)
    col_w = (w - 2 * margin - (cols - 1) * gutter) // cols
    spacing = float(rng.uniform(1.15, 1.6))
    y = margin
    c.text((margin, y), _title(rng, int(rng.integers(2, 7))), head, ink)
    y += int(head.size * 1.8) if isinstance(head, ImageFont.FreeTypeFont) else 40
    col = 0
    x0 = margin
    top_y = y
    while True:
        if rng.random() < 0.08 and cols == 1 and y < h - margin - 8 * fs:  # a small table
            rows, ncol = int(rng.integers(3, 8)), int(rng.integers(2, 5))
            cw = col_w // ncol
            rh = int(fs * 1.8)
            for ri in range(rows):
                for ci in range(ncol):
                    x = x0 + ci * cw
                    c.draw.rectangle((x, y, x + cw, y + rh), outline=_grey(120))
                    label = _title(rng, 1) if ri == 0 else f"{rng.uniform(0, 999):.2f}"
                    c.text((x + fs * 0.4, y + (rh - fs) / 2 - fs * 0.1), label, body, ink)
                y += rh
            y += fs
        n_lines = int(rng.integers(3, 10))
        for li in range(n_lines):
            if y > h - margin - fs * 2:
                break
            indent = fs * 2 if (li == 0 and rng.random() < 0.5) else 0
            words: list[str] = []
            while True:
                cand = " ".join([*words, _WORDS[int(rng.integers(len(_WORDS)))]])
                if c.text_width(cand, body) > col_w - indent:
                    break
                words = cand.split(" ")
            if li == n_lines - 1:
                words = words[: max(1, int(len(words) * float(rng.uniform(0.3, 0.9))))]
            if words:
                c.text((x0 + indent, y), " ".join(words), body, ink)
            y += int(fs * spacing)
        y += int(fs * float(rng.uniform(0.3, 1.2)))
        if y > h - margin - fs * 2:
            col += 1
            if col >= cols:
                break
            x0 = margin + col * (col_w + gutter)
            y = top_y
    if rng.random() < 0.5:
        c.text((w // 2 - fs, h - margin // 2 - fs), str(int(rng.integers(1, 300))), body, ink)
    img = c.image
    if scan:
        img = _scan_look(img, rng)
    small = _small_label(c.heights, max(w, h))
    return img, _labels(1, 1, 0, small), tuple(c.boxes), {"font_px": fs}


def _scan_look(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    if rng.random() < 0.5:
        img = img.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.3, 0.8))))
    arr = np.asarray(img, dtype=np.int16)
    noise = rng.normal(0, float(rng.uniform(2, 7)), size=arr.shape[:2])[..., None]
    return Image.fromarray(np.clip(arr + noise, 0, 255).astype(np.uint8))


def gen_receipt(rng: np.random.Generator) -> Gen:
    fs = int(rng.integers(14, 26))
    font = _font("mono", fs, rng)
    big = _font("mono", int(fs * 1.5), rng)
    n_items = int(rng.integers(4, 22))
    w = int(fs * float(rng.uniform(22, 30)))
    h = int(fs * 1.45 * (n_items + 16)) + 80
    bg = _jitter(rng, (250, 250, 246), 5)
    c = _Canvas((w, h), bg)
    ink = _grey(int(rng.integers(0, 60)))
    y = 30.0
    name = _title(rng, int(rng.integers(1, 3))).upper()
    c.text(((w - c.text_width(name, big)) / 2, y), name, big, ink)
    y += fs * 2.2
    for s in (
        f"{int(rng.integers(1, 999))} {_title(rng, 2)} Street",
        f"Tel 0{int(rng.integers(100_000_000, 1_000_000_000))}",
    ):
        c.text(((w - c.text_width(s, font)) / 2, y), s, font, ink)
        y += fs * 1.45
    cols = int((w - 40) / c.text_width("0", font))
    rule = ("-" if rng.random() < 0.5 else "=") * cols
    c.text((20, y), rule, font, ink, record=False)
    y += fs * 1.45
    total = 0.0
    for _ in range(n_items):
        item = _WORDS[int(rng.integers(len(_WORDS)))].upper()[: cols - 12]
        price = float(rng.uniform(0.5, 99))
        total += price
        line = f"{item:<{cols - 9}}{price:>8.2f}"
        c.text((20, y), line, font, ink)
        y += fs * 1.45
    c.text((20, y), rule, font, ink, record=False)
    y += fs * 1.45
    for k, v in (("SUBTOTAL", total), ("TAX", total * 0.08), ("TOTAL", total * 1.08)):
        c.text(
            (20, y), f"{k:<{cols - 11}}{v:>10.2f}", big if k == "TOTAL" and rng.random() < 0.5 else font, ink
        )
        y += fs * 1.6
    if rng.random() < 0.6 and y + 60 < h:  # a barcode
        x = 30
        while x < w - 30:
            bw = int(rng.integers(1, 4))
            c.draw.rectangle((x, y + 10, x + bw - 1, y + 60), fill=ink)
            x += bw + int(rng.integers(1, 4))
        y += 70
    if y + fs * 2 < h:
        s = "THANK YOU"
        c.text(((w - c.text_width(s, font)) / 2, y + fs * 0.5), s, font, ink)
    img = c.image
    if rng.random() < 0.3:
        img = _scan_look(img, rng)
    return img, _labels(1, 1, 0, _small_label(c.heights, max(w, h))), tuple(c.boxes), {"font_px": fs}


def gen_code(rng: np.random.Generator, terminal: bool = False) -> Gen:
    w, h = [(1280, 800), (1440, 900), (1920, 1080), (2560, 1440), (1024, 768), (3840, 2160)][
        int(rng.integers(6))
    ]
    dpr = w / 1440
    fs = max(10, round(float(rng.uniform(11, 17)) * max(1.0, dpr)))
    font = _font("mono", fs, rng)
    dark = terminal or rng.random() < 0.55
    bg = _jitter(rng, (30, 31, 36) if dark else (250, 250, 250), 8)
    fg = (220, 220, 220) if dark else (36, 41, 46)
    colours = [(197, 134, 192), (86, 156, 214), (206, 145, 120), (106, 153, 85), (220, 220, 170)]
    if not dark:
        colours = [(215, 58, 73), (0, 92, 197), (3, 47, 98), (34, 134, 58), (111, 66, 193)]
    c = _Canvas((w, h), bg)
    x0, y0 = 10, 10
    if not terminal:
        bar_h = int(fs * 2.4)
        c.draw.rectangle((0, 0, w, bar_h), fill=_jitter(rng, (45, 45, 50) if dark else (232, 232, 236), 6))
        tx = 10
        for _ in range(int(rng.integers(1, 5))):
            name = f"{_WORDS[int(rng.integers(len(_WORDS)))]}.py"
            c.text((tx + fs * 0.6, (bar_h - fs) / 2), name, font, fg)
            tx += int(c.text_width(name, font) + fs * 2.5)
        y0 = bar_h + 8
        if rng.random() < 0.4:  # file tree
            side_w = int(w * 0.18)
            c.draw.rectangle(
                (0, bar_h, side_w, h), fill=_jitter(rng, (37, 37, 40) if dark else (243, 243, 243), 4)
            )
            y = y0
            while y < h - fs * 2:
                c.text(
                    (12 + fs * int(rng.integers(0, 3)), y),
                    f"{_WORDS[int(rng.integers(len(_WORDS)))]}.py",
                    font,
                    fg,
                )
                y += int(fs * 1.6)
            x0 = side_w + 10
    line_h = int(fs * float(rng.uniform(1.3, 1.6)))
    y = y0
    n = 1
    while y < h - line_h:
        if not terminal:
            c.text((x0, y), f"{n:>3}", font, (120, 120, 120))
        x = x0 + (0 if terminal else c.text_width("0000 ", font))
        if rng.random() < 0.12:
            y += line_h
            n += 1
            continue
        indent = int(rng.integers(0, 4)) * 4
        x += c.text_width(" " * indent, font)
        if terminal:
            s = _sentence(rng, int(rng.integers(2, 12)))
            if rng.random() < 0.3:
                s = f"$ {s.split()[0]} -{'la'[: int(rng.integers(1, 3))]} {s}"
            c.text((x, y), s, font, (80, 220, 100) if rng.random() < 0.3 else fg)
        else:
            for _ in range(int(rng.integers(1, 7))):
                tok = _CODE_TOKENS[int(rng.integers(len(_CODE_TOKENS)))]
                tok += "(" if rng.random() < 0.3 else (":" if rng.random() < 0.1 else "")
                col = colours[int(rng.integers(len(colours)))] if rng.random() < 0.6 else fg
                box = c.text((x, y), tok, font, col, record=False)
                c.boxes.append(box)
                c.heights.append(box.height)
                x += c.text_width(tok + " ", font)
                if x > w - 40:
                    break
        y += line_h
        n += 1
    small = _small_label(c.heights, max(w, h))
    return c.image, _labels(1, 1, 0, small), _merge_line_boxes(c.boxes), {"font_px": fs}


def _merge_line_boxes(boxes: Iterable[Box]) -> tuple[Box, ...]:
    """Ground truth: tokens drawn on one row, close together, form one line box."""
    out: list[Box] = []
    for b in sorted(boxes, key=lambda b: (b.top, b.left)):
        if out:
            p = out[-1]
            same_row = abs((p.top + p.bottom) - (b.top + b.bottom)) < max(p.height, b.height)
            gap = max(b.left - p.right, p.left - b.right)
            if same_row and gap < 1.5 * max(p.height, b.height):
                out[-1] = p.union(b)
                continue
        out.append(b)
    return tuple(out)


def gen_terminal(rng: np.random.Generator) -> Gen:
    return gen_code(rng, terminal=True)


def gen_chat(rng: np.random.Generator) -> Gen:
    w, h = [(1080, 1920), (750, 1334), (1280, 900), (1920, 1080), (1170, 2532)][int(rng.integers(5))]
    fs = max(12, round(w * float(rng.uniform(0.016, 0.04)) if h > w else float(rng.uniform(13, 18))))
    font = _font("sans", fs, rng)
    c = _Canvas((w, h), (255, 255, 255) if rng.random() < 0.7 else (236, 229, 221))
    bar_h = int(fs * 3.5)
    c.draw.rectangle((0, 0, w, bar_h), fill=_jitter(rng, (7, 94, 84), 20))
    c.text((fs * 3, bar_h / 2 - fs / 2), _title(rng, 2), _font("sans", int(fs * 1.2)), (255, 255, 255))
    y: float = bar_h + fs
    max_w = int(w * 0.68)
    while y < h - fs * 6:
        mine = rng.random() < 0.5
        n_lines = int(rng.integers(1, 5))
        lines = []
        for _ in range(n_lines):
            words: list[str] = []
            target = float(rng.uniform(0.3, 1.0)) * (max_w - 2 * fs)
            while True:
                cand = " ".join([*words, _WORDS[int(rng.integers(len(_WORDS)))]])
                if c.text_width(cand, font) > target:
                    break
                words = cand.split(" ")
            lines.append(" ".join(words) or "ok")
        bw = int(max(c.text_width(s, font) for s in lines) + 2 * fs)
        bh = int(n_lines * fs * 1.35 + fs * 1.2)
        x = w - bw - fs if mine else fs
        c.draw.rounded_rectangle(
            (x, y, x + bw, y + bh), radius=fs // 2, fill=(220, 248, 198) if mine else (242, 242, 247)
        )
        ty = y + fs * 0.55
        for s in lines:
            c.text((x + fs, ty), s, font, (20, 20, 20))
            ty += fs * 1.35
        y += bh + fs * 0.8
    c.draw.rounded_rectangle((fs, h - fs * 4, w - fs, h - fs), radius=fs, outline=(200, 200, 200), width=2)
    return c.image, _labels(1, 1, 0, _small_label(c.heights, max(w, h))), tuple(c.boxes), {"font_px": fs}


def gen_slide(rng: np.random.Generator) -> Gen:
    w, h = [(1280, 720), (1920, 1080), (1024, 768)][int(rng.integers(3))]
    bg = (255, 255, 255) if rng.random() < 0.6 else _jitter(rng, (24, 40, 72), 20)
    fg = (20, 20, 20) if bg == (255, 255, 255) else (245, 245, 245)
    c = _Canvas((w, h), bg)
    accent = _PALETTE[int(rng.integers(len(_PALETTE)))]
    if rng.random() < 0.5:
        c.draw.rectangle((0, 0, w, int(h * 0.02)), fill=accent)
    tf = _font("sans", int(h * float(rng.uniform(0.06, 0.09))), rng)
    family = "sans" if rng.random() < 0.7 else "serif"
    bsize = max(6, int(h * float(rng.uniform(0.035, 0.05))))
    bf = _font(family, bsize, rng)
    c.text((w * 0.07, h * 0.08), _title(rng, int(rng.integers(2, 6))), tf, fg)
    y = h * 0.3
    for _ in range(int(rng.integers(2, 6))):
        c.draw.ellipse((w * 0.08, y + bsize * 0.35, w * 0.08 + bsize * 0.3, y + bsize * 0.65), fill=accent)
        c.text((w * 0.11, y), _sentence(rng, int(rng.integers(3, 8))), bf, fg)
        y += bsize * 1.7
    if rng.random() < 0.3:
        x0 = int(w * 0.72)
        c.draw.rectangle((x0, int(h * 0.35), x0 + int(w * 0.2), int(h * 0.8)), fill=accent)
    return c.image, _labels(1, 1, 0, _small_label(c.heights, max(w, h))), tuple(c.boxes), {}


def _icon(c: _Canvas, rng: np.random.Generator, x: float, y: float, s: float) -> None:
    col = _PALETTE[int(rng.integers(len(_PALETTE)))]
    if rng.random() < 0.5:
        c.draw.rounded_rectangle((x, y, x + s, y + s), radius=max(1, int(s / 4)), fill=col)
    else:
        c.draw.ellipse((x, y, x + s, y + s), fill=col)


def gen_ui(rng: np.random.Generator) -> Gen:
    w, h = [(1280, 800), (1440, 900), (1920, 1080), (2560, 1600), (2880, 1800), (1366, 768)][
        int(rng.integers(6))
    ]
    dpr = 2.0 if w >= 2560 else 1.0
    fs = round(float(rng.uniform(11, 14.5)) * dpr)
    font = _font("sans", fs, rng)
    bold = _font("sans", int(fs * 1.15), index=1)
    dark = rng.random() < 0.3
    bg = (32, 33, 36) if dark else (247, 248, 250)
    panel = (44, 45, 49) if dark else (255, 255, 255)
    fg = (225, 225, 225) if dark else (40, 40, 45)
    muted = (150, 150, 155) if dark else (110, 115, 125)
    c = _Canvas((w, h), bg)
    top = int(48 * dpr)
    c.draw.rectangle((0, 0, w, top), fill=_jitter(rng, _PALETTE[int(rng.integers(len(_PALETTE)))], 10))
    c.text((16 * dpr, (top - fs) / 2), _title(rng, 2), bold, (255, 255, 255))
    x = w - 16 * dpr
    for _ in range(int(rng.integers(2, 5))):
        s = _title(rng, 1)
        x -= c.text_width(s, font) + 24 * dpr
        c.text((x, (top - fs) / 2), s, font, (240, 240, 240))
    side = int(w * float(rng.uniform(0.14, 0.2)))
    c.draw.rectangle((0, top, side, h), fill=panel)
    y = top + 16 * dpr
    while y < h - 30 * dpr:
        _icon(c, rng, 14 * dpr, y + 2 * dpr, fs)
        c.text((14 * dpr + fs * 1.8, y), _title(rng, int(rng.integers(1, 3))), font, fg)
        y += fs * 2.3
    mx = side + 20 * dpr
    my = top + 20 * dpr
    mode = int(rng.integers(3))
    if mode == 0:  # table
        cols = int(rng.integers(3, 7))
        cw = (w - mx - 20 * dpr) / cols
        rh = fs * 2.2
        c.draw.rectangle((mx, my, w - 20 * dpr, h - 20 * dpr), fill=panel)
        yy = my + 8 * dpr
        first = True
        while yy < h - 20 * dpr - rh:
            for ci in range(cols):
                s = (
                    _title(rng, 1)
                    if first
                    else (
                        f"{rng.uniform(0, 9999):.2f}" if ci % 2 else _sentence(rng, int(rng.integers(1, 3)))
                    )
                )
                c.text(
                    (mx + ci * cw + 8 * dpr, yy + (rh - fs) / 2),
                    s[:28],
                    bold if first else font,
                    fg if first else muted,
                )
            yy += rh
            c.draw.line((mx, yy, w - 20 * dpr, yy), fill=(70, 70, 75) if dark else (230, 232, 236))
            first = False
    elif mode == 1:  # cards
        ncol = int(rng.integers(2, 5))
        cw = (w - mx - 20 * dpr) / ncol
        ch = cw * float(rng.uniform(0.5, 0.9))
        yy = my
        while yy + ch < h - 10 * dpr:
            for ci in range(ncol):
                x0 = mx + ci * cw
                c.draw.rounded_rectangle(
                    (x0, yy, x0 + cw - 16 * dpr, yy + ch - 16 * dpr),
                    radius=int(8 * dpr),
                    fill=panel,
                    outline=(60, 60, 65) if dark else (225, 227, 232),
                )
                _icon(c, rng, x0 + 12 * dpr, yy + 12 * dpr, fs * 2)
                c.text((x0 + 12 * dpr + fs * 2.6, yy + 12 * dpr), _title(rng, 2), bold, fg)
                ty = yy + 12 * dpr + fs * 3
                for _ in range(int(rng.integers(1, 4))):
                    if ty + fs * 1.5 > yy + ch - 30 * dpr:
                        break
                    c.text((x0 + 12 * dpr, ty), _sentence(rng, int(rng.integers(2, 5))), font, muted)
                    ty += fs * 1.5
                bx = x0 + 12 * dpr
                by = yy + ch - 16 * dpr - fs * 2.6
                c.draw.rounded_rectangle(
                    (bx, by, bx + fs * 6, by + fs * 1.9), radius=int(4 * dpr), fill=_PALETTE[0]
                )
                c.text((bx + fs * 0.8, by + fs * 0.4), "Open", font, (255, 255, 255))
            yy += ch
    else:  # form
        yy = my
        while yy < h - fs * 6:
            c.text((mx, yy), _title(rng, int(rng.integers(1, 3))), font, fg)
            fw = float(rng.uniform(0.3, 0.6)) * (w - mx)
            c.draw.rounded_rectangle(
                (mx, yy + fs * 1.5, mx + fw, yy + fs * 3.4),
                radius=int(4 * dpr),
                fill=panel,
                outline=(90, 90, 95) if dark else (200, 203, 210),
            )
            if rng.random() < 0.6:
                c.text((mx + fs * 0.6, yy + fs * 1.95), _sentence(rng, int(rng.integers(1, 4))), font, muted)
            if rng.random() < 0.3:
                c.text(
                    (mx + fw + fs, yy + fs * 1.95),
                    _sentence(rng, 3),
                    _font("sans", max(9, int(fs * 0.85))),
                    (200, 60, 60),
                )
            yy += fs * 4.4
    return c.image, _labels(1, 0, 1, _small_label(c.heights, max(w, h))), tuple(c.boxes), {"font_px": fs}


def _axes(
    c: _Canvas,
    rng: np.random.Generator,
    box: tuple[float, float, float, float],
    fs: int,
    n_y: int = 5,
    grid: bool = True,
) -> None:
    x0, y0, x1, y1 = box
    font = _font("sans", fs, rng)
    c.draw.line((x0, y1, x1, y1), fill=(60, 60, 60), width=max(1, fs // 10))
    c.draw.line((x0, y0, x0, y1), fill=(60, 60, 60), width=max(1, fs // 10))
    top = float(rng.choice([10, 50, 100, 250, 1000]))
    for i in range(n_y + 1):
        yy = y1 - (y1 - y0) * i / n_y
        if grid and i:
            c.draw.line((x0, yy, x1, yy), fill=(225, 225, 225))
        s = f"{top * i / n_y:g}"
        c.text((x0 - c.text_width(s, font) - fs * 0.5, yy - fs * 0.6), s, font, (60, 60, 60))


def _chart_frame(rng: np.random.Generator) -> tuple[_Canvas, tuple[float, float, float, float], int, Font]:
    w, h = [(640, 480), (800, 600), (1000, 700), (1200, 800), (1600, 900), (1920, 1080)][int(rng.integers(6))]
    fs = max(9, round(h * float(rng.uniform(0.014, 0.03))))
    c = _Canvas((w, h), (255, 255, 255))
    tf = _font("sans", int(fs * 1.5), rng)
    c.text((w * 0.1, h * 0.03), _title(rng, int(rng.integers(2, 6))), tf, (30, 30, 30))
    box = (w * 0.12, h * 0.14, w * 0.95, h * 0.86)
    return c, box, fs, _font("sans", fs, rng)


def gen_bar_chart(rng: np.random.Generator) -> Gen:
    c, (x0, y0, x1, y1), fs, font = _chart_frame(rng)
    n = int(rng.integers(3, 25))
    series = int(rng.integers(1, 4))
    _axes(c, rng, (x0, y0, x1, y1), fs)
    slot = (x1 - x0) / n
    bw = slot * 0.75 / series
    for i in range(n):
        for s in range(series):
            v = float(rng.uniform(0.05, 1.0))
            bx = x0 + i * slot + slot * 0.125 + s * bw
            c.draw.rectangle((bx, y1 - (y1 - y0) * v, bx + bw - 1, y1 - 1), fill=_PALETTE[s])
        if n <= 14 or i % 2 == 0:
            lab = _WORDS[int(rng.integers(len(_WORDS)))][:6]
            c.text(
                (x0 + i * slot + slot / 2 - c.text_width(lab, font) / 2, y1 + fs * 0.4),
                lab,
                font,
                (60, 60, 60),
            )
    complex_ = 1.0 if n * series >= 14 else 0.0
    return c.image, _labels(1, 0, complex_, _small_label(c.heights, max(c.image.size))), tuple(c.boxes), {}


def gen_line_chart(rng: np.random.Generator) -> Gen:
    c, (x0, y0, x1, y1), fs, font = _chart_frame(rng)
    _axes(c, rng, (x0, y0, x1, y1), fs, grid=rng.random() < 0.7)
    series = int(rng.integers(1, 7))
    pts = int(rng.integers(8, 200))
    xs = np.linspace(x0, x1, pts)
    for s in range(series):
        walk = np.cumsum(rng.normal(0, 1, pts))
        walk = (walk - walk.min()) / max(1e-6, np.ptp(walk))
        ys = y1 - (y1 - y0) * (0.1 + 0.8 * walk)
        c.draw.line(list(zip(xs.tolist(), ys.tolist(), strict=True)), fill=_PALETTE[s], width=max(1, fs // 6))
    for i in range(0, 6):
        lab = f"{2015 + i}"
        xx = x0 + (x1 - x0) * i / 5
        c.text((xx - c.text_width(lab, font) / 2, y1 + fs * 0.4), lab, font, (60, 60, 60))
    if series > 1:  # legend
        ly = y0
        for s in range(series):
            c.draw.rectangle((x1 - fs * 8, ly + fs * 0.3, x1 - fs * 7.2, ly + fs), fill=_PALETTE[s])
            c.text((x1 - fs * 6.8, ly), _WORDS[int(rng.integers(len(_WORDS)))], font, (60, 60, 60))
            ly += fs * 1.4
    complex_ = 1.0 if series >= 3 else 0.0
    return c.image, _labels(1, 0, complex_, _small_label(c.heights, max(c.image.size))), tuple(c.boxes), {}


def gen_scatter(rng: np.random.Generator) -> Gen:
    c, (x0, y0, x1, y1), fs, _ = _chart_frame(rng)
    _axes(c, rng, (x0, y0, x1, y1), fs)
    n = int(rng.integers(30, 900))
    r = max(2.0, fs * float(rng.uniform(0.15, 0.4)))
    xs = rng.uniform(x0 + r, x1 - r, n)
    ys = y1 - (xs - x0) / (x1 - x0) * (y1 - y0) * 0.7 - rng.normal(0, (y1 - y0) * 0.1, n) - (y1 - y0) * 0.1
    ys = np.clip(ys, y0 + r, y1 - r)
    k = int(rng.integers(1, 4))
    for i in range(n):
        col = _PALETTE[i % k]
        c.draw.ellipse((xs[i] - r, ys[i] - r, xs[i] + r, ys[i] + r), fill=col)
    complex_ = 1.0 if n >= 150 else 0.0
    small = max(_small_label(c.heights, max(c.image.size)), 1.0 if r * 512 / max(c.image.size) < 2 else 0.0)
    return c.image, _labels(1, 0, complex_, small), tuple(c.boxes), {}


def gen_pie(rng: np.random.Generator) -> Gen:
    c, (x0, y0, x1, y1), fs, font = _chart_frame(rng)
    n = int(rng.integers(2, 8))
    parts = rng.dirichlet(np.ones(n)) * 360
    cx, cy = (x0 + x1) / 2 - (x1 - x0) * 0.15, (y0 + y1) / 2
    rad = min(x1 - x0, y1 - y0) * 0.42
    a = 0.0
    for i, p in enumerate(parts.tolist()):
        c.draw.pieslice((cx - rad, cy - rad, cx + rad, cy + rad), a, a + p, fill=_PALETTE[i])
        a += p
    ly = y0
    for i in range(n):
        c.draw.rectangle((x1 - fs * 9, ly + fs * 0.3, x1 - fs * 8.2, ly + fs), fill=_PALETTE[i])
        c.text(
            (x1 - fs * 7.8, ly),
            f"{_WORDS[int(rng.integers(len(_WORDS)))]} {parts[i] / 3.6:.0f}%",
            font,
            (60, 60, 60),
        )
        ly += fs * 1.5
    return c.image, _labels(1, 0, 0, _small_label(c.heights, max(c.image.size))), tuple(c.boxes), {}


def gen_dashboard(rng: np.random.Generator) -> Gen:
    w, h = [(1440, 900), (1920, 1080), (2560, 1440)][int(rng.integers(3))]
    dpr = w / 1440
    fs = round(float(rng.uniform(11, 14)) * dpr)
    font = _font("sans", fs, rng)
    big = _font("sans", int(fs * 2.4), index=1)
    c = _Canvas((w, h), (243, 244, 247))
    pad = 16 * dpr
    kpis = int(rng.integers(3, 6))
    kw = (w - pad * (kpis + 1)) / kpis
    for i in range(kpis):
        x = pad + i * (kw + pad)
        c.draw.rounded_rectangle((x, pad, x + kw, pad + fs * 6), radius=int(6 * dpr), fill=(255, 255, 255))
        c.text((x + fs, pad + fs * 0.8), _title(rng, 2), font, (110, 115, 125))
        c.text((x + fs, pad + fs * 2.5), f"{rng.uniform(1, 999):.1f}k", big, (30, 30, 35))
    top = pad * 2 + fs * 6
    panels = int(rng.integers(2, 5))
    pw = (w - pad * (panels + 1)) / panels
    for i in range(panels):
        x = pad + i * (pw + pad)
        c.draw.rounded_rectangle((x, top, x + pw, h - pad), radius=int(6 * dpr), fill=(255, 255, 255))
        c.text((x + fs, top + fs * 0.8), _title(rng, 3), font, (40, 40, 45))
        gx0, gy0, gx1, gy1 = x + fs * 3.5, top + fs * 3, x + pw - fs, h - pad - fs * 3
        _axes(c, rng, (gx0, gy0, gx1, gy1), max(9, int(fs * 0.9)), n_y=4)
        if rng.random() < 0.5:
            n = int(rng.integers(4, 16))
            slot = (gx1 - gx0) / n
            for k in range(n):
                v = float(rng.uniform(0.1, 1))
                c.draw.rectangle(
                    (gx0 + k * slot + slot * 0.2, gy1 - (gy1 - gy0) * v, gx0 + k * slot + slot * 0.8, gy1),
                    fill=_PALETTE[i % len(_PALETTE)],
                )
        else:
            pts = int(rng.integers(10, 80))
            xs = np.linspace(gx0, gx1, pts)
            for s in range(int(rng.integers(1, 4))):
                walk = np.cumsum(rng.normal(0, 1, pts))
                walk = (walk - walk.min()) / max(1e-6, np.ptp(walk))
                ys = gy1 - (gy1 - gy0) * (0.1 + 0.8 * walk)
                c.draw.line(
                    list(zip(xs.tolist(), ys.tolist(), strict=True)),
                    fill=_PALETTE[s],
                    width=max(1, int(2 * dpr)),
                )
    return c.image, _labels(1, 0, 1, _small_label(c.heights, max(w, h))), tuple(c.boxes), {"font_px": fs}


def gen_diagram(rng: np.random.Generator) -> Gen:
    w, h = [(1000, 700), (1400, 900), (1920, 1080), (800, 1000)][int(rng.integers(4))]
    fs = max(10, round(h * float(rng.uniform(0.015, 0.03))))
    font = _font("sans", fs, rng)
    c = _Canvas((w, h), (255, 255, 255))
    n = int(rng.integers(3, 15))
    cols = math.ceil(math.sqrt(n * w / h))
    rows = math.ceil(n / cols)
    centres = []
    for i in range(n):
        cx = w * (i % cols + 0.5) / cols
        cy = h * (i // cols + 0.5) / rows
        label = _title(rng, int(rng.integers(1, 3)))
        tw = c.text_width(label, font)
        bx = (cx - tw / 2 - fs, cy - fs * 1.2, cx + tw / 2 + fs, cy + fs * 1.2)
        c.draw.rounded_rectangle(
            bx, radius=fs // 2, fill=_jitter(rng, (230, 240, 255), 15), outline=(60, 90, 160), width=2
        )
        c.text((cx - tw / 2, cy - fs * 0.6), label, font, (20, 30, 60))
        centres.append((cx, cy))
    for i in range(1, n):
        j = int(rng.integers(0, i))
        c.draw.line(
            (centres[j][0], centres[j][1] + fs * 1.2, centres[i][0], centres[i][1] - fs * 1.2),
            fill=(90, 90, 90),
            width=2,
        )
    return (
        c.image,
        _labels(1, 0, 1.0 if n >= 8 else 0.0, _small_label(c.heights, max(w, h))),
        tuple(c.boxes),
        {},
    )


def gen_graphic(rng: np.random.Generator) -> Gen:
    w, h = [(512, 512), (800, 600), (1280, 720), (1920, 1080), (1024, 1024)][int(rng.integers(5))]
    mode = int(rng.integers(5))
    c = _Canvas((w, h), _jitter(rng, (200, 200, 200), 55))
    complex_ = small = 0.0
    if mode == 1:  # gradient
        a = np.linspace(0, 1, w)[None, :, None] * np.ones((h, 1, 1))
        c0 = np.asarray(_jitter(rng, (40, 90, 200), 40), dtype=np.float64)
        c1 = np.asarray(_jitter(rng, (240, 160, 60), 40), dtype=np.float64)
        c.image = Image.fromarray((c0 * (1 - a) + c1 * a).astype(np.uint8))
    elif mode == 2:  # a few large shapes
        for _ in range(int(rng.integers(1, 6))):
            x, y = rng.uniform(0, w), rng.uniform(0, h)
            s = rng.uniform(0.1, 0.4) * min(w, h)
            col = _PALETTE[int(rng.integers(len(_PALETTE)))]
            if rng.random() < 0.5:
                c.draw.ellipse((x - s, y - s, x + s, y + s), fill=col)
            else:
                c.draw.rectangle((x - s, y - s, x + s, y + s), fill=col)
    elif mode == 3:  # confetti of tiny shapes
        n = int(rng.integers(150, 1500))
        s = max(1.5, float(rng.uniform(0.002, 0.006)) * max(w, h))
        for _ in range(n):
            x, y = rng.uniform(0, w), rng.uniform(0, h)
            c.draw.ellipse((x - s, y - s, x + s, y + s), fill=_PALETTE[int(rng.integers(len(_PALETTE)))])
        complex_ = 1.0
        small = 1.0 if s * 512 / max(w, h) < 3 else 0.0
    elif mode == 4:  # stripes / checkerboard
        k = int(rng.integers(4, 20))
        for i in range(k):
            for j in range(k):
                if (i + j) % 2:
                    c.draw.rectangle(
                        (i * w / k, j * h / k, (i + 1) * w / k, (j + 1) * h / k), fill=(30, 30, 30)
                    )
    return c.image, _labels(0, 0, complex_, small), (), {}


# ----------------------------------------------------------------------------------------------
# Photo-based generators
# ----------------------------------------------------------------------------------------------


def _photo_variant(photo: Image.Image, rng: np.random.Generator) -> Image.Image:
    img = _random_crop(photo, rng, 0.5) if rng.random() < 0.6 else photo
    long_side = int(rng.choice([max(img.size), max(img.size) // 2 + 64, 800, 1024, 1280, 1920]))
    out = _resize_long(img, long_side)
    if rng.random() < 0.25:  # a different aspect ratio, as pictures get stretched to a frame
        out = out.resize(
            (out.width, max(16, int(out.height * float(rng.uniform(0.6, 1.0))))), Image.Resampling.BICUBIC
        )
    return out


def gen_photo_sign(photo: Image.Image, labels: tuple[float, float], rng: np.random.Generator) -> Gen:
    c = _Canvas.over(_photo_variant(photo, rng))
    w, h = c.image.size
    fs = max(9, int(h * float(rng.uniform(0.018, 0.07))))
    font = _font("sans", fs, rng, index=int(rng.integers(2)))
    text = " ".join(_WORDS[int(i)].upper() for i in rng.integers(len(_WORDS), size=int(rng.integers(1, 3))))
    if len(text) < 4:
        text += " ST"
    tw = c.text_width(text, font)
    lines = (
        [text]
        if rng.random() < 0.7
        else [text, f"{int(rng.integers(10, 999))} {_WORDS[int(rng.integers(len(_WORDS)))]}"]
    )
    bw = max(c.text_width(s, font) for s in lines) + fs
    bh = len(lines) * fs * 1.3 + fs * 0.5
    x = float(rng.uniform(0.02, 0.98)) * max(1.0, w - bw)
    y = float(rng.uniform(0.02, 0.98)) * max(1.0, h - bh)
    plate, ink = [
        ((250, 250, 245), (20, 20, 20)),
        ((0, 110, 60), (255, 255, 255)),
        ((20, 60, 150), (255, 255, 255)),
        ((200, 30, 30), (255, 255, 255)),
        ((250, 200, 0), (10, 10, 10)),
    ][int(rng.integers(5))]
    c.draw.rectangle((x, y, x + bw, y + bh), fill=plate, outline=(40, 40, 40), width=max(1, fs // 12))
    ty = y + fs * 0.3
    for s in lines:
        c.text((x + fs / 2, ty), s, font, ink)
        ty += fs * 1.3
    del tw
    complex_, small = labels
    out = c.image.filter(ImageFilter.GaussianBlur(0.4)) if rng.random() < 0.3 else c.image
    return out, _labels(1, 0, complex_, _small_label(c.heights, max(w, h), small)), tuple(c.boxes), {}


def gen_photo_caption(photo: Image.Image, labels: tuple[float, float], rng: np.random.Generator) -> Gen:
    c = _Canvas.over(_photo_variant(photo, rng))
    w, h = c.image.size
    fs = max(10, int(h * float(rng.uniform(0.03, 0.08))))
    font = _font("sans", fs, index=1)
    text = _sentence(rng, int(rng.integers(2, 6))).upper()
    while c.text_width(text, font) > w * 0.94 and " " in text:
        text = text.rsplit(" ", 1)[0]
    tw = c.text_width(text, font)
    y = h - fs * 1.8 if rng.random() < 0.6 else fs * 0.5
    if rng.random() < 0.5:
        c.draw.rectangle((0, y - fs * 0.3, w, y + fs * 1.4), fill=(0, 0, 0))
        c.text(((w - tw) / 2, y), text, font, (255, 255, 255))
    else:
        c.draw.text(
            ((w - tw) / 2, y),
            text,
            font=font,
            fill=(255, 255, 255),
            stroke_width=max(1, fs // 14),
            stroke_fill=(0, 0, 0),
        )
        box = Box(*(round(v) for v in c.draw.textbbox(((w - tw) / 2, y), text, font=font))).clamp(w, h)
        c.boxes.append(box)
        c.heights.append(box.height)
    complex_, small = labels
    return c.image, _labels(1, 0, complex_, _small_label(c.heights, max(w, h), small)), tuple(c.boxes), {}


def gen_collage(photos: Sequence[tuple[Image.Image, tuple[float, float]]], rng: np.random.Generator) -> Gen:
    k = int(rng.choice([2, 3]))
    cell = int(rng.choice([256, 400, 600]))
    img = Image.new("RGB", (k * cell, k * cell), (255, 255, 255))
    small = 1.0 if k == 3 else 0.0
    for i in range(k * k):
        p, lab = photos[int(rng.integers(len(photos)))]
        tile = _resize_long(_random_crop(p, rng, 0.6), cell).crop((0, 0, cell, cell))
        img.paste(tile, ((i % k) * cell, (i // k) * cell))
        small = max(small, lab[1])
    return img, _labels(0, 0, 1, small), (), {}


def gen_webpage(photo: Image.Image, rng: np.random.Generator) -> Gen:
    w, h = [(1280, 900), (1440, 1000), (1920, 1080)][int(rng.integers(3))]
    fs = int(rng.integers(13, 18))
    font = _font("serif" if rng.random() < 0.5 else "sans", fs, rng)
    c = _Canvas((w, h), (255, 255, 255))
    c.draw.rectangle((0, 0, w, 56), fill=_jitter(rng, (30, 30, 30), 20))
    c.text((24, 18), _title(rng, 2), _font("sans", 20, index=1), (255, 255, 255))
    col_x = int(w * 0.12)
    col_w = int(w * 0.5)
    c.text(
        (col_x, 80), _title(rng, int(rng.integers(3, 8))), _font("serif", int(fs * 2.2), rng), (10, 10, 10)
    )
    pic = _resize_long(_random_crop(photo, rng, 0.7), col_w)
    y = 80 + int(fs * 3.5)
    c.image.paste(pic, (col_x, y))
    y += pic.height + fs
    while y < h - fs * 2:
        words: list[str] = []
        while True:
            cand = " ".join([*words, _WORDS[int(rng.integers(len(_WORDS)))]])
            if c.text_width(cand, font) > col_w:
                break
            words = cand.split(" ")
        c.text((col_x, y), " ".join(words), font, (30, 30, 30))
        y += int(fs * 1.6)
    sx = col_x + col_w + 60
    y = 120
    while y < h - 40:
        c.text((sx, y), _sentence(rng, int(rng.integers(2, 5))), _font("sans", fs - 1), (0, 90, 180))
        y += int(fs * 2.2)
    return c.image, _labels(1, 0, 1, _small_label(c.heights, max(w, h))), tuple(c.boxes), {}


# ----------------------------------------------------------------------------------------------
# The set
# ----------------------------------------------------------------------------------------------

_SYNTHETIC: dict[str, tuple[Callable[[np.random.Generator], Gen], int]] = {
    "document": (gen_document, 48),
    "receipt": (gen_receipt, 18),
    "code": (gen_code, 22),
    "terminal": (gen_terminal, 10),
    "chat": (gen_chat, 14),
    "slide": (gen_slide, 16),
    "ui": (gen_ui, 34),
    "dashboard": (gen_dashboard, 14),
    "bar_chart": (gen_bar_chart, 20),
    "line_chart": (gen_line_chart, 16),
    "scatter": (gen_scatter, 12),
    "pie": (gen_pie, 8),
    "diagram": (gen_diagram, 12),
    "graphic": (gen_graphic, 26),
}


def _rng(seed: int, *key: object) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32("/".join(map(str, key)).encode())])


def build_calibration_set(seed: int = 0, scale: float = 1.0) -> list[Sample]:
    """Draw / load the labelled calibration images (deterministic for a given ``seed``)."""
    samples: list[Sample] = []
    for kind, (gen, count) in _SYNTHETIC.items():
        for i in range(max(1, round(count * scale))):
            img, labels, boxes, meta = gen(_rng(seed, kind, i))
            samples.append(Sample(f"{kind}/{i:03d}", kind, f"{kind}:{i % 5}", img, labels, boxes, meta))
    photos = _load_photos()
    real = [(photos[n], _PHOTOS[n]) for n in _PHOTOS]
    for name, (complex_, small) in _PHOTOS.items():
        for i in range(max(1, round(7 * scale))):
            rng = _rng(seed, "photo", name, i)
            img = photos[name] if i == 0 else _photo_variant(photos[name], rng)
            samples.append(
                Sample(f"photo/{name}/{i}", "photo", name, img, _labels(0, 0, complex_, small), (), {})
            )
        for i in range(max(1, round(2 * scale))):
            img, labels, boxes, meta = gen_photo_sign(
                photos[name], (complex_, small), _rng(seed, "sign", name, i)
            )
            samples.append(Sample(f"photo_sign/{name}/{i}", "photo_sign", name, img, labels, boxes, meta))
        if zlib.crc32(name.encode()) % 2 == 0:
            img, labels, boxes, meta = gen_photo_caption(
                photos[name], (complex_, small), _rng(seed, "cap", name)
            )
            samples.append(Sample(f"photo_caption/{name}", "photo_caption", name, img, labels, boxes, meta))
    for i in range(max(1, round(12 * scale))):
        img, labels, boxes, meta = gen_collage(real, _rng(seed, "collage", i))
        samples.append(Sample(f"collage/{i:03d}", "collage", f"collage:{i % 5}", img, labels, boxes, meta))
    names = list(_PHOTOS)
    for i in range(max(1, round(12 * scale))):
        name = names[i % len(names)]
        img, labels, boxes, meta = gen_webpage(photos[name], _rng(seed, "web", i))
        samples.append(Sample(f"webpage/{i:03d}", "webpage", f"webpage:{i % 5}", img, labels, boxes, meta))
    # Real scans with text (not annotated): the scanned page and the chalk-board text.
    for i, long_side in enumerate((None, 900, 1400)):
        img = photos["page"] if long_side is None else _resize_long(photos["page"], long_side)
        small = _small_label([10 * max(img.size) // 384], max(img.size))
        samples.append(
            Sample(f"real/page/{i}", "real_page", "real_page", img, _labels(1, 1, 0, small), None, {})
        )
    for i, long_side in enumerate((None, 1000)):
        img = photos["text"] if long_side is None else _resize_long(photos["text"], long_side)
        samples.append(Sample(f"real/text/{i}", "real_text", "real_text", img, _labels(1, 0, 0, 0), None, {}))
    return samples


# ----------------------------------------------------------------------------------------------
# Fitting
# ----------------------------------------------------------------------------------------------


def fit_logistic(
    x: npt.NDArray[np.float64],
    y: npt.NDArray[np.float64],
    l2: float = 1.0,
    weights: npt.NDArray[np.float64] | None = None,
    iterations: int = 50,
) -> dict[str, Any]:
    """L2-regularised logistic regression by Newton's method on standardised features.

    ``y`` may hold soft labels in 0..1; ``weights`` are per-sample weights. The intercept is not
    penalised. Deterministic.
    """
    sw = np.ones(x.shape[0]) if weights is None else np.asarray(weights, dtype=np.float64)
    mean = np.average(x, axis=0, weights=sw)
    scale = np.sqrt(np.average((x - mean) ** 2, axis=0, weights=sw))
    scale = np.where(scale < 1e-9, 1.0, scale)
    z = (x - mean) / scale
    n, d = z.shape
    a = np.hstack([z, np.ones((n, 1))])
    w = np.zeros(d + 1)
    penalty = np.full(d + 1, l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(a @ w, -40, 40)))
        grad = a.T @ (sw * (p - y)) + penalty * w
        hess = (a * (sw * p * (1 - p))[:, None]).T @ a + np.diag(penalty) + 1e-9 * np.eye(d + 1)
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.max(np.abs(step))) < 1e-10:
            break
    return {
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "coef": [round(float(v), 6) for v in w[:-1]],
        "intercept": round(float(w[-1]), 6),
    }


def _auc(y: npt.NDArray[np.float64], p: npt.NDArray[np.float64]) -> float:
    pos = p[y >= 0.5]
    neg = p[y < 0.5]
    if pos.size == 0 or neg.size == 0:
        return float("nan")
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(wins / (pos.size * neg.size))


def _metrics(
    y: npt.NDArray[np.float64], p: npt.NDArray[np.float64], w: npt.NDArray[np.float64] | None = None
) -> dict[str, float]:
    """Log-loss, Brier, AUC (unweighted), accuracy at 0.5 and 10-bin expected calibration error."""
    w = np.ones_like(y) if w is None else w
    pc = np.clip(p, 1e-6, 1 - 1e-6)
    logloss = float(np.average(-(y * np.log(pc) + (1 - y) * np.log(1 - pc)), weights=w))
    bins = np.minimum((p * 10).astype(int), 9)
    ece = 0.0
    total = float(w.sum())
    for b in range(10):
        sel = bins == b
        if sel.any():
            wb = w[sel]
            gap = abs(float(np.average(p[sel], weights=wb)) - float(np.average(y[sel], weights=wb)))
            ece += float(wb.sum()) / total * gap
    return {
        "n": int(y.size),
        "positives": int((y >= 0.5).sum()),
        "log_loss": round(logloss, 4),
        "brier": round(float(np.average((p - y) ** 2, weights=w)), 4),
        "auc": round(_auc(y, p), 4),
        "accuracy": round(float(np.average((p >= 0.5) == (y >= 0.5), weights=w)), 4),
        "ece": round(ece, 4),
    }


_LINE_POS = 15.0
_LINE_NEG = 60.0


def _fold(group: str, k: int = 5) -> int:
    return zlib.crc32(group.encode()) % k


def _line_labels(
    sample: Sample, boxes: npt.NDArray[np.int64], scale_xy: tuple[float, float]
) -> npt.NDArray[np.float64]:
    """1 for candidates whose box is at least 60 % covered by drawn text and at least half as high
    as the drawn line under its centre (so an ``i`` dot or a fragment is not a text line)."""
    if boxes.shape[0] == 0:
        return np.zeros(0)
    sx, sy = scale_xy
    aw = int(boxes[:, 2].max()) + 2
    ah = int(boxes[:, 3].max()) + 2
    gt = np.zeros((ah, aw), dtype=np.int8)
    gt_h = np.zeros((ah, aw), dtype=np.float64)
    for b in sample.text_boxes or ():
        rows = slice(int(b.top / sy), math.ceil(b.bottom / sy) + 1)
        cols = slice(int(b.left / sx), math.ceil(b.right / sx) + 1)
        gt[rows, cols] = 1
        gt_h[rows, cols] = np.maximum(gt_h[rows, cols], b.height / sy)
    integral = np.zeros((ah + 1, aw + 1), dtype=np.int64)
    integral[1:, 1:] = gt.cumsum(0).cumsum(1)
    left, top, right, bottom = boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]
    covered = integral[bottom, right] - integral[top, right] - integral[bottom, left] + integral[top, left]
    area = np.maximum((right - left) * (bottom - top), 1)
    centre_h = gt_h[(top + bottom) // 2, (left + right) // 2]
    tall_enough = (bottom - top) >= 0.5 * centre_h
    return ((covered / area >= 0.6) & tall_enough).astype(np.float64)


def fit_models(samples: Sequence[Sample], log: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Fit the line model, then the four signal models; return them with the fit report."""
    say = log or (lambda _m: None)
    # Stage 1: per-line text model on every candidate of annotated images.
    # Each image weighs at most _LINE_POS positive and _LINE_NEG negative candidates, so pages with
    # a hundred lines do not drown the one sign in a photo.
    xs, ys, ws, gs, ls = [], [], [], [], []
    for s in samples:
        if s.text_boxes is None:
            continue
        m = measure(s.image, line_model=None, stored_model=False)
        sxy = (m.width / m.evidence["analysis_size"][0], m.height / m.evidence["analysis_size"][1])
        yi = _line_labels(s, m.candidate_boxes, sxy)
        n_pos, n_neg = float(yi.sum()), float(yi.size - yi.sum())
        wi = np.where(yi > 0.5, min(1.0, _LINE_POS / max(n_pos, 1.0)), min(1.0, _LINE_NEG / max(n_neg, 1.0)))
        xs.append(m.candidate_features)
        ys.append(yi)
        ws.append(wi)
        gs.extend([s.group] * m.candidate_features.shape[0])
        ls.append(m.candidate_levels)
    x = np.vstack(xs)
    y = np.concatenate(ys)
    wts = np.concatenate(ws)
    lv = np.concatenate(ls)
    folds = np.array([_fold(g) for g in gs])
    say(f"line model: {x.shape[0]} candidates, {int(y.sum())} text")

    def fit_lines(sel: npt.NDArray[np.bool_]) -> dict[str, Any]:
        return {
            "levels": [
                {
                    "features": list(LINE_FEATURES),
                    **fit_logistic(
                        x[sel & (lv == k)], y[sel & (lv == k)], l2=1.0, weights=wts[sel & (lv == k)]
                    ),
                }
                for k in (0, 1)
            ]
        }

    cv = np.zeros_like(y)
    for k in range(5):
        tr, te = folds != k, folds == k
        cv[te] = _LineModel.from_dict(fit_lines(tr)).predict(x[te], lv[te])
    line_model = fit_lines(np.ones(y.size, dtype=bool))
    line = _LineModel.from_dict(line_model)
    report: dict[str, Any] = {
        "line_model_cv": _metrics(y, cv),
        "line_model_cv_weighted": _metrics(y, cv, wts),
    }

    # Stage 2: image-level features with the fitted line model.
    feats = []
    for s in samples:
        feats.append(measure(s.image, line_model=line).features)
    fx = np.vstack(feats)
    groups = [s.group for s in samples]
    folds = np.array([_fold(g) for g in groups])
    signal_models: dict[str, dict[str, Any]] = {}
    report["signals_cv"] = {}
    report["per_kind_cv_mean"] = {}
    kinds = sorted({s.kind for s in samples})
    for name in SIGNALS:
        fy = np.array([float(s.labels[name]) for s in samples])
        cvp = np.zeros_like(fy)
        for k in range(5):
            tr, te = folds != k, folds == k
            model = fit_logistic(fx[tr], fy[tr], l2=2.0)
            cvp[te] = _Logistic.from_dict({"features": IMAGE_FEATURES, **model}, IMAGE_FEATURES).predict(
                fx[te]
            )
        report["signals_cv"][name] = _metrics(fy, cvp)
        report["per_kind_cv_mean"][name] = {
            kind: round(float(np.mean([cvp[i] for i, s in enumerate(samples) if s.kind == kind])), 3)
            for kind in kinds
        }
        signal_models[name] = {"features": list(IMAGE_FEATURES), **fit_logistic(fx, fy, l2=2.0)}
        say(f"{name}: {report['signals_cv'][name]}")
    report["samples"] = len(samples)
    report["kinds"] = {kind: sum(1 for s in samples if s.kind == kind) for kind in kinds}
    return {"LINE_MODEL": line_model, "SIGNAL_MODELS": signal_models, "FIT_REPORT": report}


_HEADER = '''"""Fitted coefficients of the embedded analyzer (data; generated, do not edit by hand).

Regenerate with ``python -m headroom_core.analyzers._calibration --write`` (seed {seed}; ``--check``
verifies this file): it draws the calibration set described in ``_calibration.py`` ({n} labelled
images), fits the per-line text model (one logistic regression per pyramid level) on the detector's
candidates, then one L2-regularised logistic regression per signal on the image-level features.
``FIT_REPORT`` holds the 5-fold cross-validation, grouped by source (never fitted on the fold it
scores): log-loss, Brier, AUC, accuracy at 0.5, expected calibration error, and the mean
cross-validated prediction per kind of image.
"""

from __future__ import annotations

from typing import Any

'''


def _literal(obj: Any, indent: int, prefix_len: int) -> str:
    """``obj`` as Python source the way ruff/black format it (one line when it fits in 110 columns,
    else one element per line with a trailing comma)."""
    if isinstance(obj, dict):
        items = [(f"{_literal(k, 0, 0)}: ", v) for k, v in obj.items()]
        opener, closer = "{", "}"
    elif isinstance(obj, list | tuple):
        items = [("", v) for v in obj]
        opener, closer = ("[", "]") if isinstance(obj, list) else ("(", ")")
    elif isinstance(obj, str):
        return '"' + obj.replace("\\", "\\\\").replace('"', '\\"') + '"'
    else:
        return repr(obj)
    flat = opener + ", ".join(k + _literal(v, 0, 0) for k, v in items) + closer
    if "\n" not in flat and indent + prefix_len + len(flat) <= 110 - 1:
        return flat
    pad = " " * (indent + 4)
    lines = [pad + k + _literal(v, indent + 4, len(k)) + "," for k, v in items]
    return opener + "\n" + "\n".join(lines) + "\n" + " " * indent + closer


def _render(fitted: Mapping[str, Any], seed: int) -> str:
    out = [_HEADER.format(seed=seed, n=fitted["FIT_REPORT"]["samples"])]
    for key, typ in (
        ("LINE_MODEL", "dict[str, Any]"),
        ("SIGNAL_MODELS", "dict[str, dict[str, Any]]"),
        ("FIT_REPORT", "dict[str, Any]"),
    ):
        head = f"{key}: {typ} = "
        out.append(head + _literal(fitted[key], 0, len(head)) + "\n\n")
    return "".join(out).rstrip() + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the default set size")
    parser.add_argument("--write", action="store_true", help="rewrite _coefficients.py")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 unless the refit reproduces _coefficients.py exactly"
    )
    parser.add_argument("--dump", type=Path, help="save the calibration images (PNG) to this folder")
    args = parser.parse_args(argv)
    samples = build_calibration_set(args.seed, args.scale)
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
        for s in samples:
            s.image.save(args.dump / (s.name.replace("/", "_") + ".png"))

    def log(message: str) -> None:
        sys.stderr.write(message + "\n")

    fitted = fit_models(samples, log=log)
    text = _render(fitted, args.seed)
    target = Path(__file__).with_name("_coefficients.py")
    if args.check:
        same = target.read_text() == text
        sys.stderr.write(
            "refit reproduces _coefficients.py\n" if same else "refit DIFFERS from _coefficients.py\n"
        )
        return 0 if same else 1
    if args.write:
        target.write_text(text)
        sys.stderr.write(f"wrote {target}\n")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":  # pragma: no cover
    os.environ.setdefault("PYTHONHASHSEED", "0")
    raise SystemExit(main())
