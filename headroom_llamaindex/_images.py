"""Where a LlamaIndex image lives, as the core's ``image_url`` block, and what came back.

Inline bytes and ``data:`` URLs are read in memory, ``path`` images from the local file system;
remote URLs are handed to the core only when the caller opts in (``allow_remote``), and the core
fetches them only under its own :class:`FetchPolicy` (allow-listed hosts, size and time caps).
"""

from __future__ import annotations

import base64
import io
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from headroom_core import ConfigurationError, ImageCompressor
from headroom_core.codecs import find_images

__all__ = [
    "Rewritten",
    "data_url",
    "image_url_block",
    "is_remote",
    "local_file_url",
    "read_rewritten",
    "sniff_mime",
    "target_provider",
]

logger = logging.getLogger(__name__)

_ALIASES = {"gemini": "google", "vertex": "google", "vertexai": "google", "claude": "anthropic"}


def target_provider(provider: str | None, compressor: ImageCompressor) -> str:
    name = (provider or compressor.provider).strip().lower()
    return _ALIASES.get(name, name)


def require_fetch_policy(compressor: ImageCompressor, allow_remote: bool) -> None:
    """``allow_remote=True`` is only meaningful with a compressor that may fetch (a ``FetchPolicy``)."""
    if allow_remote and compressor.fetch is None:
        raise ConfigurationError(
            "allow_remote=True needs a compressor with a fetch policy: "
            "ImageCompressor(fetch=FetchPolicy(allowed_hosts=(...)))"
        )


def image_url_block(url: str, detail: str | None = None) -> dict[str, Any]:
    """The core's view of one image: an OpenAI ``image_url`` block (the provider is told apart)."""
    inner: dict[str, Any] = {"url": url}
    if detail is not None:
        inner["detail"] = detail
    return {"type": "image_url", "image_url": inner}


def sniff_mime(data: bytes) -> str | None:
    """The image mime type of ``data`` from its header (Pillow), or ``None``."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            return Image.MIME.get(img.format or "")
    except Exception:  # not an image Pillow knows: the core will say why
        return None


def data_url(data: bytes, mime: str | None) -> str:
    return f"data:{mime or sniff_mime(data) or ''};base64,{base64.b64encode(data).decode('ascii')}"


def local_file_url(path: str | Path, mime: str | None, max_bytes: int) -> str | None:
    """A ``data:`` URL of a local image file, or ``None`` (missing, not a file, or over ``max_bytes``)."""
    file = Path(path)
    try:
        if not file.is_file():
            logger.info("image path %s is not a local file; left as it is", file)
            return None
        size = file.stat().st_size
        if size > max_bytes:
            logger.info("image file %s has %d bytes (> %d); left as it is", file, size, max_bytes)
            return None
        data = file.read_bytes()
    except OSError as exc:
        logger.info("could not read image file %s: %s; left as it is", file, exc)
        return None
    return data_url(data, mime)


def is_remote(url: str) -> bool:
    return url.split(":", 1)[0].lower() in ("http", "https")


@dataclass(frozen=True)
class Rewritten:
    """The core's output for one image: text (TRANSCODE) or new bytes with their mime and detail."""

    text: str | None = None
    data: bytes | None = None
    mime_type: str | None = None
    detail: str | None = None


def read_rewritten(block: Mapping[str, Any]) -> Rewritten:
    """Read the core's rewritten block (a text block, or an ``image_url`` block with a data URL)."""
    if block.get("type") in ("text", "input_text") and isinstance(block.get("text"), str):
        return Rewritten(text=block["text"])
    refs = find_images(dict(block))
    if len(refs) != 1 or refs[0].data is None:
        return Rewritten(detail=refs[0].detail if refs else None)
    ref = refs[0]
    return Rewritten(data=ref.data, mime_type=ref.mime_type, detail=ref.detail)
