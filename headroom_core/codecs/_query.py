"""Conversation turns and the user text each image belongs to (DESIGN §3)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from headroom_core.codecs._registry import CODECS
from headroom_core.codecs._types import Location

__all__ = [
    "CONVERSATION_KEYS",
    "SYSTEM_KEYS",
    "Conversation",
    "Turn",
    "conversations",
    "latest_user_text",
    "latest_user_turn",
]

CONVERSATION_KEYS = ("messages", "input", "contents")
"""Request keys holding the turns: OpenAI chat / Anthropic, OpenAI Responses, Gemini."""
SYSTEM_KEYS = ("system", "system_instruction", "systemInstruction", "instructions")
"""Request keys holding system text; searched for images, never used as a query."""


@dataclass(frozen=True)
class Turn:
    index: int
    role: str | None
    text: str
    """A user turn's own text (tool results excluded), joined with newlines; "" for other turns."""


@dataclass(frozen=True)
class Conversation:
    """The turns under one prefix of the input (``()`` for a bare list, ``("messages",)`` ...)."""

    prefix: Location
    turns: tuple[Turn, ...]

    def turn_at(self, location: Location) -> Turn | None:
        """The top-level turn holding ``location``, if ``location`` lies in this conversation."""
        depth = len(self.prefix)
        if len(location) <= depth or location[:depth] != self.prefix:
            return None
        index = location[depth]
        return self.turns[index] if isinstance(index, int) and 0 <= index < len(self.turns) else None


def conversations(root: object) -> list[Conversation]:
    """The conversations of a message list or of a request dict."""
    if isinstance(root, list):
        return [_conversation((), root)]
    if isinstance(root, Mapping):
        return [
            _conversation((key,), root[key]) for key in CONVERSATION_KEYS if isinstance(root.get(key), list)
        ]
    return []


def latest_user_text(found: Sequence[Conversation]) -> str:
    """The text of the last user turn that has any."""
    turns = [turn for conversation in found for turn in conversation.turns]
    return next((turn.text for turn in reversed(turns) if turn.text.strip()), "")


def _conversation(prefix: Location, messages: list[Any]) -> Conversation:
    return Conversation(prefix, tuple(_turn(index, message) for index, message in enumerate(messages)))


def _turn(index: int, message: object) -> Turn:
    if not isinstance(message, Mapping):
        return Turn(index, None, "")
    role = message.get("role")
    role = role if isinstance(role, str) else None
    # Gemini: a content's role may be left out in single-turn requests, and then means "user".
    is_user = role == "user" or (role is None and "parts" in message)
    return Turn(index, role, _own_text(message) if is_user else "")


def _own_text(message: Mapping[str, Any]) -> str:
    content = message["content"] if "content" in message else message.get("parts")
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        return ""
    texts = (_block_text(block) for block in content)
    return "\n".join(text for text in texts if text and text.strip())


def _block_text(block: object) -> str | None:
    if isinstance(block, str):
        return block
    if not isinstance(block, Mapping):
        return None
    return next((text for codec in CODECS.values() if (text := codec.text_of(block)) is not None), None)


def latest_user_turn(messages: object) -> int:
    """Index of the last user turn of ``messages`` (``-1`` when there is none).

    Images at or after it belong to the request being answered now; earlier ones are history.
    """
    indices = [
        turn.index
        for c in conversations(messages)
        for turn in c.turns
        if turn.role == "user" or (turn.role is None and turn.text)
    ]
    return max(indices, default=-1)
