"""Find every image in a request, and write replacements into a copy of it."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any, TypeVar, cast

from headroom_core._exceptions import ConfigurationError
from headroom_core.codecs._base import Codec
from headroom_core.codecs._query import (
    CONVERSATION_KEYS,
    SYSTEM_KEYS,
    Conversation,
    conversations,
    latest_user_text,
)
from headroom_core.codecs._registry import CODECS, codec_for
from headroom_core.codecs._types import ImageRef, Location, Replacement

__all__ = ["find_images", "rewrite"]

T = TypeVar("T")


def find_images(messages: object) -> list[ImageRef]:
    """Every image block in ``messages``, in document order, with the query it belongs to.

    ``messages`` is a provider-native message list (OpenAI chat, OpenAI Responses ``input`` items,
    Anthropic messages, Gemini ``contents``) or a whole request dict holding ``messages``, ``input``
    or ``contents`` (and ``system`` / ``system_instruction`` / ``instructions``). Images nested in
    tool results are found too. Arguments the model wrote for a tool (Anthropic ``tool_use.input``,
    Gemini ``function_call``) and Gemini ``function_response.response`` JSON are not images sent to
    the model as such and are not searched. Nothing is fetched and nothing is modified.
    """
    found = conversations(messages)
    latest = latest_user_text(found)
    return [
        _locate(codec.read(block), codec, location, found, latest)
        for location, block, codec in _images(messages)
    ]


def rewrite(messages: T, replacements: Mapping[Location, Replacement]) -> T:
    """A copy of ``messages`` with each image at a location of ``replacements`` rewritten.

    The input is never mutated. New image bytes are written in the block's own shape and key
    style; sibling keys (``cache_control``, ids, other ``image_url`` keys ...) are kept. A location
    that does not hold an image block raises :class:`ConfigurationError`.
    """
    result = copy.deepcopy(messages)
    for location, replacement in replacements.items():
        result = _rewrite_one(result, tuple(location), replacement)
    return result


def _images(root: object) -> Iterator[tuple[Location, Mapping[str, Any], Codec]]:
    if isinstance(root, Mapping) and any(key in root for key in CONVERSATION_KEYS):
        for key, value in root.items():
            if key in CONVERSATION_KEYS or key in SYSTEM_KEYS:
                yield from _walk(value, (key,))
    else:
        yield from _walk(root, ())


def _walk(node: object, path: Location) -> Iterator[tuple[Location, Mapping[str, Any], Codec]]:
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk(item, (*path, index))
    elif isinstance(node, Mapping):
        codec = codec_for(node)
        if codec is not None:
            yield path, node, codec
            return
        for key, value in node.items():
            if not _is_opaque(node, key, path):
                yield from _walk(value, (*path, key))


def _is_opaque(node: Mapping[str, Any], key: object, path: Location) -> bool:
    return any(codec.is_opaque(node, key, path) for codec in CODECS.values())


def _locate(
    ref: ImageRef, codec: Codec, location: Location, found: list[Conversation], latest: str
) -> ImageRef:
    fields: dict[str, Any] = {
        "location": location,
        "query": latest,
        "accepts_text": codec.accepts_text(location),
    }
    if location and location[0] in SYSTEM_KEYS:
        fields["turn_role"] = "system"
    for conversation in found:
        turn = conversation.turn_at(location)
        if turn is None:
            continue
        fields.update(message_index=turn.index, turn_role=turn.role)
        # The image's own user turn, else the latest user text at or before it: a question asked
        # later must not change the query (and so the cached output) of an image already sent.
        earlier = (t.text for t in reversed(conversation.turns[: turn.index + 1]) if t.text.strip())
        fields["query"] = next(earlier, latest)
        break
    return dataclasses.replace(ref, **fields)


def _rewrite_one(root: T, location: Location, replacement: Replacement) -> T:
    parent: Any = None
    block: Any = root
    try:
        for step in location:
            parent, block = block, block[step]
    except (KeyError, IndexError, TypeError):
        raise ConfigurationError(f"no block at location {location!r}") from None
    codec = codec_for(block)
    if codec is None or not isinstance(block, dict):
        raise ConfigurationError(f"no image block at location {location!r}")
    if replacement.kind == "text" and not codec.accepts_text(location):
        raise ConfigurationError(f"{codec.name}: no text block may replace the image at {location!r}")
    new_block = codec.write(block, replacement)
    if not location:
        return cast(T, new_block)
    parent[location[-1]] = new_block
    return root
