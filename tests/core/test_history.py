"""History stability: images already sent are resent byte-identical; the cache is bounded and persistent."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from _fakes import FixedRouter

from headroom_core import ImageCompressor, Technique
from headroom_core.cache import CacheKey, LRUCache


def conversation(openai_request, images: list[bytes]) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []
    for i, data in enumerate(images):
        messages += openai_request(data, f"question {i}")
        messages.append({"role": "assistant", "content": f"answer {i}"})
    return messages


def test_twenty_image_conversation_second_turn_is_identical_and_fast(
    openai_request, draw_photo, to_png
) -> None:
    images = [to_png(draw_photo(700 + 10 * i, 500, seed=i)) for i in range(20)]
    comp = ImageCompressor("openai", "gpt-4o", router=FixedRouter(Technique.FULL_LOW))
    turn = conversation(openai_request, images)
    first = comp.compress(turn)
    nxt = [*turn, *openai_request(to_png(draw_photo(640, 480, seed=99)), "one more?")]
    start = time.perf_counter()
    second = comp.compress(nxt)
    elapsed = time.perf_counter() - start
    assert second[: len(first)] == first  # byte-identical history
    results = comp.last_result.images
    assert all(r.cached for r in results[:20]) and not results[20].cached
    # The compressor's own path for a seen image (hash, key, lookup) against the <= 1 ms target; the
    # codecs' base64 parsing of the request comes on top (benchmarks/history.py reports both).
    seen_ms = sorted(r.elapsed_ms for r in results[:20])
    assert seen_ms[10] < 1.0, seen_ms
    assert elapsed < 10


def test_cache_survives_a_restart_through_sqlite(openai_request, draw_page, to_png, tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    data = to_png(draw_page(1200, 900))
    turn1 = openai_request(data, "describe")
    out1 = ImageCompressor("openai", router=FixedRouter(Technique.FULL_LOW), cache=path).compress(turn1)
    # A new process would build a new compressor; its router now decides differently ...
    restarted = ImageCompressor("openai", router=FixedRouter(Technique.PRESERVE), cache=path)
    turn2 = [*turn1, {"role": "assistant", "content": "ok"}, {"role": "user", "content": "thanks, and?"}]
    out2 = restarted.compress(turn2)
    # ... but the image already sent keeps the bytes and detail it was first sent with.
    assert out2[0] == out1[0]
    (r,) = restarted.last_result.images
    assert r.cached and r.technique is Technique.FULL_LOW and r.compressed_tokens == 85


def test_a_store_shared_with_other_image_signals_is_not_reused(
    openai_request, draw_page, to_png, tmp_path: Path
) -> None:
    # Decisions made with SigLIP signals are not those of the embedded analyzer: a SQLite store
    # shared by both configurations must not hand one the other's outputs.
    path = tmp_path / "cache.sqlite"
    turn1 = openai_request(to_png(draw_page(1200, 900)), "describe")
    ImageCompressor("openai", router=FixedRouter(Technique.FULL_LOW), cache=path).compress(turn1)
    turn2 = [*turn1, {"role": "assistant", "content": "ok"}, {"role": "user", "content": "and?"}]
    same = ImageCompressor("openai", router=FixedRouter(Technique.PRESERVE), cache=path)
    same.compress(turn2)
    assert same.last_result.images[0].cached
    other = ImageCompressor(
        "openai", router=FixedRouter(Technique.PRESERVE), cache=path, use_siglip=True, siglip_model="/x"
    )
    other.compress(turn2)
    (r,) = other.last_result.images
    assert not r.cached and r.technique is Technique.PRESERVE


def test_same_image_new_question_is_decided_fresh(openai_request, draw_page, to_png) -> None:
    data = to_png(draw_page(1200, 900))
    router = FixedRouter(Technique.FULL_LOW)
    comp = ImageCompressor("openai", router=router)
    comp.compress(openai_request(data, "describe"))
    comp.compress(openai_request(data, "now something else"))
    assert router.queries == ["describe", "now something else"]


def test_cache_off_recomputes(openai_request, draw_page, to_png) -> None:
    data = to_png(draw_page(600, 400))
    router = FixedRouter(Technique.FULL_LOW)
    comp = ImageCompressor("openai", router=router, cache=False)
    turn = [
        *openai_request(data, "a"),
        {"role": "assistant", "content": "x"},
        {"role": "user", "content": "b"},
    ]
    comp.compress(turn)
    comp.compress(turn)
    assert len(router.queries) == 2 and not comp.last_result.images[0].cached


def test_lru_is_bounded() -> None:
    cache: LRUCache[int] = LRUCache(maxsize=3)
    keys = [CacheKey(str(i), "openai", "", None, "", "p") for i in range(5)]
    for i, k in enumerate(keys):
        cache.put(k, i)
    assert len(cache) == 3
    assert cache.get(keys[0]) is None and cache.get(keys[4]) == 4
