"""The two records the codecs exchange with the rest of the pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from headroom_core._exceptions import ConfigurationError

__all__ = ["ImageRef", "Location", "Replacement"]

Location = tuple[str | int, ...]
"""Path of keys and list indices from the root of the caller's input to one block."""


@dataclass(frozen=True)
class ImageRef:
    """One image found in a request, as the caller sent it.

    ``data`` holds the decoded bytes of an inline base64 image; it is ``None`` for URL and file
    images (which are never fetched) and for payloads that could not be decoded, in which case
    ``error`` says why and the block must be left as it is.
    """

    location: Location
    format: str
    """Codec name: ``"openai_chat"``, ``"openai_responses"``, ``"anthropic"`` or ``"gemini"``."""
    data: bytes | None
    mime_type: str | None
    """The declared media type (data-URL prefix, ``media_type``, ``mime_type``/``mimeType``)."""
    detail: str | None
    """OpenAI ``detail``; for Gemini the ``media_resolution`` level as a plain word
    (``"low"``, ``"medium"``, ``"high"``, ``"ultra_high"``); otherwise ``None``."""
    source: str
    """``"base64"``, ``"url"`` or ``"file"``."""
    url: str | None = None
    file_id: str | None = None
    """A provider file id (OpenAI ``file_id``, Anthropic ``file_id``, Gemini ``file_uri``)."""
    query: str = ""
    """The user text this image belongs to: its own user turn's text, else the latest user text."""
    message_index: int = -1
    """Index of the top-level message (turn) holding the image; -1 outside the conversation."""
    turn_role: str | None = None
    error: str | None = None
    base64_chars: int = 0
    """Length of the base64 payload as sent (0 for URL and file images)."""
    accepts_text: bool = True
    """False where the provider allows no text block in place of the image
    (Gemini ``function_response`` parts carry media only)."""


@dataclass(frozen=True)
class Replacement:
    """What to write in place of one image block.

    ``kind="image"``: new ``data`` (with its ``mime_type``; ``None`` keeps the declared one) and/or
    a new ``detail`` (``None`` leaves the caller's detail field as it was). ``kind="text"``: the
    whole image block becomes a text block holding ``text``.
    """

    kind: Literal["image", "text"]
    data: bytes | None = None
    mime_type: str | None = None
    detail: str | None = None
    text: str | None = None

    def __post_init__(self) -> None:
        if self.kind == "text":
            if self.text is None:
                raise ConfigurationError("a text Replacement needs text")
            if self.data is not None or self.mime_type is not None or self.detail is not None:
                raise ConfigurationError("a text Replacement takes no data, mime_type or detail")
        elif self.kind == "image":
            if self.text is not None:
                raise ConfigurationError("an image Replacement takes no text")
            if self.mime_type is not None and self.data is None:
                raise ConfigurationError("an image Replacement with a mime_type needs data")
        else:
            raise ConfigurationError(f"Replacement kind must be 'image' or 'text', not {self.kind!r}")
