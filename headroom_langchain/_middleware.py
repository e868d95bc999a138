"""``ImageCompressionMiddleware``: compress every model call's images inside a LangChain v1 agent."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import Any, cast

from langchain.agents.middleware import AgentMiddleware, AgentState, ModelRequest, ModelResponse
from langchain.agents.middleware.types import ContextT, ResponseT
from langchain_core.messages import AIMessage, AnyMessage, BaseMessage, SystemMessage

from headroom_core import CompressionResult, ConfigurationError, ImageCompressor

from ._chat_model import infer_provider_model
from ._compress import compress_messages_with_result
from ._runnable import aemit_result, emit_result

__all__ = ["ImageCompressionMiddleware"]

logger = logging.getLogger(__name__)


def _any(messages: list[BaseMessage]) -> list[AnyMessage]:
    """The agent's message type (``model_copy`` keeps every message's concrete class)."""
    return cast("list[AnyMessage]", messages)


class ImageCompressionMiddleware(AgentMiddleware[AgentState[ResponseT], ContextT, ResponseT]):
    """Compresses the images of each model request of an agent (``create_agent(middleware=[...])``).

    ``wrap_model_call`` / ``awrap_model_call`` hand the model a request whose messages (and system
    message) carry compressed images, so screenshots returned by tools inside the agent loop are
    compressed before every model call. The agent state keeps the original messages; the core's
    decision cache keeps images of earlier turns byte-identical from call to call, so provider
    prompt caches keep hitting.

    The provider and model are those given, else inferred from ``request.model`` per call. Each
    call's :class:`~headroom_core.CompressionResult` is kept in :attr:`last_result` and dispatched
    as the custom callback event :data:`~headroom_langchain.COMPRESSION_EVENT`. Use either this
    middleware or a model wrapped by ``with_image_compression`` in an agent, not both.

    Args:
        provider: target provider; default: inferred from the agent's model, else the compressor's.
        model: target model name; default: inferred from the agent's model.
        compressor: a shared :class:`~headroom_core.ImageCompressor`; built lazily when omitted.
        **options: keyword arguments for :class:`~headroom_core.ImageCompressor` (``router``...).
    """

    def __init__(
        self,
        provider: str | None = None,
        model: str | None = None,
        *,
        compressor: ImageCompressor | None = None,
        **options: Any,
    ) -> None:
        super().__init__()
        if compressor is not None and options:
            raise ConfigurationError(f"options {sorted(options)} apply only when no compressor is given")
        self.provider = provider
        self.model = model
        self.options = options
        self._compressor = compressor
        self._lock = threading.Lock()
        self._last_result: CompressionResult | None = None

    @property
    def last_result(self) -> CompressionResult | None:
        """The result of the most recent model call."""
        return self._last_result

    def get_compressor(self) -> ImageCompressor:
        if self._compressor is None:
            with self._lock:
                if self._compressor is None:
                    self._compressor = ImageCompressor(self.provider or "openai", self.model, **self.options)
        return self._compressor

    def _target(self, request: ModelRequest[ContextT]) -> tuple[str, str | None]:
        provider, model = self.provider, self.model
        if provider is None or model is None:
            inferred_provider, inferred_model = infer_provider_model(request.model)
            provider = provider or inferred_provider or self.get_compressor().provider
            model = model if model is not None else inferred_model
        return provider, model

    def compress_request(
        self, request: ModelRequest[ContextT]
    ) -> tuple[ModelRequest[ContextT], CompressionResult]:
        """A new request with compressed images (the given one is not modified), and the result."""
        provider, model = self._target(request)
        system = request.system_message
        messages: list[BaseMessage] = list(request.messages)
        if system is not None:
            messages.insert(0, system)
        compressed, result = compress_messages_with_result(
            messages, compressor=self.get_compressor(), provider=provider, model=model
        )
        self._last_result = result
        if not result.images:
            return request, result
        if system is not None:
            new_system = compressed[0]
            if not isinstance(new_system, SystemMessage):  # pragma: no cover - model_copy keeps the type
                raise ConfigurationError("the system message changed type while compressing")
            return request.override(system_message=new_system, messages=_any(compressed[1:])), result
        return request.override(messages=_any(compressed)), result

    def wrap_model_call(
        self,
        request: ModelRequest[ContextT],
        handler: Callable[[ModelRequest[ContextT]], ModelResponse[ResponseT]],
    ) -> ModelResponse[ResponseT] | AIMessage:
        new_request, result = self.compress_request(request)
        emit_result(result, None)
        return handler(new_request)

    async def awrap_model_call(
        self,
        request: ModelRequest[ContextT],
        handler: Callable[[ModelRequest[ContextT]], Awaitable[ModelResponse[ResponseT]]],
    ) -> ModelResponse[ResponseT] | AIMessage:
        new_request, result = await asyncio.to_thread(self.compress_request, request)
        await aemit_result(result, None)
        return await handler(new_request)
