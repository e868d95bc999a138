"""Bundled demo samples: small images drawn deterministically, each with a question.

Used by ``headroom-image demo`` and the notebooks. The photo is a real photograph from
scikit-image's bundled data when it is installed (it is, with the ``ocr`` extra), else a drawn
landscape.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

__all__ = ["Sample", "demo_samples", "draw_text_page"]

_WORDS = (
    "the compressor decides per image how to send it tokens provider model tile patch budget region "
    "question answer document page screenshot receipt invoice chart photo scene legible detail text "
    "alignment crop transcode preserve low resolution request history cache byte identical prompt"
).split()


@dataclass(frozen=True)
class Sample:
    name: str
    image: bytes
    query: str
    mime_type: str = "image/png"


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def draw_text_page(width: int = 935, height: int = 1210, font_size: int = 18, seed: int = 7) -> Image.Image:
    """A dense page of paragraphs with a heading (like a documentation page)."""
    rng = random.Random(seed)
    img = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(img)
    d.text((60, 50), "Chapter 3. Sending images efficiently", fill="black", font=_font(font_size + 12))
    y, font = 120, _font(font_size)
    while y < height - 80:
        for _ in range(rng.randint(4, 7)):
            line, x_words = [], 0
            while x_words < 11:
                line.append(rng.choice(_WORDS))
                x_words += 1
            d.text((60, y), " ".join(line).capitalize() + ".", fill=(20, 20, 20), font=font)
            y += int(font_size * 1.5)
            if y > height - 80:
                break
        y += font_size
    return img


def _receipt() -> Image.Image:
    img = Image.new("RGB", (420, 640), (250, 250, 245))
    d = ImageDraw.Draw(img)
    f, fb = _font(20), _font(26)
    d.text((120, 30), "CORNER CAFE", fill="black", font=fb)
    d.text((95, 70), "12 Harbour Street, Leith", fill="black", font=f)
    rows = [
        ("Flat white", "3.40"),
        ("Croissant", "2.75"),
        ("Orange juice", "3.10"),
        ("Bagel, salmon", "6.95"),
    ]
    y = 140
    for item, price in rows:
        d.text((40, y), item, fill="black", font=f)
        d.text((310, y), price, fill="black", font=f)
        y += 40
    d.line((40, y + 5, 380, y + 5), fill="black", width=2)
    d.text((40, y + 20), "TOTAL GBP", fill="black", font=fb)
    d.text((300, y + 20), "16.20", fill="black", font=fb)
    d.text((40, y + 90), "Card ending 4417  12/03/2026 09:41", fill="black", font=f)
    d.text((95, y + 140), "Thank you, come again!", fill="black", font=f)
    return img


def _dashboard() -> Image.Image:
    img = Image.new("RGB", (1600, 1000), (240, 242, 245))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, 1600, 70), fill=(33, 47, 61))
    d.text((30, 20), "Ops dashboard", fill="white", font=_font(28))
    d.rectangle((1180, 100, 1570, 300), fill="white", outline=(200, 200, 200))
    d.text((1200, 120), "Open incidents", fill=(90, 90, 90), font=_font(22))
    d.text((1200, 170), "7", fill=(200, 40, 40), font=_font(64))
    rng = random.Random(3)
    for i in range(3):
        x = 40 + i * 370
        d.rectangle((x, 100, x + 340, 300), fill="white", outline=(200, 200, 200))
        d.text(
            (x + 20, 120), ["Requests/s", "p95 latency", "Error rate"][i], fill=(90, 90, 90), font=_font(22)
        )
        d.text((x + 20, 170), ["1,284", "212 ms", "0.41%"][i], fill="black", font=_font(48))
    d.rectangle((40, 340, 1570, 960), fill="white", outline=(200, 200, 200))
    pts = [(60 + k * 25, 900 - rng.randint(50, 500)) for k in range(60)]
    d.line(pts, fill=(30, 120, 200), width=3)
    return img


def _bar_chart() -> Image.Image:
    img = Image.new("RGB", (900, 600), "white")
    d = ImageDraw.Draw(img)
    f = _font(18)
    d.text((300, 20), "Monthly sales 2026 (k EUR)", fill="black", font=_font(24))
    d.line((80, 520, 860, 520), fill="black", width=2)
    d.line((80, 80, 80, 520), fill="black", width=2)
    values = [42, 55, 61, 48, 73, 66, 58, 80, 52, 47, 69, 75]
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    for i, (v, m) in enumerate(zip(values, months, strict=True)):
        x = 100 + i * 63
        d.rectangle((x, 520 - v * 5, x + 40, 520), fill=(70, 130, 180))
        d.text((x + 2, 530), m, fill="black", font=f)
    return img


def _photo() -> Image.Image:
    try:
        from skimage import data as skdata

        return Image.fromarray(skdata.coffee()).resize((1200, 800), Image.Resampling.LANCZOS)
    except Exception:  # scikit-image absent or its data missing: draw a landscape
        img = Image.new("RGB", (1200, 800))
        d = ImageDraw.Draw(img)
        for y in range(800):
            t = y / 800
            d.line((0, y, 1200, y), fill=(int(90 + 100 * t), int(150 + 60 * t), int(230 - 120 * t)))
        d.polygon(
            [(0, 600), (300, 350), (650, 620), (1000, 300), (1200, 520), (1200, 800), (0, 800)],
            fill=(60, 110, 60),
        )
        d.ellipse((950, 80, 1080, 210), fill=(255, 230, 120))
        return img


def _screenshot() -> Image.Image:
    img = Image.new("RGB", (1920, 1080), (250, 250, 250))
    d = ImageDraw.Draw(img)
    f = _font(13)
    d.rectangle((0, 0, 1920, 32), fill=(230, 230, 230))
    for i, name in enumerate(["File", "Edit", "View", "Insert", "Format", "Tools", "Help"]):
        d.text((12 + i * 60, 9), name, fill="black", font=f)
    d.rectangle((0, 32, 260, 1080), fill=(240, 240, 244))
    for i in range(40):
        d.text((16, 44 + i * 25), f"settings/section_{i:02d}.yaml", fill=(40, 40, 40), font=f)
    for i in range(45):
        d.text(
            (290, 44 + i * 22),
            f"{i + 1:>3}  key_{i}: value {i * 37 % 101}  # tuned on 2026-11-{i % 28 + 1:02d}",
            fill=(30, 30, 30),
            font=f,
        )
    d.rounded_rectangle((1760, 1030, 1900, 1066), radius=6, fill=(30, 110, 220))
    d.text((1805, 1040), "Save", fill="white", font=f)
    return img


def demo_samples() -> list[Sample]:
    """The bundled samples, in a fixed order."""
    photo = io.BytesIO()
    _photo().save(photo, format="JPEG", quality=90)
    return [
        Sample("doc_page.png", _png(draw_text_page()), "Transcribe this page."),
        Sample("receipt.png", _png(_receipt()), "Read out every line of this receipt."),
        Sample("dashboard.png", _png(_dashboard()), "What does the panel in the top-right corner show?"),
        Sample("photo.jpg", photo.getvalue(), "Describe the scene in this photo.", "image/jpeg"),
        Sample("bar_chart.png", _png(_bar_chart()), "Which month had the highest sales in this bar chart?"),
        Sample("editor_1080p.png", _png(_screenshot()), "Where exactly is the Save button in this layout?"),
    ]
