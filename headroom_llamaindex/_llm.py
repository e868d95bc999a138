"""``ImageCompressingLLM``: an LLM whose chat calls send compressed images."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseAsyncGen,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseAsyncGen,
    CompletionResponseGen,
    LLMMetadata,
)
from llama_index.core.bridge.pydantic import Field, SerializeAsAny
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.llm import LLM

from headroom_core import ImageCompressor

from ._chat import compress_chat_messages_with_result
from ._compressing import CompressingComponent, make_compressor

__all__ = ["ImageCompressingLLM", "infer_llm_provider_model"]

logger = logging.getLogger(__name__)

_PROVIDER_BY_CLASS = {
    "OpenAI": "openai",
    "OpenAIResponses": "openai",
    "AzureOpenAI": "openai",
    "OpenAIMultiModal": "openai",
    "Anthropic": "anthropic",
    "AnthropicMultiModal": "anthropic",
    "GoogleGenAI": "google",
    "Gemini": "google",
    "GeminiMultiModal": "google",
    "Vertex": "google",
}
_PROVIDER_BY_MODEL_WORD = (("claude", "anthropic"), ("gemini", "google"), ("gpt-", "openai"))


def infer_llm_provider_model(llm: LLM) -> tuple[str | None, str | None]:
    """``(provider, model)`` of a LlamaIndex LLM, by class name (or a base class) and model name."""
    model: str | None = None
    try:
        model = llm.metadata.model_name
    except Exception:  # an unconfigured integration may fail here
        model = None
    if not model or model == "unknown":
        value = getattr(llm, "model", None)
        model = value if isinstance(value, str) and value else None
    for cls in type(llm).__mro__:
        if cls.__name__ in _PROVIDER_BY_CLASS:
            return _PROVIDER_BY_CLASS[cls.__name__], model
    lowered = (model or "").lower()
    for word, provider in _PROVIDER_BY_MODEL_WORD:
        if word in lowered:
            return provider, model
    return None, model


class ImageCompressingLLM(CompressingComponent, LLM):
    """Wraps an LLM so that ``chat``/``achat``/``stream_chat``/``astream_chat`` send compressed images.

    The ``ImageBlock``s of the messages go through :func:`~headroom_llamaindex.compress_chat_messages`
    (one core call per request) before the wrapped LLM sees them; completion calls pass through
    (a prompt string holds no image). The provider and model are inferred from the wrapped LLM
    unless given. :attr:`last_result` holds the most recent :class:`~headroom_core.CompressionResult`.

    Example::

        llm = ImageCompressingLLM(OpenAIResponses(model="gpt-4.1"))
        llm.chat([ChatMessage(role="user", blocks=[ImageBlock(path="page.png"), TextBlock(text="...")])])
    """

    llm: SerializeAsAny[LLM] = Field(description="The wrapped LLM.")

    def __init__(
        self,
        llm: LLM,
        provider: str | None = None,
        model: str | None = None,
        *,
        allow_remote: bool = False,
        compressor: ImageCompressor | None = None,
        **options: Any,
    ) -> None:
        inferred_provider, inferred_model = infer_llm_provider_model(llm)
        target = provider or inferred_provider
        if target is None:
            logger.warning(
                "could not infer the provider of %s; using OpenAI token rules (pass provider=...)",
                type(llm).__name__,
            )
            target = "openai"
        target_model = model if model is not None else inferred_model
        fields: dict[str, Any] = {
            "llm": llm,
            "provider": target,
            "model": target_model,
            "allow_remote": allow_remote,
            "callback_manager": llm.callback_manager,
        }
        super().__init__(**fields)
        self._attach(make_compressor(compressor, target, target_model, options))

    @classmethod
    def class_name(cls) -> str:
        return "HeadroomImageCompressingLLM"

    @property
    def metadata(self) -> LLMMetadata:
        return self.llm.metadata

    def compress(self, messages: Sequence[ChatMessage]) -> list[ChatMessage]:
        """The messages the wrapped LLM receives (the given ones are not modified)."""
        out, result = compress_chat_messages_with_result(
            messages,
            compressor=self._compressor,
            provider=self.provider,
            model=self.model,
            allow_remote=self.allow_remote,
        )
        self._last_result = result
        return out

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        return self.llm.chat(self.compress(messages), **kwargs)

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        return self.llm.stream_chat(self.compress(messages), **kwargs)

    @llm_chat_callback()
    async def achat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        compressed = await asyncio.to_thread(self.compress, messages)
        return await self.llm.achat(compressed, **kwargs)

    @llm_chat_callback()
    async def astream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseAsyncGen:
        compressed = await asyncio.to_thread(self.compress, messages)
        return await self.llm.astream_chat(compressed, **kwargs)

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        return self.llm.complete(prompt, formatted=formatted, **kwargs)

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        return self.llm.stream_complete(prompt, formatted=formatted, **kwargs)

    @llm_completion_callback()
    async def acomplete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        return await self.llm.acomplete(prompt, formatted=formatted, **kwargs)

    @llm_completion_callback()
    async def astream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseAsyncGen:
        return await self.llm.astream_complete(prompt, formatted=formatted, **kwargs)
