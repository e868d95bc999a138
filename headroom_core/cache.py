"""Decision cache: keeps an image's output byte-identical across turns (provider prompt caches keep hitting).

Keyed by (content hash, provider, model, detail, query hash, policy version, settings): an image
already sent is sent again with exactly the same bytes, while the same image asked about with a
new question (e.g. another region) gets its own entry. Bounded LRU, thread-safe.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import threading
import time
from collections import OrderedDict
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

__all__ = ["CacheKey", "LRUCache", "SQLiteStore"]

V = TypeVar("V")
#: The SQLite tier refreshes an entry's last-use time (its eviction order) at most this often.
TOUCH_AFTER_S = 3600.0


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


class SQLiteStore:
    """An optional persistent second tier: JSON records keyed by :class:`CacheKey`, in one SQLite file.

    Survives restarts, so a server keeps resending history byte-identical across deploys. Safe
    for threads (one connection per call) and for several processes (SQLite locking). Records are
    JSON, never pickles, so a shared cache file cannot execute code.
    """

    def __init__(self, path: str | os.PathLike[str], max_entries: int = 100_000) -> None:
        self.path = os.fspath(path)
        self.max_entries = max_entries
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS outcomes (key TEXT PRIMARY KEY, record TEXT NOT NULL, "
                "used REAL NOT NULL)"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10.0, isolation_level=None)

    @staticmethod
    def _key(key: CacheKey) -> str:
        return json.dumps(dataclasses.astuple(key))

    def get(self, key: CacheKey) -> dict[str, Any] | None:
        with closing(self._connect()) as db:
            row = db.execute("SELECT record, used FROM outcomes WHERE key = ?", (self._key(key),)).fetchone()
            if row is None:
                return None
            now = time.time()
            if now - row[1] > TOUCH_AFTER_S:  # a write (and fsync) per read only when the mark is stale
                db.execute("UPDATE outcomes SET used = ? WHERE key = ?", (now, self._key(key)))
        record: dict[str, Any] = json.loads(row[0])
        return record

    def put(self, key: CacheKey, record: dict[str, Any]) -> None:
        with closing(self._connect()) as db:
            db.execute(
                "INSERT OR REPLACE INTO outcomes (key, record, used) VALUES (?, ?, ?)",
                (self._key(key), json.dumps(record), time.time()),
            )
            (count,) = db.execute("SELECT COUNT(*) FROM outcomes").fetchone()
            if count > self.max_entries:
                db.execute(
                    "DELETE FROM outcomes WHERE key IN (SELECT key FROM outcomes ORDER BY used LIMIT ?)",
                    (count - self.max_entries,),
                )

    def clear(self) -> None:
        with closing(self._connect()) as db:
            db.execute("DELETE FROM outcomes")
