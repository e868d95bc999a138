"""Anthropic Messages: ``{"type": "image", "source": {"type": "base64" | "url" | "file", ...}}``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headroom_core._exceptions import ConfigurationError
from headroom_core.codecs._base import Block, Codec, as_str
from headroom_core.codecs._encoding import encode_base64
from headroom_core.codecs._types import ImageRef, Location

__all__ = ["AnthropicCodec"]

_SOURCE_TYPES = frozenset({"base64", "url", "file"})
_TOOL_USE_TYPES = frozenset({"tool_use", "server_tool_use", "mcp_tool_use"})


class AnthropicCodec(Codec):
    """New bytes always go in a ``base64`` source (a ``url``/``file`` source becomes one).

    Sibling keys of the block (``cache_control`` ...) are kept; a text replacement keeps
    ``cache_control`` so the caller's prompt-cache breakpoint stays where it was.
    """

    name = "anthropic"

    def matches(self, block: Mapping[str, Any]) -> bool:
        source = block.get("source")
        return (
            block.get("type") == "image"
            and isinstance(source, Mapping)
            and source.get("type") in _SOURCE_TYPES
        )

    def read(self, block: Mapping[str, Any]) -> ImageRef:
        source = block["source"]
        kind = source["type"]
        if kind == "url":
            url = as_str(source.get("url"))
            return self._ref("url", url=url, error=None if url else "no image URL")
        if kind == "file":
            file_id = as_str(source.get("file_id"))
            return self._ref("file", file_id=file_id, error=None if file_id else "no file_id")
        return self._inline_ref(source.get("data"), as_str(source.get("media_type")), None)

    def set_payload(self, block: Block, data: bytes, mime: str) -> None:
        kept = {key: value for key, value in block["source"].items() if key not in ("url", "file_id")}
        block["source"] = {**kept, "type": "base64", "media_type": mime, "data": encode_base64(data)}

    def set_detail(self, block: Block, detail: str) -> None:
        raise ConfigurationError("anthropic image blocks have no detail setting")

    def text_of(self, block: Mapping[str, Any]) -> str | None:
        return as_str(block.get("text")) if block.get("type") == "text" else None

    def text_block(self, text: str) -> Block:
        return {"type": "text", "text": text}

    def is_opaque(self, node: Mapping[str, Any], key: object, path: Location) -> bool:
        return key == "input" and node.get("type") in _TOOL_USE_TYPES

    def text_replacement(self, block: Mapping[str, Any], text: str) -> Block:
        new = self.text_block(text)
        if "cache_control" in block:
            new["cache_control"] = block["cache_control"]
        return new
