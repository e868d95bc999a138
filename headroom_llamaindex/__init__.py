"""LlamaIndex adapters for headroom-image: compress retrieved image nodes and chat-message images.

- :class:`ImageCompressionPostprocessor`: ``node_postprocessors=[ImageCompressionPostprocessor()]``.
- :func:`compress_chat_messages`: the ``ImageBlock``s of ``ChatMessage`` lists.
- :class:`ImageCompressingLLM`: an LLM whose chat calls send compressed images.

The adapters translate LlamaIndex objects to the core's form and back; the core decides.
"""

from __future__ import annotations

from ._chat import compress_chat_messages, compress_chat_messages_with_result
from ._llm import ImageCompressingLLM, infer_llm_provider_model
from ._postprocessor import SOURCE_IMAGE_KEYS, ImageCompressionPostprocessor

__all__ = [
    "SOURCE_IMAGE_KEYS",
    "ImageCompressingLLM",
    "ImageCompressionPostprocessor",
    "compress_chat_messages",
    "compress_chat_messages_with_result",
    "infer_llm_provider_model",
]
