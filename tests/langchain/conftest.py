"""Fakes for the LangChain adapter tests: a fixed router, a fake OCR engine, a recording chat model.

Fakes, not mocks: the router and OCR engine implement the core's stage ABCs, and the chat model is
a real ``BaseChatModel`` that records exactly the messages (and keyword arguments) it received.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from _fakes import SilentRouter as FixedRouter

pytest.importorskip("langchain_core")
pytest.importorskip("langchain")

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from PIL import Image
from pydantic import Field


class RecordingChatModel(BaseChatModel):
    """A chat model that answers from ``responses`` (then ``"ok"``) and records what it received."""

    responses: list[Any] = Field(default_factory=list)
    received: list[list[BaseMessage]] = Field(default_factory=list)
    received_kwargs: list[dict[str, Any]] = Field(default_factory=list)
    model_name: str | None = None

    @property
    def _llm_type(self) -> str:
        return "recording-fake"

    def _next(self) -> AIMessage:
        if not self.responses:
            return AIMessage(content="ok")
        item = self.responses.pop(0)
        return AIMessage(content=item) if isinstance(item, str) else item

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.received.append(list(messages))
        self.received_kwargs.append(dict(kwargs))
        return ChatResult(generations=[ChatGeneration(message=self._next())])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        self.received.append(list(messages))
        self.received_kwargs.append(dict(kwargs))
        answer = self._next()
        text = answer.content if isinstance(answer.content, str) else "ok"
        for word in re.split(r"(\s)", text):
            yield ChatGenerationChunk(message=AIMessageChunk(content=word))

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[Any, AIMessage]:
        formatted = [convert_to_openai_tool(tool) for tool in tools]
        if tool_choice is not None:
            kwargs["tool_choice"] = tool_choice
        return self.bind(tools=formatted, **kwargs)


def image_of(block: dict[str, Any]) -> Image.Image:
    """Decode the image a LangChain block carries (image_url data URL, Anthropic source, v0/v1 base64)."""
    if block.get("type") == "image_url":
        url = block["image_url"]["url"] if isinstance(block["image_url"], dict) else block["image_url"]
        payload = url.split(",", 1)[1]
    elif isinstance(block.get("source"), dict):
        payload = block["source"]["data"]
    elif "base64" in block:
        payload = block["base64"]
    else:
        payload = block["data"]
    return Image.open(io.BytesIO(base64.b64decode(payload)))


def png_b64(img: Image.Image, fmt: str = "PNG") -> str:
    buf = io.BytesIO()
    img.save(buf, format=fmt)
    return base64.b64encode(buf.getvalue()).decode("ascii")


@pytest.fixture
def fixed_router() -> Callable[..., FixedRouter]:
    """``fixed_router(technique, region=None)``."""
    return FixedRouter


@pytest.fixture
def recording_model() -> Callable[..., RecordingChatModel]:
    """``recording_model(responses=None, class_name=None, **fields)``: a class named e.g.
    ``"ChatAnthropic"`` is a subclass with that name (for provider inference)."""

    def make(
        responses: list[AIMessage | str] | None = None, class_name: str | None = None, **fields: Any
    ) -> RecordingChatModel:
        cls: type[RecordingChatModel] = RecordingChatModel
        if class_name is not None:
            cls = type(class_name, (RecordingChatModel,), {"__module__": __name__})
        return cls(responses=list(responses or []), **fields)

    return make


@pytest.fixture
def photo_b64(draw_photo: Callable[..., Image.Image]) -> str:
    """A 1600x1200 photo, PNG."""
    return png_b64(draw_photo(1600, 1200))


@pytest.fixture
def decode_block() -> Callable[[dict[str, Any]], Image.Image]:
    return image_of
