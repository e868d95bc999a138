"""Decision cache: keeps an image's output byte-identical across turns (provider prompt caches keep hitting).

Keyed by (content hash, provider, model, detail, query hash, policy version, settings): an image
already sent is sent again with exactly the same bytes, while the same image asked about with a
new question (e.g. another region) gets its own entry. Bounded LRU, thread-safe.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["CacheKey", "LRUCache"]

V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class CacheKey:
    content_sha256: str
    provider: str
    model: str
    detail: str | None
    query_sha1: str
    policy: str


class LRUCache(Generic[V]):
    """A bounded, thread-safe least-recently-used map."""

    def __init__(self, maxsize: int = 2048) -> None:
        if maxsize <= 0:
            raise ValueError("maxsize must be positive")
        self.maxsize = maxsize
        self._data: OrderedDict[CacheKey, V] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: CacheKey) -> V | None:
        with self._lock:
            value = self._data.get(key)
            if value is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: CacheKey, value: V) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)
