"""Safe decoding: odd images decode correctly or are refused with a clear reason."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from headroom_core import UnsupportedImageError
from headroom_core._imageio import decode_image, encode_image


def save(img: Image.Image, fmt: str, **kw: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **kw)
    return buf.getvalue()


def test_alpha_is_composited_on_white() -> None:
    img = Image.new("RGBA", (40, 30), (0, 0, 0, 0))  # fully transparent black
    img.paste((255, 0, 0, 255), (0, 0, 10, 10))
    d = decode_image(save(img, "PNG"))
    assert d.had_alpha and d.image.mode == "RGB"
    assert d.image.getpixel((30, 20)) == (255, 255, 255)
    assert d.image.getpixel((5, 5)) == (255, 0, 0)


def test_palette_with_transparency() -> None:
    img = Image.new("P", (20, 20), 0)
    img.putpalette([0, 0, 0, 10, 200, 10] + [0] * 762)
    img.paste(1, (0, 0, 10, 20))
    d = decode_image(save(img, "PNG", transparency=0))
    assert d.had_alpha
    assert d.image.getpixel((15, 5)) == (255, 255, 255)
    assert d.image.getpixel((5, 5)) == (10, 200, 10)


def test_cmyk_and_16_bit_become_rgb() -> None:
    cmyk = decode_image(save(Image.new("CMYK", (16, 16), (0, 255, 255, 0)), "JPEG"))
    assert cmyk.image.mode == "RGB"
    r, g, b = cmyk.image.getpixel((8, 8))
    assert r > 200 and g < 60 and b < 60
    arr = (np.arange(64 * 64, dtype=np.uint16).reshape(64, 64) * 16).astype(np.uint16)
    d16 = decode_image(save(Image.fromarray(arr), "PNG"))
    assert d16.image.mode == "RGB"
    assert d16.image.getpixel((63, 63))[0] > d16.image.getpixel((0, 0))[0]


def test_exif_rotation_is_applied() -> None:
    img = Image.new("RGB", (60, 20), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise on display
    d = decode_image(save(img, "JPEG", exif=exif))
    assert d.size == (20, 60)


def test_animated_gif_is_refused() -> None:
    frames = [Image.new("RGB", (10, 10), c) for c in ("red", "green", "blue")]
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:], duration=50)
    with pytest.raises(UnsupportedImageError, match="animated"):
        decode_image(buf.getvalue())


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"", "empty"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>', "SVG"),
        (b"%PDF-1.7 not an image", "not a recognised image"),
    ],
)
def test_refusals(data: bytes, needle: str) -> None:
    with pytest.raises(UnsupportedImageError, match=needle):
        decode_image(data)


def test_pixel_cap_is_checked_before_decoding() -> None:
    big = save(Image.new("L", (3000, 3000)), "PNG")
    with pytest.raises(UnsupportedImageError, match="pixel cap"):
        decode_image(big, max_pixels=1_000_000)


def test_truncated_file_is_refused() -> None:
    data = save(Image.effect_noise((200, 200), 40).convert("RGB"), "PNG")
    with pytest.raises(UnsupportedImageError):
        decode_image(data[: len(data) // 2])


def test_encode_text_is_lossless_png_and_photo_is_lossy() -> None:
    img = Image.effect_noise((128, 128), 30).convert("RGB")
    data, mime = encode_image(img, text_like=True)
    assert mime == "image/png"
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(data)).convert("RGB")), np.asarray(img))
    _, mime2 = encode_image(img, text_like=False)
    assert mime2 in ("image/jpeg", "image/webp")
