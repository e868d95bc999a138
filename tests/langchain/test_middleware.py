"""``ImageCompressionMiddleware`` in a real ``create_agent`` loop whose tool returns a screenshot."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

pytest.importorskip("langchain_core")
pytest.importorskip("langchain")

from langchain.agents import create_agent
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.tools import tool
from PIL import Image

from headroom_core import Box, ImageCompressor, Technique
from headroom_langchain import ImageCompressionMiddleware

SCREEN = (1920, 1080)
BUTTON = Box(1700, 980, 1900, 1060)


@pytest.fixture
def screenshot_b64(draw_page: Callable[..., Image.Image]) -> str:
    import base64
    import io

    buf = io.BytesIO()
    draw_page(*SCREEN, font_size=14).save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode()


def agent_parts(
    screenshot_b64: str, recording_model: Callable[..., Any], class_name: str = "ChatAnthropic"
) -> tuple[Any, Any]:
    @tool
    def take_screenshot() -> list[dict[str, Any]]:
        """Capture the screen."""
        return [{"type": "image", "base64": screenshot_b64, "mime_type": "image/png"}]

    model = recording_model(
        [
            AIMessage(content="", tool_calls=[{"name": "take_screenshot", "args": {}, "id": "call-1"}]),
            AIMessage(content="The Save button is in the bottom-right corner."),
        ],
        class_name=class_name,
        model_name="claude-sonnet-4-5" if class_name == "ChatAnthropic" else "gpt-4o",
    )
    return model, take_screenshot


def test_second_model_call_receives_the_compressed_screenshot(
    screenshot_b64: str,
    recording_model: Callable[..., Any],
    fixed_router: Callable[..., Any],
    decode_block: Callable[[dict[str, Any]], Image.Image],
) -> None:
    model, take_screenshot = agent_parts(screenshot_b64, recording_model)
    middleware = ImageCompressionMiddleware(router=fixed_router(Technique.CROP, BUTTON))
    agent = create_agent(
        model, tools=[take_screenshot], system_prompt="You operate a desktop.", middleware=[middleware]
    )
    state = agent.invoke({"messages": [HumanMessage(content="Where is the Save button?")]})

    assert len(model.received) == 2
    first, second = model.received
    assert [m.type for m in first] == ["system", "human"]
    tool_message = second[-1]
    assert isinstance(tool_message, ToolMessage) and tool_message.tool_call_id == "call-1"
    (block,) = tool_message.content
    assert block["type"] == "image" and block["source"]["type"] == "base64"  # native Anthropic block
    sent = decode_block(block)
    result = middleware.last_result
    assert result is not None and result.provider == "anthropic" and result.model == "claude-sonnet-4-5"
    assert result.images[0].technique is Technique.CROP
    assert sent.size == result.images[0].compressed_size and sent.width < SCREEN[0]
    assert result.images[0].compressed_tokens < result.images[0].original_tokens
    assert middleware.get_compressor().router.calls[0][0] == "Where is the Save button?"

    # The agent's state keeps the screenshot as the tool returned it.
    stored = next(m for m in state["messages"] if isinstance(m, ToolMessage))
    assert stored.content[0] == {"type": "image", "base64": screenshot_b64, "mime_type": "image/png"}
    assert state["messages"][-1].content == "The Save button is in the bottom-right corner."


def test_async_agent_loop_compresses_for_an_inferred_openai_model(
    screenshot_b64: str,
    recording_model: Callable[..., Any],
    fixed_compressor: Callable[..., ImageCompressor],
) -> None:
    model, take_screenshot = agent_parts(screenshot_b64, recording_model, class_name="ChatOpenAI")
    middleware = ImageCompressionMiddleware(compressor=fixed_compressor(Technique.FULL_LOW, "openai"))
    agent = create_agent(model, tools=[take_screenshot], middleware=[middleware])
    asyncio.run(agent.ainvoke({"messages": [HumanMessage(content="What is on screen?")]}))
    (block,) = model.received[1][-1].content
    assert block["type"] == "image_url" and block["image_url"]["detail"] == "low"
    assert middleware.last_result is not None and middleware.last_result.compressed_tokens == 85


def test_request_without_images_is_passed_on_unchanged(
    recording_model: Callable[..., Any], fixed_compressor: Callable[..., ImageCompressor]
) -> None:
    model = recording_model(["hello"], class_name="ChatOpenAI", model_name="gpt-4o")
    middleware = ImageCompressionMiddleware(compressor=fixed_compressor(Technique.FULL_LOW, "openai"))
    agent = create_agent(model, tools=[], middleware=[middleware])
    state = agent.invoke({"messages": [HumanMessage(content="hi")]})
    assert state["messages"][-1].content == "hello"
    assert model.received[0][0].content == "hi"
    assert middleware.last_result is not None and middleware.last_result.images == ()


def test_compress_request_handles_the_system_message(
    screenshot_b64: str, recording_model: Callable[..., Any], fixed_compressor: Callable[..., ImageCompressor]
) -> None:
    from langchain.agents.middleware import ModelRequest

    image = {"type": "image", "base64": screenshot_b64, "mime_type": "image/png"}
    request = ModelRequest(
        model=recording_model(class_name="ChatOpenAI", model_name="gpt-4o"),
        messages=[HumanMessage(content=[{"type": "text", "text": "compare"}, image])],
        system_message=SystemMessage(content=[{"type": "text", "text": "reference:"}, image]),
    )
    middleware = ImageCompressionMiddleware(compressor=fixed_compressor(Technique.FULL_LOW, "openai"))
    new_request, result = middleware.compress_request(request)
    assert new_request is not request and len(result.images) == 2
    assert new_request.system_message is not None
    assert new_request.system_message.content[1]["image_url"]["detail"] == "low"  # type: ignore[index]
    assert new_request.messages[0].content[1]["image_url"]["detail"] == "low"  # type: ignore[index]
    assert request.messages[0].content[1] == image  # the original request is untouched
