"""The pure function behind every LangChain entry point: messages in, compressed copies out."""

from __future__ import annotations

import copy
import logging
from typing import Any

from langchain_core.language_models import LanguageModelInput
from langchain_core.messages import BaseMessage, HumanMessage, convert_to_messages
from langchain_core.prompt_values import PromptValue

from headroom_core import CompressionResult, ConfigurationError, ImageCompressor, get_cost_model

from ._convert import CoreBlock, core_block, lc_role, restore_block

__all__ = ["compress_messages", "compress_messages_with_result", "to_messages"]

logger = logging.getLogger(__name__)

_ALIASES = {"gemini": "google", "vertex": "google", "vertexai": "google", "claude": "anthropic"}


def _provider_name(provider: str) -> str:
    name = provider.strip().lower()
    return _ALIASES.get(name, name)


def to_messages(value: LanguageModelInput) -> list[BaseMessage]:
    """Every input a chat model takes (a string, a ``PromptValue``, message-likes) as messages."""
    if isinstance(value, str):
        return [HumanMessage(content=value)]
    if isinstance(value, PromptValue):
        return value.to_messages()
    return convert_to_messages(value)


def _core_message(message: BaseMessage, provider: str) -> tuple[dict[str, Any], list[CoreBlock] | None]:
    role = lc_role(message.type, getattr(message, "role", None))
    content = message.content
    if isinstance(content, str):
        return {"role": role, "content": content}, None
    blocks = [core_block(block, provider) for block in content]
    return {"role": role, "content": [b.block for b in blocks]}, blocks


def compress_messages_with_result(
    messages: LanguageModelInput,
    *,
    compressor: ImageCompressor,
    provider: str | None = None,
    model: str | None = None,
) -> tuple[list[BaseMessage], CompressionResult]:
    """Compress every image of ``messages`` for ``provider``/``model`` with one core call.

    Returns new messages (``model_copy`` with a new content list; ids, names, tool calls and
    metadata unchanged) and the :class:`~headroom_core.CompressionResult`, whose image locations
    are ``(message index, "content", block index, ...)`` in the returned list. The input is never
    mutated. ``url`` and ``file_id`` images pass through untouched (nothing is downloaded); the
    result records them as skipped.
    """
    source = to_messages(messages)
    target = _provider_name(provider or compressor.provider)
    core_messages: list[dict[str, Any]] = []
    slots: list[list[CoreBlock] | None] = []
    for message in source:
        core, blocks = _core_message(message, target)
        core_messages.append(core)
        slots.append(blocks)
    get_cost_model(target, model if model is not None else compressor.model)  # a bad provider raises here
    try:
        compressed, result = compressor.compress_with_result(core_messages, provider=target, model=model)
    except Exception as exc:  # fail open: the request goes through with its images as they were
        logger.warning("image compression failed, messages sent unchanged: %s: %s", type(exc).__name__, exc)
        unchanged = [
            m.model_copy(update={"content": copy.deepcopy(m.content)})
            if isinstance(m.content, list)
            else m.model_copy()
            for m in source
        ]
        return unchanged, CompressionResult(images=(), provider=target, model=model)
    # (message, block) -> whether an image nested inside the block (a tool_result) was found
    touched: dict[tuple[int, int], bool] = {}
    for image in result.images:
        loc = image.location
        if len(loc) >= 3 and isinstance(loc[0], int) and loc[1] == "content" and isinstance(loc[2], int):
            key = (loc[0], loc[2])
            touched[key] = touched.get(key, False) or len(loc) > 3
    out: list[BaseMessage] = []
    for index, message in enumerate(source):
        blocks = slots[index]
        if blocks is None or not isinstance(message.content, list):
            out.append(message.model_copy())
            continue
        new_content: list[Any] = []
        for position, original in enumerate(message.content):
            if (index, position) in touched:
                core_out = compressed[index]["content"][position]
                new = restore_block(
                    result.provider, original, blocks[position], core_out, nested=touched[index, position]
                )
                new_content.append(copy.deepcopy(new) if new is original else new)
            else:
                new_content.append(copy.deepcopy(original))
        out.append(message.model_copy(update={"content": new_content}))
    if result.images:
        logger.debug(
            "langchain: %d image(s) for %s: %d -> %d tokens",
            len(result.images),
            result.provider,
            result.original_tokens,
            result.compressed_tokens,
        )
    return out, result


def compress_messages(
    messages: LanguageModelInput,
    *,
    compressor: ImageCompressor | None = None,
    provider: str | None = None,
    model: str | None = None,
    **options: Any,
) -> list[BaseMessage]:
    """Compressed copies of ``messages`` (see :func:`compress_messages_with_result`).

    Without ``compressor`` a new :class:`~headroom_core.ImageCompressor` is built from
    ``provider`` (default ``"openai"``), ``model`` and ``options`` (``router``, ``techniques``...).
    """
    if compressor is None:
        compressor = ImageCompressor(provider or "openai", model, **options)
    elif options:
        raise ConfigurationError(f"options {sorted(options)} apply only when no compressor is given")
    out, _ = compress_messages_with_result(messages, compressor=compressor, provider=provider, model=model)
    return out
