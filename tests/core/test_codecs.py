"""Codecs: finding images in provider-native requests and rewriting them into a copy."""

from __future__ import annotations

import base64
import copy
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import headroom_core.codecs as codecs
from headroom_core._exceptions import ConfigurationError, UnsupportedImageError
from headroom_core.codecs import (
    CODECS,
    ImageRef,
    Location,
    Replacement,
    data_url,
    decode_base64,
    detect_format,
    find_images,
    rewrite,
    text_block,
)

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR-fake-png-\xff\xfe"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF-fake-jpeg?>"
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 new"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def checked(fn: Callable[[Any], Any], messages: Any) -> Any:
    """Call ``fn(messages)`` and assert that ``messages`` was not mutated."""
    before = copy.deepcopy(messages)
    result = fn(messages)
    assert messages == before
    return result


def by_location(refs: list[ImageRef]) -> dict[Location, ImageRef]:
    return {ref.location: ref for ref in refs}


# --- OpenAI Chat Completions ---------------------------------------------------------------------


def openai_chat_messages() -> list[dict[str, Any]]:
    return [
        {"role": "system", "content": "SYSTEM: always answer in French."},
        {"role": "user", "content": "Hello there"},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "What does the chart show?"},
                {
                    "type": "image_url",
                    "id": "img-1",
                    "image_url": {"url": data_url("image/png", PNG), "detail": "high", "x-extra": 1},
                },
                {"type": "text", "text": "Be brief."},
            ],
        },
        {
            "role": "assistant",
            "content": "Let me take a screenshot.",
            "tool_calls": [
                {"id": "call_1", "type": "function", "function": {"name": "s", "arguments": "{}"}}
            ],
        },
        {
            "role": "tool",
            "tool_call_id": "call_1",
            "content": [
                {"type": "text", "text": "tool says hi"},
                {"type": "image_url", "image_url": "https://example.com/shot.png"},
            ],
        },
        {
            "role": "user",
            "content": [
                {"type": "image_url", "image_url": {"url": data_url("image/jpeg", JPEG)}},
                {"type": "text", "text": "And this photo?"},
            ],
        },
    ]


def test_openai_chat_find() -> None:
    refs = checked(find_images, openai_chat_messages())
    assert [r.location for r in refs] == [(2, "content", 1), (4, "content", 1), (5, "content", 0)]
    assert {r.format for r in refs} == {"openai_chat"}
    chart, shot, photo = refs
    assert (chart.data, chart.mime_type, chart.detail, chart.source) == (PNG, "image/png", "high", "base64")
    assert chart.query == "What does the chart show?\nBe brief."
    assert (chart.message_index, chart.turn_role) == (2, "user")
    assert chart.base64_chars == len(b64(PNG))
    assert (shot.source, shot.url, shot.data, shot.detail) == (
        "url",
        "https://example.com/shot.png",
        None,
        None,
    )
    # A tool image takes the latest user text at or before it, not a question asked later: an image
    # already sent keeps its query (and so its cached output) when the conversation grows.
    expected_query = "What does the chart show?\nBe brief."
    assert (shot.turn_role, shot.query, shot.base64_chars) == ("tool", expected_query, 0)
    assert (photo.data, photo.mime_type, photo.query) == (JPEG, "image/jpeg", "And this photo?")


def test_openai_chat_rewrite_image_and_text() -> None:
    messages = openai_chat_messages()
    replacements = {
        (2, "content", 1): Replacement("image", data=WEBP, mime_type="image/webp", detail="low"),
        (4, "content", 1): Replacement("image", data=PNG, mime_type="image/png"),
        (5, "content", 0): Replacement("text", text="[image text] hello"),
    }
    out = checked(lambda m: rewrite(m, replacements), messages)

    expected = copy.deepcopy(messages)
    expected[2]["content"][1] = {
        "type": "image_url",
        "id": "img-1",
        "image_url": {"url": data_url("image/webp", WEBP), "detail": "low", "x-extra": 1},
    }
    expected[4]["content"][1] = {"type": "image_url", "image_url": data_url("image/png", PNG)}
    expected[5]["content"][0] = {"type": "text", "text": "[image text] hello"}
    assert out == expected
    assert [(r.location, r.data) for r in find_images(out)] == [
        ((2, "content", 1), WEBP),
        ((4, "content", 1), PNG),
    ]


def test_openai_chat_detail_only_keeps_payload_and_string_url_becomes_dict() -> None:
    messages = openai_chat_messages()
    out = rewrite(
        messages,
        {
            (2, "content", 1): Replacement("image", detail="low"),
            (4, "content", 1): Replacement("image", detail="high"),
        },
    )
    assert out[2]["content"][1]["image_url"] == {**messages[2]["content"][1]["image_url"], "detail": "low"}
    assert out[4]["content"][1]["image_url"] == {"url": "https://example.com/shot.png", "detail": "high"}


def test_rewrite_output_shares_no_container_with_input() -> None:
    messages = openai_chat_messages()
    snapshot = copy.deepcopy(messages)
    out = rewrite(messages, {(2, "content", 1): Replacement("image", detail="low")})
    out[2]["content"].append({"type": "text", "text": "added"})
    out[5]["content"][1]["text"] = "changed"
    out[3]["tool_calls"][0]["id"] = "changed"
    assert messages == snapshot


# --- OpenAI Responses ----------------------------------------------------------------------------


def responses_request() -> dict[str, Any]:
    return {
        "model": "gpt-5",
        "instructions": "SYSTEM: be terse",
        "input": [
            {
                "role": "user",
                "content": [
                    {"type": "input_text", "text": "Read the receipt"},
                    {"type": "input_image", "image_url": data_url("image/png", PNG), "detail": "auto"},
                ],
            },
            {"type": "function_call", "call_id": "c1", "name": "snap", "arguments": "{}"},
            {
                "type": "function_call_output",
                "call_id": "c1",
                "output": [
                    {"type": "input_image", "file_id": "file-abc", "detail": "low", "id": "keep-me"},
                    {"type": "input_image", "image_url": "https://example.com/x.png"},
                ],
            },
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Total?"}]},
        ],
    }


def test_openai_responses_find() -> None:
    refs = checked(find_images, responses_request())
    assert [r.location for r in refs] == [
        ("input", 0, "content", 1),
        ("input", 2, "output", 0),
        ("input", 2, "output", 1),
    ]
    receipt, filed, linked = refs
    assert {r.format for r in refs} == {"openai_responses"}
    assert (receipt.data, receipt.detail, receipt.query, receipt.message_index) == (
        PNG,
        "auto",
        "Read the receipt",
        0,
    )
    assert (filed.source, filed.file_id, filed.data, filed.detail) == ("file", "file-abc", None, "low")
    # No user text of its own: the latest user text at or before it, never a later question.
    assert (filed.query, filed.turn_role, filed.message_index) == ("Read the receipt", None, 2)
    assert (linked.source, linked.url, linked.data) == ("url", "https://example.com/x.png", None)


def test_openai_responses_rewrite() -> None:
    request = responses_request()
    replacements = {
        ("input", 0, "content", 1): Replacement("text", text="RECEIPT TEXT"),
        ("input", 2, "output", 0): Replacement("image", data=JPEG, mime_type="image/jpeg", detail="high"),
    }
    out = checked(lambda r: rewrite(r, replacements), request)
    expected = copy.deepcopy(request)
    expected["input"][0]["content"][1] = {"type": "input_text", "text": "RECEIPT TEXT"}
    expected["input"][2]["output"][0] = {
        "type": "input_image",
        "image_url": data_url("image/jpeg", JPEG),
        "detail": "high",
        "id": "keep-me",
    }
    assert out == expected
    assert list(out["input"][2]["output"][0]) == ["type", "image_url", "detail", "id"]  # key order kept


# --- Anthropic -----------------------------------------------------------------------------------


def anthropic_request() -> dict[str, Any]:
    return {
        "model": "claude-opus-4-7",
        "system": [{"type": "text", "text": "SYSTEM: you are a vision model"}],
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "Compare these two"},
                    {
                        "type": "image",
                        "source": {"type": "base64", "media_type": "image/png", "data": b64(PNG)},
                        "cache_control": {"type": "ephemeral"},
                    },
                    {"type": "image", "source": {"type": "url", "url": "https://example.com/a.jpg"}},
                ],
            },
            {
                "role": "assistant",
                "content": [
                    {"type": "text", "text": "Taking a screenshot"},
                    {
                        "type": "tool_use",
                        "id": "tu_1",
                        "name": "screenshot",
                        "input": {"type": "image", "source": {"type": "url", "url": "https://decoy"}},
                    },
                ],
            },
            {
                "role": "user",
                "content": [
                    {
                        "type": "tool_result",
                        "tool_use_id": "tu_1",
                        "content": [
                            {"type": "text", "text": "screenshot taken"},
                            {
                                "type": "image",
                                "source": {"type": "base64", "media_type": "image/jpeg", "data": b64(JPEG)},
                            },
                            {"type": "image", "source": {"type": "file", "file_id": "file_011"}, "id": "x"},
                        ],
                    }
                ],
            },
            {"role": "assistant", "content": "Noted."},
            {"role": "user", "content": "Which one is newer?"},
        ],
    }


def test_anthropic_find() -> None:
    refs = checked(find_images, anthropic_request())
    assert [r.location for r in refs] == [
        ("messages", 0, "content", 1),
        ("messages", 0, "content", 2),
        ("messages", 2, "content", 0, "content", 1),
        ("messages", 2, "content", 0, "content", 2),
    ]
    inline, linked, shot, filed = refs
    assert (inline.data, inline.mime_type, inline.detail, inline.query) == (
        PNG,
        "image/png",
        None,
        "Compare these two",
    )
    assert (linked.source, linked.url, linked.data, linked.query) == (
        "url",
        "https://example.com/a.jpg",
        None,
        "Compare these two",
    )
    # A tool_result in a user turn without text of its own: the latest user text at or before it
    # (not "screenshot taken", and not a question asked later).
    assert (shot.data, shot.query, shot.message_index, shot.turn_role) == (
        JPEG,
        "Compare these two",
        2,
        "user",
    )
    assert (filed.source, filed.file_id, filed.data) == ("file", "file_011", None)


def test_anthropic_rewrite_keeps_cache_control_and_converts_url_source() -> None:
    request = anthropic_request()
    replacements = {
        ("messages", 0, "content", 1): Replacement("text", text="OCR TEXT"),
        ("messages", 0, "content", 2): Replacement("image", data=JPEG, mime_type="image/jpeg"),
        ("messages", 2, "content", 0, "content", 1): Replacement("image", data=WEBP, mime_type="image/webp"),
        ("messages", 2, "content", 0, "content", 2): Replacement("text", text="FILE TEXT"),
    }
    out = checked(lambda r: rewrite(r, replacements), request)
    expected = copy.deepcopy(request)
    content = expected["messages"][0]["content"]
    content[1] = {"type": "text", "text": "OCR TEXT", "cache_control": {"type": "ephemeral"}}
    content[2] = {
        "type": "image",
        "source": {"type": "base64", "media_type": "image/jpeg", "data": b64(JPEG)},
    }
    nested = expected["messages"][2]["content"][0]["content"]
    nested[1]["source"] = {"type": "base64", "media_type": "image/webp", "data": b64(WEBP)}
    nested[2] = {"type": "text", "text": "FILE TEXT"}
    assert out == expected


def test_anthropic_image_keeps_cache_control_and_mime_defaults_to_declared() -> None:
    out = rewrite(anthropic_request(), {("messages", 0, "content", 1): Replacement("image", data=JPEG)})
    block = out["messages"][0]["content"][1]
    assert block == {
        "type": "image",
        "source": {"type": "base64", "media_type": "image/png", "data": b64(JPEG)},
        "cache_control": {"type": "ephemeral"},
    }


def test_system_text_is_never_the_query() -> None:
    request = anthropic_request()
    request["messages"] = [
        {"role": "user", "content": [{"type": "image", "source": {"type": "url", "url": "https://x/y.png"}}]},
        {"role": "assistant", "content": "A picture of a cat."},
    ]
    (ref,) = find_images(request)
    assert ref.query == ""
    chat = [{"role": "system", "content": "SYSTEM"}, openai_chat_messages()[4]]
    (tool_ref,) = find_images(chat)
    assert tool_ref.query == ""


def test_assistant_text_is_never_the_query_but_later_user_text_is() -> None:
    messages = [
        {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://x/1.png"}}]},
        {"role": "assistant", "content": [{"type": "text", "text": "ASSISTANT"}]},
        {"role": "user", "content": [{"type": "text", "text": "   "}]},
        {"role": "user", "content": [{"type": "text", "text": "first question"}]},
        {"role": "user", "content": [{"type": "text", "text": "last question"}]},
        {"role": "assistant", "content": "ASSISTANT LAST"},
    ]
    (ref,) = find_images(messages)
    assert ref.query == "last question"


def test_each_image_gets_its_own_turns_query() -> None:
    messages = [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "q1"},
                {"type": "image", "source": {"type": "url", "url": "u1"}},
            ],
        },
        {"role": "assistant", "content": "a1"},
        {
            "role": "user",
            "content": [
                {"type": "image", "source": {"type": "url", "url": "u2"}},
                {"type": "text", "text": "q2"},
            ],
        },
    ]
    assert [(r.url, r.query, r.message_index) for r in find_images(messages)] == [
        ("u1", "q1", 0),
        ("u2", "q2", 2),
    ]


# --- Gemini --------------------------------------------------------------------------------------


def gemini_request() -> dict[str, Any]:
    return {
        "system_instruction": {"parts": [{"text": "SYSTEM: be a helpful assistant"}]},
        "contents": [
            {
                "role": "user",
                "parts": [
                    {"text": "What is in the photo?"},
                    {
                        "inline_data": {"mime_type": "image/jpeg", "data": b64(JPEG)},
                        "media_resolution": {"level": "media_resolution_high"},
                    },
                    {"inline_data": {"mime_type": "application/pdf", "data": b64(b"%PDF-1.7")}},
                ],
            },
            {
                "role": "model",
                "parts": [
                    {
                        "function_call": {
                            "name": "get_chart",
                            "args": {"inline_data": {"mime_type": "image/png", "data": b64(PNG)}},
                        }
                    }
                ],
            },
            {
                "role": "user",
                "parts": [
                    {
                        "function_response": {
                            "name": "get_chart",
                            "response": {"inline_data": {"mime_type": "image/png", "data": b64(PNG)}},
                            "parts": [{"inline_data": {"mime_type": "image/png", "data": b64(PNG)}}],
                        }
                    }
                ],
            },
            {
                "role": "user",
                "parts": [
                    {
                        "fileData": {
                            "mimeType": "image/png",
                            "fileUri": "https://generativelanguage.googleapis.com/f/abc",
                        }
                    },
                    {"inlineData": {"mimeType": "image/png", "data": b64(PNG)}, "thoughtSignature": "sig"},
                    {"text": "Summarise both."},
                ],
            },
        ],
        "generationConfig": {"temperature": 0},
    }


def test_gemini_find() -> None:
    refs = checked(find_images, gemini_request())
    assert [r.location for r in refs] == [
        ("contents", 0, "parts", 1),
        ("contents", 2, "parts", 0, "function_response", "parts", 0),
        ("contents", 3, "parts", 0),
        ("contents", 3, "parts", 1),
    ]
    photo, chart, filed, inline = refs
    assert (photo.data, photo.mime_type, photo.detail, photo.query) == (
        JPEG,
        "image/jpeg",
        "high",
        "What is in the photo?",
    )
    assert (chart.data, chart.query, chart.accepts_text, chart.message_index) == (
        PNG,
        "What is in the photo?",  # the latest user text at or before the tool response
        False,
        2,
    )
    assert (filed.source, filed.file_id, filed.data, filed.mime_type) == (
        "file",
        "https://generativelanguage.googleapis.com/f/abc",
        None,
        "image/png",
    )
    assert (inline.data, inline.detail, inline.query, inline.accepts_text) == (
        PNG,
        None,
        "Summarise both.",
        True,
    )


def test_gemini_rewrite_keeps_snake_and_camel_styles() -> None:
    request = gemini_request()
    replacements = {
        ("contents", 0, "parts", 1): Replacement("image", data=WEBP, mime_type="image/webp", detail="low"),
        ("contents", 2, "parts", 0, "function_response", "parts", 0): Replacement(
            "image", data=JPEG, mime_type="image/jpeg"
        ),
        ("contents", 3, "parts", 0): Replacement("image", data=JPEG, mime_type="image/jpeg", detail="medium"),
        ("contents", 3, "parts", 1): Replacement("text", text="PNG TEXT"),
    }
    out = checked(lambda r: rewrite(r, replacements), request)
    expected = copy.deepcopy(request)
    expected["contents"][0]["parts"][1] = {
        "inline_data": {"mime_type": "image/webp", "data": b64(WEBP)},
        "media_resolution": {"level": "media_resolution_low"},
    }
    expected["contents"][2]["parts"][0]["function_response"]["parts"][0] = {
        "inline_data": {"mime_type": "image/jpeg", "data": b64(JPEG)}
    }
    expected["contents"][3]["parts"][0] = {
        "inlineData": {"mimeType": "image/jpeg", "data": b64(JPEG)},
        "mediaResolution": {"level": "media_resolution_medium"},
    }
    expected["contents"][3]["parts"][1] = {"text": "PNG TEXT"}
    assert out == expected


def test_gemini_snake_part_gets_snake_resolution_and_uppercase_level_stays_uppercase() -> None:
    parts = [
        {"inline_data": {"mime_type": "image/png", "data": b64(PNG)}},
        {
            "inlineData": {"mimeType": "image/png", "data": b64(PNG)},
            "mediaResolution": {"level": "MEDIA_RESOLUTION_HIGH"},
        },
    ]
    contents = [{"parts": parts}]  # no role: a single-turn Gemini request, the turn is the user's
    refs = find_images(contents)
    assert [r.detail for r in refs] == [None, "high"]
    out = rewrite(
        contents,
        {
            (0, "parts", 0): Replacement("image", detail="ultra_high"),
            (0, "parts", 1): Replacement("image", detail="low"),
        },
    )
    assert out[0]["parts"][0]["media_resolution"] == {"level": "media_resolution_ultra_high"}
    assert "mediaResolution" not in out[0]["parts"][0]
    assert out[0]["parts"][1]["mediaResolution"] == {"level": "MEDIA_RESOLUTION_LOW"}
    assert "media_resolution" not in out[0]["parts"][1]


def test_gemini_part_without_role_is_user_text() -> None:
    contents = [
        {"parts": [{"text": "describe"}, {"inline_data": {"mime_type": "image/png", "data": b64(PNG)}}]}
    ]
    (ref,) = find_images(contents)
    assert (ref.query, ref.turn_role, ref.message_index) == ("describe", None, 0)


def test_gemini_function_response_image_refuses_text() -> None:
    location = ("contents", 2, "parts", 0, "function_response", "parts", 0)
    with pytest.raises(ConfigurationError, match="no text block"):
        rewrite(gemini_request(), {location: Replacement("text", text="x")})


# --- Shared behaviour ----------------------------------------------------------------------------


def test_request_dict_system_images_are_found_with_system_role_in_document_order() -> None:
    request = {
        "system_instruction": {"parts": [{"inline_data": {"mime_type": "image/png", "data": b64(PNG)}}]},
        "contents": [{"role": "user", "parts": [{"text": "hello"}, {"inlineData": {"data": b64(JPEG)}}]}],
    }
    system, user = find_images(request)
    assert (system.location, system.turn_role, system.message_index, system.query) == (
        ("system_instruction", "parts", 0),
        "system",
        -1,
        "hello",
    )
    assert (user.location, user.data, user.mime_type, user.turn_role) == (
        ("contents", 0, "parts", 1),
        JPEG,
        None,
        "user",
    )


def test_responses_file_id_with_stray_image_url_becomes_one_image_url() -> None:
    block = {"type": "input_image", "file_id": "file-1", "image_url": "https://x", "detail": "low"}
    (ref,) = find_images([{"role": "user", "content": [block]}])
    assert (ref.source, ref.file_id) == ("file", "file-1")
    out = rewrite(block, {(): Replacement("image", data=PNG, mime_type="image/png")})
    assert out == {"type": "input_image", "image_url": data_url("image/png", PNG), "detail": "low"}


def test_request_dict_other_keys_are_not_searched() -> None:
    image = {"type": "image", "source": {"type": "url", "url": "https://x"}}
    request = {"messages": [], "tools": [{"input_schema": {"example": image}}], "metadata": image}
    assert find_images(request) == []


def test_model_written_tool_arguments_are_not_images() -> None:
    assert find_images(anthropic_request()["messages"][1:2]) == []
    assert find_images(gemini_request()["contents"][1:2]) == []


@pytest.mark.parametrize(
    "block",
    [
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,###"}},
        {"type": "input_image", "image_url": "data:image/png;base64,a"},
        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "abc!def"}},
        {"inline_data": {"mime_type": "image/png", "data": "QUJD=RA"}},
        {"inlineData": {"mimeType": "image/png", "data": 12345}},
    ],
)
def test_corrupt_base64_reports_error_and_block_is_left_untouched(block: dict[str, Any]) -> None:
    good = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": b64(PNG)}}
    messages = (
        [{"role": "user", "content": [block, good]}]
        if "type" in block
        else [{"role": "user", "parts": [block]}]
    )
    refs = find_images(messages)
    bad = refs[0]
    assert bad.data is None
    assert bad.source == "base64"
    assert bad.error is not None
    assert bad.error.startswith("corrupt base64: ")
    replacements = {r.location: Replacement("text", text="T") for r in refs if r.error is None}
    out = rewrite(messages, replacements)
    container = "content" if "type" in block else "parts"
    assert out[0][container][0] == block
    assert len(replacements) == len(refs) - 1


def test_data_url_without_base64_marker_is_an_error() -> None:
    block = {"type": "image_url", "image_url": {"url": "data:image/svg+xml;utf8,<svg/>"}}
    (ref,) = find_images([{"role": "user", "content": [block]}])
    assert ref.data is None
    assert ref.error is not None
    assert "not base64" in ref.error
    (no_comma,) = find_images(
        [{"role": "user", "content": [{"type": "input_image", "image_url": "data:image/png;base64"}]}]
    )
    assert no_comma.error is not None
    assert no_comma.data is None


@pytest.mark.parametrize(
    "encode",
    [
        lambda d: base64.b64encode(d).decode(),
        lambda d: base64.urlsafe_b64encode(d).decode(),
        lambda d: base64.urlsafe_b64encode(d).decode().rstrip("="),
        lambda d: base64.b64encode(d).decode().rstrip("="),
        lambda d: "\n".join(base64.encodebytes(d).decode().split()) + "\n",
        lambda d: " " + base64.b64encode(d).decode()[:8] + " \t\r\n " + base64.b64encode(d).decode()[8:],
    ],
    ids=["standard", "urlsafe", "urlsafe-unpadded", "unpadded", "mime-lines", "spaces"],
)
def test_base64_variants_are_accepted(encode: Callable[[bytes], str]) -> None:
    data = bytes(range(256)) * 3 + b"\xfb\xff"  # forces '+/' (or '-_') and padding
    payload = encode(data)
    assert decode_base64(payload) == data
    blocks = [
        [
            {
                "role": "user",
                "content": [{"type": "image_url", "image_url": {"url": f"data:image/png;base64,{payload}"}}],
            }
        ],
        [
            {
                "role": "user",
                "content": [
                    {
                        "type": "image",
                        "source": {"type": "base64", "media_type": "image/png", "data": payload},
                    }
                ],
            }
        ],
        [{"role": "user", "parts": [{"inline_data": {"mime_type": "image/png", "data": payload}}]}],
    ]
    for messages in blocks:
        (ref,) = find_images(messages)
        assert ref.data == data
        assert ref.error is None
        assert ref.base64_chars == len(payload)


@pytest.mark.parametrize(
    ("payload", "why"),
    [
        ("", "empty"),
        ("  \n", "empty"),
        ("QUJD*", "invalid character '*'"),
        ("QUJ*", "invalid character '*'"),  # a multiple of 4: the strict fast path must fall through
        ("QU=D", "padding inside"),
        ("QUJDR", "truncated"),
        ("QU=JD", "padding inside"),
        ("QQ===", "more than two"),
        ("QUJD\u00e9", "invalid character"),
    ],
)
def test_decode_base64_rejects(payload: str, why: str) -> None:
    with pytest.raises(UnsupportedImageError, match=why):
        decode_base64(payload)


def test_data_url_parameters_and_mime() -> None:
    url = f"data:image/png;name=shot.png;base64,{b64(PNG)}"
    (ref,) = find_images([{"role": "user", "content": [{"type": "input_image", "image_url": url}]}])
    assert (ref.data, ref.mime_type, ref.base64_chars) == (PNG, "image/png", len(b64(PNG)))
    assert data_url("image/webp", WEBP) == f"data:image/webp;base64,{b64(WEBP)}"


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ({"type": "image_url", "image_url": {"url": "https://x"}}, "openai_chat"),
        ({"type": "image_url", "image_url": "https://x"}, "openai_chat"),
        ({"type": "input_image", "file_id": "file-1"}, "openai_responses"),
        ({"type": "image", "source": {"type": "file", "file_id": "f"}}, "anthropic"),
        ({"inline_data": {"mime_type": "image/png", "data": ""}}, "gemini"),
        ({"fileData": {"fileUri": "gs://b/x"}}, "gemini"),
        ({"type": "text", "text": "hi"}, None),
        ({"type": "image", "source_type": "base64", "data": "QUJD"}, None),  # LangChain v0 block
        ({"type": "image", "base64": "QUJD", "mime_type": "image/png"}, None),  # LangChain v1 block
        ({"type": "image", "source": {"type": "text", "data": "x"}}, None),
        ({"inline_data": {"mime_type": "audio/wav", "data": "QUJD"}}, None),
        ({"file_data": {"mime_type": "video/mp4", "file_uri": "gs://b/v.mp4"}}, None),
        ({"type": "input_file", "file_id": "file-1"}, None),
    ],
)
def test_detect_format(block: dict[str, Any], expected: str | None) -> None:
    assert detect_format(block) == expected


def test_text_block_helper_per_format() -> None:
    assert text_block("openai_chat", "x") == {"type": "text", "text": "x"}
    assert text_block("openai_responses", "x") == {"type": "input_text", "text": "x"}
    assert text_block("anthropic", "x") == {"type": "text", "text": "x"}
    assert text_block("gemini", "x") == {"text": "x"}
    with pytest.raises(ConfigurationError, match="unknown format"):
        text_block("cohere", "x")


def test_rewrite_rejects_locations_that_are_not_image_blocks() -> None:
    messages = openai_chat_messages()
    for location in [(2, "content", 0), (99, "content", 0), (2, "nope"), (1, "content", 0), ()]:
        with pytest.raises(ConfigurationError):
            rewrite(messages, {location: Replacement("text", text="x")})


def test_rewrite_needs_a_mime_for_url_images_and_anthropic_has_no_detail() -> None:
    request = anthropic_request()
    with pytest.raises(ConfigurationError, match="mime_type"):
        rewrite(request, {("messages", 0, "content", 2): Replacement("image", data=PNG)})
    with pytest.raises(ConfigurationError, match="no detail"):
        rewrite(request, {("messages", 0, "content", 1): Replacement("image", detail="low")})


def test_rewrite_of_a_bare_block_at_the_root() -> None:
    block = {"type": "input_image", "image_url": "https://x/y.png", "detail": "auto"}
    (ref,) = find_images(block)
    assert ref.location == ()
    assert rewrite(block, {(): Replacement("text", text="T")}) == {"type": "input_text", "text": "T"}
    assert block["type"] == "input_image"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": "text"},
        {"kind": "text", "text": "x", "detail": "low"},
        {"kind": "text", "text": "x", "data": b"x"},
        {"kind": "image", "text": "x"},
        {"kind": "image", "mime_type": "image/png"},
        {"kind": "video"},
    ],
)
def test_replacement_validation(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError):
        Replacement(**kwargs)


def test_empty_and_non_conversation_inputs() -> None:
    assert find_images([]) == []
    assert find_images("just a string") == []
    assert find_images({"input": "a Responses string input"}) == []
    out = rewrite([], {})
    assert out == []


def test_public_names() -> None:
    assert codecs.__all__ == sorted(codecs.__all__)
    assert set(CODECS) == {"openai_chat", "openai_responses", "anthropic", "gemini"}
    assert all(getattr(codecs, name) is not None for name in codecs.__all__)


# --- Property tests ------------------------------------------------------------------------------

FORMATS = tuple(CODECS)
ROLES = {
    "openai_chat": ("user", "assistant", "system", "tool"),
    "openai_responses": ("user", "assistant", "developer"),
    "anthropic": ("user", "assistant"),
    "gemini": ("user", "model"),
}
CONTENT_KEY = {
    "openai_chat": "content",
    "openai_responses": "content",
    "anthropic": "content",
    "gemini": "parts",
}
REQUEST_KEY = {
    "openai_chat": "messages",
    "openai_responses": "input",
    "anthropic": "messages",
    "gemini": "contents",
}
# Block-level containers (path from the container block to its inner list).
BLOCK_NEST = {"anthropic": ("content",), "gemini": ("function_response", "parts")}

payloads = st.binary(min_size=1, max_size=24)
texts = st.text(max_size=12)


@st.composite
def encoded(draw: st.DrawFn, data: bytes) -> str:
    style = draw(st.sampled_from(["standard", "urlsafe", "unpadded", "lines"]))
    if style == "urlsafe":
        return base64.urlsafe_b64encode(data).decode()
    if style == "unpadded":
        return base64.b64encode(data).decode().rstrip("=")
    if style == "lines":
        return base64.encodebytes(data).decode()
    return b64(data)


@st.composite
def image_blocks(draw: st.DrawFn, fmt: str) -> tuple[dict[str, Any], bytes | None]:
    """An image block of ``fmt`` and the bytes it holds (``None`` for url/file images)."""
    data = draw(payloads)
    source = draw(st.sampled_from(["base64", "url"] if fmt == "openai_chat" else ["base64", "url", "file"]))
    payload = draw(encoded(data))
    extra = draw(
        st.dictionaries(st.sampled_from(["id", "x_extra", "cache_control"]), st.just({"k": 1}), max_size=2)
    )
    if fmt == "openai_chat":
        url = f"data:image/png;base64,{payload}" if source == "base64" else "https://x/img.png"
        image_url: Any = draw(st.sampled_from([url, {"url": url, "detail": "high", "x": 1}]))
        block: dict[str, Any] = {"type": "image_url", "image_url": image_url, **extra}
    elif fmt == "openai_responses":
        where = {
            "base64": {"image_url": f"data:image/png;base64,{payload}"},
            "url": {"image_url": "https://x"},
        }
        block = {"type": "input_image", **where.get(source, {"file_id": "file-1"}), "detail": "auto", **extra}
    elif fmt == "anthropic":
        sources = {
            "base64": {"type": "base64", "media_type": "image/png", "data": payload},
            "url": {"type": "url", "url": "https://x"},
            "file": {"type": "file", "file_id": "file_1"},
        }
        block = {"type": "image", "source": sources[source], **extra}
    else:
        snake = draw(st.booleans())
        mime_key = "mime_type" if snake else "mimeType"
        if source == "base64":
            media = {"inline_data" if snake else "inlineData": {mime_key: "image/png", "data": payload}}
        else:
            media = {"file_data" if snake else "fileData": {mime_key: "image/png", "file_uri": "gs://b/x"}}
        block = {**media, **extra}
    return block, data if source == "base64" else None


def decoy(fmt: str) -> dict[str, Any]:
    """A non-image block that carries image-looking JSON or non-image media."""
    anthropic_image = {"type": "image", "source": {"type": "url", "url": "https://decoy"}}
    return {
        "openai_chat": {"type": "input_audio", "input_audio": {"data": "QUJD", "format": "wav"}},
        "openai_responses": {"type": "input_file", "file_id": "file-pdf"},
        "anthropic": {"type": "tool_use", "id": "t", "name": "n", "input": anthropic_image},
        "gemini": {
            "function_call": {"name": "n", "args": {"inline_data": {"mime_type": "image/png", "data": "QQ"}}}
        },
    }[fmt]


class Builder:
    """Builds a random conversation and records where it put each image."""

    def __init__(self, draw: st.DrawFn, fmt: str) -> None:
        self.draw = draw
        self.fmt = fmt
        self.images: list[tuple[Location, bytes | None]] = []

    def blocks(self, path: Location, depth: int) -> list[Any]:
        kinds = ["text", "image", "decoy"] + (["nest"] if depth == 0 and self.fmt in BLOCK_NEST else [])
        out: list[Any] = []
        for index in range(self.draw(st.integers(0, 4))):
            kind = self.draw(st.sampled_from(kinds))
            location = (*path, index)
            if kind == "text":
                out.append(text_block(self.fmt, self.draw(texts)))
            elif kind == "decoy":
                out.append(decoy(self.fmt))
            elif kind == "image":
                block, data = self.draw(image_blocks(self.fmt))
                self.images.append((location, data))
                out.append(block)
            else:
                out.append(self.nest(location))
        return out

    def nest(self, location: Location) -> dict[str, Any]:
        inner = self.blocks((*location, *BLOCK_NEST[self.fmt]), depth=1)
        if self.fmt == "anthropic":
            return {"type": "tool_result", "tool_use_id": "t", "content": inner}
        return {"function_response": {"name": "n", "response": {"ok": True}, "parts": inner}}

    def message(self, path: Location) -> dict[str, Any]:
        role = self.draw(st.sampled_from(ROLES[self.fmt]))
        if self.fmt == "openai_responses" and self.draw(st.booleans()):
            return {
                "type": "function_call_output",
                "call_id": "c",
                "output": self.blocks((*path, "output"), 1),
            }
        key = CONTENT_KEY[self.fmt]
        if self.fmt != "gemini" and self.draw(st.booleans()):
            return {"role": role, key: self.draw(texts)}
        return {"role": role, key: self.blocks((*path, key), 0)}


@st.composite
def conversations_with_images(draw: st.DrawFn) -> tuple[str, Any, list[tuple[Location, bytes | None]]]:
    fmt = draw(st.sampled_from(FORMATS))
    as_request = draw(st.booleans())
    prefix: Location = (REQUEST_KEY[fmt],) if as_request else ()
    builder = Builder(draw, fmt)
    messages = [builder.message((*prefix, index)) for index in range(draw(st.integers(0, 4)))]
    root: Any = {"model": "m", REQUEST_KEY[fmt]: messages} if as_request else messages
    return fmt, root, builder.images


def set_at(root: Any, location: Location, value: Any) -> None:
    node = root
    for step in location[:-1]:
        node = node[step]
    node[location[-1]] = value


def get_at(root: Any, location: Location) -> Any:
    node = root
    for step in location:
        node = node[step]
    return node


PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(conversations_with_images())
def test_property_find_images_finds_exactly_the_inserted_images(case: tuple[str, Any, list[Any]]) -> None:
    fmt, root, images = case
    refs = checked(find_images, root)
    assert [(r.location, r.data) for r in refs] == images
    assert all(r.format == fmt and r.error is None for r in refs)


@PROPERTY_SETTINGS
@given(conversations_with_images())
def test_property_text_rewrite_keeps_all_other_content(case: tuple[str, Any, list[Any]]) -> None:
    fmt, root, _ = case
    refs = find_images(root)
    replacements = {
        r.location: Replacement("text", text=f"T{i}") for i, r in enumerate(refs) if r.accepts_text
    }
    out = checked(lambda m: rewrite(m, replacements), root)

    expected = copy.deepcopy(root)
    for location, replacement in replacements.items():
        new = text_block(fmt, replacement.text or "")
        cache_control = get_at(root, location).get("cache_control")
        if fmt == "anthropic" and cache_control is not None:
            new["cache_control"] = cache_control
        set_at(expected, location, new)
    assert out == expected
    assert [r.location for r in find_images(out)] == [r.location for r in refs if not r.accepts_text]


PAYLOAD_KEYS = {"image_url", "file_id", "source", "inline_data", "inlineData", "file_data", "fileData"}
SETTING_KEYS = {"detail", "media_resolution", "mediaResolution"}


@PROPERTY_SETTINGS
@given(conversations_with_images(), st.sampled_from([None, "low"]))
def test_property_image_rewrite_round_trips(case: tuple[str, Any, list[Any]], detail: str | None) -> None:
    fmt, root, _ = case
    refs = find_images(root)
    if fmt == "anthropic":
        detail = None
    new_bytes = {r.location: f"new-{i}".encode() for i, r in enumerate(refs)}
    replacements = {
        loc: Replacement("image", data=data, mime_type="image/webp", detail=detail)
        for loc, data in new_bytes.items()
    }
    out = checked(lambda m: rewrite(m, replacements), root)

    again = find_images(out)
    assert [(r.location, r.format, r.data, r.mime_type, r.source) for r in again] == [
        (loc, fmt, data, "image/webp", "base64") for loc, data in new_bytes.items()
    ]
    if detail is not None:
        assert all(r.detail == detail for r in again)
    ignored = PAYLOAD_KEYS | (SETTING_KEYS if detail else set())
    for ref in refs:  # sibling keys of every image block are kept
        before, after = get_at(root, ref.location), get_at(out, ref.location)
        assert {k: v for k, v in before.items() if k not in ignored} == {
            k: v for k, v in after.items() if k not in ignored
        }
    stripped_in, stripped_out = copy.deepcopy(root), copy.deepcopy(out)
    for ref in refs:
        set_at(stripped_in, ref.location, None)
        set_at(stripped_out, ref.location, None)
    assert stripped_in == stripped_out
