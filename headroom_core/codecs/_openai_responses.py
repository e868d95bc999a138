"""OpenAI Responses: ``{"type": "input_image", "image_url": ... | "file_id": ..., "detail": ...}``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headroom_core.codecs._base import Block, Codec, as_str
from headroom_core.codecs._encoding import data_url
from headroom_core.codecs._keys import rename_key
from headroom_core.codecs._types import ImageRef

__all__ = ["OpenAIResponsesCodec"]


class OpenAIResponsesCodec(Codec):
    """A ``file_id`` image given new bytes becomes an ``image_url`` data URL in the same place."""

    name = "openai_responses"

    def matches(self, block: Mapping[str, Any]) -> bool:
        return block.get("type") == "input_image"

    def read(self, block: Mapping[str, Any]) -> ImageRef:
        detail = as_str(block.get("detail"))
        file_id = as_str(block.get("file_id"))
        if file_id is not None:
            return self._ref("file", file_id=file_id, detail=detail)
        return self._url_ref(block.get("image_url"), detail)

    def set_payload(self, block: Block, data: bytes, mime: str) -> None:
        url = data_url(mime, data)
        if "file_id" in block:
            rename_key(block, "file_id", "image_url", url)
        else:
            block["image_url"] = url

    def set_detail(self, block: Block, detail: str) -> None:
        block["detail"] = detail

    def text_of(self, block: Mapping[str, Any]) -> str | None:
        return as_str(block.get("text")) if block.get("type") == "input_text" else None

    def text_block(self, text: str) -> Block:
        return {"type": "input_text", "text": text}
