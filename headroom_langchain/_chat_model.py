"""``with_image_compression``: a chat model that compresses the images of every request it sends."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatResult
from langchain_core.runnables import Runnable, RunnableBinding, RunnableConfig, RunnableSequence
from langchain_core.tools import BaseTool
from pydantic import ConfigDict, Field

from headroom_core import ConfigurationError, ImageCompressor

from ._runnable import ImageCompressionRunnable

__all__ = ["ImageCompressingChatModel", "infer_provider_model", "with_image_compression"]

logger = logging.getLogger(__name__)

_PROVIDER_BY_CLASS = {
    "ChatOpenAI": "openai",
    "AzureChatOpenAI": "openai",
    "ChatAnthropic": "anthropic",
    "ChatAnthropicVertex": "anthropic",
    "ChatGoogleGenerativeAI": "google",
    "ChatVertexAI": "google",
}
_PROVIDER_BY_LS_NAME = {
    "openai": "openai",
    "azure": "openai",
    "anthropic": "anthropic",
    "google_genai": "google",
    "google_vertexai": "google",
    "google": "google",
    "vertexai": "google",
}
_PROVIDER_BY_MODEL_WORD = (("claude", "anthropic"), ("gemini", "google"), ("gpt-", "openai"))


def _model_name(chat_model: BaseChatModel) -> str | None:
    for attr in ("model_name", "model", "model_id"):
        value = getattr(chat_model, attr, None)
        if isinstance(value, str) and value:
            return value
    return None


def infer_provider_model(chat_model: BaseChatModel) -> tuple[str | None, str | None]:
    """``(provider, model)`` for a LangChain chat model, without importing its package.

    The provider comes from the class (or a base class) name: ``ChatOpenAI``/``AzureChatOpenAI``
    -> ``openai``, ``ChatAnthropic`` -> ``anthropic``, ``ChatGoogleGenerativeAI``/``ChatVertexAI``
    -> ``google``; else from the model's LangSmith ``ls_provider``; else from a word of the model
    name (``claude``, ``gemini``, ``gpt-``). The model is ``model_name``, ``model`` or ``model_id``.
    Either may be ``None`` when it cannot be told.
    """
    model = _model_name(chat_model)
    for cls in type(chat_model).__mro__:
        if cls.__name__ in _PROVIDER_BY_CLASS:
            return _PROVIDER_BY_CLASS[cls.__name__], model
    try:
        ls_provider = chat_model._get_ls_params().get("ls_provider")
    except Exception:  # a partner override may need state we do not have
        ls_provider = None
    if isinstance(ls_provider, str) and ls_provider.lower() in _PROVIDER_BY_LS_NAME:
        return _PROVIDER_BY_LS_NAME[ls_provider.lower()], model
    lowered = (model or "").lower()
    for word, provider in _PROVIDER_BY_MODEL_WORD:
        if word in lowered:
            return provider, model
    return None, model


class ImageCompressingChatModel(BaseChatModel):
    """A chat model that compresses the images of each request, then calls ``chat_model``.

    It is a ``BaseChatModel``, so it works wherever one is expected (``create_agent``, chains).
    ``invoke``/``ainvoke``/``stream``/``astream``/``batch`` run ``ImageCompressionRunnable | chat_model``,
    so a trace shows the compression step (with its :data:`~headroom_langchain.COMPRESSION_EVENT`) and
    the wrapped model's own run receiving the compressed messages. ``bind_tools`` binds the tools the
    wrapped model formats onto this model; ``with_structured_output`` uses the wrapped model's own
    implementation behind the compression step. Set callbacks, tags and rate limiters on the
    wrapped model. Build it with :func:`with_image_compression`.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True, protected_namespaces=())

    chat_model: BaseChatModel = Field(description="The wrapped chat model.")
    provider: str = Field(description="Target provider for the token rules and the block shapes.")
    model_name: str | None = Field(default=None, description="Target model name for the token rules.")
    compression: ImageCompressionRunnable = Field(exclude=True, description="The compression step.")

    @property
    def _llm_type(self) -> str:
        return f"headroom-image({self.chat_model._llm_type})"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {**self.chat_model._identifying_params, "headroom_provider": self.provider}

    @property
    def compressor(self) -> ImageCompressor:
        return self.compression.get_compressor()

    @property
    def last_result(self) -> Any:
        """The :class:`~headroom_core.CompressionResult` of the most recent request."""
        return self.compression.last_result

    # -- the Runnable surface: compression step, then the wrapped model ---------------------------

    def _pipeline(self, stop: list[str] | None, kwargs: dict[str, Any]) -> Runnable[LanguageModelInput, Any]:
        call_kwargs = dict(kwargs)
        if stop is not None:
            call_kwargs["stop"] = stop
        target: Runnable[Any, Any] = self.chat_model.bind(**call_kwargs) if call_kwargs else self.chat_model
        return RunnableSequence(self.compression, target, name=self.get_name())

    def invoke(
        self,
        input: LanguageModelInput,
        config: RunnableConfig | None = None,
        *,
        stop: list[str] | None = None,
        **kwargs: Any,
    ) -> AIMessage:
        result: AIMessage = self._pipeline(stop, kwargs).invoke(input, config)
        return result

    async def ainvoke(
        self,
        input: LanguageModelInput,
        config: RunnableConfig | None = None,
        *,
        stop: list[str] | None = None,
        **kwargs: Any,
    ) -> AIMessage:
        result: AIMessage = await self._pipeline(stop, kwargs).ainvoke(input, config)
        return result

    def stream(
        self,
        input: LanguageModelInput,
        config: RunnableConfig | None = None,
        *,
        stop: list[str] | None = None,
        **kwargs: Any,
    ) -> Iterator[AIMessageChunk]:
        yield from self._pipeline(stop, kwargs).stream(input, config)

    async def astream(
        self,
        input: LanguageModelInput,
        config: RunnableConfig | None = None,
        *,
        stop: list[str] | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[AIMessageChunk]:
        async for chunk in self._pipeline(stop, kwargs).astream(input, config):
            yield chunk

    # -- the legacy generate() path: the wrapped model generates under this model's run ----------

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        compressed, _ = self.compression.compress_with_result(messages)
        return self.chat_model._generate(compressed, stop=stop, run_manager=run_manager, **kwargs)

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        compressed, _ = await asyncio.to_thread(self.compression.compress_with_result, messages)
        return await self.chat_model._agenerate(compressed, stop=stop, run_manager=run_manager, **kwargs)

    # -- tools and structured output ---------------------------------------------------------------

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """The wrapped model's ``bind_tools``, re-bound onto this model so compression stays in front.

        When the wrapped model returns a plain binding of itself (every LangChain partner model
        does), the same keyword arguments are bound to this wrapper; otherwise the compression step
        is put in front of whatever it returned.
        """
        if tool_choice is not None:
            kwargs["tool_choice"] = tool_choice
        bound = self.chat_model.bind_tools(tools, **kwargs)
        if isinstance(bound, RunnableBinding) and bound.bound is self.chat_model:
            rebound = self.bind(**bound.kwargs)
            return rebound.with_config(bound.config) if bound.config else rebound
        return self.compression | bound

    def with_structured_output(
        self,
        schema: dict[str, Any] | type,
        *,
        include_raw: bool = False,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, dict[str, Any] | Any]:
        """The wrapped model's ``with_structured_output`` behind the compression step."""
        structured = self.chat_model.with_structured_output(schema, include_raw=include_raw, **kwargs)
        return self.compression | structured

    def get_num_tokens_from_messages(
        self, messages: list[BaseMessage], tools: Sequence[Any] | None = None
    ) -> int:
        return self.chat_model.get_num_tokens_from_messages(messages, tools=tools)


def with_image_compression(
    chat_model: BaseChatModel,
    *,
    provider: str | None = None,
    model: str | None = None,
    compressor: ImageCompressor | None = None,
    **options: Any,
) -> ImageCompressingChatModel:
    """Wrap ``chat_model`` so every request's images are compressed before it is sent.

    ``provider`` and ``model`` are inferred from the chat model (:func:`infer_provider_model`) unless
    given; an unrecognised model class falls back to ``"openai"`` token rules with a warning.
    ``options`` go to :class:`~headroom_core.ImageCompressor` (``router``, ``techniques``...).
    ``bind_tools`` and ``with_structured_output`` keep working on the result.
    """
    if not isinstance(chat_model, BaseChatModel):
        raise ConfigurationError(
            f"with_image_compression needs a BaseChatModel, not {type(chat_model).__name__}; "
            "wrap the model before binding tools"
        )
    inferred_provider, inferred_model = infer_provider_model(chat_model)
    target = provider or inferred_provider
    if target is None:
        logger.warning(
            "could not infer the provider of %s; using OpenAI token rules (pass provider=...)",
            type(chat_model).__name__,
        )
        target = "openai"
    target_model = model if model is not None else inferred_model
    if compressor is not None and options:
        raise ConfigurationError(f"options {sorted(options)} apply only when no compressor is given")
    compression = ImageCompressionRunnable(
        provider=target, model=target_model, compressor=compressor, options=options
    )
    compression.get_compressor()  # fail fast on a bad provider or option
    return ImageCompressingChatModel(
        chat_model=chat_model,
        provider=target,
        model_name=target_model,
        compression=compression,
        profile=chat_model.profile,
    )
