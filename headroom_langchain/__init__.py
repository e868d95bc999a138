"""LangChain adapters for headroom-image: compress the images of chat requests before the model sees them.

- :class:`ImageCompressionRunnable`: ``prompt | ImageCompressionRunnable() | chat_model``.
- :func:`with_image_compression`: wrap a chat model (tools and structured output keep working).
- :class:`ImageCompressionMiddleware`: compress every model call inside a ``create_agent`` loop.
- :func:`compress_messages`: the pure function behind them.

The adapters translate LangChain messages to the core's form and back; the core decides.
"""

from __future__ import annotations

from ._chat_model import ImageCompressingChatModel, infer_provider_model, with_image_compression
from ._compress import compress_messages, compress_messages_with_result
from ._middleware import ImageCompressionMiddleware
from ._runnable import COMPRESSION_EVENT, ImageCompressionRunnable

__all__ = [
    "COMPRESSION_EVENT",
    "ImageCompressingChatModel",
    "ImageCompressionMiddleware",
    "ImageCompressionRunnable",
    "compress_messages",
    "compress_messages_with_result",
    "infer_provider_model",
    "with_image_compression",
]
