"""Safe image decoding and encoding (the only place that turns bytes into pixels and back)."""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PIL import Image, ImageOps, UnidentifiedImageError

from ._exceptions import UnsupportedImageError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_PIXELS",
    "DecodedImage",
    "background_colour",
    "blank_canvas",
    "content_mask",
    "decode_image",
    "encode_image",
    "pad_image",
    "true_runs",
]

logger = logging.getLogger(__name__)

#: Images with more pixels than this are passed through (decompression-bomb guard).
DEFAULT_MAX_PIXELS = 50_000_000
#: Encoded images larger than this are passed through.
DEFAULT_MAX_BYTES = 40 * 1024 * 1024

_MIME_BY_FORMAT = {
    "PNG": "image/png",
    "JPEG": "image/jpeg",
    "MPO": "image/jpeg",
    "WEBP": "image/webp",
    "GIF": "image/gif",
    "BMP": "image/bmp",
    "TIFF": "image/tiff",
}


@dataclass(frozen=True)
class DecodedImage:
    """An image decoded to 8-bit RGB, EXIF orientation applied, alpha composited on white."""

    image: Image.Image
    format: str
    mime_type: str
    width: int
    height: int
    had_alpha: bool
    byte_size: int

    @property
    def size(self) -> tuple[int, int]:
        return (self.width, self.height)


def _sniff_svg(data: bytes) -> bool:
    head = data[:512].lstrip().lower()
    return head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in data[:2048].lower())


def decode_image(
    data: bytes,
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> DecodedImage:
    """Decode ``data`` safely or raise :class:`UnsupportedImageError` with a one-line reason.

    Refused: empty or oversized payloads, SVG, non-image bytes, truncated files, images above
    ``max_pixels`` (checked before any pixel is decoded), zero-size and animated images (sending
    one frame would lose the others).
    """
    if not data:
        raise UnsupportedImageError("empty image payload")
    if len(data) > max_bytes:
        raise UnsupportedImageError(f"image payload of {len(data)} bytes exceeds the {max_bytes}-byte cap")
    if _sniff_svg(data):
        raise UnsupportedImageError("SVG is a vector format; passed through as sent")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # corrupt EXIF etc.: decoding goes on
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img: Image.Image = Image.open(io.BytesIO(data))
            width, height = img.size
            if width <= 0 or height <= 0:
                raise UnsupportedImageError(f"zero-size image ({width}x{height})")
            if width * height > max_pixels:
                raise UnsupportedImageError(
                    f"{width}x{height} = {width * height} pixels exceeds the {max_pixels}-pixel cap"
                )
            frames = int(getattr(img, "n_frames", 1))
            if getattr(img, "is_animated", False) and frames > 1:
                raise UnsupportedImageError(
                    f"animated {img.format} with {frames} frames; one frame would lose the others"
                )
            fmt = (img.format or "").upper()
            img.load()
            img = ImageOps.exif_transpose(img) or img
            rgb, had_alpha = _to_rgb(img)
    except UnsupportedImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UnsupportedImageError(f"decompression bomb refused: {exc}") from None
    except UnidentifiedImageError:
        raise UnsupportedImageError("bytes are not a recognised image format") from None
    except Exception as exc:  # Pillow plugins raise OSError, NotImplementedError, struct.error...
        raise UnsupportedImageError(f"image could not be decoded: {type(exc).__name__}: {exc}") from None
    mime = _MIME_BY_FORMAT.get(fmt, f"image/{fmt.lower()}" if fmt else "application/octet-stream")
    return DecodedImage(
        image=rgb,
        format=fmt,
        mime_type=mime,
        width=rgb.width,
        height=rgb.height,
        had_alpha=had_alpha,
        byte_size=len(data),
    )


def _to_rgb(img: Image.Image) -> tuple[Image.Image, bool]:
    """8-bit RGB with any transparency composited on white."""
    mode = img.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        import numpy as np

        arr = np.asarray(img, dtype=np.float64)
        hi = float(arr.max()) or 1.0
        scale = 255.0 / (65535.0 if hi > 255 else max(hi, 1.0))
        img = Image.fromarray(np.clip(arr * scale, 0, 255).astype("uint8"), mode="L")
        mode = "L"
    elif mode == "F":
        import numpy as np

        arr = np.asarray(img, dtype=np.float64)
        lo, hi = float(arr.min()), float(arr.max())
        norm = (arr - lo) / (hi - lo) if hi > lo else arr * 0
        img = Image.fromarray((norm * 255).astype("uint8"), mode="L")
        mode = "L"
    has_alpha = mode in ("RGBA", "LA", "PA") or (mode == "P" and "transparency" in img.info)
    if has_alpha:
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB"), True
    if mode != "RGB":
        return img.convert("RGB"), False
    return img, False


def encode_image(image: Image.Image, *, text_like: bool, jpeg_quality: int = 90) -> tuple[bytes, str]:
    """Encode for sending: lossless PNG for text-like images, else the smaller of JPEG and WebP."""
    if text_like:
        buf = io.BytesIO()
        image.save(buf, format="PNG", optimize=True)
        return buf.getvalue(), "image/png"
    jpeg = io.BytesIO()
    image.save(jpeg, format="JPEG", quality=jpeg_quality, optimize=True)
    webp = io.BytesIO()
    try:
        image.save(webp, format="WEBP", quality=jpeg_quality, method=4)
    except (OSError, KeyError):  # Pillow built without WebP
        return jpeg.getvalue(), "image/jpeg"
    if len(webp.getvalue()) < len(jpeg.getvalue()):
        return webp.getvalue(), "image/webp"
    return jpeg.getvalue(), "image/jpeg"


def resize(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """High-quality downscale (never used to upscale)."""
    if size == image.size:
        return image
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def background_colour(image: Image.Image) -> tuple[int, int, int]:
    """The most common colour of ``image`` (RGB, quantised to 16 levels per channel)."""
    import numpy as np

    arr = np.asarray(image.convert("RGB").reduce(2), dtype=np.int16)
    flat = (arr // 16).reshape(-1, 3)
    keys, counts = np.unique((flat[:, 0] << 8) | (flat[:, 1] << 4) | flat[:, 2], return_counts=True)
    top = int(keys[int(np.argmax(counts))])
    return ((top >> 8) * 16 + 8, ((top >> 4) & 15) * 16 + 8, (top & 15) * 16 + 8)


#: A pixel is content when it differs from the background by more than this in some channel (0..255).
CONTENT_MIN_DIFF = 40


def content_mask(image: Image.Image, background: tuple[int, int, int]) -> npt.NDArray[np.bool_]:
    """Where ``image`` is content: its pixels that differ from ``background`` by more than
    ``CONTENT_MIN_DIFF`` in some channel."""
    import numpy as np

    rgb = np.asarray(image.convert("RGB"), dtype=np.int16)
    return np.asarray(np.abs(rgb - np.array(background, dtype=np.int16)).max(axis=2) > CONTENT_MIN_DIFF)


def true_runs(occupied: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """``(start, stop)`` of each run of True values in a 1-D mask (rows or columns with content)."""
    import numpy as np

    padded = np.concatenate([[False], occupied, [False]]).astype(np.int8)
    edges = np.diff(padded)
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist(), strict=True))


def blank_canvas(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """A ``size`` image in ``image``'s mode, filled with its background colour."""
    fill = Image.new("RGB", (1, 1), background_colour(image)).convert(image.mode).getpixel((0, 0))
    return Image.new(image.mode, size, fill)


def pad_image(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """``image`` at the top left of a ``size`` canvas filled with its background colour."""
    if size == image.size:
        return image
    canvas = blank_canvas(image, size)
    canvas.paste(image, (0, 0))
    return canvas
