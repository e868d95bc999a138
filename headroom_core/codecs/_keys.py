"""Small dict edits that keep the caller's key order."""

from __future__ import annotations

from typing import Any

__all__ = ["rename_key"]


def rename_key(block: dict[str, Any], old: str, new: str, value: Any) -> None:
    """Replace ``block[old]`` by ``block[new] = value`` in place, at ``old``'s position."""
    items = [(new, value) if key == old else (key, item) for key, item in block.items() if key != new]
    block.clear()
    block.update(items)
