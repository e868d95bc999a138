"""``with_image_compression``: provider inference, tools, structured output, every call path."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest

pytest.importorskip("langchain_core")

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langchain_core.tools import tool
from PIL import Image
from pydantic import BaseModel

from headroom_core import Box, ConfigurationError, ImageCompressor, Technique
from headroom_langchain import (
    ImageCompressingChatModel,
    infer_provider_model,
    with_image_compression,
)


def ask(b64: str) -> list[BaseMessage]:
    return [
        HumanMessage(
            content=[
                {"type": "text", "text": "What is shown?"},
                {"type": "image", "base64": b64, "mime_type": "image/png"},
            ]
        )
    ]


def sent_image(model: Any, call: int = -1) -> dict[str, Any]:
    blocks = [b for b in model.received[call][-1].content if isinstance(b, dict) and b.get("type") != "text"]
    assert len(blocks) == 1
    return blocks[0]


@pytest.mark.parametrize(
    ("class_name", "fields", "expected"),
    [
        ("ChatOpenAI", {"model_name": "gpt-4o-2024-08-06"}, ("openai", "gpt-4o-2024-08-06")),
        ("AzureChatOpenAI", {"model_name": "gpt-4.1"}, ("openai", "gpt-4.1")),
        ("ChatAnthropic", {"model_name": "claude-sonnet-4-5"}, ("anthropic", "claude-sonnet-4-5")),
        (
            "ChatGoogleGenerativeAI",
            {"model_name": "models/gemini-2.5-flash"},
            ("google", "models/gemini-2.5-flash"),
        ),
        ("ChatVertexAI", {"model_name": "gemini-3-pro"}, ("google", "gemini-3-pro")),
        (
            "ChatBedrockConverse",
            {"model_name": "anthropic.claude-opus-4-7"},
            ("anthropic", "anthropic.claude-opus-4-7"),
        ),
        ("ChatSomethingElse", {}, (None, None)),
    ],
)
def test_infer_provider_model(
    class_name: str, fields: dict[str, Any], expected: tuple[Any, Any], recording_model: Callable[..., Any]
) -> None:
    assert infer_provider_model(recording_model(class_name=class_name, **fields)) == expected


def test_subclass_of_a_known_class_is_recognised(recording_model: Callable[..., Any]) -> None:
    base = type(recording_model(class_name="ChatAnthropic"))
    sub = type("MyCompanyClaude", (base,), {"__module__": __name__})
    assert infer_provider_model(sub(model_name="claude-opus-4-7"))[0] == "anthropic"


def test_wrapped_anthropic_model_receives_native_blocks(
    photo_b64: str,
    recording_model: Callable[..., Any],
    fixed_router: Callable[..., Any],
    decode_block: Callable[[dict[str, Any]], Image.Image],
) -> None:
    inner = recording_model(["a cup"], class_name="ChatAnthropic", model_name="claude-sonnet-4-5")
    wrapped = with_image_compression(inner, router=fixed_router(Technique.CROP, Box(0, 0, 400, 300)))
    assert isinstance(wrapped, BaseChatModel) and isinstance(wrapped, ImageCompressingChatModel)
    assert (wrapped.provider, wrapped.model_name) == ("anthropic", "claude-sonnet-4-5")
    answer = wrapped.invoke(ask(photo_b64))
    assert answer.content == "a cup"
    block = sent_image(inner)
    assert block["type"] == "image" and block["source"]["type"] == "base64"
    assert decode_block(block).size == wrapped.last_result.images[0].compressed_size  # type: ignore[union-attr]


@pytest.fixture
def openai_model(recording_model: Callable[..., Any]) -> Any:
    return recording_model(class_name="ChatOpenAI", model_name="gpt-4o")


@pytest.fixture
def wrapped_openai(
    openai_model: Any, fixed_compressor: Callable[..., ImageCompressor]
) -> ImageCompressingChatModel:
    return with_image_compression(openai_model, compressor=fixed_compressor(Technique.FULL_LOW, "openai"))


def test_bind_tools_keeps_compression_and_tools(
    photo_b64: str, openai_model: Any, wrapped_openai: ImageCompressingChatModel
) -> None:
    @tool
    def zoom(x: int, y: int) -> str:
        """Zoom into the screenshot at (x, y)."""
        return "zoomed"

    openai_model.responses = [
        AIMessage(content="", tool_calls=[{"name": "zoom", "args": {"x": 1, "y": 2}, "id": "c1"}])
    ]
    bound = wrapped_openai.bind_tools([zoom], tool_choice="any")
    answer = bound.invoke(ask(photo_b64))
    assert answer.tool_calls[0]["name"] == "zoom"
    kwargs = openai_model.received_kwargs[-1]
    assert kwargs["tools"][0]["function"]["name"] == "zoom" and kwargs["tool_choice"] == "any"
    assert sent_image(openai_model)["image_url"]["detail"] == "low"


def test_with_structured_output_keeps_compression(
    photo_b64: str, openai_model: Any, wrapped_openai: ImageCompressingChatModel
) -> None:
    class Caption(BaseModel):
        """A caption for the image."""

        text: str

    openai_model.responses = [
        AIMessage(content="", tool_calls=[{"name": "Caption", "args": {"text": "coffee"}, "id": "c1"}])
    ]
    structured = wrapped_openai.with_structured_output(Caption)
    result = structured.invoke(ask(photo_b64))
    assert result == Caption(text="coffee")
    assert openai_model.received_kwargs[-1]["tools"][0]["function"]["name"] == "Caption"
    assert sent_image(openai_model)["image_url"]["detail"] == "low"
    openai_model.responses = [
        AIMessage(content="", tool_calls=[{"name": "Caption", "args": {"text": "tea"}, "id": "c2"}])
    ]
    raw = wrapped_openai.with_structured_output(Caption, include_raw=True).invoke(ask(photo_b64))
    assert raw["parsed"] == Caption(text="tea") and isinstance(raw["raw"], AIMessage)


def test_every_call_path_compresses(
    photo_b64: str, openai_model: Any, wrapped_openai: ImageCompressingChatModel
) -> None:
    openai_model.responses = ["one two", "three", "four", "five", "six", "seven"]
    assert wrapped_openai.invoke(ask(photo_b64)).content == "one two"
    assert asyncio.run(wrapped_openai.ainvoke(ask(photo_b64))).content == "three"
    chunks = list(wrapped_openai.stream(ask(photo_b64)))
    assert "".join(str(c.content) for c in chunks) == "four"

    async def astream() -> str:
        return "".join([str(c.content) async for c in wrapped_openai.astream(ask(photo_b64))])

    assert asyncio.run(astream()) == "five"
    assert sorted(m.content for m in wrapped_openai.batch([ask(photo_b64), ask(photo_b64)])) == [
        "seven",
        "six",
    ]
    assert len(openai_model.received) == 6
    assert all(
        next(b for b in call[-1].content if b.get("type") == "image_url")["image_url"]["detail"] == "low"
        for call in openai_model.received
    )


def test_legacy_generate_path_compresses(
    photo_b64: str, openai_model: Any, wrapped_openai: ImageCompressingChatModel
) -> None:
    result = wrapped_openai.generate([ask(photo_b64)])
    assert result.generations[0][0].text == "ok"
    assert sent_image(openai_model)["image_url"]["detail"] == "low"
    asyncio.run(wrapped_openai.agenerate([ask(photo_b64)]))
    assert sent_image(openai_model)["image_url"]["detail"] == "low"
    assert len(openai_model.received) == 2


def test_stop_and_kwargs_reach_the_wrapped_model(
    photo_b64: str, openai_model: Any, wrapped_openai: ImageCompressingChatModel
) -> None:
    wrapped_openai.invoke(ask(photo_b64), stop=["END"], temperature=0.1)
    assert openai_model.received_kwargs[-1]["temperature"] == 0.1


class ChatStarts(BaseCallbackHandler):
    def __init__(self) -> None:
        self.chat_inputs: list[list[BaseMessage]] = []
        self.chains: list[str] = []

    def on_chat_model_start(
        self, serialized: dict[str, Any], messages: list[list[BaseMessage]], *, run_id: UUID, **kwargs: Any
    ) -> None:
        self.chat_inputs.extend(messages)

    def on_chain_start(
        self, serialized: dict[str, Any] | None, inputs: Any, *, run_id: UUID, **kwargs: Any
    ) -> None:
        self.chains.append(kwargs.get("name") or "")


def test_trace_shows_the_compressed_messages_the_model_received(
    photo_b64: str, wrapped_openai: ImageCompressingChatModel
) -> None:
    handler = ChatStarts()
    wrapped_openai.invoke(ask(photo_b64), {"callbacks": [handler]})
    assert "ImageCompressionRunnable" in handler.chains
    (traced,) = handler.chat_inputs
    image = next(b for b in traced[-1].content if b.get("type") == "image_url")
    assert image["image_url"]["detail"] == "low"


def test_wrapping_needs_a_chat_model(recording_model: Callable[..., Any]) -> None:
    with pytest.raises(ConfigurationError, match="BaseChatModel"):
        with_image_compression(recording_model().bind_tools([]))  # type: ignore[arg-type]


def test_unknown_model_falls_back_to_openai_rules(
    recording_model: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("WARNING"):
        wrapped = with_image_compression(recording_model(class_name="ChatLocalThing"))
    assert wrapped.provider == "openai"
    assert "could not infer the provider" in caplog.text
    assert with_image_compression(recording_model(), provider="gemini").compressor.provider == "google"


def test_profile_and_model_name_are_visible_to_agents(recording_model: Callable[..., Any]) -> None:
    inner = recording_model(class_name="ChatOpenAI", model_name="gpt-4o", profile={"structured_output": True})
    wrapped = with_image_compression(inner)
    assert wrapped.profile == {"structured_output": True}
    assert wrapped.model_name == "gpt-4o"
