"""``compress_chat_messages`` and ``ImageCompressingLLM``: what the LLM receives in ``ChatMessage.blocks``."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

pytest.importorskip("llama_index.core")

from llama_index.core.llms import ChatMessage, ImageBlock, MessageRole, TextBlock

from headroom_core import Box, ConfigurationError, ImageCompressor, Technique
from headroom_llamaindex import (
    ImageCompressingLLM,
    compress_chat_messages,
    compress_chat_messages_with_result,
    infer_llm_provider_model,
)

REGION = Box(100, 100, 500, 400)


def ask(block: ImageBlock, text: str = "What is on this page?") -> list[ChatMessage]:
    return [
        ChatMessage(role=MessageRole.SYSTEM, content="Be brief."),
        ChatMessage(role=MessageRole.USER, blocks=[TextBlock(text=text), block], additional_kwargs={"k": 1}),
    ]


def test_image_bytes_are_compressed_and_detail_lowered(
    photo_png: bytes, fixed_compressor: Callable[..., ImageCompressor], helpers: SimpleNamespace
) -> None:
    block = ImageBlock(image=photo_png, detail="high")
    assert block.image == base64.b64encode(photo_png)  # the validator stored it base64-encoded
    compressor = fixed_compressor(Technique.FULL_LOW, "openai")
    out, result = compress_chat_messages_with_result(ask(block), compressor=compressor)
    new = out[1].blocks[1]
    assert isinstance(new, ImageBlock) and new.detail == "low"
    assert compressor.router.calls[0][2] == "high"  # the caller's detail reached the core
    assert result.images[0].original_tokens == 765 and result.images[0].compressed_tokens == 85
    assert helpers.block_size(new) == (1600, 1200)  # detail low: the pixels are unchanged
    assert out[1].additional_kwargs == {"k": 1} and out[1].blocks[0].text == "What is on this page?"
    assert block.detail == "high" and block.image == base64.b64encode(photo_png)  # input untouched


def test_crop_for_anthropic_writes_new_bytes(
    photo_png: bytes, fixed_compressor: Callable[..., ImageCompressor], helpers: SimpleNamespace
) -> None:
    compressor = fixed_compressor(Technique.CROP, "anthropic", region=REGION)
    out, result = compress_chat_messages_with_result(
        ask(ImageBlock(image=photo_png, detail="high")), compressor=compressor
    )
    new = out[1].blocks[1]
    assert isinstance(new, ImageBlock)
    assert helpers.block_size(new) == result.images[0].compressed_size != (1600, 1200)
    assert new.image_mimetype in ("image/png", "image/jpeg", "image/webp")
    assert compressor.router.calls[0][2] is None  # OpenAI's detail means nothing to Anthropic


def test_transcode_becomes_a_text_block(
    draw_page: Callable[..., Any],
    ocr_lines: list[str],
    fixed_compressor: Callable[..., ImageCompressor],
    helpers: SimpleNamespace,
) -> None:
    page = helpers.png_bytes(draw_page(900, 1200))
    out = compress_chat_messages(
        ask(ImageBlock(image=page)), compressor=fixed_compressor(Technique.TRANSCODE)
    )
    new = out[1].blocks[1]
    assert isinstance(new, TextBlock) and "\n".join(ocr_lines) in new.text
    assert new.text.startswith("<image_text")


def test_path_and_data_url_blocks(
    tmp_path: Path,
    photo_png: bytes,
    fixed_compressor: Callable[..., ImageCompressor],
    helpers: SimpleNamespace,
) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(photo_png)
    data_url = "data:image/png;base64," + base64.b64encode(photo_png).decode()
    messages = [
        ChatMessage(
            role="user", blocks=[ImageBlock(path=path), ImageBlock(url=data_url), TextBlock(text="q")]
        )
    ]
    out, result = compress_chat_messages_with_result(
        messages, compressor=fixed_compressor(Technique.CROP, "google", region=REGION)
    )
    first, second = out[0].blocks[0], out[0].blocks[1]
    assert isinstance(first, ImageBlock) and first.path is None and first.url is None
    assert isinstance(second, ImageBlock) and second.url is None
    assert helpers.block_size(first) == result.images[0].compressed_size
    assert helpers.block_size(second) == result.images[1].compressed_size
    assert messages[0].blocks[0].path == path  # type: ignore[union-attr]


def test_remote_url_blocks_are_left_alone(fixed_compressor: Callable[..., ImageCompressor]) -> None:
    block = ImageBlock(url="https://example.com/cat.png")
    compressor = fixed_compressor(Technique.CROP, "openai", region=REGION)
    out, result = compress_chat_messages_with_result(ask(block), compressor=compressor)
    kept = out[1].blocks[1]
    assert isinstance(kept, ImageBlock) and str(kept.url) == "https://example.com/cat.png"
    assert result.images == () and compressor.router.calls == []


def test_compress_chat_messages_builds_a_compressor_from_options() -> None:
    out = compress_chat_messages(
        [ChatMessage(role="user", content="hi")], provider="anthropic", router="rules"
    )
    assert out[0].content == "hi"
    with pytest.raises(ConfigurationError):
        compress_chat_messages([], compressor=ImageCompressor(), router="rules")


@pytest.mark.parametrize(
    ("class_name", "expected"),
    [
        ("OpenAI", "openai"),
        ("OpenAIResponses", "openai"),
        ("Anthropic", "anthropic"),
        ("GoogleGenAI", "google"),
    ],
)
def test_llm_provider_inference(class_name: str, expected: str, recording_llm: Callable[..., Any]) -> None:
    assert infer_llm_provider_model(recording_llm(class_name=class_name)) == (expected, "fake-vision")


def test_image_compressing_llm_wraps_every_chat_call(
    photo_png: bytes,
    recording_llm: Callable[..., Any],
    fixed_compressor: Callable[..., ImageCompressor],
    helpers: SimpleNamespace,
) -> None:
    inner = recording_llm("seen", class_name="Anthropic")
    llm = ImageCompressingLLM(inner, compressor=fixed_compressor(Technique.CROP, "anthropic", region=REGION))
    assert llm.provider == "anthropic" and llm.metadata.model_name == "fake-vision"
    messages = ask(ImageBlock(image=photo_png))
    assert llm.chat(messages).message.content == "seen"
    assert [r.message.content for r in llm.stream_chat(messages)] == ["seen"]
    assert asyncio.run(llm.achat(messages)).message.content == "seen"

    async def astream() -> list[Any]:
        return [r.message.content async for r in await llm.astream_chat(messages)]

    assert asyncio.run(astream()) == ["seen"]
    assert inner.calls == ["chat", "stream_chat", "achat", "astream_chat"]
    for received in inner.received:
        image = received[1].blocks[1]
        assert isinstance(image, ImageBlock)
        assert helpers.block_size(image) == llm.last_result.images[0].compressed_size  # type: ignore[union-attr]
    assert llm.complete("plain prompt").text == "echo: plain prompt"
    assert helpers.block_size(messages[1].blocks[1]) == (1600, 1200)


def test_image_compressing_llm_defaults(
    recording_llm: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("WARNING"):
        llm = ImageCompressingLLM(recording_llm(), router="rules")
    assert llm.provider == "openai" and "could not infer" in caplog.text
    assert ImageCompressingLLM.class_name() == "HeadroomImageCompressingLLM"
    with pytest.raises(ConfigurationError, match="fetch policy"):
        ImageCompressingLLM(recording_llm(), provider="openai", allow_remote=True)


class ExplodingCompressor(ImageCompressor):
    """A core whose request-level call fails (the adapter must still let the request through)."""

    def compress_with_result(
        self, messages: Any, provider: str | None = None, model: str | None = None
    ) -> Any:
        raise RuntimeError("core exploded")


def test_a_failing_core_lets_messages_and_nodes_through(
    photo_png: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    from llama_index.core.schema import ImageNode, NodeWithScore

    from headroom_llamaindex import ImageCompressionPostprocessor

    messages = ask(ImageBlock(image=photo_png))
    with caplog.at_level("WARNING"):
        out, result = compress_chat_messages_with_result(messages, compressor=ExplodingCompressor())
    assert out == messages and result.images == ()
    node = ImageNode(image=base64.b64encode(photo_png).decode())
    pp = ImageCompressionPostprocessor(compressor=ExplodingCompressor())
    assert pp.postprocess_nodes([NodeWithScore(node=node)], query_str="q")[0].node is node
    assert pp.last_result is not None and pp.last_result.images == ()
    assert caplog.text.count("core exploded") == 2
