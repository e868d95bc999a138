"""OpenAI Chat Completions: ``{"type": "image_url", "image_url": {"url": ..., "detail": ...}}``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headroom_core.codecs._base import Block, Codec, as_str
from headroom_core.codecs._encoding import data_url
from headroom_core.codecs._types import ImageRef

__all__ = ["OpenAIChatCodec"]


class OpenAIChatCodec(Codec):
    """``image_url`` may also be a plain URL string; it then stays one unless a detail is set."""

    name = "openai_chat"

    def matches(self, block: Mapping[str, Any]) -> bool:
        return block.get("type") == "image_url" and isinstance(block.get("image_url"), Mapping | str)

    def read(self, block: Mapping[str, Any]) -> ImageRef:
        image_url = block["image_url"]
        if isinstance(image_url, str):
            return self._url_ref(image_url, None)
        return self._url_ref(image_url.get("url"), as_str(image_url.get("detail")))

    def set_payload(self, block: Block, data: bytes, mime: str) -> None:
        url = data_url(mime, data)
        image_url = block["image_url"]
        block["image_url"] = url if isinstance(image_url, str) else {**image_url, "url": url}

    def set_detail(self, block: Block, detail: str) -> None:
        image_url = block["image_url"]
        if isinstance(image_url, str):
            block["image_url"] = {"url": image_url, "detail": detail}
        else:
            block["image_url"] = {**image_url, "detail": detail}

    def text_of(self, block: Mapping[str, Any]) -> str | None:
        return as_str(block.get("text")) if block.get("type") == "text" else None

    def text_block(self, text: str) -> Block:
        return {"type": "text", "text": text}
