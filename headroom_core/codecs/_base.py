"""The codec contract: read and write the image blocks of one provider format."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar

from headroom_core._exceptions import ConfigurationError, UnsupportedImageError
from headroom_core.codecs._encoding import decode_base64, is_data_url, parse_data_url
from headroom_core.codecs._types import ImageRef, Location, Replacement

__all__ = ["Block", "Codec", "as_str"]

Block = dict[str, Any]


def as_str(value: object) -> str | None:
    """``value`` if it is a string, else ``None`` (JSON from callers is not trusted)."""
    return value if isinstance(value, str) else None


class Codec(ABC):
    """Reads and writes the image and text blocks of one provider's message format.

    A subclass says which blocks are its images (:meth:`matches`), what they hold (:meth:`read`),
    how a new payload and a new detail are written (:meth:`set_payload`, :meth:`set_detail`) and
    what its text blocks look like (:meth:`text_of`, :meth:`text_block`). The traversal of whole
    requests, query association and copying live elsewhere; a codec only sees one block.
    """

    name: ClassVar[str]

    @abstractmethod
    def matches(self, block: Mapping[str, Any]) -> bool:
        """Whether ``block`` is an image block of this format."""

    @abstractmethod
    def read(self, block: Mapping[str, Any]) -> ImageRef:
        """What the image block holds (``location`` and the conversation fields left empty)."""

    @abstractmethod
    def set_payload(self, block: Block, data: bytes, mime: str) -> None:
        """Write inline ``data`` into ``block`` (edited in place), in the block's own shape and key style."""

    @abstractmethod
    def set_detail(self, block: Block, detail: str) -> None:
        """Write the resolution setting ``detail`` into ``block`` (edited in place)."""

    @abstractmethod
    def text_of(self, block: Mapping[str, Any]) -> str | None:
        """The text of ``block`` if it is a text block of this format, else ``None``."""

    @abstractmethod
    def text_block(self, text: str) -> Block:
        """A new text block of this format."""

    def is_opaque(self, node: Mapping[str, Any], key: object, path: Location) -> bool:
        """Whether ``node[key]`` (``node`` sits at ``path``) is JSON the model treats as data,
        such as tool-call arguments, rather than content in which images are sent."""
        return False

    def accepts_text(self, location: Location) -> bool:
        """Whether a text block may stand at ``location`` in place of an image."""
        return True

    def text_replacement(self, block: Mapping[str, Any], text: str) -> Block:
        """The text block that replaces the image ``block``."""
        return self.text_block(text)

    def write(self, block: Block, replacement: Replacement) -> Block:
        """Apply ``replacement`` to ``block`` (a copy owned by the caller) and return the result."""
        if replacement.kind == "text":
            return self.text_replacement(block, replacement.text or "")
        if replacement.data is not None:
            mime = replacement.mime_type or self.read(block).mime_type
            if not mime:
                raise ConfigurationError(f"{self.name}: the new image data needs a mime_type")
            self.set_payload(block, replacement.data, mime)
        if replacement.detail is not None:
            self.set_detail(block, replacement.detail)
        return block

    # Helpers for subclasses -------------------------------------------------------------------

    def _ref(self, source: str, **fields: Any) -> ImageRef:
        fields.setdefault("data", None)
        fields.setdefault("mime_type", None)
        fields.setdefault("detail", None)
        return ImageRef(location=(), format=self.name, source=source, **fields)

    def _inline_ref(self, payload: object, mime: str | None, detail: str | None) -> ImageRef:
        """A base64 image, decoded; a payload that does not decode gives ``error`` and no data."""
        if not isinstance(payload, str):
            return self._ref("base64", mime_type=mime, detail=detail, error="corrupt base64: not a string")
        try:
            data = decode_base64(payload)
        except UnsupportedImageError as exc:
            return self._ref(
                "base64", mime_type=mime, detail=detail, error=str(exc), base64_chars=len(payload)
            )
        return self._ref("base64", data=data, mime_type=mime, detail=detail, base64_chars=len(payload))

    def _url_ref(self, url: object, detail: str | None) -> ImageRef:
        """An image given by URL: a ``data:`` URL is decoded, any other URL is only reported."""
        if not isinstance(url, str) or not url:
            return self._ref("url", detail=detail, error="no image URL")
        if not is_data_url(url):
            return self._ref("url", url=url, detail=detail)
        try:
            mime, payload = parse_data_url(url)
        except UnsupportedImageError as exc:
            return self._ref("base64", detail=detail, error=str(exc))
        return self._inline_ref(payload, mime, detail)
