"""``ImageCompressionRunnable``: a chain step that compresses the images of chat messages."""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

from langchain_core.callbacks import (
    AsyncCallbackManagerForChainRun,
    CallbackManagerForChainRun,
    adispatch_custom_event,
    dispatch_custom_event,
)
from langchain_core.language_models import LanguageModelInput
from langchain_core.messages import BaseMessage
from langchain_core.runnables import RunnableConfig, RunnableSerializable
from pydantic import ConfigDict, Field, PrivateAttr, model_validator

from headroom_core import CompressionResult, ImageCompressor

from ._compress import compress_messages_with_result

__all__ = ["COMPRESSION_EVENT", "ImageCompressionRunnable", "aemit_result", "emit_result"]

logger = logging.getLogger(__name__)

COMPRESSION_EVENT = "headroom_image_compression"
"""Name of the custom callback event carrying ``CompressionResult.as_dict()`` (see
``astream_events`` / LangSmith traces)."""


def emit_result(result: CompressionResult, config: RunnableConfig | None) -> None:
    """Dispatch :data:`COMPRESSION_EVENT`; never raises (a tracing problem must not fail a call)."""
    if not result.images:
        return
    try:
        dispatch_custom_event(COMPRESSION_EVENT, result.as_dict(), config=config)
    except Exception as exc:  # no parent run, a failing handler...: the request goes on
        logger.debug("could not dispatch %s: %s", COMPRESSION_EVENT, exc)


async def aemit_result(result: CompressionResult, config: RunnableConfig | None) -> None:
    """Async :func:`emit_result`."""
    if not result.images:
        return
    try:
        await adispatch_custom_event(COMPRESSION_EVENT, result.as_dict(), config=config)
    except Exception as exc:
        logger.debug("could not dispatch %s: %s", COMPRESSION_EVENT, exc)


class ImageCompressionRunnable(RunnableSerializable[LanguageModelInput, list[BaseMessage]]):
    """Compresses the images of what a chat model takes; returns the messages to send it.

    Accepts a string, a ``PromptValue`` or a list of message-likes (``BaseMessage``, tuples,
    dicts), like a chat model, and returns new ``BaseMessage`` objects (``model_copy``; the caller's
    messages are never mutated; ids and metadata kept). Every LangChain image form is read; a
    rewritten image is written in the block the target provider's LangChain integration accepts
    (for OpenAI a native ``image_url`` block, so ``detail`` survives). ``url`` and ``file_id``
    images pass through unchanged: nothing is downloaded.

    The core decides per image; this class only translates. Each call's
    :class:`~headroom_core.CompressionResult` is dispatched as the custom callback event
    :data:`COMPRESSION_EVENT` and kept in :attr:`last_result`.

    Example::

        chain = prompt | ImageCompressionRunnable(provider="openai", model="gpt-4o") | llm

    Args:
        provider: target provider (``"openai"``, ``"anthropic"``, ``"google"``); default ``"openai"``.
        model: target model name for the token rules (``None``: the provider's default family).
        compressor: a shared :class:`~headroom_core.ImageCompressor` (not serialized); built lazily
            from ``provider``, ``model`` and ``options`` when omitted.
        options: keyword arguments for :class:`~headroom_core.ImageCompressor` (``router``,
            ``techniques``, ``ocr_engine``...). Unknown keyword arguments of the constructor are
            collected here, so ``ImageCompressionRunnable(router="rules")`` works.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    provider: str | None = Field(default=None, description="Target provider; default 'openai'.")
    model: str | None = Field(default=None, description="Target model name for the token rules.")
    compressor: ImageCompressor | None = Field(
        default=None, exclude=True, description="Shared ImageCompressor; built lazily when omitted."
    )
    options: dict[str, Any] = Field(
        default_factory=dict, description="Keyword arguments for ImageCompressor (router, techniques...)."
    )

    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _own_compressor: ImageCompressor | None = PrivateAttr(default=None)
    _last_result: CompressionResult | None = PrivateAttr(default=None)

    @model_validator(mode="before")
    @classmethod
    def _collect_options(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        known = set(cls.model_fields)
        extra = {key: value for key, value in data.items() if key not in known}
        if not extra:
            return data
        kept = {key: value for key, value in data.items() if key in known}
        kept["options"] = {**dict(kept.get("options") or {}), **extra}
        return kept

    @classmethod
    def is_lc_serializable(cls) -> bool:
        return True

    @classmethod
    def get_lc_namespace(cls) -> list[str]:
        return ["headroom_langchain"]

    @property
    def last_result(self) -> CompressionResult | None:
        """The result of the most recent call (with concurrent calls, whichever finished last)."""
        return self._last_result

    def get_compressor(self) -> ImageCompressor:
        """The compressor in use (``compressor``, or one built once from the fields)."""
        if self.compressor is not None:
            return self.compressor
        if self._own_compressor is None:
            with self._lock:
                if self._own_compressor is None:
                    self._own_compressor = ImageCompressor(
                        self.provider or "openai", self.model, **self.options
                    )
        return self._own_compressor

    def compress_with_result(self, value: LanguageModelInput) -> tuple[list[BaseMessage], CompressionResult]:
        """Compress without callbacks; returns this call's messages and result."""
        out, result = compress_messages_with_result(
            value, compressor=self.get_compressor(), provider=self.provider, model=self.model
        )
        self._last_result = result
        return out, result

    def _compress(
        self, value: LanguageModelInput, run_manager: CallbackManagerForChainRun, config: RunnableConfig
    ) -> list[BaseMessage]:
        out, result = self.compress_with_result(value)
        emit_result(result, config)
        return out

    async def _acompress(
        self, value: LanguageModelInput, run_manager: AsyncCallbackManagerForChainRun, config: RunnableConfig
    ) -> list[BaseMessage]:
        out, result = await asyncio.to_thread(self.compress_with_result, value)
        await aemit_result(result, config)
        return out

    def invoke(
        self, input: LanguageModelInput, config: RunnableConfig | None = None, **kwargs: Any
    ) -> list[BaseMessage]:
        return self._call_with_config(self._compress, input, config)

    async def ainvoke(
        self, input: LanguageModelInput, config: RunnableConfig | None = None, **kwargs: Any
    ) -> list[BaseMessage]:
        return await self._acall_with_config(self._acompress, input, config)
