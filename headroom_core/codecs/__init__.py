"""Codecs: find every image in provider-native request structures and write results into a copy.

Formats: OpenAI Chat Completions (``image_url``), OpenAI Responses (``input_image``), Anthropic
Messages (``image`` with a ``base64``/``url``/``file`` source) and Gemini ``contents``/``parts``
(``inline_data``/``inlineData``, ``file_data``/``fileData``). URL and file images are reported but
never fetched. :func:`rewrite` never mutates its input.
"""

from __future__ import annotations

from headroom_core.codecs._base import Codec
from headroom_core.codecs._encoding import data_url, decode_base64
from headroom_core.codecs._query import latest_user_turn
from headroom_core.codecs._registry import CODECS, detect_format, get_codec, text_block
from headroom_core.codecs._types import ImageRef, Location, Replacement
from headroom_core.codecs._walk import find_images, rewrite

__all__ = [
    "CODECS",
    "Codec",
    "ImageRef",
    "Location",
    "Replacement",
    "data_url",
    "decode_base64",
    "detect_format",
    "find_images",
    "get_codec",
    "latest_user_turn",
    "rewrite",
    "text_block",
]
