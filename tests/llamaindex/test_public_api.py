"""The public surface of ``headroom_llamaindex`` is pinned."""

from __future__ import annotations

import pytest

pytest.importorskip("llama_index.core")

import headroom_llamaindex

EXPECTED_ALL = [
    "SOURCE_IMAGE_KEYS",
    "ImageCompressingLLM",
    "ImageCompressionPostprocessor",
    "compress_chat_messages",
    "compress_chat_messages_with_result",
    "infer_llm_provider_model",
]


def test_all_is_pinned() -> None:
    assert sorted(headroom_llamaindex.__all__) == sorted(EXPECTED_ALL)
    for name in EXPECTED_ALL:
        assert getattr(headroom_llamaindex, name) is not None, name


def test_postprocessor_is_a_node_postprocessor() -> None:
    from llama_index.core.postprocessor.types import BaseNodePostprocessor

    assert issubclass(headroom_llamaindex.ImageCompressionPostprocessor, BaseNodePostprocessor)
