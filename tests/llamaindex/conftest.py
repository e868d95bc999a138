"""Fakes for the LlamaIndex adapter tests: a fixed router, a fake OCR engine, a fixed retriever and
a recording multimodal LLM (a real ``CustomLLM`` that keeps every message list it was sent)."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Any

import pytest

pytest.importorskip("llama_index.core")

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseAsyncGen,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseGen,
    ImageBlock,
    LLMMetadata,
    MessageRole,
)
from llama_index.core.llms import CustomLLM
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle
from PIL import Image
from pydantic import Field


class RecordingLLM(CustomLLM):
    """A multimodal chat LLM that answers ``answer`` and records every message list it received."""

    answer: str = "recorded"
    received: list[list[ChatMessage]] = Field(default_factory=list)
    calls: list[str] = Field(default_factory=list)

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(is_chat_model=True, model_name="fake-vision")

    def _record(self, name: str, messages: Sequence[ChatMessage]) -> ChatResponse:
        self.received.append(list(messages))
        self.calls.append(name)
        return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=self.answer))

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        return self._record("chat", messages)

    @llm_chat_callback()
    async def achat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        return self._record("achat", messages)

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        response = self._record("stream_chat", messages)

        def gen() -> ChatResponseGen:
            yield response

        return gen()

    @llm_chat_callback()
    async def astream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseAsyncGen:
        response = self._record("astream_chat", messages)

        async def gen() -> ChatResponseAsyncGen:
            yield response

        return gen()

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        self.calls.append("complete")
        return CompletionResponse(text=f"echo: {prompt}")

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        def gen() -> CompletionResponseGen:
            yield CompletionResponse(text=prompt, delta=prompt)

        return gen()


class FixedRetriever(BaseRetriever):
    """Returns the same nodes for every query, and records the queries."""

    def __init__(self, nodes: list[NodeWithScore]) -> None:
        super().__init__()
        self.nodes = nodes
        self.queries: list[str] = []

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        self.queries.append(query_bundle.query_str)
        return list(self.nodes)


def png_bytes(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def size_of(data: bytes | str) -> tuple[int, int]:
    raw = base64.b64decode(data) if isinstance(data, str) else data
    with Image.open(io.BytesIO(raw)) as img:
        return img.size


def block_size(block: ImageBlock) -> tuple[int, int]:
    return size_of(block.resolve_image().read())


@pytest.fixture
def recording_llm() -> Callable[..., RecordingLLM]:
    """``recording_llm(answer="recorded", class_name=None)``; ``class_name`` makes a subclass of that
    name (``"OpenAI"``, ``"Anthropic"``...) for provider inference."""

    def make(answer: str = "recorded", class_name: str | None = None) -> RecordingLLM:
        cls: type[RecordingLLM] = RecordingLLM
        if class_name is not None:
            cls = type(class_name, (RecordingLLM,), {"__module__": __name__})
        return cls(answer=answer)

    return make


@pytest.fixture
def fixed_retriever() -> Callable[[list[NodeWithScore]], FixedRetriever]:
    return FixedRetriever


@pytest.fixture
def photo_png(draw_photo: Callable[..., Image.Image]) -> bytes:
    """A 1600x1200 photo, PNG."""
    return png_bytes(draw_photo(1600, 1200))


@pytest.fixture
def helpers() -> SimpleNamespace:
    """Decoding helpers: ``size_of(bytes | base64 str)``, ``block_size(ImageBlock)``, ``png_bytes(img)``."""
    return SimpleNamespace(size_of=size_of, block_size=block_size, png_bytes=png_bytes)
