"""``ImageCompressionRunnable`` in chains: inputs, sync/async/batch/stream, results and events."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest

pytest.importorskip("langchain_core")

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.load import dumpd
from langchain_core.messages import BaseMessage, HumanMessage
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableLambda

from headroom_core import ImageCompressor, Technique
from headroom_langchain import COMPRESSION_EVENT, ImageCompressionRunnable


class EventRecorder(BaseCallbackHandler):
    """Records custom events; with ``explode`` it raises from the handler (and asks LangChain to
    propagate handler errors), to show a tracing failure never fails the call."""

    def __init__(self, explode: bool = False) -> None:
        self.events: list[tuple[str, Any]] = []
        self.explode = explode
        self.raise_error = explode

    def on_custom_event(
        self,
        name: str,
        data: Any,
        *,
        run_id: UUID,
        tags: list[str] | None = None,
        metadata: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        if self.explode:
            raise RuntimeError("tracing backend down")
        self.events.append((name, data))


def image_message(b64: str, text: str = "Describe the scene.") -> HumanMessage:
    return HumanMessage(
        content=[{"type": "text", "text": text}, {"type": "image", "base64": b64, "mime_type": "image/png"}]
    )


def prompt_with_image() -> ChatPromptTemplate:
    return ChatPromptTemplate.from_messages(
        [
            ("system", "You describe images."),
            (
                "human",
                [
                    {"type": "text", "text": "{question}"},
                    {"type": "image_url", "image_url": {"url": "{image}"}},
                ],
            ),
        ]
    )


def low(messages: list[BaseMessage]) -> list[str]:
    return [
        b["image_url"]["detail"]
        for m in messages
        if isinstance(m.content, list)
        for b in m.content
        if isinstance(b, dict) and b.get("type") == "image_url"
    ]


def test_prompt_runnable_llm_chain_sends_compressed_images(
    photo_b64: str, fixed_compressor: Callable[..., ImageCompressor], recording_model: Callable[..., Any]
) -> None:
    llm = recording_model(["a cup of coffee"])
    runnable = ImageCompressionRunnable(compressor=fixed_compressor(Technique.FULL_LOW, "openai"))
    chain = prompt_with_image() | runnable | llm
    answer = chain.invoke({"question": "What is this?", "image": f"data:image/png;base64,{photo_b64}"})
    assert answer.content == "a cup of coffee"
    sent = llm.received[0]
    assert [m.type for m in sent] == ["system", "human"]
    assert low(sent) == ["low"]
    assert runnable.last_result is not None and runnable.last_result.compressed_tokens == 85


def test_pipe_method_and_prompt_value_input(
    photo_b64: str, fixed_compressor: Callable[..., ImageCompressor], recording_model: Callable[..., Any]
) -> None:
    llm = recording_model()
    runnable = ImageCompressionRunnable(compressor=fixed_compressor(Technique.FULL_LOW, "openai"))
    chain = prompt_with_image().pipe(runnable).pipe(llm)
    chain.invoke({"question": "q", "image": f"data:image/png;base64,{photo_b64}"})
    assert low(llm.received[0]) == ["low"]
    value = prompt_with_image().invoke({"question": "q", "image": f"data:image/png;base64,{photo_b64}"})
    assert low(runnable.invoke(value)) == ["low"]


def test_accepts_strings_tuples_and_dicts(
    photo_b64: str, fixed_compressor: Callable[..., ImageCompressor]
) -> None:
    runnable = ImageCompressionRunnable(compressor=fixed_compressor(Technique.FULL_LOW, "openai"))
    out = runnable.invoke("hello")
    assert len(out) == 1 and isinstance(out[0], HumanMessage) and out[0].content == "hello"
    image = {"type": "image", "base64": photo_b64, "mime_type": "image/png"}
    out = runnable.invoke(
        [("system", "be brief"), {"role": "user", "content": [{"type": "text", "text": "q"}, image]}]
    )
    assert [m.type for m in out] == ["system", "human"]
    assert low(out) == ["low"]


def test_ainvoke_batch_abatch_and_stream(
    photo_b64: str, fixed_compressor: Callable[..., ImageCompressor]
) -> None:
    runnable = ImageCompressionRunnable(compressor=fixed_compressor(Technique.FULL_LOW, "openai"))
    one = [image_message(photo_b64)]
    assert low(asyncio.run(runnable.ainvoke(one))) == ["low"]
    batch = runnable.batch([one, "no image", [image_message(photo_b64), image_message(photo_b64)]])
    assert [low(out) for out in batch] == [["low"], [], ["low", "low"]]
    abatch = asyncio.run(runnable.abatch([one, one]))
    assert [low(out) for out in abatch] == [["low"], ["low"]]
    chunks = list(runnable.stream(one))
    assert len(chunks) == 1 and low(chunks[0]) == ["low"]


def test_result_reaches_callbacks_as_custom_event(
    photo_b64: str, fixed_compressor: Callable[..., ImageCompressor]
) -> None:
    runnable = ImageCompressionRunnable(compressor=fixed_compressor(Technique.FULL_LOW, "openai"))
    recorder = EventRecorder()
    runnable.invoke([image_message(photo_b64)], {"callbacks": [recorder]})
    assert [name for name, _ in recorder.events] == [COMPRESSION_EVENT]
    data = recorder.events[0][1]
    assert data["images"][0]["technique"] == "full_low"
    assert data["original_tokens"] > data["compressed_tokens"] == 85
    assert data == runnable.last_result.as_dict()  # type: ignore[union-attr]


def test_custom_event_in_astream_events(
    photo_b64: str, fixed_compressor: Callable[..., ImageCompressor]
) -> None:
    runnable = ImageCompressionRunnable(compressor=fixed_compressor(Technique.FULL_LOW, "openai"))

    async def collect() -> list[dict[str, Any]]:
        return [e async for e in runnable.astream_events([image_message(photo_b64)], version="v2")]

    events = asyncio.run(collect())
    custom = [e for e in events if e["event"] == "on_custom_event"]
    assert len(custom) == 1 and custom[0]["name"] == COMPRESSION_EVENT
    assert custom[0]["data"]["images"][0]["compressed_tokens"] == 85


def test_a_failing_event_handler_never_fails_the_call(
    photo_b64: str, fixed_compressor: Callable[..., ImageCompressor]
) -> None:
    runnable = ImageCompressionRunnable(compressor=fixed_compressor(Technique.FULL_LOW, "openai"))
    out = runnable.invoke([image_message(photo_b64)], {"callbacks": [EventRecorder(explode=True)]})
    assert low(out) == ["low"]
    out = asyncio.run(
        runnable.ainvoke([image_message(photo_b64)], {"callbacks": [EventRecorder(explode=True)]})
    )
    assert low(out) == ["low"]


def test_no_event_without_images(fixed_compressor: Callable[..., ImageCompressor]) -> None:
    recorder = EventRecorder()
    ImageCompressionRunnable(compressor=fixed_compressor(Technique.FULL_LOW)).invoke(
        "hi", {"callbacks": [recorder]}
    )
    assert recorder.events == []


def test_options_passthrough_lazy_compressor_and_serialization() -> None:
    runnable = ImageCompressionRunnable(
        provider="anthropic", model="claude-sonnet-4-5", router="rules", cache=False
    )
    assert runnable.options == {"router": "rules", "cache": False}
    compressor = runnable.get_compressor()
    assert compressor is runnable.get_compressor()
    assert (compressor.provider, compressor.model) == ("anthropic", "claude-sonnet-4-5")
    shared = ImageCompressor("openai")
    serialized = dumpd(ImageCompressionRunnable(compressor=shared, provider="openai"))
    assert serialized["id"] == ["headroom_langchain", "ImageCompressionRunnable"]
    assert "compressor" not in serialized["kwargs"] and serialized["kwargs"]["provider"] == "openai"


def test_types_are_inferable() -> None:
    runnable = ImageCompressionRunnable()
    assert runnable.OutputType == list[BaseMessage]
    assert "PromptValue" in str(runnable.InputType)
    assert runnable.get_output_jsonschema()["type"] == "array"


def test_works_inside_a_sequence_after_a_lambda(
    photo_b64: str, fixed_compressor: Callable[..., ImageCompressor], recording_model: Callable[..., Any]
) -> None:
    llm = recording_model()
    runnable = ImageCompressionRunnable(compressor=fixed_compressor(Technique.FULL_LOW, "openai"))
    chain = RunnableLambda(lambda b64: [image_message(b64)]) | runnable | llm
    asyncio.run(chain.ainvoke(photo_b64))
    assert low(llm.received[0]) == ["low"]


def test_transcode_in_a_chain_sends_text_to_the_model(
    photo_b64: str,
    ocr_lines: list[str],
    fixed_compressor: Callable[..., ImageCompressor],
    recording_model: Callable[..., Any],
) -> None:
    llm = recording_model(["12 March"])
    runnable = ImageCompressionRunnable(compressor=fixed_compressor(Technique.TRANSCODE, "anthropic"))
    chain = prompt_with_image() | runnable | llm
    chain.invoke({"question": "When is it due?", "image": f"data:image/png;base64,{photo_b64}"})
    human = llm.received[0][-1]
    assert [b["type"] for b in human.content] == ["text", "text"]
    assert human.content[0]["text"] == "When is it due?"
    assert ocr_lines[1] in human.content[1]["text"] and "</image_text>" in human.content[1]["text"]
