"""``compress_chat_messages``: compress the ``ImageBlock``s of LlamaIndex ``ChatMessage`` lists."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from llama_index.core.base.llms.types import ChatMessage, ImageBlock, TextBlock

from headroom_core import CompressionResult, ConfigurationError, ImageCompressor, get_cost_model

from ._images import (
    data_url,
    image_url_block,
    is_remote,
    local_file_url,
    read_rewritten,
    target_provider,
)

__all__ = ["compress_chat_messages", "compress_chat_messages_with_result", "image_block_url"]

logger = logging.getLogger(__name__)

_PLACEHOLDER: dict[str, Any] = {"type": "headroom_placeholder"}
_ASSISTANT_ROLES = frozenset({"chatbot", "model"})


def image_block_url(block: ImageBlock, *, allow_remote: bool, max_bytes: int) -> str | None:
    """The URL the core gets for ``block``: a ``data:`` URL of its bytes, path or inline URL; a
    remote URL only with ``allow_remote``; ``None`` when the image is left as it is."""
    if block.image is not None:
        try:
            raw = block.resolve_image(as_base64=False).read()
        except ValueError as exc:  # zero bytes
            logger.info("image block without bytes (%s); left as it is", exc)
            return None
        return data_url(raw, block.image_mimetype)
    if block.path is not None:
        return local_file_url(block.path, block.image_mimetype, max_bytes)
    if block.url is not None:
        url = str(block.url)
        if url[:5].lower() == "data:":
            return url
        if is_remote(url) and allow_remote:
            return url
    return None


def _role(message: ChatMessage) -> str:
    role = getattr(message.role, "value", message.role)
    role = str(role)
    return "assistant" if role in _ASSISTANT_ROLES else role


def _rewrite_block(block: ImageBlock, core_out: dict[str, Any]) -> ImageBlock | TextBlock:
    new = read_rewritten(core_out)
    if new.text is not None:
        return TextBlock(text=new.text)
    detail = new.detail if new.detail is not None else block.detail
    if new.data is None:
        return block.model_copy(update={"detail": detail})
    # A new block from raw bytes: the validator base64-encodes them; path and url are dropped so
    # that integrations which prefer a URL send these bytes.
    return ImageBlock(image=new.data, image_mimetype=new.mime_type, detail=detail)


def compress_chat_messages_with_result(
    messages: Sequence[ChatMessage],
    *,
    compressor: ImageCompressor,
    provider: str | None = None,
    model: str | None = None,
    allow_remote: bool = False,
) -> tuple[list[ChatMessage], CompressionResult]:
    """Compress every ``ImageBlock`` of ``messages`` for ``provider``/``model`` with one core call.

    Returns new messages (``model_copy`` with new block lists; the input is never mutated) and the
    :class:`~headroom_core.CompressionResult`, whose locations are ``(message index, "content",
    block index)``. A TRANSCODE image becomes a ``TextBlock`` with the fenced OCR text; other
    rewritten images become ``ImageBlock``s holding the new bytes (and ``detail``, which OpenAI
    integrations send). Images from ``path`` are read from the local file system; ``http(s)``
    URLs are offered to the core only with ``allow_remote`` (the core then fetches them only under
    its ``fetch`` policy). ``detail`` is read only for an OpenAI target, where it has a meaning.
    """
    target = target_provider(provider, compressor)
    core: list[dict[str, Any]] = []
    for message in messages:
        content: list[dict[str, Any]] = []
        for block in message.blocks:
            if isinstance(block, TextBlock):
                content.append({"type": "text", "text": block.text})
            elif isinstance(block, ImageBlock):
                url = image_block_url(block, allow_remote=allow_remote, max_bytes=compressor.max_bytes)
                detail = block.detail if target == "openai" else None
                content.append(image_url_block(url, detail) if url is not None else dict(_PLACEHOLDER))
            else:
                content.append(dict(_PLACEHOLDER))
        core.append({"role": _role(message), "content": content})
    get_cost_model(target, model if model is not None else compressor.model)  # a bad provider raises here
    try:
        compressed, result = compressor.compress_with_result(core, provider=target, model=model)
    except Exception as exc:  # fail open: the request goes through with its images as they were
        logger.warning("image compression failed, messages sent unchanged: %s: %s", type(exc).__name__, exc)
        unchanged = [m.model_copy(update={"blocks": [b.model_copy() for b in m.blocks]}) for m in messages]
        return unchanged, CompressionResult(images=(), provider=target, model=model)
    out: list[ChatMessage] = []
    for index, message in enumerate(messages):
        blocks: list[Any] = []
        for position, block in enumerate(message.blocks):
            before, after = core[index]["content"][position], compressed[index]["content"][position]
            if isinstance(block, ImageBlock) and after != before:
                blocks.append(_rewrite_block(block, after))
            else:
                blocks.append(block.model_copy())
        out.append(message.model_copy(update={"blocks": blocks}))
    return out, result


def compress_chat_messages(
    messages: Sequence[ChatMessage],
    *,
    provider: str | None = None,
    model: str | None = None,
    compressor: ImageCompressor | None = None,
    allow_remote: bool = False,
    **options: Any,
) -> list[ChatMessage]:
    """Compressed copies of ``messages`` (see :func:`compress_chat_messages_with_result`).

    Without ``compressor`` a new :class:`~headroom_core.ImageCompressor` is built from ``provider``
    (default ``"openai"``), ``model`` and ``options`` (``router``, ``techniques``, ``fetch``...).
    """
    if compressor is None:
        compressor = ImageCompressor(provider or "openai", model, **options)
    elif options:
        raise ConfigurationError(f"options {sorted(options)} apply only when no compressor is given")
    out, _ = compress_chat_messages_with_result(
        messages, compressor=compressor, provider=provider, model=model, allow_remote=allow_remote
    )
    return out
