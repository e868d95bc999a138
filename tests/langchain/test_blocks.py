"""Every LangChain image form in, the block the target provider's integration accepts out."""

from __future__ import annotations

import base64
import copy
import io
from collections.abc import Callable
from typing import Any

import pytest

pytest.importorskip("langchain_core")

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage
from PIL import Image

from headroom_core import Box, ImageCompressor, Technique
from headroom_langchain import compress_messages, compress_messages_with_result

SIZE = (1600, 1200)
REGION = Box(100, 100, 500, 400)


def forms(b64: str) -> dict[str, dict[str, Any]]:
    """The inline image forms LangChain accepts (langchain_tests ``test_image_inputs`` + native)."""
    return {
        "v1_base64": {"type": "image", "base64": b64, "mime_type": "image/png", "id": "img-1"},
        "v1_data_url": {"type": "image", "url": f"data:image/png;base64,{b64}"},
        "v0_base64": {"type": "image", "source_type": "base64", "data": b64, "mime_type": "image/png"},
        "openai_image_url": {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{b64}"}},
        "anthropic_native": {
            "type": "image",
            "source": {"type": "base64", "media_type": "image/png", "data": b64},
        },
    }


FORM_NAMES = ["v1_base64", "v1_data_url", "v0_base64", "openai_image_url", "anthropic_native"]


def request(block: dict[str, Any], question: str = "What is in this picture?") -> list[Any]:
    return [
        SystemMessage(content="You are terse.", id="sys"),
        HumanMessage(content=[{"type": "text", "text": question}, block], id="human-1", name="ann"),
    ]


@pytest.mark.parametrize("form", FORM_NAMES)
def test_full_low_reaches_openai_as_image_url_with_low_detail(
    form: str, photo_b64: str, fixed_compressor: Callable[..., ImageCompressor]
) -> None:
    compressor = fixed_compressor(Technique.FULL_LOW, "openai")
    out, result = compress_messages_with_result(request(forms(photo_b64)[form]), compressor=compressor)
    block = out[1].content[1]
    assert block["type"] == "image_url"
    assert block["image_url"]["detail"] == "low"
    assert block["image_url"]["url"].startswith("data:image/")
    assert result.images[0].technique is Technique.FULL_LOW
    assert result.images[0].compressed_tokens == 85 < result.images[0].original_tokens
    assert out[1].content[0] == {"type": "text", "text": "What is in this picture?"}
    assert (out[1].id, out[1].name, out[0].id) == ("human-1", "ann", "sys")


@pytest.mark.parametrize("form", FORM_NAMES)
def test_crop_reaches_anthropic_as_native_block(
    form: str,
    photo_b64: str,
    fixed_compressor: Callable[..., ImageCompressor],
    decode_block: Callable[[dict[str, Any]], Image.Image],
) -> None:
    compressor = fixed_compressor(Technique.CROP, "anthropic", region=REGION)
    out, result = compress_messages_with_result(request(forms(photo_b64)[form]), compressor=compressor)
    block = out[1].content[1]
    assert block["type"] == "image"
    assert block["source"]["type"] == "base64"
    sent = decode_block(block)
    assert result.images[0].technique is Technique.CROP
    assert sent.size == result.images[0].compressed_size
    assert sent.width < SIZE[0] and sent.height < SIZE[1]
    assert block["source"]["media_type"] == Image.MIME[sent.format]


@pytest.mark.parametrize("form", ["v1_base64", "v0_base64", "anthropic_native"])
def test_google_gets_v1_blocks(
    form: str,
    photo_b64: str,
    fixed_compressor: Callable[..., ImageCompressor],
    decode_block: Callable[[dict[str, Any]], Image.Image],
) -> None:
    compressor = fixed_compressor(Technique.FULL_LOW, "google")
    out, result = compress_messages_with_result(request(forms(photo_b64)[form]), compressor=compressor)
    block = out[1].content[1]
    assert set(block) >= {"type", "base64", "mime_type"} and block["type"] == "image"
    assert decode_block(block).size == result.images[0].compressed_size
    assert result.images[0].compressed_size != SIZE
    if form == "v1_base64":
        assert block["id"] == "img-1"  # the v1 block keeps its id


def test_google_keeps_an_image_url_block_in_its_shape(
    photo_b64: str, fixed_compressor: Callable[..., ImageCompressor]
) -> None:
    block = {
        "type": "image_url",
        "image_url": {"url": f"data:image/png;base64,{photo_b64}", "detail": "high"},
    }
    out, result = compress_messages_with_result(
        request(block), compressor=fixed_compressor(Technique.FULL_LOW, "google")
    )
    sent = out[1].content[1]
    assert sent["type"] == "image_url" and sent["image_url"]["url"].startswith("data:image/")
    # OpenAI's "high" is not read as a Gemini resolution level: the image is billed by its size.
    assert result.images[0].original_tokens > 258


@pytest.mark.parametrize("form", FORM_NAMES)
def test_preserve_without_change_keeps_the_callers_block(
    form: str, draw_photo: Callable[..., Image.Image], fixed_compressor: Callable[..., ImageCompressor]
) -> None:
    small = base64.b64encode(_png(draw_photo(600, 400))).decode()  # over 512: no lossless low detail
    block = forms(small)[form]
    out, result = compress_messages_with_result(
        request(block), compressor=fixed_compressor(Technique.PRESERVE, "openai")
    )
    assert result.images[0].technique is Technique.PRESERVE
    assert result.images[0].compressed_tokens == result.images[0].original_tokens
    assert out[1].content[1] == block  # same form as sent: nothing to rewrite


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def test_openai_detail_survives_preserve_and_is_lowered_by_full_low(
    photo_b64: str, fixed_compressor: Callable[..., ImageCompressor]
) -> None:
    high = {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{photo_b64}", "detail": "high"}}
    kept = compress_messages(request(high), compressor=fixed_compressor(Technique.PRESERVE, "openai"))
    assert kept[1].content[1]["image_url"]["detail"] == "high"
    v1_high = {"type": "image", "base64": photo_b64, "mime_type": "image/png", "extras": {"detail": "high"}}
    compressor = fixed_compressor(Technique.FULL_LOW, "openai")
    out, result = compress_messages_with_result(request(v1_high), compressor=compressor)
    assert compressor.router.calls[0][2] == "high"  # the v1 block's extras detail reached the core
    assert out[1].content[1]["image_url"]["detail"] == "low"
    assert result.images[0].original_tokens == 765  # 1600x1200 at high detail on gpt-4o


@pytest.mark.parametrize(
    "block",
    [
        {"type": "image", "url": "https://example.com/cat.png"},
        {"type": "image", "file_id": "file-abc"},
        {"type": "image", "source_type": "url", "url": "https://example.com/cat.png"},
        {"type": "image", "source_type": "id", "id": "file-abc"},
        {"type": "image_url", "image_url": {"url": "https://example.com/cat.png", "detail": "high"}},
        {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.png"}},
    ],
)
def test_url_and_file_images_pass_through_untouched(
    block: dict[str, Any], fixed_compressor: Callable[..., ImageCompressor]
) -> None:
    compressor = fixed_compressor(Technique.FULL_LOW, "openai")
    out, result = compress_messages_with_result(request(block), compressor=compressor)
    assert out[1].content[1] == block
    assert result.images[0].technique is None
    assert "not fetched" in (result.images[0].skipped_reason or "")
    assert compressor.router.calls == []


def test_non_image_blocks_and_message_fields_are_kept(
    photo_b64: str, fixed_compressor: Callable[..., ImageCompressor]
) -> None:
    audio = {"type": "audio", "base64": "UklGRg==", "mime_type": "audio/wav"}
    odd = {"type": "non_standard", "value": {"x": 1}}
    message = HumanMessage(
        content=[
            "plain string part",
            audio,
            {"type": "image", "base64": photo_b64, "mime_type": "image/png"},
            odd,
        ],
        id="h",
        additional_kwargs={"k": "v"},
        response_metadata={"r": 1},
    )
    ai = AIMessage(content="", tool_calls=[{"name": "t", "args": {}, "id": "call-1"}], id="a")
    out = compress_messages([message, ai], compressor=fixed_compressor(Technique.FULL_LOW, "openai"))
    assert out[0].content[0] == "plain string part"
    assert out[0].content[1] == audio and out[0].content[3] == odd
    assert out[0].content[2]["type"] == "image_url"
    assert (out[0].id, out[0].additional_kwargs, out[0].response_metadata) == ("h", {"k": "v"}, {"r": 1})
    assert out[1].tool_calls == ai.tool_calls and out[1].id == "a"
    assert type(out[0]) is HumanMessage and type(out[1]) is AIMessage


def test_input_messages_are_never_mutated(
    photo_b64: str, fixed_compressor: Callable[..., ImageCompressor]
) -> None:
    messages = request(forms(photo_b64)["v1_base64"])
    before = copy.deepcopy(messages)
    content_list = messages[1].content
    out = compress_messages(messages, compressor=fixed_compressor(Technique.CROP, "openai", region=REGION))
    assert messages == before
    assert messages[1].content is content_list
    assert out[1] is not messages[1] and out[1].content is not content_list
    out[1].content[0]["text"] = "changed downstream"
    assert messages[1].content[0]["text"] == "What is in this picture?"


def test_tool_message_screenshot_is_compressed(
    photo_b64: str,
    fixed_compressor: Callable[..., ImageCompressor],
    decode_block: Callable[[dict[str, Any]], Image.Image],
) -> None:
    messages = [
        HumanMessage(content="Open the settings page and tell me the version."),
        AIMessage(content="", tool_calls=[{"name": "screenshot", "args": {}, "id": "call-7"}]),
        ToolMessage(
            content=[{"type": "image", "base64": photo_b64, "mime_type": "image/png"}],
            tool_call_id="call-7",
            name="screenshot",
        ),
    ]
    compressor = fixed_compressor(Technique.CROP, "anthropic", region=REGION)
    out, result = compress_messages_with_result(messages, compressor=compressor)
    tool = out[2]
    assert isinstance(tool, ToolMessage) and tool.tool_call_id == "call-7" and tool.name == "screenshot"
    assert decode_block(tool.content[0]).size == result.images[0].compressed_size
    assert result.images[0].location == (2, "content", 0)
    # The screenshot belongs to no user turn of its own: it is asked about with the latest user text.
    assert compressor.router.calls[0][0] == "Open the settings page and tell me the version."


def test_each_image_gets_the_text_of_its_own_turn(
    photo_b64: str, fixed_compressor: Callable[..., ImageCompressor]
) -> None:
    image = {"type": "image", "base64": photo_b64, "mime_type": "image/png"}
    messages = [
        HumanMessage(content=[{"type": "text", "text": "first question"}, image]),
        AIMessage(content="first answer"),
        HumanMessage(content=[image, {"type": "text", "text": "second question"}]),
    ]
    compressor = fixed_compressor(Technique.PRESERVE, "openai")
    compress_messages(messages, compressor=compressor)
    assert [call[0] for call in compressor.router.calls] == ["first question", "second question"]


def test_anthropic_tool_result_image_and_cache_control(
    photo_b64: str,
    fixed_compressor: Callable[..., ImageCompressor],
    decode_block: Callable[[dict[str, Any]], Image.Image],
) -> None:
    native = {
        "type": "image",
        "source": {"type": "base64", "media_type": "image/png", "data": photo_b64},
        "cache_control": {"type": "ephemeral"},
    }
    tool_result = {"type": "tool_result", "tool_use_id": "toolu_1", "content": [dict(native)]}
    messages = [HumanMessage(content=[{"type": "text", "text": "look"}, native, tool_result])]
    compressor = fixed_compressor(Technique.CROP, "anthropic", region=REGION)
    out, result = compress_messages_with_result(messages, compressor=compressor)
    top, nested = out[0].content[1], out[0].content[2]
    assert top["cache_control"] == {"type": "ephemeral"}
    assert decode_block(top).size == result.images[0].compressed_size
    assert nested["type"] == "tool_result" and nested["tool_use_id"] == "toolu_1"
    assert decode_block(nested["content"][0]).size == result.images[1].compressed_size
    assert result.images[1].location == (0, "content", 2, "content", 0)


def test_broken_base64_fails_open(fixed_compressor: Callable[..., ImageCompressor]) -> None:
    bad = {"type": "image", "base64": "not base64 at all!", "mime_type": "image/png"}
    out, result = compress_messages_with_result(
        request(bad), compressor=fixed_compressor(Technique.FULL_LOW, "openai")
    )
    assert out[1].content[1] == bad
    assert result.images[0].technique is None and result.images[0].error


def test_string_content_and_no_images(fixed_compressor: Callable[..., ImageCompressor]) -> None:
    compressor = fixed_compressor(Technique.FULL_LOW, "openai")
    out, result = compress_messages_with_result("just text", compressor=compressor)
    assert len(out) == 1 and isinstance(out[0], HumanMessage) and out[0].content == "just text"
    assert result.images == ()


@pytest.mark.parametrize("provider", ["openai", "anthropic", "google"])
@pytest.mark.parametrize("form", FORM_NAMES)
def test_transcode_becomes_a_fenced_text_block(
    form: str,
    provider: str,
    draw_page: Callable[..., Image.Image],
    ocr_lines: list[str],
    fixed_compressor: Callable[..., ImageCompressor],
) -> None:
    page = base64.b64encode(_png(draw_page(900, 1200))).decode()
    compressor = fixed_compressor(Technique.TRANSCODE, provider)
    out, result = compress_messages_with_result(
        request(forms(page)[form], "Transcribe this page."), compressor=compressor
    )
    block = out[1].content[1]
    assert set(block) == {"type", "text"} and block["type"] == "text"
    assert block["text"] == result.images[0].text
    assert block["text"].startswith("<image_text") and block["text"].rstrip().endswith("</image_text>")
    assert "\n".join(ocr_lines) in block["text"]
    assert result.images[0].technique is Technique.TRANSCODE
    assert result.images[0].compressed_tokens < result.images[0].original_tokens


class ExplodingCompressor(ImageCompressor):
    """A core whose request-level call fails (the adapter must still let the request through)."""

    def compress_with_result(
        self, messages: Any, provider: str | None = None, model: str | None = None
    ) -> Any:
        raise RuntimeError("core exploded")


def test_a_failing_core_lets_the_request_through(photo_b64: str, caplog: pytest.LogCaptureFixture) -> None:
    messages = request(forms(photo_b64)["v1_base64"])
    with caplog.at_level("WARNING"):
        out, result = compress_messages_with_result(messages, compressor=ExplodingCompressor("openai"))
    assert out == messages and out[1] is not messages[1]
    assert result.images == () and "core exploded" in caplog.text


def test_an_unknown_provider_is_a_configuration_error(photo_b64: str) -> None:
    from headroom_core import ConfigurationError

    with pytest.raises(ConfigurationError):
        compress_messages(
            request(forms(photo_b64)["v1_base64"]), provider="nope", compressor=ImageCompressor()
        )


def test_openai_responses_input_image_blocks(
    photo_b64: str,
    fixed_compressor: Callable[..., ImageCompressor],
    decode_block: Callable[[dict[str, Any]], Image.Image],
) -> None:
    block = {"type": "input_image", "image_url": f"data:image/png;base64,{photo_b64}", "detail": "high"}
    out = compress_messages(request(block), compressor=fixed_compressor(Technique.FULL_LOW, "openai"))
    kept = out[1].content[1]
    assert kept["type"] == "input_image" and kept["detail"] == "low"  # stays a Responses block for OpenAI
    out, result = compress_messages_with_result(
        request(block), compressor=fixed_compressor(Technique.CROP, "anthropic", region=REGION)
    )
    native = out[1].content[1]
    assert native["type"] == "image" and native["source"]["type"] == "base64"
    assert decode_block(native).size == result.images[0].compressed_size
