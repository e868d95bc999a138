"""Translate LangChain message content to the core's provider-native dicts and back.

Every LangChain image form is read:

- v1 standard: ``{"type": "image", "base64": ..., "mime_type": ...}``, ``{"type": "image", "url": ...}``,
  ``{"type": "image", "file_id": ...}`` (a ``detail`` is read from ``extras["detail"]`` or a top-level
  ``detail`` key, where LangChain's own translators put it);
- v0 standard: ``{"type": "image", "source_type": "base64" | "url" | "id", ...}``;
- OpenAI Chat Completions ``image_url`` and Responses ``input_image`` blocks;
- Anthropic native ``{"type": "image", "source": {...}}`` blocks, also inside ``tool_result`` blocks.

The LangChain-only forms become OpenAI ``image_url`` blocks for the core (the core picks the
provider's token rules from its ``provider`` argument, not from the block shape); provider-native
blocks are handed over as they are. A rewritten image comes back in a block the target provider's
LangChain integration accepts (:func:`image_block_for`). ``BaseMessage.content_blocks`` is not used
for reading because it re-indexes blocks and moves ``detail`` out of the OpenAI block.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from headroom_core.codecs import ImageRef, data_url, find_images

__all__ = [
    "ROLE_BY_TYPE",
    "CoreBlock",
    "core_block",
    "image_block_for",
    "is_text_block",
    "lc_role",
    "restore_block",
]

ROLE_BY_TYPE: Mapping[str, str] = {
    "human": "user",
    "ai": "assistant",
    "system": "system",
    "developer": "system",
    "tool": "tool",
    "function": "tool",
}
"""LangChain message ``type`` -> the core's chat role (only ``user`` turns give images their query)."""

_PASSTHROUGH_TYPES = frozenset({"text", "tool_result", "image_url", "input_image", "input_text"})
_PLACEHOLDER: dict[str, Any] = {"type": "headroom_placeholder"}


@dataclass(frozen=True)
class CoreBlock:
    """One content block as handed to the core, and whether it was translated from a LangChain form."""

    block: dict[str, Any]
    translated: bool


def lc_role(message_type: str, role: str | None = None) -> str:
    """The core role for a LangChain message ``type`` (``ChatMessage`` keeps its own ``role``)."""
    if message_type == "chat" and role:
        return role
    return ROLE_BY_TYPE.get(message_type, message_type)


def _detail_of(block: Mapping[str, Any]) -> str | None:
    detail = block.get("detail")
    extras = block.get("extras")
    if detail is None and isinstance(extras, Mapping):
        detail = extras.get("detail")
    return detail if isinstance(detail, str) else None


def _image_url(url: str, detail: str | None) -> dict[str, Any]:
    inner: dict[str, Any] = {"url": url}
    if detail is not None:
        inner["detail"] = detail
    return {"type": "image_url", "image_url": inner}


def _is_lc_image(block: Mapping[str, Any]) -> bool:
    """A LangChain standard (v0 or v1) image block, as opposed to an Anthropic native one."""
    return block.get("type") == "image" and "source" not in block


def _translate_lc_image(block: Mapping[str, Any], keep_detail: bool) -> dict[str, Any] | None:
    """v0/v1 image block -> OpenAI ``image_url`` / Responses ``input_image`` (file ids)."""
    detail = _detail_of(block) if keep_detail else None
    source_type = block.get("source_type")
    mime = block.get("mime_type") if isinstance(block.get("mime_type"), str) else ""
    if source_type is not None:  # v0
        if source_type == "base64" and isinstance(block.get("data"), str):
            return _image_url(f"data:{mime};base64,{block['data']}", detail)
        if source_type == "url" and isinstance(block.get("url"), str):
            return _image_url(block["url"], detail)
        if source_type == "id" and isinstance(block.get("id"), str):
            return {"type": "input_image", "file_id": block["id"]}
        return None
    if isinstance(block.get("base64"), str):
        return _image_url(f"data:{mime};base64,{block['base64']}", detail)
    if isinstance(block.get("url"), str):
        return _image_url(block["url"], detail)
    if isinstance(block.get("file_id"), str):
        return {"type": "input_image", "file_id": block["file_id"]}
    return None


def _anthropic_as_image_url(block: Mapping[str, Any]) -> dict[str, Any] | None:
    source = block.get("source")
    if not isinstance(source, Mapping):
        return None
    if source.get("type") == "base64" and isinstance(source.get("data"), str):
        mime = source.get("media_type") if isinstance(source.get("media_type"), str) else ""
        return _image_url(f"data:{mime};base64,{source['data']}", None)
    if source.get("type") == "url" and isinstance(source.get("url"), str):
        return _image_url(source["url"], None)
    if source.get("type") == "file" and isinstance(source.get("file_id"), str):
        return {"type": "input_image", "file_id": source["file_id"]}
    return None


def core_block(block: object, provider: str) -> CoreBlock:
    """The block the core sees in place of one LangChain content block, for target ``provider``.

    - Text stays text: it is the query of the images of its turn.
    - LangChain standard (v0/v1) images are translated to OpenAI ``image_url`` blocks.
    - Provider-native images are handed over as they are, except Anthropic blocks bound for another
      provider, which are translated too: the core may set a ``detail`` for OpenAI or Gemini, which
      an Anthropic block cannot hold.
    - A ``detail`` is OpenAI's setting and is read only for an OpenAI target.
    - Anthropic ``tool_result`` containers pass through for an Anthropic target only.
    - Anything else becomes a small placeholder, so indices stay aligned and large non-image
      payloads are not copied.
    """
    if isinstance(block, str):
        return CoreBlock({"type": "text", "text": block}, translated=True)
    if not isinstance(block, Mapping):
        return CoreBlock(dict(_PLACEHOLDER), translated=True)
    block_type = block.get("type")
    translated: dict[str, Any] | None
    if _is_lc_image(block):
        translated = _translate_lc_image(block, keep_detail=provider == "openai")
        return CoreBlock(translated if translated is not None else dict(_PLACEHOLDER), translated=True)
    if block_type == "image":  # Anthropic native
        if provider == "anthropic":
            return CoreBlock(dict(block), translated=False)
        translated = _anthropic_as_image_url(block)
        return CoreBlock(translated if translated is not None else dict(_PLACEHOLDER), translated=True)
    if block_type == "tool_result" and provider != "anthropic":
        return CoreBlock(dict(_PLACEHOLDER), translated=True)
    if block_type in ("image_url", "input_image") and provider != "openai":
        return CoreBlock(_without_detail(block), translated=False)
    if block_type in _PASSTHROUGH_TYPES:
        return CoreBlock(dict(block), translated=False)
    return CoreBlock(dict(_PLACEHOLDER), translated=True)


def _without_detail(block: Mapping[str, Any]) -> dict[str, Any]:
    """An OpenAI block without its ``detail``: the word means OpenAI's setting, which another
    provider's integration does not send (and must not be read as a Gemini resolution level)."""
    out = {key: value for key, value in block.items() if key != "detail"}
    inner = out.get("image_url")
    if isinstance(inner, Mapping):
        out["image_url"] = {key: value for key, value in inner.items() if key != "detail"}
    return out


def is_text_block(block: Mapping[str, Any]) -> bool:
    """Whether the core replaced an image by text here (TRANSCODE)."""
    return block.get("type") in ("text", "input_text") and isinstance(block.get("text"), str)


def _read_image(block: Mapping[str, Any]) -> ImageRef | None:
    refs = find_images(dict(block))
    if len(refs) != 1 or refs[0].data is None:
        return None
    return refs[0]


def image_block_for(
    provider: str, original: Mapping[str, Any], core_in: CoreBlock, core_out: Mapping[str, Any]
) -> dict[str, Any]:
    """The LangChain block carrying the rewritten image ``core_out`` for ``provider``'s integration.

    - ``openai``: an ``image_url`` block with a data URL and ``detail`` (a v1 block would lose
      ``detail`` on its way to OpenAI, langchain-ai/langchain#36297); native OpenAI blocks keep
      their own shape and sibling keys.
    - ``anthropic``: a native ``image`` block with a ``base64`` source (``cache_control`` kept).
    - ``google``: a v1 ``image`` block (``id`` and ``extras`` of a v1 original kept; a detail, if
      any, goes to ``extras["detail"]`` as LangChain's own translators put it); an ``image_url``
      original keeps its shape, which langchain-google also accepts.
    """
    block_type = original.get("type")
    native_ok = {
        "openai": ("image_url", "input_image"),
        "anthropic": ("image",),
        "google": ("image_url",),
    }.get(provider, ())
    if not core_in.translated and block_type in native_ok:
        return dict(core_out)
    ref = _read_image(core_out)
    if ref is None or ref.data is None:  # nothing we can re-express: keep the core's block
        return dict(core_out)
    mime = ref.mime_type or "image/png"
    payload = base64.b64encode(ref.data).decode("ascii")
    if provider == "anthropic":
        out: dict[str, Any] = {
            "type": "image",
            "source": {"type": "base64", "media_type": mime, "data": payload},
        }
        cache_control = original.get("cache_control")
        extras = original.get("extras")
        if cache_control is None and isinstance(extras, Mapping):
            cache_control = extras.get("cache_control")
        if cache_control is not None:
            out["cache_control"] = cache_control
        return out
    if provider == "google":
        out = {"type": "image", "base64": payload, "mime_type": mime}
        extras = (
            dict(original["extras"])
            if _is_lc_image(original) and isinstance(original.get("extras"), Mapping)
            else {}
        )
        if _is_lc_image(original) and "source_type" not in original and isinstance(original.get("id"), str):
            out["id"] = original["id"]
        if ref.detail is not None:
            extras["detail"] = ref.detail
        if extras:
            out["extras"] = extras
        return out
    return _image_url(data_url(mime, ref.data), ref.detail)


def restore_block(
    provider: str, original: object, core_in: CoreBlock, core_out: Mapping[str, Any], *, nested: bool
) -> Any:
    """The LangChain block to send in place of ``original`` after compression.

    Unchanged blocks come back exactly as the caller wrote them; a TRANSCODE replacement becomes a
    ``{"type": "text", "text": ...}`` block; a nested change (an image inside a ``tool_result``) keeps
    the container the core rewrote in its own native shape.
    """
    if core_out == core_in.block or not isinstance(original, Mapping):
        return original
    if nested:
        return dict(core_out)
    if is_text_block(core_out):
        text_block: dict[str, Any] = {"type": "text", "text": core_out["text"]}
        if "cache_control" in original:
            text_block["cache_control"] = original["cache_control"]
        return text_block
    return image_block_for(provider, original, core_in, core_out)
