"""Google Gemini parts: ``inline_data`` / ``inlineData`` and ``file_data`` / ``fileData``.

The per-part ``media_resolution`` (``mediaResolution``) level is read and written as a plain word:
``{"level": "media_resolution_high"}`` <-> ``"high"``. Key style (snake or camel) is kept as the
caller wrote it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headroom_core._exceptions import ConfigurationError
from headroom_core.codecs._base import Block, Codec, as_str
from headroom_core.codecs._encoding import encode_base64
from headroom_core.codecs._keys import rename_key
from headroom_core.codecs._types import ImageRef, Location

__all__ = ["GeminiCodec"]

_INLINE_KEYS = ("inline_data", "inlineData")
_FILE_KEYS = ("file_data", "fileData")
_CAMEL_KEYS = frozenset({"inlineData", "fileData"})
_RESOLUTION_KEYS = ("media_resolution", "mediaResolution")
_FUNCTION_CALL_KEYS = frozenset({"function_call", "functionCall"})
_FUNCTION_RESPONSE_KEYS = frozenset({"function_response", "functionResponse"})
_LEVEL_PREFIX = "media_resolution_"


def _media(part: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]] | None:
    for key in (*_INLINE_KEYS, *_FILE_KEYS):
        value = part.get(key)
        if isinstance(value, Mapping):
            return key, value
    return None


def _require_media(part: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]]:
    found = _media(part)
    if found is None:
        raise ConfigurationError("gemini: the part holds no inline_data or file_data")
    return found


def _get(mapping: Mapping[str, Any], snake: str, camel: str) -> Any:
    return mapping[snake] if snake in mapping else mapping.get(camel)


def _level_word(value: object) -> str | None:
    level = as_str(value.get("level")) if isinstance(value, Mapping) else as_str(value)
    if level is None:
        return None
    word = level.lower().removeprefix(_LEVEL_PREFIX)
    return None if word in ("", "unspecified") else word


class GeminiCodec(Codec):
    """A part counts as an image when its declared mime type is ``image/*`` (or absent).

    ``file_data`` parts are reported with ``source="file"`` and the ``file_uri`` as ``file_id``.
    Parts inside a ``function_response`` carry media only, so they accept no text replacement.
    """

    name = "gemini"

    def matches(self, block: Mapping[str, Any]) -> bool:
        found = _media(block)
        if found is None:
            return False
        mime = as_str(_get(found[1], "mime_type", "mimeType"))
        return mime is None or mime.lower().startswith("image/")

    def read(self, block: Mapping[str, Any]) -> ImageRef:
        key, media = _require_media(block)
        mime = as_str(_get(media, "mime_type", "mimeType"))
        detail = _level_word(_get(block, *_RESOLUTION_KEYS))
        if key in _FILE_KEYS:
            uri = as_str(_get(media, "file_uri", "fileUri"))
            return self._ref("file", file_id=uri, mime_type=mime, detail=detail)
        return self._inline_ref(media.get("data"), mime, detail)

    def set_payload(self, block: Block, data: bytes, mime: str) -> None:
        key, media = _require_media(block)
        camel = key in _CAMEL_KEYS
        if key in _FILE_KEYS:
            inline = {"mimeType" if camel else "mime_type": mime, "data": encode_base64(data)}
            rename_key(block, key, "inlineData" if camel else "inline_data", inline)
            return
        default_mime_key = "mimeType" if camel else "mime_type"
        mime_key = next((k for k in ("mime_type", "mimeType") if k in media), default_mime_key)
        block[key] = {**media, mime_key: mime, "data": encode_base64(data)}

    def set_detail(self, block: Block, detail: str) -> None:
        key = next((k for k in _RESOLUTION_KEYS if k in block), None)
        if key is None:
            camel = _require_media(block)[0] in _CAMEL_KEYS
            key = _RESOLUTION_KEYS[1] if camel else _RESOLUTION_KEYS[0]
        old = block.get(key)
        old_level = as_str(old.get("level")) if isinstance(old, Mapping) else None
        level = _LEVEL_PREFIX + detail.lower().removeprefix(_LEVEL_PREFIX)
        if old_level is not None and old_level.isupper():
            level = level.upper()
        block[key] = {**old, "level": level} if isinstance(old, Mapping) else {"level": level}

    def text_of(self, block: Mapping[str, Any]) -> str | None:
        if "type" in block or block.get("thought"):
            return None
        return as_str(block.get("text"))

    def text_block(self, text: str) -> Block:
        return {"text": text}

    def is_opaque(self, node: Mapping[str, Any], key: object, path: Location) -> bool:
        """Function-call arguments and the ``response`` JSON of a function response are data;
        a function response's media travel in its ``parts``."""
        if key in _FUNCTION_CALL_KEYS:
            return True
        return key == "response" and bool(path) and path[-1] in _FUNCTION_RESPONSE_KEYS

    def accepts_text(self, location: Location) -> bool:
        return not any(step in _FUNCTION_RESPONSE_KEYS for step in location)
