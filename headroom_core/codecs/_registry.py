"""Codec name -> codec, and format detection of one block."""

from __future__ import annotations

from collections.abc import Mapping

from headroom_core._exceptions import ConfigurationError
from headroom_core.codecs._anthropic import AnthropicCodec
from headroom_core.codecs._base import Block, Codec
from headroom_core.codecs._gemini import GeminiCodec
from headroom_core.codecs._openai_chat import OpenAIChatCodec
from headroom_core.codecs._openai_responses import OpenAIResponsesCodec

__all__ = ["CODECS", "codec_for", "detect_format", "get_codec", "text_block"]

CODECS: dict[str, Codec] = {
    codec.name: codec
    for codec in (OpenAIChatCodec(), OpenAIResponsesCodec(), AnthropicCodec(), GeminiCodec())
}
"""Every known format by name; the shapes are disjoint, so at most one codec matches a block."""


def codec_for(block: object) -> Codec | None:
    """The codec whose image block ``block`` is, or ``None``."""
    if not isinstance(block, Mapping):
        return None
    return next((codec for codec in CODECS.values() if codec.matches(block)), None)


def detect_format(block: Mapping[str, object]) -> str | None:
    """The format name of the image block ``block`` (``None`` when it is not an image block)."""
    codec = codec_for(block)
    return None if codec is None else codec.name


def get_codec(format: str) -> Codec:
    try:
        return CODECS[format]
    except KeyError:
        known = ", ".join(sorted(CODECS))
        raise ConfigurationError(f"unknown format {format!r}; known: {known}") from None


def text_block(format: str, text: str) -> Block:
    """A new text block of ``format`` holding ``text``."""
    return get_codec(format).text_block(text)
