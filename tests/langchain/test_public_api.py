"""The public surface of ``headroom_langchain`` is pinned."""

from __future__ import annotations

import pytest

pytest.importorskip("langchain_core")

import headroom_langchain

EXPECTED_ALL = [
    "COMPRESSION_EVENT",
    "ImageCompressingChatModel",
    "ImageCompressionMiddleware",
    "ImageCompressionRunnable",
    "compress_messages",
    "compress_messages_with_result",
    "infer_provider_model",
    "with_image_compression",
]


def test_all_is_pinned() -> None:
    assert sorted(headroom_langchain.__all__) == sorted(EXPECTED_ALL)
    for name in EXPECTED_ALL:
        assert getattr(headroom_langchain, name) is not None, name


def test_event_name_is_stable() -> None:
    assert headroom_langchain.COMPRESSION_EVENT == "headroom_image_compression"
