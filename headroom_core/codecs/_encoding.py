"""Base64 and data-URL handling shared by every codec (standard library only)."""

from __future__ import annotations

import base64
import binascii
import re

from headroom_core._exceptions import UnsupportedImageError

__all__ = ["data_url", "decode_base64", "encode_base64", "is_data_url", "parse_data_url"]

_WHITESPACE = re.compile(r"\s+")
_NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/\-_=]")
_URLSAFE_TO_STANDARD = str.maketrans("-_", "+/")


def _corrupt(why: str) -> UnsupportedImageError:
    return UnsupportedImageError(f"corrupt base64: {why}")


def decode_base64(text: str) -> bytes:
    """Decode standard or URL-safe base64, with or without padding, ignoring whitespace.

    Raises :class:`UnsupportedImageError` (message ``"corrupt base64: ..."``) for anything else.
    """
    if text and len(text) % 4 == 0:
        # Fast path for the canonical form (standard alphabet, padded, no whitespace): one strict C
        # pass that validates and decodes; anything else takes the tolerant path below.
        try:
            return binascii.a2b_base64(text, strict_mode=True)
        except (binascii.Error, ValueError):
            pass
    compact = _WHITESPACE.sub("", text)
    if not compact:
        raise _corrupt("empty payload")
    bad = _NOT_BASE64.search(compact)
    if bad:
        raise _corrupt(f"invalid character {bad.group()!r} at offset {bad.start()}")
    body = compact.rstrip("=")
    if "=" in body:
        raise _corrupt("'=' padding inside the payload")
    if len(compact) - len(body) > 2:
        raise _corrupt("more than two '=' padding characters")
    if len(body) % 4 == 1:
        raise _corrupt(f"truncated payload ({len(body)} characters is not a whole number of bytes)")
    standard = body.translate(_URLSAFE_TO_STANDARD)
    return base64.b64decode(standard + "=" * (-len(standard) % 4), validate=True)


def encode_base64(data: bytes) -> str:
    """Standard-alphabet, padded base64 (what every provider accepts)."""
    return base64.b64encode(data).decode("ascii")


def is_data_url(url: str) -> bool:
    return url[:5].lower() == "data:"


def parse_data_url(url: str) -> tuple[str | None, str]:
    """Split ``data:<mime>[;params];base64,<payload>`` into ``(mime or None, payload)``.

    Raises :class:`UnsupportedImageError` when the URL has no ``,`` or is not base64-encoded.
    """
    head, comma, payload = url.partition(",")
    if not comma:
        raise UnsupportedImageError("unsupported data URL: no ',' before the payload")
    mime, *params = head[5:].split(";")
    if not any(param.strip().lower() == "base64" for param in params):
        raise UnsupportedImageError("unsupported data URL: not base64-encoded (no ';base64')")
    return mime.strip() or None, payload


def data_url(mime: str, data: bytes) -> str:
    """``data:<mime>;base64,<payload>`` for ``data``."""
    return f"data:{mime};base64,{encode_base64(data)}"
